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
; explain synthesises here, so an answer streaming over the draft is exercised; the shipped
; default chooses a candidate, which arrives whole.
(setq selfmoa-initialization-options
      `(:backend (:url ,(selfmoa-test-backend-url))
        :explain (:samples 2 :answer "synthesis") :ask (:samples 2) :review (:samples 2) :complete (:samples 2)))

(defun selfmoa-test-lsp-open-sample (&optional dir backend-url)
  "Visit a fresh copy of the sample file with lsp-mode and the add-on started.
The copy is in DIR (default `selfmoa-test-work-dir'), a project of its
own; a server started for it uses BACKEND-URL (default the usual stand-in)."
  (selfmoa-test-lsp-open-file (selfmoa-test-sample-file dir) (or dir selfmoa-test-work-dir)
                              backend-url))

(defun selfmoa-test-lsp-open-file (file root &optional backend-url)
  "Visit FILE with lsp-mode and the add-on started, ROOT being its project root.
A server started for it uses BACKEND-URL (default the usual stand-in)."
  (let ((selfmoa-initialization-options
         (if backend-url
             (plist-put (copy-tree selfmoa-initialization-options) :backend `(:url ,backend-url))
           selfmoa-initialization-options)))
    ;; What `lsp' would ask: the project root.
    (lsp-workspace-folders-add root)
    (find-file file)
    (lsp)
    (selfmoa-test-wait "lsp-mode to start selfmoa-lsp"
                       (lambda ()
                         (when-let ((workspace (selfmoa-lsp-mode--workspace)))
                           (and (eq (lsp--workspace-status workspace) 'initialized)
                                workspace)))
                       30)))

(defmacro selfmoa-test-with-lsp-sample-in (dir backend-url &rest body)
  "Run BODY in a fresh lsp-mode sample buffer in DIR served with BACKEND-URL.
Kill the buffer afterwards."
  (declare (indent 2))
  `(let ((buffer nil))
     (unwind-protect
         (progn (setq selfmoa--pending nil)
                (selfmoa-test-lsp-open-sample ,dir ,backend-url)
                (setq buffer (current-buffer))
                ,@body)
       (when (buffer-live-p buffer)
         (with-current-buffer buffer (set-buffer-modified-p nil))
         (kill-buffer buffer)))))

(defmacro selfmoa-test-with-lsp-file (file root &rest body)
  "Run BODY in the lsp-mode buffer of FILE in the project ROOT; kill it afterwards."
  (declare (indent 2))
  `(let ((buffer nil))
     (unwind-protect
         (progn (setq selfmoa--pending nil)
                (selfmoa-test-lsp-open-file ,file ,root)
                (setq buffer (current-buffer))
                ,@body)
       (when (buffer-live-p buffer)
         (with-current-buffer buffer (set-buffer-modified-p nil))
         (kill-buffer buffer)))))

(defmacro selfmoa-test-with-lsp-sample (&rest body)
  "Run BODY in a fresh lsp-mode sample buffer, killing it afterwards."
  (declare (indent 0))
  `(selfmoa-test-with-lsp-sample-in nil nil ,@body))

(defmacro selfmoa-test-with-question (question &rest body)
  "Run BODY with `read-string' answering QUESTION; return how often it was asked."
  (declare (indent 1))
  `(let ((asked 0))
     (cl-letf (((symbol-function 'read-string)
                (lambda (&rest _) (cl-incf asked) ,question)))
       ,@body)
     asked))

(defun selfmoa-test-lsp-sent-commands (send)
  "Call SEND and return the `workspace/executeCommand' commands it sent (names)."
  (let* ((commands nil)
         (spy (lambda (method params &rest _)
                (when (equal method "workspace/executeCommand")
                  (push (plist-get params :command) commands)))))
    (advice-add 'lsp-request-async :before spy)
    (unwind-protect (funcall send)
      (advice-remove 'lsp-request-async spy))
    commands))

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

(ert-deftest selfmoa-lsp-mode-announces-the-ask-capability ()
  (let ((capabilities (lsp--client-custom-capabilities (gethash 'selfmoa lsp-clients))))
    (should (equal (alist-get 'selfmoa (alist-get 'experimental capabilities))
                   '((results . t) (ask . t))))))

(ert-deftest selfmoa-lsp-mode-explain-streams-into-the-result-buffer ()
  (selfmoa-test-with-lsp-sample-in selfmoa-test-slow-work-dir (selfmoa-test-slow-backend-url)
    (let ((lines (selfmoa-test-expect :explain_lines))
          (source (current-buffer))
          (text (buffer-string))
          beg end)
      (selfmoa-test-goto-line (1- (nth 0 lines)))
      (setq beg (point))
      (selfmoa-test-goto-line (1- (nth 1 lines)))
      (setq end (line-end-position))
      (let ((snapshots (selfmoa-test-run-watched source (lambda () (selfmoa-explain beg end)))))
        (selfmoa-test-check-stream snapshots source (selfmoa-test-expect :explain_contains))
        ;; Our progress shows once: in our segment, not also in lsp-mode's.
        (should-not (cl-some (lambda (s) (string-search lsp-progress-prefix (plist-get s :mode-line)))
                             snapshots)))
      (should (equal text (buffer-string)))
      (should-not (buffer-modified-p)))))

(ert-deftest selfmoa-lsp-mode-ask-answers-about-the-function-at-point ()
  (selfmoa-test-with-lsp-sample
    (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
    (let ((question (selfmoa-test-expect :ask_question))
          (expected (selfmoa-test-expect :ask_contains)))
      (selfmoa-test-goto-line 2 4)
      (should (equal '("selfmoa.ask")
                     (selfmoa-test-lsp-sent-commands
                      (lambda ()
                        (should (= 1 (selfmoa-test-with-question question
                                       (call-interactively #'selfmoa-ask))))))))
      (selfmoa-test-wait "the answer in *selfmoa*"
                         (lambda () (string-search expected (or (selfmoa-test-lsp-result-text) ""))))
      (selfmoa-test-wait "the ask response" (lambda () (null selfmoa--pending)) 10)
      (should (string-prefix-p (concat "> " question "\n\n") (selfmoa-test-lsp-result-text)))
      (with-current-buffer selfmoa-result-buffer-name
        (should (string-prefix-p "Self-MoA: ask — Self-MoA · 2 samples" header-line-format))))))

(ert-deftest selfmoa-lsp-mode-ask-with-an-empty-question-sends-nothing ()
  (selfmoa-test-with-lsp-sample
    (selfmoa-test-goto-line 2 4)
    (should-not (selfmoa-test-lsp-sent-commands
                 (lambda ()
                   (selfmoa-test-with-question ""
                     (should-error (call-interactively #'selfmoa-ask) :type 'user-error))
                   (should-error (selfmoa-ask " ") :type 'user-error))))
    (should (null selfmoa--pending))))

(ert-deftest selfmoa-lsp-mode-code-action-ask-prompts-for-the-question ()
  (selfmoa-test-with-lsp-sample
    (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
    (selfmoa-test-goto-line 1)
    (let ((action (cl-find-if (lambda (a) (equal (lsp:code-action-kind? a) "source.selfmoa.ask"))
                              (lsp-code-actions-at-point))))
      (should action)
      ;; An empty answer to the prompt asks nothing.
      (should-not (selfmoa-test-lsp-sent-commands
                   (lambda ()
                     (selfmoa-test-with-question ""
                       (should-error (lsp-execute-code-action action) :type 'user-error)))))
      (should (null selfmoa--pending))
      (should (equal '("selfmoa.ask")
                     (selfmoa-test-lsp-sent-commands
                      (lambda ()
                        (should (= 1 (selfmoa-test-with-question
                                         (selfmoa-test-expect :ask_question)
                                       (lsp-execute-code-action action))))))))
      (selfmoa-test-wait "the answer from the code action"
                         (lambda () (string-search (selfmoa-test-expect :ask_contains)
                                                   (or (selfmoa-test-lsp-result-text) ""))))
      (selfmoa-test-wait "the ask response" (lambda () (null selfmoa--pending)) 10)
      (should (string-search (selfmoa-test-expect :ask_question) (selfmoa-test-lsp-result-text))))))

(ert-deftest selfmoa-lsp-mode-cancel-cancels-and-the-server-keeps-serving ()
  (selfmoa-test-with-lsp-sample
    (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
    (selfmoa-explain (point-min) (line-end-position))
    (let ((deadline (+ (float-time) 0.3)))
      (while (< (float-time) deadline) (accept-process-output nil 0.05)))
    (should (= 1 (selfmoa-cancel)))
    (should (null selfmoa--pending))
    ;; The draft may have begun to stream: it stays as it was, marked cancelled.
    (let ((shown (selfmoa-test-lsp-result-text)))
      (let ((deadline (+ (float-time) 2)))
        (while (< (float-time) deadline) (accept-process-output nil 0.05)))
      (should (equal shown (selfmoa-test-lsp-result-text)))
      (when shown
        (should (string-search "(cancelled)" (buffer-local-value 'header-line-format
                                                                 (get-buffer selfmoa-result-buffer-name))))))
    (selfmoa-explain (point-min) (line-end-position))
    (selfmoa-test-wait "an explanation after the cancellation"
                       (lambda () (selfmoa-test-lsp-result-text)))
    (selfmoa-test-wait "the explain response" (lambda () (null selfmoa--pending)) 10)))

;;;; Review of changes

(defun selfmoa-test-lsp-sent-arguments (send)
  "Call SEND and return the `workspace/executeCommand's it sent, as (COMMAND . ARGUMENT)."
  (let* ((sent nil)
         (spy (lambda (method params &rest _)
                (when (equal method "workspace/executeCommand")
                  (push (cons (plist-get params :command) (elt (plist-get params :arguments) 0))
                        sent)))))
    (advice-add 'lsp-request-async :before spy)
    (unwind-protect (funcall send)
      (advice-remove 'lsp-request-async spy))
    (nreverse sent)))

(defun selfmoa-test-lsp-forget-changes-review ()
  "Kill the buffer of `selfmoa-review-changes', and forget it as `next-error''s."
  (when (get-buffer selfmoa-review-changes-buffer-name)
    (kill-buffer selfmoa-review-changes-buffer-name))
  (setq next-error-last-buffer nil))

(ert-deftest selfmoa-lsp-mode-review-changes-fills-a-compilation-buffer ()
  (let* ((dir (selfmoa-test-git-repository))
         (file (expand-file-name "sample.py" dir))
         (mode-lines nil))
    (selfmoa-test-with-lsp-file file dir
      (selfmoa-test-change-and-save)
      (selfmoa-test-lsp-forget-changes-review)
      (let ((sent (selfmoa-test-lsp-sent-arguments
                   (lambda () (call-interactively #'selfmoa-review-changes)))))
        (should (equal (mapcar #'car sent) '("selfmoa.reviewChanges")))
        (should (equal (cdar sent) `(:root ,(concat "file://" (directory-file-name dir))))))
      ;; Any buffer of the project finds the server, such as a Dired buffer.
      (with-temp-buffer
        (setq default-directory dir)
        (should (equal (file-name-as-directory (plist-get (selfmoa--find-workspace) :root)) dir)))
      (selfmoa-test-wait "the review of the change"
                         (lambda ()
                           (push (selfmoa-test-mode-line (current-buffer)) mode-lines)
                           (null selfmoa--pending)))
      (should (cl-some (lambda (text) (string-search "Self-MoA review changes: function 1/1: sample.py:"
                                                     text))
                       mode-lines))
      (should-not (string-search "Self-MoA review changes" (car mode-lines)))
      (selfmoa-test-check-changes-review file)
      (selfmoa-test-check-changes-review-again))))

(ert-deftest selfmoa-lsp-mode-review-changes-outside-a-git-repository-says-so ()
  (let ((dir (make-temp-file "selfmoa-not-git-" t)))
    (selfmoa-test-with-lsp-sample-in dir nil
      (selfmoa-test-lsp-forget-changes-review)
      (let ((messages (selfmoa-test-capturing-messages
                        (selfmoa-review-changes)
                        (selfmoa-test-wait "the error of the review of changes"
                                           (lambda () (null selfmoa--pending))))))
        (should (cl-some (lambda (m) (string-match-p "\\`Self-MoA: review changes failed: .*not a git repository"
                                                     m))
                         messages)))
      (should-not (selfmoa-test-review-changes-text)))))

(provide 'selfmoa-lsp-mode-test)
;;; selfmoa-lsp-mode-test.el ends here
