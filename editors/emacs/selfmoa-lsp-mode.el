;;; selfmoa-lsp-mode.el --- selfmoa-lsp as an lsp-mode add-on client  -*- lexical-binding: t; -*-

;; Copyright (C) 2025 The selfmoa-lsp authors

;; Author: The selfmoa-lsp authors
;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (lsp-mode "8.0.0"))
;; Keywords: tools, languages, convenience

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Registers selfmoa-lsp with lsp-mode as an *add-on* client (server id `selfmoa'): lsp-mode
;; starts it beside the language's own server in every buffer it manages, where Eglot would
;; run only one server per buffer.
;;
;;   (with-eval-after-load 'lsp-mode
;;     (require 'selfmoa-lsp-mode)
;;     (setq selfmoa-program "/path/to/selfmoa-lsp"))
;;
;; The commands of selfmoa.el (`selfmoa-explain', `selfmoa-ask', `selfmoa-review',
;; `selfmoa-complete', `selfmoa-review-changes', `selfmoa-cancel') reach the add-on in
;; lsp-mode buffers; `selfmoa-review-changes' reviews the git change of the add-on's workspace
;; root (from any buffer under it).  Review findings are diagnostics (Flycheck or Flymake, as
;; lsp-mode is set up), their fixes and the "Self-MoA: …" actions are in
;; `lsp-execute-code-action' (the ask action reads its question from the minibuffer),
;; explanations and answers stream into *selfmoa*, and the progress of the requests shows in
;; the mode line (selfmoa.el's segment, see `selfmoa-mode-line'; the progress of the other
;; servers stays with `lsp-progress-function').

;;; Code:

(require 'cl-lib)
(require 'lsp-mode)
(require 'selfmoa)

(defcustom selfmoa-lsp-mode-major-modes nil
  "Major modes where lsp-mode starts selfmoa-lsp; nil means every `prog-mode'."
  :type '(repeat symbol)
  :group 'selfmoa)

(defun selfmoa-lsp-mode--activate-p (_file-name mode)
  "Whether selfmoa-lsp serves a buffer in major MODE."
  (if selfmoa-lsp-mode-major-modes
      (memq mode selfmoa-lsp-mode-major-modes)
    (provided-mode-derived-p mode 'prog-mode)))

(defun selfmoa-lsp-mode--plist (value)
  "VALUE as lsp-mode reads JSON, turned into plists with keyword keys.
lsp-mode reads objects into hash tables unless `lsp-use-plists'."
  (cond ((hash-table-p value)
         (let (plist)
           (maphash (lambda (key val)
                      (setq plist (plist-put plist (intern (concat ":" key))
                                             (selfmoa-lsp-mode--plist val))))
                    value)
           plist))
        ((and (consp value) (keywordp (car value)))
         (cl-loop for (key val) on value by #'cddr
                  append (list key (selfmoa-lsp-mode--plist val))))
        ((vectorp value) (vconcat (mapcar #'selfmoa-lsp-mode--plist value)))
        (t value)))

(defun selfmoa-lsp-mode--workspace ()
  "The selfmoa workspace of the current buffer, or nil."
  (when (bound-and-true-p lsp-mode)
    (cl-find-if (lambda (workspace)
                  (eq (lsp--client-server-id (lsp--workspace-client workspace)) 'selfmoa))
                (lsp-workspaces))))

(defvar selfmoa-lsp-mode--token-counter 0)

(defun selfmoa-lsp-mode--request (workspace kind argument entry on-result on-error)
  "Send `selfmoa.KIND' with ARGUMENT to WORKSPACE only.
ENTRY, ON-RESULT and ON-ERROR are as in `selfmoa-transport-functions'."
  (let ((cancel-token (intern (format "selfmoa-%d"
                                      (cl-incf selfmoa-lsp-mode--token-counter))))
        (token (selfmoa--work-done-token)))
    (with-lsp-workspace workspace
      (lsp-request-async
       "workspace/executeCommand"
       (list :command (selfmoa--command-name kind) :arguments (vector argument)
             :workDoneToken token)
       (lambda (result) (funcall on-result (selfmoa-lsp-mode--plist result)))
       :mode 'detached
       :error-handler (lambda (error) (funcall on-error (selfmoa-lsp-mode--plist error)))
       :cancel-token cancel-token))
    (plist-put entry :server workspace)
    (plist-put entry :uri (plist-get (plist-get (selfmoa-lsp-mode--plist argument) :textDocument)
                                     :uri))
    (plist-put entry :token token)
    (plist-put entry :cancel (lambda () (lsp-cancel-request-by-token cancel-token)))
    t))

(defun selfmoa-lsp-mode--transport (kind beg end entry on-result on-error)
  "Send KIND for BEG..END to the add-on, when it serves the current buffer.
ENTRY, ON-RESULT and ON-ERROR are as in `selfmoa-transport-functions'."
  (when-let ((workspace (selfmoa-lsp-mode--workspace)))
    (selfmoa-lsp-mode--request
     workspace kind
     (selfmoa--argument entry (lsp--versioned-text-document-identifier)
                        (when (and beg end)
                          `(:start ,(lsp--point-to-position beg)
                            :end ,(lsp--point-to-position end))))
     entry on-result on-error)))

(defun selfmoa-lsp-mode--project-workspace ()
  "The add-on's workspace of the current buffer or directory, or nil.
That of the current buffer, else the one whose root holds
`default-directory' (the deepest)."
  (or (selfmoa-lsp-mode--workspace)
      (let ((directory (expand-file-name default-directory)))
        (car (sort (cl-remove-if-not
                    (lambda (workspace)
                      (and (eq (lsp--client-server-id (lsp--workspace-client workspace)) 'selfmoa)
                           (file-in-directory-p directory (lsp--workspace-root workspace))))
                    (lsp--session-workspaces (lsp-session)))
                   (lambda (a b) (> (length (lsp--workspace-root a))
                                    (length (lsp--workspace-root b)))))))))

(defun selfmoa-lsp-mode--workspace-function ()
  "The add-on's workspace, as `selfmoa-workspace-functions' wants it, or nil."
  (when-let ((workspace (selfmoa-lsp-mode--project-workspace)))
    (list :root (file-name-as-directory (lsp--workspace-root workspace))
          :send (lambda (kind argument entry on-result on-error)
                  (selfmoa-lsp-mode--request workspace kind argument entry
                                             on-result on-error)))))

(defun selfmoa-lsp-mode--on-result (workspace params)
  "Handle a `selfmoa/result' notification with PARAMS from WORKSPACE."
  (selfmoa-handle-result workspace (selfmoa-lsp-mode--plist params)))

(defun selfmoa-lsp-mode--on-progress (workspace params)
  "Handle `$/progress' with PARAMS from WORKSPACE.
The progress of our requests shows in selfmoa.el's mode-line segment;
any other goes to `lsp-progress-function', as lsp-mode does."
  (let ((progress (selfmoa-lsp-mode--plist params)))
    (unless (selfmoa-handle-progress (plist-get progress :token) (plist-get progress :value))
      (funcall lsp-progress-function workspace params))))

(defun selfmoa-lsp-mode--action-handler (command)
  "Run COMMAND, the command of a \"Self-MoA: …\" code action, as the commands do.
The ask action comes without a question: it is read from the minibuffer."
  (let* ((command (selfmoa-lsp-mode--plist command))
         (kind (selfmoa--command-kind (plist-get command :command)))
         (arguments (plist-get command :arguments))
         (argument (and (> (length arguments) 0) (elt arguments 0)))
         (workspace (selfmoa-lsp-mode--workspace)))
    (unless (and kind argument workspace)
      (user-error "Self-MoA: cannot run %S here" (plist-get command :command)))
    (selfmoa--track kind (lambda (entry on-result on-error)
                           (selfmoa-lsp-mode--request workspace kind
                                                      (selfmoa--with-question argument entry)
                                                      entry on-result on-error))
                    (selfmoa--code-action-question kind argument))))

(defun selfmoa-lsp-mode--initialization-options ()
  "The server's `initializationOptions' (`selfmoa-initialization-options')."
  (or selfmoa-initialization-options (make-hash-table)))

(defun selfmoa-lsp-mode--command ()
  "The command line of selfmoa-lsp."
  (cons selfmoa-program selfmoa-program-args))

(defun selfmoa-lsp-mode--connection ()
  "`lsp-stdio-connection' for selfmoa-lsp, its process named \"selfmoa-lsp\".
lsp-mode names the process after the server id, and its buffer
\"*selfmoa*\" would be the result buffer of selfmoa.el."
  (let ((connection (lsp-stdio-connection #'selfmoa-lsp-mode--command)))
    (plist-put connection :connect
               (let ((connect (plist-get connection :connect)))
                 (lambda (filter sentinel _name environment-fn)
                   (funcall connect filter sentinel "selfmoa-lsp" environment-fn))))))

(let ((notification-handlers (make-hash-table :test #'equal))
      (action-handlers (make-hash-table :test #'equal)))
  (puthash "selfmoa/result" #'selfmoa-lsp-mode--on-result notification-handlers)
  (puthash "$/progress" #'selfmoa-lsp-mode--on-progress notification-handlers)
  (dolist (kind '("explain" "ask" "review" "complete"))
    (puthash (concat "selfmoa." kind) #'selfmoa-lsp-mode--action-handler action-handlers))
  (lsp-register-client
   (make-lsp-client
    :new-connection (selfmoa-lsp-mode--connection)
    :activation-fn #'selfmoa-lsp-mode--activate-p
    :add-on? t
    :priority -1
    :server-id 'selfmoa
    :initialization-options #'selfmoa-lsp-mode--initialization-options
    :custom-capabilities '((experimental . ((selfmoa . ((results . t) (ask . t))))))
    :notification-handlers notification-handlers
    :action-handlers action-handlers)))

(add-hook 'selfmoa-transport-functions #'selfmoa-lsp-mode--transport)
(add-hook 'selfmoa-workspace-functions #'selfmoa-lsp-mode--workspace-function)

(provide 'selfmoa-lsp-mode)
;;; selfmoa-lsp-mode.el ends here
