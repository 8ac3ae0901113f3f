;;; compile-test.el --- selfmoa.el and selfmoa-lsp-mode.el byte-compile without warnings  -*- lexical-binding: t; -*-

;;; Commentary:

;; emacs -Q --batch -l editors/emacs/tests/compile-test.el
;; Compiles each file in a fresh directory with warnings as errors; prints `N passed, N failed'.

;;; Code:

(require 'package)
(dolist (dir '("/usr/share/emacs/site-lisp/elpa" "/usr/local/share/emacs/site-lisp/elpa"))
  (when (file-directory-p dir) (add-to-list 'package-directory-list dir)))
(package-initialize)

(let* ((source (expand-file-name ".." (file-name-directory load-file-name)))
       (build (make-temp-file "selfmoa-compile-" t))
       (passed 0) (failed 0))
  (dolist (file '("selfmoa.el" "selfmoa-lsp-mode.el"))
    (copy-file (expand-file-name file source) (expand-file-name file build) t))
  (add-to-list 'load-path build)
  (setq byte-compile-error-on-warn t)
  (dolist (file '("selfmoa.el" "selfmoa-lsp-mode.el"))
    (let ((feature (intern (file-name-sans-extension file))))
      (cond
       ((and (eq feature 'selfmoa-lsp-mode) (not (locate-library "lsp-mode")))
        (message "skipped %s: lsp-mode is not installed" file))
       ((condition-case err
            (byte-compile-file (expand-file-name file build))
          (error (message "%s: %S" file err) nil))
        (setq passed (1+ passed))
        (message "ok - %s byte-compiles without warnings" file))
       (t (setq failed (1+ failed))
          (message "not ok - %s does not byte-compile cleanly" file)))))
  (princ (format "%d passed, %d failed\n" passed failed))
  (kill-emacs (if (> failed 0) 1 0)))

;;; compile-test.el ends here
