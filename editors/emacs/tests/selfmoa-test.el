;;; selfmoa-test.el --- ERT tests of selfmoa.el with Eglot and the real server  -*- lexical-binding: t; -*-

;;; Commentary:

;; emacs -Q --batch -l editors/emacs/tests/selfmoa-test.el -f selfmoa-test-summary-and-exit
;; with SELFMOA_LSP (the server) and SELFMOA_STANDIN (the stand-in backend) set.
;; The init follows README.md's "Plain load-path" snippet as written.

;;; Code:

(load (expand-file-name "selfmoa-test-support" (file-name-directory load-file-name)) nil t)
(require 'ert)
(require 'flymake)

(selfmoa-test-run-snippet "load-path")
(setq selfmoa-program-args (list "--log-file" selfmoa-test-log-file))
(setq selfmoa-initialization-options
      `(:backend (:url ,(selfmoa-test-backend-url))
        :explain (:samples 2) :review (:samples 2) :complete (:samples 2)))
(setq eglot-sync-connect 20
      eglot-autoshutdown nil)

(defun selfmoa-test-open-sample ()
  "Visit a fresh copy of the sample file, connected to selfmoa-lsp; return the server."
  (find-file (selfmoa-test-sample-file))
  ;; `eglot-ensure' (from the README's hook) connects after the next command.
  (run-hooks 'post-command-hook)
  (selfmoa-test-wait "Eglot to connect to selfmoa-lsp"
                     (lambda () (let ((server (eglot-current-server)))
                                  (and server (cl-typep server 'selfmoa-eglot-server)
                                       server)))
                     30))

(defun selfmoa-test-result-text ()
  "Contents of the result buffer, or nil."
  (when-let ((buffer (get-buffer selfmoa-result-buffer-name)))
    (with-current-buffer buffer (buffer-string))))

(defmacro selfmoa-test-with-sample (&rest body)
  "Run BODY in a fresh sample buffer, killing it afterwards."
  (declare (indent 0))
  `(let ((buffer nil))
     (unwind-protect
         (progn (setq selfmoa--pending nil)
                (selfmoa-test-open-sample)
                (setq buffer (current-buffer))
                ,@body)
       (when (buffer-live-p buffer)
         (with-current-buffer buffer (set-buffer-modified-p nil))
         (kill-buffer buffer)))))

(defun selfmoa-test-selfmoa-diagnostics ()
  "Flymake diagnostics of the current buffer that came from selfmoa-lsp."
  (flymake-diagnostics))

(ert-deftest selfmoa-eglot-setup-is-idempotent ()
  (let ((eglot-server-programs '((python-mode . ("pylsp")))))
    (selfmoa-eglot-setup '(python-mode))
    (selfmoa-eglot-setup '(python-mode python-ts-mode))
    (should (equal (car eglot-server-programs)
                   (cons '(python-mode python-ts-mode) #'selfmoa--contact)))
    (should (equal (length eglot-server-programs) 2))
    (let ((selfmoa-program "/opt/selfmoa-lsp") (selfmoa-program-args '("--log-file" "x")))
      (should (equal (selfmoa--contact)
                     '(selfmoa-eglot-server "/opt/selfmoa-lsp" "--log-file" "x"))))))

(ert-deftest selfmoa-readme-use-package-snippet-reads ()
  ;; use-package is not part of Emacs 28; check the snippet is well-formed and complete.
  (let* ((text (selfmoa-test-readme-snippet "use-package"))
         (forms (with-temp-buffer
                  (insert text)
                  (goto-char (point-min))
                  (let (forms)
                    (condition-case nil (while t (push (read (current-buffer)) forms))
                      (end-of-file nil))
                    (nreverse forms)))))
    (should (eq (car (nth 0 forms)) 'use-package))
    (dolist (keyword '(:load-path :custom :config))
      (should (memq keyword (nth 0 forms))))
    (should (string-search "selfmoa-eglot-setup" text))))

(ert-deftest selfmoa-stats-line-sums-up-the-cost ()
  (should (equal (selfmoa--stats-line
                  '(:mode "selfmoa" :samples 4 :failedSamples 1 :aggregated t :forwardPasses 5
                    :promptTokens 2310 :prefilledTokens 1204 :completionTokens 640
                    :totalSeconds 41.34))
                 (concat "_Self-MoA · 4 samples (1 failed) · 5 forward passes · "
                         "2310 prompt (1204 prefilled) / 640 completion tokens · 41.3 s_")))
  (should (null (selfmoa--stats-line nil))))

(ert-deftest selfmoa-announces-the-results-capability ()
  (selfmoa-test-with-sample
    (let ((server (eglot-current-server)))
      (should (equal (plist-get (eglot-client-capabilities server) :experimental)
                     '(:selfmoa (:results t))))
      (should (plist-get (eglot--capabilities server) :executeCommandProvider)))))

(ert-deftest selfmoa-explain-fills-the-result-buffer ()
  (selfmoa-test-with-sample
    (let ((lines (selfmoa-test-expect :explain_lines))
          (expected (selfmoa-test-expect :explain_contains)))
      (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
      (selfmoa-test-goto-line (1- (nth 0 lines)))
      (let ((beg (point)))
        (selfmoa-test-goto-line (1- (nth 1 lines)))
        (selfmoa-explain beg (line-end-position)))
      (should (= 1 (length selfmoa--pending)))
      (selfmoa-test-wait "the explanation in *selfmoa*"
                         (lambda () (string-search expected (or (selfmoa-test-result-text) ""))))
      (selfmoa-test-wait "the explain response" (lambda () (null selfmoa--pending)) 10)
      (with-current-buffer selfmoa-result-buffer-name
        (should buffer-read-only)
        (should (equal selfmoa-result-kind "explain"))
        (should (derived-mode-p (if (fboundp 'markdown-mode) 'markdown-mode 'special-mode)))
        (should (memq (key-binding "q") '(View-quit quit-window)))))))

(ert-deftest selfmoa-review-produces-flymake-diagnostics ()
  (selfmoa-test-with-sample
    (let ((expected (selfmoa-test-expect :review_contains))
          (line (selfmoa-test-expect :review_line)))
      (should flymake-mode)
      (selfmoa-review)
      (let ((diagnostic
             (selfmoa-test-wait
              "a Flymake diagnostic from the review"
              (lambda ()
                ;; Flymake asks its backends after a command; batch Emacs runs none.
                (run-hooks 'post-command-hook)
                (flymake-start)
                (cl-find-if (lambda (d) (string-search expected (flymake-diagnostic-text d)))
                            (flymake-diagnostics))))))
        (should (= line (1- (line-number-at-pos (flymake-diagnostic-beg diagnostic))))))
      (selfmoa-test-wait "the review in *selfmoa*"
                         (lambda () (string-search expected (or (selfmoa-test-result-text) ""))))
      ;; The finding's quick fix, as `eglot-code-actions' offers it.
      (selfmoa-test-goto-line line 4)
      (let* ((actions (eglot-code-actions (line-beginning-position) (line-end-position)
                                          "quickfix"))
             (fix (car actions)))
        (should fix)
        (let ((before (buffer-string)))
          (eglot--dcase fix
            (((CodeAction) edit command)
             (when edit (eglot--apply-workspace-edit edit))
             (should-not command)))
          (should-not (equal before (buffer-string)))
          (should (string-search (selfmoa-test-expect :review_replacement_contains)
                                 (buffer-string))))))))

(ert-deftest selfmoa-code-action-explain-runs-asynchronously ()
  (selfmoa-test-with-sample
    (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
    (selfmoa-test-goto-line 1)
    (let* ((server (eglot-current-server))
           (action (car (eglot-code-actions (line-beginning-position) (line-end-position)
                                            "source.selfmoa.explain")))
           (command (plist-get action :command)))
      (should action)
      (should (equal (plist-get command :command) "selfmoa.explain"))
      ;; What Eglot does with the chosen action: our method answers at once and tracks it.
      (if (cl-generic-p 'eglot-execute)
          (eglot-execute server action)
        (eglot-execute-command server (intern (plist-get command :command))
                               (plist-get command :arguments)))
      (should (= 1 (length selfmoa--pending)))
      (selfmoa-test-wait "the explanation from the code action"
                         (lambda () (string-search (selfmoa-test-expect :explain_contains)
                                                   (or (selfmoa-test-result-text) ""))))
      (selfmoa-test-wait "the explain response" (lambda () (null selfmoa--pending)) 10))))

(ert-deftest selfmoa-complete-summary-names-the-imports ()
  (should (equal "completion applied, with import math; from functools import reduce"
                 (selfmoa--summary "complete" '(:applied t :imports (:statements ["import math" "from functools import reduce"])))))
  (should (equal "completion applied" (selfmoa--summary "complete" '(:applied t :imports nil))))
  (should (equal "completion not applied: changed"
                 (selfmoa--summary "complete" '(:applied :json-false :reason "changed")))))

(ert-deftest selfmoa-complete-inserts-at-point ()
  (selfmoa-test-with-sample
    (let ((line (selfmoa-test-expect :complete_line))
          (expected (selfmoa-test-expect :complete_contains))
          (before (buffer-string)))
      (selfmoa-test-goto-line line 4)
      (selfmoa-complete)
      (selfmoa-test-wait "the completion in the buffer"
                         (lambda () (string-search expected (buffer-string))))
      ;; The code uses a module the file does not import: the import comes first, in the
      ;; same edit, and the lines above point are otherwise untouched.
      (should (string-prefix-p
               (concat (selfmoa-test-expect :complete_import) "\n"
                       (with-temp-buffer (insert before) (selfmoa-test-goto-line line)
                                         (buffer-substring (point-min) (point))))
               (buffer-string)))
      (selfmoa-test-wait "the complete response" (lambda () (null selfmoa--pending)) 10))))

(ert-deftest selfmoa-cancel-cancels-and-the-server-keeps-serving ()
  (selfmoa-test-with-sample
    (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
    (selfmoa-explain (point-min) (line-end-position))
    (should (= 1 (length selfmoa--pending)))
    ;; Eglot without progress of its own reports it through selfmoa.el: wait until it runs.
    (if (boundp 'eglot-report-progress)
        (selfmoa-test-wait "the explanation to start" (lambda () (sit-for 0.3) t))
      (selfmoa-test-wait "the explanation to start"
                         (lambda () (> (hash-table-count selfmoa--progress-reporters) 0))
                         10))
    (should (= 1 (selfmoa-cancel)))
    (should (null selfmoa--pending))
    (unless (boundp 'eglot-report-progress)
      (selfmoa-test-wait "the server to end the progress"
                         (lambda () (= (hash-table-count selfmoa--progress-reporters) 0))
                         10))
    (let ((deadline (+ (float-time) 1)))
      (while (< (float-time) deadline) (accept-process-output nil 0.05)))
    (should-not (selfmoa-test-result-text))
    (selfmoa-explain (point-min) (line-end-position))
    (selfmoa-test-wait "an explanation after the cancellation"
                       (lambda () (selfmoa-test-result-text)))
    (selfmoa-test-wait "the explain response" (lambda () (null selfmoa--pending)) 10)))

(provide 'selfmoa-test)
;;; selfmoa-test.el ends here
