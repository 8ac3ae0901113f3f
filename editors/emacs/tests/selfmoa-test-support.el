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

(defvar selfmoa-test-backend-processes nil
  "The stand-in backends started.")
(defvar selfmoa-test-backend-url nil)
(defvar selfmoa-test-slow-backend-url nil)

(defun selfmoa-test-backend-url ()
  "URL of the backend: SELFMOA_BACKEND_URL, or a stand-in started once (SELFMOA_STANDIN)."
  (or selfmoa-test-backend-url
      (setq selfmoa-test-backend-url
            (let ((given (getenv "SELFMOA_BACKEND_URL")))
              (if (and given (not (string-empty-p given)))
                  given
                (selfmoa-test--start-standin))))))

(defconst selfmoa-test-slow-token-delay-ms 80
  "Pause of the slow stand-in between streamed pieces (words).
The explanation is about 25 words: its draft and its synthesis then
stream for about two seconds each.")

(defun selfmoa-test-slow-backend-url ()
  "URL of a stand-in with the same rules that streams slowly, started once.
Streaming tests watch a result being written with it."
  (or selfmoa-test-slow-backend-url
      (setq selfmoa-test-slow-backend-url
            (selfmoa-test--start-standin
             "--token-delay-ms" (number-to-string selfmoa-test-slow-token-delay-ms)))))

(defun selfmoa-test--start-standin (&rest arguments)
  "Start a stand-in backend with extra command-line ARGUMENTS; return its URL.
`--token-delay-ms' among them overrides the rules file's `tokenDelayMs'."
  (let* ((standin (or (getenv "SELFMOA_STANDIN") (error "Set SELFMOA_STANDIN")))
         (rules (or (getenv "SELFMOA_STANDIN_RULES")
                    (expand-file-name "standin-rules.json" selfmoa-test-fixtures)))
         (output "")
         (process (make-process
                   :name "selfmoa-standin"
                   :command (append (list standin "--port" "0" "--rules" rules) arguments)
                   :connection-type 'pipe
                   :noquery t
                   :stderr (get-buffer-create " *selfmoa-standin stderr*")
                   :filter (lambda (_proc chunk) (setq output (concat output chunk))))))
    (push process selfmoa-test-backend-processes)
    (add-hook 'kill-emacs-hook #'selfmoa-test-stop-backend)
    (selfmoa-test-wait "the stand-in's PORT line"
                       (lambda () (string-match "PORT \\([0-9]+\\)" output))
                       15)
    (format "http://127.0.0.1:%s" (match-string 1 output))))

(defun selfmoa-test-stop-backend ()
  "Stop the stand-in backends."
  (dolist (process selfmoa-test-backend-processes)
    (when (process-live-p process)
      (ignore-errors (process-send-eof process))
      (delete-process process)))
  (setq selfmoa-test-backend-processes nil))

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

(defvar selfmoa-test-slow-work-dir (make-temp-file "selfmoa-test-slow-" t)
  "Directory of the sample files served through the slow stand-in.
Another directory is another project, so another server.")

(defvar selfmoa-test--counter 0)

(defun selfmoa-test-sample-file (&optional dir)
  "A fresh copy of the sample file, in DIR (default `selfmoa-test-work-dir')."
  (let ((path (expand-file-name (format "sample%d.py" (cl-incf selfmoa-test--counter))
                                (or dir selfmoa-test-work-dir))))
    (copy-file (expand-file-name "sample.py" selfmoa-test-fixtures) path t)
    path))

(defun selfmoa-test-goto-line (line &optional column)
  "Go to 0-based LINE and COLUMN."
  (goto-char (point-min))
  (forward-line line)
  (forward-char (or column 0)))

(defun selfmoa-test-result-text ()
  "Contents of the result buffer, or nil."
  (when-let ((buffer (get-buffer selfmoa-result-buffer-name)))
    (with-current-buffer buffer (buffer-substring-no-properties (point-min) (point-max)))))

;;;; A git repository with a change

(defun selfmoa-test-git (dir &rest arguments)
  "Run git with ARGUMENTS in DIR, as a test user; fail the test on an error."
  (let ((default-directory (file-name-as-directory dir)))
    (with-temp-buffer
      (let ((status (apply #'process-file "git" nil t nil
                           "-c" "user.name=Selfmoa Test" "-c" "user.email=test@selfmoa.invalid"
                           "-c" "init.defaultBranch=main" "-c" "commit.gpgsign=false"
                           arguments)))
        (unless (eql status 0)
          (error "git %s failed (%s): %s" (string-join arguments " ") status (buffer-string)))
        (buffer-string)))))

(defun selfmoa-test-git-repository ()
  "A fresh git repository whose one commit holds the sample file as sample.py.
Return its directory (a directory name)."
  (let ((dir (file-name-as-directory (file-truename (make-temp-file "selfmoa-git-" t)))))
    (copy-file (expand-file-name "sample.py" selfmoa-test-fixtures)
               (expand-file-name "sample.py" dir))
    (selfmoa-test-git dir "init" "--quiet")
    (selfmoa-test-git dir "add" "sample.py")
    (selfmoa-test-git dir "commit" "--quiet" "-m" "The sample")
    dir))

(defconst selfmoa-test-changed-line 5
  "The line (1-based) of sample.py that the tests of reviews of changes change.
The stand-in's review finds an error on it, and only the findings on
changed lines are kept.")

(defun selfmoa-test-change-and-save ()
  "Change line `selfmoa-test-changed-line' of the current buffer and save it."
  (selfmoa-test-goto-line (1- selfmoa-test-changed-line))
  (end-of-line)
  (insert "  # the mean")
  (save-buffer))

(defun selfmoa-test-review-changes-text ()
  "Contents of the buffer of `selfmoa-review-changes', or nil."
  (when-let ((buffer (get-buffer selfmoa-review-changes-buffer-name)))
    (with-current-buffer buffer (buffer-substring-no-properties (point-min) (point-max)))))

(defmacro selfmoa-test-capturing-messages (&rest body)
  "Run BODY; return the messages shown meanwhile, oldest first."
  (declare (indent 0))
  `(let* ((messages nil)
          (spy (lambda (format &rest args)
                 (when format (push (apply #'format-message format args) messages)))))
     (advice-add 'message :before spy)
     (unwind-protect (progn ,@body)
       (advice-remove 'message spy))
     (nreverse messages)))

(defun selfmoa-test-check-changes-review (file)
  "Check the buffer of `selfmoa-review-changes' after a review of FILE's change.
FILE is sample.py, changed on `selfmoa-test-changed-line'.  Then
`next-error' from FILE's buffer visits that line."
  (let ((buffer (get-buffer selfmoa-review-changes-buffer-name))
        (line (format "sample.py:%d: error: " selfmoa-test-changed-line)))
    (should buffer)
    (with-current-buffer buffer
      (should (derived-mode-p 'compilation-mode))
      (should (equal (file-name-as-directory default-directory)
                     (file-name-directory file)))
      (goto-char (point-min))
      (should (re-search-forward (concat "^" (regexp-quote line) ".*"
                                         (regexp-quote (selfmoa-test-expect :review_contains)))
                                 nil t))
      (should (string-match-p "1 function reviewed, 1 finding, 0 skipped" header-line-format))
      (should (string-match-p "the working tree" header-line-format)))
    ;; Shown, not selected.
    (should (get-buffer-window buffer))
    (should-not (eq (window-buffer (selected-window)) buffer))
    ;; `next-error' visits the finding.
    (with-current-buffer (find-buffer-visiting file)
      (goto-char (point-min))
      (next-error))
    (should (eq (current-buffer) (find-buffer-visiting file)))
    (should (= (line-number-at-pos) selfmoa-test-changed-line))))

(defun selfmoa-test-check-changes-review-again ()
  "Check that `g' in the buffer of `selfmoa-review-changes' reviews again."
  (let ((buffer (get-buffer selfmoa-review-changes-buffer-name)))
    (with-current-buffer buffer
      (should (eq (key-binding "g") #'revert-buffer))
      (let ((inhibit-read-only t))
        (erase-buffer))
      (revert-buffer))
    (should (= 1 (length selfmoa--pending)))
    (selfmoa-test-wait "the review again" (lambda () (null selfmoa--pending)))
    (should (string-search (format "sample.py:%d: error: " selfmoa-test-changed-line)
                           (selfmoa-test-review-changes-text)))))

;;;; Watching a result stream in

(defun selfmoa-test-mode-line-text (construct &optional depth)
  "The text of the mode-line CONSTRUCT, as redisplay would show it, roughly.
`format-mode-line' gives \"\" in batch Emacs; this walks the construct
in the current buffer instead (%-constructs are left as they are)."
  (let ((depth (or depth 0)))
    (cond
     ((> depth 40) "")
     ((stringp construct) construct)
     ((symbolp construct)
      (if (and construct (boundp construct))
          (selfmoa-test-mode-line-text (symbol-value construct) (1+ depth))
        ""))
     ((consp construct)
      (let ((head (car construct)))
        (cond
         ((eq head :eval)
          (selfmoa-test-mode-line-text (ignore-errors (eval (cadr construct) t)) (1+ depth)))
         ((eq head :propertize) (selfmoa-test-mode-line-text (cadr construct) (1+ depth)))
         ((integerp head) (selfmoa-test-mode-line-text (cdr construct) (1+ depth)))
         ((and (symbolp head) head (not (keywordp head)))
          (selfmoa-test-mode-line-text
           (if (and (boundp head) (symbol-value head)) (cadr construct) (caddr construct))
           (1+ depth)))
         (t (mapconcat (lambda (c) (selfmoa-test-mode-line-text c (1+ depth)))
                       (if (proper-list-p construct) construct (list (car construct)))
                       "")))))
     (t ""))))

(defun selfmoa-test-mode-line (buffer)
  "The mode line of BUFFER, as `selfmoa-test-mode-line-text' reads it."
  (with-current-buffer buffer
    (selfmoa-test-mode-line-text mode-line-format)))

(defvar selfmoa-test-snapshots nil
  "What the user saw while a request ran, newest first (see `selfmoa-test-snapshot').")

(defun selfmoa-test-snapshot (source)
  "Note what the user sees now, when it differs from the last note.
SOURCE is the user's buffer.  A note is a plist: :buffer (the result
buffer), :text and :header (its text and header line), :windows (the
windows showing it), :mode-line (SOURCE's mode line), :selected (the
selected window's buffer) and :point (point in SOURCE)."
  (let* ((buffer (get-buffer selfmoa-result-buffer-name))
         (snapshot
          (list :buffer buffer
                :text (and buffer (with-current-buffer buffer
                                    (buffer-substring-no-properties (point-min) (point-max))))
                :header (and buffer (buffer-local-value 'header-line-format buffer))
                :windows (and buffer (length (get-buffer-window-list buffer nil t)))
                :mode-line (selfmoa-test-mode-line source)
                :selected (window-buffer (selected-window))
                :point (with-current-buffer source (point)))))
    (unless (equal snapshot (car selfmoa-test-snapshots))
      (push snapshot selfmoa-test-snapshots))))

(defun selfmoa-test-run-watched (source send)
  "Call SEND, then note what the user sees until no request is in flight.
SOURCE is the user's buffer.  Return the notes, oldest first."
  (setq selfmoa-test-snapshots nil)
  (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
  (selfmoa-test-snapshot source)
  (funcall send)
  (selfmoa-test-wait "the streamed result"
                     (lambda ()
                       (selfmoa-test-snapshot source)
                       (null selfmoa--pending)))
  ;; The result buffer settles: nothing comes after the response.
  (let ((deadline (+ (float-time) 0.5)))
    (while (< (float-time) deadline)
      (accept-process-output nil 0.05)
      (selfmoa-test-snapshot source)))
  (reverse selfmoa-test-snapshots))

(defun selfmoa-test-check-stream (snapshots source expected)
  "Check SNAPSHOTS of a streamed explanation of SOURCE containing EXPECTED.
The draft shows, labelled, before the final answer; every update is
in the same buffer and window; the user's buffer, window and point
stay as they were; the mode line shows the progress, then clears."
  (let* ((shown (cl-remove-if-not (lambda (s) (plist-get s :buffer)) snapshots))
         (buffer (plist-get (car shown) :buffer))
         (draft-label "draft · 1 of 2 samples")
         (final-label "Self-MoA · 2 samples")
         (position (lambda (predicate) (cl-position-if predicate shown)))
         (first-draft (funcall position (lambda (s) (string-search draft-label
                                                                   (plist-get s :header)))))
         (first-final (funcall position (lambda (s) (string-search "_Self-MoA · 2 samples"
                                                                   (plist-get s :text)))))
         (drafts (delete-dups (mapcar (lambda (s) (plist-get s :text))
                                      (cl-remove-if-not
                                       (lambda (s) (string-search draft-label (plist-get s :header)))
                                       shown))))
         (last (car (last snapshots)))
         (first (car snapshots)))
    (should buffer)
    ;; The draft streams in, labelled, before the final answer replaces it.
    (should first-draft)
    (should first-final)
    (should (< first-draft first-final))
    (should (>= (length drafts) 2))
    (should (string-search " …" (plist-get (nth first-draft shown) :header)))
    ;; One buffer, updated in place, in at most one window.
    (dolist (s shown)
      (should (eq (plist-get s :buffer) buffer))
      (should (<= (plist-get s :windows) 1)))
    (should (buffer-live-p buffer))
    ;; The final text and label.
    (should (string-search expected (plist-get last :text)))
    (should (string-search "\n---\n_Self-MoA · 2 samples" (plist-get last :text)))
    (should (string-search final-label (plist-get last :header)))
    (should-not (string-search "draft" (plist-get last :header)))
    (should-not (string-search "…" (plist-get last :header)))
    ;; The user's window, buffer and point are untouched.
    (dolist (s snapshots)
      (should (eq (plist-get s :selected) source))
      (should (= (plist-get s :point) (plist-get first :point))))
    ;; The mode line showed the progress while it ran (`$/progress', then the phases of the
    ;; partial results), and no longer does.
    (should (cl-some (lambda (s) (string-match-p "Self-MoA explain: draft… · proposal [12]/2 done"
                                                 (plist-get s :mode-line)))
                     snapshots))
    (should (cl-some (lambda (s) (string-search "Self-MoA explain: answer…" (plist-get s :mode-line)))
                     snapshots))
    (should-not (string-search "Self-MoA explain" (plist-get last :mode-line)))))

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
