;;; selfmoa-test-support.el --- Shared support of the selfmoa ERT tests  -*- lexical-binding: t; -*-

;;; Commentary:

;; Paths, the expectations shared with the Neovim tests, the stand-in backend, waiting with
;; timeouts, and running a README snippet as a new user would paste it.

;;; Code:

(require 'cl-lib)
(require 'json)
(require 'package)
(require 'subr-x)

;; `emacs -Q' leaves out Debian's site-lisp, where elpa-eglot and elpa-lsp-mode live.
(dolist (dir '("/usr/share/emacs/site-lisp/elpa" "/usr/local/share/emacs/site-lisp/elpa"))
  (when (file-directory-p dir)
    (add-to-list 'package-directory-list dir)))
(package-initialize)

(defconst selfmoa-test-dir
  (file-name-directory (or load-file-name buffer-file-name))
  "Directory of the tests.")

(defconst selfmoa-test-emacs-dir
  (file-name-directory (directory-file-name selfmoa-test-dir))
  "editors/emacs/.")

(defconst selfmoa-test-fixtures
  (expand-file-name "../tests/fixtures/" selfmoa-test-emacs-dir)
  "editors/tests/fixtures/.")

(defconst selfmoa-test-expect
  (let ((json-object-type 'plist) (json-array-type 'list))
    (json-read-file (expand-file-name "expect.json" selfmoa-test-fixtures)))
  "What the tests expect from the stand-in backend.")

(defun selfmoa-test-expect (key)
  "The expectation KEY (a keyword)."
  (plist-get selfmoa-test-expect key))

(defvar selfmoa-test-timeout 60
  "Seconds a test waits for the server.")

(defun selfmoa-test-wait (what condition &optional timeout)
  "Wait until CONDITION returns non-nil, processing input; return its value.
Fail the test with WHAT after TIMEOUT seconds (default `selfmoa-test-timeout')."
  (let ((deadline (+ (float-time) (or timeout selfmoa-test-timeout)))
        (value nil))
    (while (and (not (setq value (funcall condition)))
                (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or value (error "Timed out after %ss waiting for %s" (or timeout selfmoa-test-timeout) what))))

(defun selfmoa-test-server-binary ()
  "The selfmoa-lsp binary under test (env SELFMOA_LSP)."
  (let ((path (getenv "SELFMOA_LSP")))
    (unless (and path (not (string-empty-p path)))
      (error "Set SELFMOA_LSP to the selfmoa-lsp binary"))
    path))

(defvar selfmoa-test-backend-process nil)
(defvar selfmoa-test-backend-url nil)

(defun selfmoa-test-backend-url ()
  "URL of the backend: SELFMOA_BACKEND_URL, or a stand-in started once (SELFMOA_STANDIN)."
  (or selfmoa-test-backend-url
      (setq selfmoa-test-backend-url
            (let ((given (getenv "SELFMOA_BACKEND_URL")))
              (if (and given (not (string-empty-p given)))
                  given
                (selfmoa-test--start-standin))))))

(defun selfmoa-test--start-standin ()
  "Start the stand-in backend and return its URL."
  (let* ((standin (or (getenv "SELFMOA_STANDIN") (error "Set SELFMOA_STANDIN")))
         (rules (or (getenv "SELFMOA_STANDIN_RULES")
                    (expand-file-name "standin-rules.json" selfmoa-test-fixtures)))
         (output "")
         (process (make-process
                   :name "selfmoa-standin"
                   :command (list standin "--port" "0" "--rules" rules)
                   :connection-type 'pipe
                   :noquery t
                   :stderr (get-buffer-create " *selfmoa-standin stderr*")
                   :filter (lambda (_proc chunk) (setq output (concat output chunk))))))
    (setq selfmoa-test-backend-process process)
    (add-hook 'kill-emacs-hook #'selfmoa-test-stop-backend)
    (selfmoa-test-wait "the stand-in's PORT line"
                       (lambda () (string-match "PORT \\([0-9]+\\)" output))
                       15)
    (format "http://127.0.0.1:%s" (match-string 1 output))))

(defun selfmoa-test-stop-backend ()
  "Stop the stand-in backend."
  (when (process-live-p selfmoa-test-backend-process)
    (ignore-errors (process-send-eof selfmoa-test-backend-process))
    (delete-process selfmoa-test-backend-process)))

(defun selfmoa-test-readme-snippet (name)
  "The elisp block after `<!-- snippet: NAME -->' in README.md."
  (with-temp-buffer
    (insert-file-contents (expand-file-name "README.md" selfmoa-test-emacs-dir))
    (goto-char (point-min))
    (unless (re-search-forward (format "<!-- snippet: %s -->\\s-*```elisp\n" (regexp-quote name))
                               nil t)
      (error "README.md has no snippet %s" name))
    (let ((start (point)))
      (re-search-forward "^```")
      (buffer-substring-no-properties start (match-beginning 0)))))

(defun selfmoa-test-run-snippet (name)
  "Evaluate README snippet NAME with the repository's paths put in."
  (let ((text (selfmoa-test-readme-snippet name)))
    (dolist (pair `(("~/src/selfmoa-lsp/.build/debug/selfmoa-lsp" . ,(selfmoa-test-server-binary))
                    ("~/src/selfmoa-lsp/editors/emacs"
                     . ,(directory-file-name selfmoa-test-emacs-dir))))
      (unless (string-search (car pair) text)
        (error "README snippet %s no longer names %s" name (car pair)))
      (setq text (string-replace (car pair) (cdr pair) text)))
    (with-temp-buffer
      (insert text)
      (goto-char (point-min))
      (condition-case nil
          (while t (eval (read (current-buffer)) t))
        (end-of-file nil)))))

(defvar selfmoa-test-log-file (make-temp-file "selfmoa-lsp-" nil ".log")
  "Where the server under test logs.")

(defvar selfmoa-test-work-dir (make-temp-file "selfmoa-test-" t)
  "Directory holding the copies of the sample file.")

(defvar selfmoa-test--counter 0)

(defun selfmoa-test-sample-file ()
  "A fresh copy of the sample file."
  (let ((path (expand-file-name (format "sample%d.py" (cl-incf selfmoa-test--counter))
                                selfmoa-test-work-dir)))
    (copy-file (expand-file-name "sample.py" selfmoa-test-fixtures) path t)
    path))

(defun selfmoa-test-goto-line (line &optional column)
  "Go to 0-based LINE and COLUMN."
  (goto-char (point-min))
  (forward-line line)
  (forward-char (or column 0)))

(defun selfmoa-test-show-log ()
  "Print the end of the server's log."
  (when (file-exists-p selfmoa-test-log-file)
    (with-temp-buffer
      (insert-file-contents selfmoa-test-log-file)
      (goto-char (point-max))
      (forward-line -40)
      (message "--- selfmoa-lsp log (last 40 lines): %s\n%s" selfmoa-test-log-file
               (buffer-substring (point) (point-max))))))

(defun selfmoa-test-summary-and-exit ()
  "Run the ERT tests, print `N passed, N failed' and exit non-zero on a failure."
  (let* ((stats (ert-run-tests-batch t))
         (failed (+ (ert-stats-completed-unexpected stats)))
         (passed (ert-stats-completed-expected stats))
         (skipped (ert-stats-skipped stats)))
    (when (> failed 0) (selfmoa-test-show-log))
    (selfmoa-test-stop-backend)
    (princ (format "%d passed, %d failed%s\n" passed failed
                   (if (> skipped 0) (format ", %d skipped" skipped) "")))
    (kill-emacs (if (> failed 0) 1 0))))

(provide 'selfmoa-test-support)
;;; selfmoa-test-support.el ends here
