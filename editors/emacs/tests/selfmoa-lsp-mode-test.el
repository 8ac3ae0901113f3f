;;; selfmoa-lsp-mode-test.el --- ERT tests of the lsp-mode add-on with the real server  -*- lexical-binding: t; -*-

;;; Commentary:

;; emacs -Q --batch -l editors/emacs/tests/selfmoa-lsp-mode-test.el -f selfmoa-test-summary-and-exit
;; with SELFMOA_LSP and SELFMOA_STANDIN set; needs lsp-mode (Debian elpa-lsp-mode).
;; The init follows README.md's "lsp-mode" snippet as written.

;;; Code:

(load (expand-file-name "selfmoa-test-support" (file-name-directory load-file-name)) nil t)
(require 'ert)

(defvar selfmoa-test-session-dir (make-temp-file "selfmoa-lsp-mode-" t))
(setq lsp-session-file (expand-file-name "session" selfmoa-test-session-dir)
      lsp-server-install-dir (expand-file-name "servers" selfmoa-test-session-dir)
      lsp-auto-guess-root nil
      lsp-enable-file-watchers nil
      lsp-keep-workspace-alive t
      lsp-restart 'ignore
      lsp-diagnostics-provider :flymake
      lsp-enable-snippet nil
      lsp-headerline-breadcrumb-enable nil
      lsp-modeline-code-actions-enable nil
      lsp-lens-enable nil)
(defvar lsp-session-file)
(defvar lsp-server-install-dir)

(selfmoa-test-run-snippet "lsp-mode")
(require 'lsp-mode)
(setq selfmoa-program-args (list "--log-file" selfmoa-test-log-file))
(setq selfmoa-initialization-options
      `(:backend (:url ,(selfmoa-test-backend-url))
        :explain (:samples 2) :review (:samples 2) :complete (:samples 2)))

(defun selfmoa-test-lsp-open-sample ()
  "Visit a fresh copy of the sample file with lsp-mode and the add-on started."
  (let ((file (selfmoa-test-sample-file)))
    ;; What `lsp' would ask: the project root.
    (lsp-workspace-folders-add selfmoa-test-work-dir)
    (find-file file)
    (lsp)
    (selfmoa-test-wait "lsp-mode to start selfmoa-lsp"
                       (lambda ()
                         (when-let ((workspace (selfmoa-lsp-mode--workspace)))
                           (and (eq (lsp--workspace-status workspace) 'initialized)
                                workspace)))
                       30)))

(defmacro selfmoa-test-with-lsp-sample (&rest body)
  "Run BODY in a fresh lsp-mode sample buffer, killing it afterwards."
  (declare (indent 0))
  `(let ((buffer nil))
     (unwind-protect
         (progn (setq selfmoa--pending nil)
                (selfmoa-test-lsp-open-sample)
                (setq buffer (current-buffer))
                ,@body)
       (when (buffer-live-p buffer)
         (with-current-buffer buffer (set-buffer-modified-p nil))
         (kill-buffer buffer)))))

(defun selfmoa-test-lsp-result-text ()
  "Contents of the result buffer, or nil."
  (when-let ((buffer (get-buffer selfmoa-result-buffer-name)))
    (with-current-buffer buffer (buffer-string))))

(ert-deftest selfmoa-lsp-mode-registers-an-add-on-client ()
  (let ((client (gethash 'selfmoa lsp-clients)))
    (should client)
    (should (lsp--client-add-on? client))
    (should (selfmoa-lsp-mode--activate-p "x.py" 'python-mode))
    (should-not (selfmoa-lsp-mode--activate-p "x.txt" 'text-mode))))

(ert-deftest selfmoa-lsp-mode-plist-converts-hash-tables ()
  (let ((table (make-hash-table :test #'equal))
        (inner (make-hash-table :test #'equal)))
    (puthash "line" 3 inner)
    (puthash "start" inner table)
    (puthash "items" (vector inner) table)
    (let ((plist (selfmoa-lsp-mode--plist table)))
      (should (equal (plist-get plist :start) '(:line 3)))
      (should (equal (plist-get plist :items) [(:line 3)])))))

(ert-deftest selfmoa-lsp-mode-explain-fills-the-result-buffer ()
  (selfmoa-test-with-lsp-sample
    (let ((lines (selfmoa-test-expect :explain_lines))
          (expected (selfmoa-test-expect :explain_contains)))
      (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
      (selfmoa-test-goto-line (1- (nth 0 lines)))
      (let ((beg (point)))
        (selfmoa-test-goto-line (1- (nth 1 lines)))
        (selfmoa-explain beg (line-end-position)))
      (selfmoa-test-wait "the explanation in *selfmoa*"
                         (lambda () (string-search expected
                                                   (or (selfmoa-test-lsp-result-text) ""))))
      (selfmoa-test-wait "the explain response" (lambda () (null selfmoa--pending)) 10))))

(ert-deftest selfmoa-lsp-mode-review-publishes-diagnostics ()
  (selfmoa-test-with-lsp-sample
    (let ((expected (selfmoa-test-expect :review_contains))
          (line (selfmoa-test-expect :review_line))
          (file (buffer-file-name)))
      (selfmoa-review)
      (let ((diagnostic
             (selfmoa-test-wait
              "a diagnostic from the review"
              (lambda ()
                (cl-find-if (lambda (d)
                              (string-search expected (lsp:diagnostic-message d)))
                            (gethash (lsp--fix-path-casing file) (lsp-diagnostics t)))))))
        (should (equal "selfmoa" (lsp:diagnostic-source? diagnostic)))
        (should (= line (lsp:position-line (lsp:range-start (lsp:diagnostic-range diagnostic)))))))))

(ert-deftest selfmoa-lsp-mode-complete-inserts-at-point ()
  (selfmoa-test-with-lsp-sample
    (let ((line (selfmoa-test-expect :complete_line))
          (expected (selfmoa-test-expect :complete_contains)))
      (selfmoa-test-goto-line line 4)
      (selfmoa-complete)
      (selfmoa-test-wait "the completion in the buffer"
                         (lambda () (string-search expected (buffer-string))))
      (should (string-prefix-p (concat (selfmoa-test-expect :complete_import) "\ndef average")
                               (buffer-string)))
      (selfmoa-test-wait "the complete response" (lambda () (null selfmoa--pending)) 10))))

(ert-deftest selfmoa-lsp-mode-code-action-runs-explain ()
  (selfmoa-test-with-lsp-sample
    (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
    (selfmoa-test-goto-line 1)
    (let ((action (cl-find-if (lambda (a) (equal (lsp:code-action-kind? a) "source.selfmoa.explain"))
                              (lsp-code-actions-at-point))))
      (should action)
      (lsp-execute-code-action action)
      (selfmoa-test-wait "an explanation from the code action"
                         (lambda () (selfmoa-test-lsp-result-text)))
      (selfmoa-test-wait "the explain response" (lambda () (null selfmoa--pending)) 10))))

(ert-deftest selfmoa-lsp-mode-cancel-cancels-and-the-server-keeps-serving ()
  (selfmoa-test-with-lsp-sample
    (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
    (selfmoa-explain (point-min) (line-end-position))
    (let ((deadline (+ (float-time) 0.3)))
      (while (< (float-time) deadline) (accept-process-output nil 0.05)))
    (should (= 1 (selfmoa-cancel)))
    (should (null selfmoa--pending))
    (let ((deadline (+ (float-time) 2)))
      (while (< (float-time) deadline) (accept-process-output nil 0.05)))
    (should-not (selfmoa-test-lsp-result-text))
    (selfmoa-explain (point-min) (line-end-position))
    (selfmoa-test-wait "an explanation after the cancellation"
                       (lambda () (selfmoa-test-lsp-result-text)))
    (selfmoa-test-wait "the explain response" (lambda () (null selfmoa--pending)) 10)))

(provide 'selfmoa-lsp-mode-test)
;;; selfmoa-lsp-mode-test.el ends here
