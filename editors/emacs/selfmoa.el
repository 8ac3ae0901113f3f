;;; selfmoa.el --- Explain, review and complete code with Self-MoA via Eglot  -*- lexical-binding: t; -*-

;; Copyright (C) 2025 The selfmoa-lsp authors

;; Author: The selfmoa-lsp authors
;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9") (jsonrpc "1.0.14"))
;; Keywords: tools, languages, convenience

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Eglot integration of selfmoa-lsp, a language server that explains, reviews and completes
;; code with Self-MoA: it samples several answers from one coding model and has the same model
;; synthesise one better answer from them.
;;
;; Setup (see README.md beside this file):
;;
;;   (require 'selfmoa)
;;   (setq selfmoa-program "/path/to/selfmoa-lsp")
;;   (selfmoa-eglot-setup '(python-mode python-ts-mode))
;;   (add-hook 'python-mode-hook #'eglot-ensure)
;;
;; Then, in a managed buffer:
;;
;;   M-x selfmoa-explain   explain the region (or the function at point) in *selfmoa*
;;   M-x selfmoa-review    review the region (or the whole buffer): findings are Flymake
;;                         diagnostics, with quick fixes through `eglot-code-actions'
;;   M-x selfmoa-complete  implement the region, or complete at point
;;   M-x selfmoa-cancel    cancel the requests in flight
;;
;; Eglot runs one server per buffer, so buffers managed by selfmoa-lsp this way do not also get
;; the language's own server.  To run selfmoa-lsp beside it, use lsp-mode and
;; selfmoa-lsp-mode.el, an add-on client.

;;; Code:

(require 'cl-lib)
(require 'eglot nil t)
(require 'jsonrpc)
(require 'seq)
(require 'subr-x)

(defgroup selfmoa nil
  "Self-MoA code assistant through the selfmoa-lsp language server."
  :group 'tools
  :prefix "selfmoa-")

(defcustom selfmoa-program "selfmoa-lsp"
  "The selfmoa-lsp executable: a name on `exec-path' or a full path."
  :type 'string)

(defcustom selfmoa-program-args nil
  "Extra arguments for `selfmoa-program', e.g. (\"--log-file\" \"/tmp/selfmoa.log\")."
  :type '(repeat string))

(defcustom selfmoa-initialization-options nil
  "The server's `initializationOptions', as a plist.
For example:
  (:backend (:url \"http://127.0.0.1:8080\" :model \"qwen2.5-coder-7b\"
             :apiKeyEnv \"MY_API_KEY\")
   :explain (:samples 4))
nil leaves every option at the server's default (its managed embedded model)."
  :type '(plist))

(defcustom selfmoa-eglot-modes
  '(python-mode python-ts-mode js-mode js-ts-mode typescript-ts-mode c-mode c-ts-mode
    c++-mode c++-ts-mode go-mode go-ts-mode rust-mode rust-ts-mode java-mode java-ts-mode
    sh-mode bash-ts-mode ruby-mode ruby-ts-mode)
  "Major modes `selfmoa-eglot-setup' hands to selfmoa-lsp by default."
  :type '(repeat symbol))

(defcustom selfmoa-request-timeout 900
  "Seconds to wait for an answer before giving up on it."
  :type 'integer)

(defcustom selfmoa-confirm-edits nil
  "Value of `eglot-confirm-server-initiated-edits' for completions.
nil applies a completion as soon as it arrives; `confirm' asks first."
  :type '(choice (const :tag "Apply at once" nil) (const :tag "Ask first" confirm)))

(defcustom selfmoa-result-buffer-name "*selfmoa*"
  "Name of the buffer that shows explanations and reviews."
  :type 'string)

;;;; Requests in flight

(defvar selfmoa-transport-functions (list #'selfmoa--eglot-transport)
  "Functions that send a selfmoa-lsp command for the current buffer.
Each is called with (KIND BEG END ENTRY ON-RESULT ON-ERROR): KIND is
\"explain\", \"review\" or \"complete\"; BEG and END delimit the range,
both nil for the whole document; ENTRY is a plist to complete with
:server, :uri and :cancel (a function of no argument that cancels the
request); ON-RESULT and ON-ERROR take the response's result or error.
A function returns nil when it does not serve the current buffer.
The first that returns non-nil sends the request.")

(defvar selfmoa--pending nil
  "Requests in flight: plists (:kind :buffer :server :uri :cancel :notified).")

(defvar selfmoa--cancelled nil
  "Recently cancelled requests, whose late `selfmoa/result' is dropped.")

(defun selfmoa--forget (entry)
  "Remove ENTRY from `selfmoa--pending'; non-nil if it was there."
  (when (memq entry selfmoa--pending)
    (setq selfmoa--pending (delq entry selfmoa--pending))
    t))

(defun selfmoa--summary (kind result)
  "One line saying how the KIND request ended with RESULT."
  (pcase kind
    ("review" (let ((n (length (plist-get result :findings))))
                (format "review done, %d finding%s" n (if (= n 1) "" "s"))))
    ("complete" (if (eq (plist-get result :applied) t)
                    (let ((statements (plist-get (plist-get result :imports) :statements)))
                      (if (> (length statements) 0)
                          (concat "completion applied, with "
                                  (mapconcat #'identity statements "; "))
                        "completion applied"))
                  (concat "completion not applied"
                          (when-let ((reason (plist-get result :reason)))
                            (concat ": " reason)))))
    (_ (concat kind " done"))))

(defun selfmoa--on-result (entry result)
  "Report RESULT, the answer to the request ENTRY."
  (when (selfmoa--forget entry)
    (let ((kind (plist-get entry :kind))
          (markdown (plist-get result :markdown))
          (code (plist-get result :code)))
      (message "Self-MoA: %s" (selfmoa--summary kind result))
      (when (and (equal kind "complete") (not (eq (plist-get result :applied) t))
                 (stringp code))
        (setq markdown (concat "```\n" code "\n```")))
      ;; Clients announcing `experimental.selfmoa.results' get the markdown as a
      ;; notification first; show the response only when none came.
      (when (and (stringp markdown) (not (string-empty-p markdown))
                 (or (equal kind "complete") (not (plist-get entry :notified))))
        (selfmoa--show kind markdown (plist-get result :stats))))))

(defun selfmoa--on-error (entry error)
  "Report ERROR, how the request ENTRY failed."
  (when (selfmoa--forget entry)
    (let ((kind (plist-get entry :kind)))
      (if (eql (plist-get error :code) -32800)
          (message "Self-MoA: %s cancelled" kind)
        (message "Self-MoA: %s failed: %s" kind (or (plist-get error :message) error))))))

(defun selfmoa--track (kind send)
  "Send a KIND request with SEND and track it in `selfmoa--pending'.
SEND is called with (ENTRY ON-RESULT ON-ERROR), as the functions of
`selfmoa-transport-functions' are, and returns nil when it sent nothing.
Return the entry."
  (let* ((entry (list :kind kind :buffer (current-buffer)))
         (on-result (lambda (result) (selfmoa--on-result entry result)))
         (on-error (lambda (error) (selfmoa--on-error entry error))))
    (push entry selfmoa--pending)
    (condition-case err
        (unless (funcall send entry on-result on-error)
          (user-error "No selfmoa-lsp serves this buffer: see `selfmoa-eglot-setup' \
or selfmoa-lsp-mode"))
      (error (selfmoa--forget entry)
             (signal (car err) (cdr err))))
    (message "Self-MoA: %s…" kind)
    entry))

(defun selfmoa--send (kind beg end)
  "Send the KIND command for BEG..END (nil: the whole document) and track it.
Return the request's entry in `selfmoa--pending'."
  (selfmoa--track kind (lambda (entry on-result on-error)
                         (run-hook-with-args-until-success
                          'selfmoa-transport-functions
                          kind beg end entry on-result on-error))))

(defun selfmoa--command-kind (command)
  "The kind named by COMMAND (\"selfmoa.explain\" gives \"explain\"), or nil."
  (let ((name (format "%s" command)))
    (when (string-match "\\`selfmoa\\.\\(explain\\|review\\|complete\\)\\'" name)
      (match-string 1 name))))

;;;; Commands

;;;###autoload
(defun selfmoa-explain (&optional beg end)
  "Explain the code from BEG to END in `selfmoa-result-buffer-name'.
Without BEG and END, explain the function or block around point (the
server finds it).  Interactively, the region when active, else point."
  (interactive (when (use-region-p) (list (region-beginning) (region-end))))
  (selfmoa--send "explain" (or beg (point)) (or end (point))))

;;;###autoload
(defun selfmoa-review (&optional beg end)
  "Review the code from BEG to END, or the whole buffer when they are nil.
Interactively, the region when active, else the whole buffer.
Findings become Flymake diagnostics (`flymake-show-buffer-diagnostics');
those with a fix offer it through `eglot-code-actions'."
  (interactive (when (use-region-p) (list (region-beginning) (region-end))))
  (selfmoa--send "review" beg end))

;;;###autoload
(defun selfmoa-complete (&optional beg end)
  "Implement or replace the code from BEG to END, or complete at point.
Without BEG and END, complete at point.  Interactively, the region
when active, else point.  The server edits the buffer."
  (interactive (when (use-region-p) (list (region-beginning) (region-end))))
  (selfmoa--send "complete" (or beg (point)) (or end (point))))

;;;###autoload
(defun selfmoa-cancel ()
  "Cancel every selfmoa-lsp request in flight."
  (interactive)
  (let ((pending selfmoa--pending))
    (setq selfmoa--pending nil)
    (dolist (p pending)
      (push p selfmoa--cancelled)
      (when-let ((cancel (plist-get p :cancel)))
        (ignore-errors (funcall cancel))))
    (setq selfmoa--cancelled (seq-take selfmoa--cancelled 20))
    (message "Self-MoA: %s" (if pending
                                (format "cancelled %d request%s" (length pending)
                                        (if (= (length pending) 1) "" "s"))
                              "nothing to cancel"))
    (length pending)))

;;;; Results

(defun selfmoa--stats-line (stats)
  "One line summing up STATS, the cost report of a result, or nil."
  (let ((get (lambda (key) (plist-get stats key)))
        parts)
    (when (stringp (funcall get :mode))
      (push (pcase (funcall get :mode)
              ("selfmoa" "Self-MoA") ("seq" "Self-MoA-Seq") ("single" "one sample")
              (mode mode))
            parts))
    (when (numberp (funcall get :samples))
      (let ((failed (or (funcall get :failedSamples) 0)))
        (push (format "%d samples%s" (funcall get :samples)
                      (if (and (numberp failed) (> failed 0)) (format " (%d failed)" failed) ""))
              parts)))
    (when (numberp (funcall get :forwardPasses))
      (push (format "%d forward passes" (funcall get :forwardPasses)) parts))
    (when (and (numberp (funcall get :promptTokens)) (numberp (funcall get :completionTokens)))
      (push (format "%d prompt%s / %d completion tokens" (funcall get :promptTokens)
                    (if (numberp (funcall get :prefilledTokens))
                        (format " (%d prefilled)" (funcall get :prefilledTokens))
                      "")
                    (funcall get :completionTokens))
            parts))
    (when (numberp (funcall get :totalSeconds))
      (push (format "%.1f s" (funcall get :totalSeconds)) parts))
    (when parts
      (concat "_" (string-join (nreverse parts) " · ") "_"))))

(defvar-local selfmoa-result-kind nil
  "Kind of the result the buffer shows: \"explain\" or \"review\".")

(defvar selfmoa-result-mode-hook nil
  "Hook run after the result buffer is filled.")

(defun selfmoa--show (kind markdown stats)
  "Show MARKDOWN, the answer to a KIND request, and its STATS."
  (let ((buffer (get-buffer-create selfmoa-result-buffer-name)))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert markdown)
        (unless (bolp) (insert "\n"))
        (when-let ((line (selfmoa--stats-line stats)))
          (insert "\n---\n" line "\n"))
        (goto-char (point-min)))
      (if (fboundp 'markdown-mode)
          (progn (delay-mode-hooks (markdown-mode))
                 (view-mode 1))
        (special-mode))
      (setq buffer-read-only t)
      (setq-local selfmoa-result-kind kind)
      (setq header-line-format (format "Self-MoA: %s  (q to close)" kind))
      (run-hooks 'selfmoa-result-mode-hook))
    (display-buffer buffer)
    buffer))

(defun selfmoa--mark-notified (server kind uri)
  "Mark the request of SERVER that a KIND notification for URI answers.
Return nil when it answers a cancelled request, so it is dropped."
  (let ((matches (lambda (p) (and (eq (plist-get p :server) server)
                                  (equal (plist-get p :kind) kind)
                                  (or (null uri) (equal (plist-get p :uri) uri)))))
        (found nil))
    (dolist (p selfmoa--pending)
      (when (funcall matches p)
        (plist-put p :notified t)
        (setq found t)))
    (or found
        (let ((cancelled (cl-find-if matches selfmoa--cancelled)))
          (if cancelled
              (progn (setq selfmoa--cancelled (delq cancelled selfmoa--cancelled)) nil)
            t)))))

(defun selfmoa-handle-result (server params)
  "Handle PARAMS of a `selfmoa/result' notification from SERVER.
PARAMS is a plist with :kind, :uri, :range, :markdown and :stats."
  (let ((kind (plist-get params :kind))
        (markdown (plist-get params :markdown)))
    ;; A completion shows in the buffer itself; its response says whether it was applied.
    (unless (equal kind "complete")
      (when (and (selfmoa--mark-notified server kind (plist-get params :uri))
                 (stringp markdown) (not (string-empty-p markdown)))
        (selfmoa--show kind markdown (plist-get params :stats))))))

;;;; Eglot

(defun selfmoa--contact (&optional _interactive _project)
  "Eglot contact for selfmoa-lsp, read from the options when Eglot connects."
  `(selfmoa-eglot-server ,selfmoa-program ,@selfmoa-program-args))

;;;###autoload
(defun selfmoa-eglot-setup (&optional modes)
  "Make Eglot run selfmoa-lsp for MODES (default: `selfmoa-eglot-modes').
MODES is a list of major-mode symbols.  Calling it again replaces
the earlier entry."
  (interactive)
  (require 'eglot)
  (let ((modes (or modes selfmoa-eglot-modes)))
    (setq eglot-server-programs
          (cons (cons modes #'selfmoa--contact)
                (cl-remove-if (lambda (entry) (eq (cdr-safe entry) #'selfmoa--contact))
                              eglot-server-programs)))
    modes))

(defvar selfmoa--token-counter 0)

(defun selfmoa--work-done-token ()
  "A fresh `workDoneToken'."
  (format "selfmoa-%d-%d" (emacs-pid) (cl-incf selfmoa--token-counter)))

(defun selfmoa--request-id (send)
  "Call SEND, which sends one request, and return that request's JSON-RPC id.
`jsonrpc-async-request' returns nil, and `$/cancelRequest' needs the
id, so it is read from the message as it goes out."
  (let* ((id nil)
         (spy (lambda (_connection &rest message)
                (when (and (null id) (plist-get message :method))
                  (setq id (plist-get message :id))))))
    (advice-add 'jsonrpc-connection-send :before spy)
    (unwind-protect (funcall send)
      (advice-remove 'jsonrpc-connection-send spy))
    id))

(defun selfmoa--eglot-request (server kind argument entry on-result on-error)
  "Send `selfmoa.KIND' with ARGUMENT to the Eglot SERVER.
ENTRY, ON-RESULT and ON-ERROR are as in `selfmoa-transport-functions'."
  (let ((id (selfmoa--request-id
             (lambda ()
               (jsonrpc-async-request
                server :workspace/executeCommand
                `(:command ,(concat "selfmoa." kind)
                  :arguments ,(vector argument)
                  :workDoneToken ,(selfmoa--work-done-token))
                :success-fn on-result
                :error-fn on-error
                :timeout selfmoa-request-timeout
                :timeout-fn (lambda ()
                              (when (selfmoa--forget entry)
                                (message "Self-MoA: %s timed out" kind))))))))
    (plist-put entry :server server)
    (plist-put entry :uri (plist-get (plist-get argument :textDocument) :uri))
    (plist-put entry :cancel
               (lambda () (jsonrpc-notify server :$/cancelRequest `(:id ,id))))
    t))

(defun selfmoa--eglot-transport (kind beg end entry on-result on-error)
  "Send KIND for BEG..END through Eglot, when selfmoa-lsp is its server here.
ENTRY, ON-RESULT and ON-ERROR are as in `selfmoa-transport-functions'."
  (let ((server (and (featurep 'eglot) (eglot-current-server))))
    (when (and server (object-of-class-p server 'selfmoa-eglot-server))
      ;; Send pending changes first, so the version below is the server's.
      (when (fboundp 'eglot--signal-textDocument/didChange)
        (eglot--signal-textDocument/didChange))
      (selfmoa--eglot-request
       server kind
       `(:textDocument ,(eglot--VersionedTextDocumentIdentifier)
         ,@(when (and beg end)
             `(:range (:start ,(eglot--pos-to-lsp-position beg)
                       :end ,(eglot--pos-to-lsp-position end)))))
       entry on-result on-error))))

;; Commands of code actions ("Self-MoA: explain this code" and the others) take the same
;; asynchronous, cancellable path as the commands below, instead of Eglot's synchronous
;; request with its short timeout.  Older Eglot runs them through `eglot-execute-command',
;; newer versions through `eglot-execute'.

(defun selfmoa--execute-code-action-command (server command arguments)
  "Run the selfmoa COMMAND with ARGUMENTS of a code action on SERVER.
Return nil when COMMAND is not one of ours."
  (let ((kind (selfmoa--command-kind command))
        (argument (and (> (length arguments) 0) (elt arguments 0))))
    (when (and kind argument)
      (selfmoa--track kind (lambda (entry on-result on-error)
                             (selfmoa--eglot-request server kind argument
                                                     entry on-result on-error)))
      t)))

(defvar selfmoa--progress-reporters (make-hash-table :test #'equal)
  "Progress reporters by token, where Eglot does not report progress.")

;; The methods specialise Eglot's classes, so they exist only where Eglot does; the rest of
;; this file (the commands, the result buffer) also serves selfmoa-lsp-mode.el.
(when (featurep 'eglot)
  ;; Not at top level, so the compiler cannot see the predicate `defclass' defines.
  (with-no-warnings
    (defclass selfmoa-eglot-server (eglot-lsp-server) ()
      :documentation "An Eglot connection to selfmoa-lsp."))

  (cl-defmethod eglot-client-capabilities :around ((_server selfmoa-eglot-server))
    "Announce `experimental.selfmoa.results' to ask for `selfmoa/result'."
    (let ((capabilities (cl-call-next-method)))
      (plist-put capabilities :experimental '(:selfmoa (:results t)))))

  (cl-defmethod eglot-initialization-options ((server selfmoa-eglot-server))
    "`selfmoa-initialization-options', unless the contact names its own."
    (let ((given (cl-call-next-method server)))
      (cond ((and given (not (hash-table-p given))) given)
            (selfmoa-initialization-options)
            (t given))))

  (cl-defmethod eglot-handle-request :around
    ((_server selfmoa-eglot-server) (_method (eql 'workspace/applyEdit)) &rest _)
    "Apply a completion as `selfmoa-confirm-edits' says."
    (let ((eglot-confirm-server-initiated-edits selfmoa-confirm-edits))
      (cl-call-next-method)))

  (cl-defmethod eglot-execute-command ((server selfmoa-eglot-server) command arguments)
    "Run selfmoa's COMMAND with ARGUMENTS asynchronously; others as SERVER does."
    (unless (selfmoa--execute-code-action-command server command arguments)
      (cl-call-next-method)))

  (when (cl-generic-p 'eglot-execute)
    (cl-defmethod eglot-execute :around ((server selfmoa-eglot-server) action)
      "Run a selfmoa command ACTION asynchronously; others as SERVER does."
      (let ((command (plist-get action :command)))
        (unless (and (stringp command)
                     (selfmoa--execute-code-action-command
                      server command (plist-get action :arguments)))
          (cl-call-next-method)))))

  (cl-defmethod eglot-handle-notification
    (server (_method (eql 'selfmoa/result)) &rest params &key &allow-other-keys)
    "Show an explanation or review that SERVER sent as `selfmoa/result'.
PARAMS holds the notification's fields."
    (selfmoa-handle-result server params))

  ;; Progress, on Eglot versions that do not report it themselves (no `eglot-report-progress').
  (unless (boundp 'eglot-report-progress)
    (cl-defmethod eglot-handle-notification
      ((_server selfmoa-eglot-server) (_method (eql '$/progress)) &key token value)
      "Report progress of TOKEN with VALUE in the echo area."
      (let ((kind (plist-get value :kind))
            (text (string-join (delq nil (list (plist-get value :title)
                                               (plist-get value :message)))
                               ": ")))
        (pcase kind
          ("begin" (puthash token (make-progress-reporter (concat text "…") nil nil)
                            selfmoa--progress-reporters))
          ("report" (when-let ((reporter (gethash token selfmoa--progress-reporters)))
                      (progress-reporter-update reporter nil text)))
          ("end" (when-let ((reporter (gethash token selfmoa--progress-reporters)))
                   (progress-reporter-done reporter)
                   (remhash token selfmoa--progress-reporters))))))))

(provide 'selfmoa)
;;; selfmoa.el ends here
