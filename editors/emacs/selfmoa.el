;;; selfmoa.el --- Explain, ask about, review and complete code with Self-MoA via Eglot  -*- lexical-binding: t; -*-

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
;;   M-x selfmoa-ask       ask a question about the region (or the function at point)
;;   M-x selfmoa-review    review the region (or the whole buffer): findings are Flymake
;;                         diagnostics, with quick fixes through `eglot-code-actions'
;;   M-x selfmoa-complete  implement the region, or complete at point
;;   M-x selfmoa-review-changes
;;                         review the functions the git change touches (the working
;;                         tree against HEAD; with a prefix argument, a revision or
;;                         range such as main...HEAD): findings in a `compilation-mode'
;;                         buffer, *selfmoa-review-changes*, and as diagnostics
;;   M-x selfmoa-cancel    cancel the requests in flight
;;
;; Explanations and answers stream into *selfmoa* as they are written: first a draft (one
;; sample), then the synthesis of all samples replaces it; the header line says which is on
;; screen.  The mode line shows the state of the requests in flight.
;;
;; Eglot runs one server per buffer, so buffers managed by selfmoa-lsp this way do not also get
;; the language's own server.  To run selfmoa-lsp beside it, use lsp-mode and
;; selfmoa-lsp-mode.el, an add-on client.

;;; Code:

(require 'cl-lib)
(require 'compile)
(require 'eglot nil t)
(require 'jsonrpc)
(require 'seq)
(require 'subr-x)
(require 'url-parse)
(require 'url-util)

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
  "Name of the buffer that shows explanations, answers and reviews."
  :type 'string)

(defcustom selfmoa-review-changes-buffer-name "*selfmoa-review-changes*"
  "Name of the `compilation-mode' buffer of `selfmoa-review-changes'."
  :type 'string)

(defcustom selfmoa-review-changes-max-functions nil
  "At most this many changed functions are reviewed by `selfmoa-review-changes'.
The first ones in the diff; the rest are counted as skipped.  nil
leaves it to the server (20)."
  :type '(choice (const :tag "The server's default" nil) integer))

(defcustom selfmoa-mode-line t
  "Whether the mode line shows the state of the requests in flight.
For example \"Self-MoA explain: proposal 2/4 done\"."
  :type 'boolean)

;;;; Requests in flight

(defvar selfmoa-transport-functions (list #'selfmoa--eglot-transport)
  "Functions that send a selfmoa-lsp command for the current buffer.
Each is called with (KIND BEG END ENTRY ON-RESULT ON-ERROR): KIND is
\"explain\", \"ask\", \"review\" or \"complete\"; BEG and END delimit the
range, both nil for the whole document; ENTRY is a plist to complete
with :server, :uri, :token (the `workDoneToken' sent, when one was)
and :cancel (a function of no argument that cancels the request); its
:question, when non-nil, goes into the command's argument (see
`selfmoa--argument'); ON-RESULT and ON-ERROR take the response's
result or error.
A function returns nil when it does not serve the current buffer.
The first that returns non-nil sends the request.")

(defvar selfmoa-workspace-functions (list #'selfmoa--eglot-workspace)
  "Functions that find the selfmoa-lsp server of the current buffer's project.
They serve commands about a whole workspace, such as
`selfmoa-review-changes'.  Each is called with no argument and returns
nil when it knows of no such server, else a plist (:root DIR :send
SEND): DIR is the server's workspace root (a directory name), SEND a
function called with (KIND ARGUMENT ENTRY ON-RESULT ON-ERROR) that
sends the command of KIND (see `selfmoa--command-name') with ARGUMENT,
ENTRY, ON-RESULT and ON-ERROR being as in `selfmoa-transport-functions'.
The first that returns non-nil is used.")

(defvar selfmoa--pending nil
  "Requests in flight, newest first.
Plists (:kind :buffer :serial :question :server :uri :token :cancel
:notified :phase :state); :phase is that of the last partial result
\(\"draft\" or \"answer\"), :state the last progress message.")

(defvar selfmoa--serial 0
  "Number of the last request sent.")

(defvar selfmoa--cancelled nil
  "Recently cancelled requests, whose late `selfmoa/result' is dropped.")

(defun selfmoa--forget (entry)
  "Remove ENTRY from `selfmoa--pending'; non-nil if it was there."
  (when (memq entry selfmoa--pending)
    (setq selfmoa--pending (delq entry selfmoa--pending))
    (force-mode-line-update t)
    t))

(defun selfmoa--argument (entry text-document range)
  "The argument of ENTRY's command for TEXT-DOCUMENT and RANGE (nil: none).
With ENTRY's :question, it is added as the argument's `question'."
  `(:textDocument ,text-document
    ,@(when range `(:range ,range))
    ,@(when-let ((question (plist-get entry :question))) `(:question ,question))))

(defun selfmoa--with-question (argument entry)
  "ARGUMENT of a code action's command, with ENTRY's :question when it has one."
  (if-let ((question (plist-get entry :question)))
      (plist-put (copy-sequence argument) :question question)
    argument))

(defvar selfmoa-question-history nil
  "Questions asked with `selfmoa-ask'.")

(defun selfmoa--read-question ()
  "Read a question from the minibuffer; an empty one is a `user-error'."
  (let ((question (string-trim (read-string "Ask Self-MoA: " nil 'selfmoa-question-history))))
    (when (string-empty-p question)
      (user-error "Self-MoA: no question, nothing asked"))
    question))

;;;; Mode line

(defun selfmoa--mode-line-string ()
  "The mode-line text of the requests in flight, or nil.
The newest request's phase (which text streams into the result buffer)
and its last progress message, e.g. \" Self-MoA explain: draft… · proposal
1/4 done\", and how many more requests are in flight."
  (when-let ((entry (car selfmoa--pending)))
    (let ((phase (plist-get entry :phase))
          (state (plist-get entry :state))
          (more (1- (length selfmoa--pending))))
      (propertize (concat " Self-MoA " (plist-get entry :kind) ": "
                          (if (or phase state)
                              (string-join (delq nil (list (and phase (concat phase "…")) state))
                                           " · ")
                            "starting")
                          (when (> more 0) (format " (+%d)" more)))
                  'help-echo "Self-MoA requests in flight; M-x selfmoa-cancel cancels them"))))

(defvar selfmoa-mode-line-format '(:eval (selfmoa--mode-line-string))
  "Mode-line construct of the requests in flight (see `selfmoa-mode-line').")
(put 'selfmoa-mode-line-format 'risky-local-variable t)

(defun selfmoa--install-mode-line ()
  "Add `selfmoa-mode-line-format' to `global-mode-string', once."
  (let ((element '(selfmoa-mode-line selfmoa-mode-line-format)))
    (unless (listp global-mode-string)
      (setq global-mode-string (list "" global-mode-string)))
    (unless (member element global-mode-string)
      (setq global-mode-string (append global-mode-string (list element))))))

(defun selfmoa--set-state (entry key value)
  "Set ENTRY's KEY (:state or :phase) to VALUE, as the mode line shows it."
  (unless (equal value (plist-get entry key))
    (plist-put entry key value)
    (force-mode-line-update t)))

(defvar selfmoa--token-counter 0)

(defun selfmoa--work-done-token ()
  "A fresh `workDoneToken', for the `$/progress' of one request."
  (format "selfmoa-%d-%d" (emacs-pid) (cl-incf selfmoa--token-counter)))

(defun selfmoa--own-token-p (token)
  "Whether TOKEN is a `workDoneToken' this Emacs sent."
  (and (stringp token)
       (string-match-p (format "\\`selfmoa-%d-[0-9]+\\'" (emacs-pid)) token)))

(defun selfmoa-handle-progress (token value)
  "Note VALUE, a `$/progress' value for TOKEN, in the mode line.
Return non-nil when TOKEN is one of ours (see `selfmoa--own-token-p')."
  (when (selfmoa--own-token-p token)
    (when-let ((entry (cl-find token selfmoa--pending
                               :key (lambda (p) (plist-get p :token)) :test #'equal))
               (message (plist-get value :message)))
      (when (member (plist-get value :kind) '("begin" "report"))
        ;; "Self-MoA: 4 proposals" reads "Self-MoA explain: 4 proposals".
        (selfmoa--set-state entry :state (string-remove-prefix "Self-MoA: " message))))
    t))

(defun selfmoa--summary (kind result)
  "One line saying how the KIND request ended with RESULT."
  (pcase kind
    ("review" (let ((n (length (plist-get result :findings))))
                (format "review done, %d finding%s" n (if (= n 1) "" "s"))))
    ("review changes" (concat "review of changes done: "
                              (selfmoa--changes-summary result)))
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
      (when (equal kind "review changes")
        (selfmoa--show-changes-review result entry))
      (when (and (equal kind "complete") (not (eq (plist-get result :applied) t))
                 (stringp code))
        (setq markdown (concat "```\n" code "\n```")))
      ;; Clients announcing `experimental.selfmoa.results' get the markdown as a
      ;; notification first; show the response only when none came.
      (when (and (stringp markdown) (not (string-empty-p markdown))
                 (or (equal kind "complete") (not (plist-get entry :notified))))
        (selfmoa--render kind markdown
                         :stats (plist-get result :stats)
                         :question (or (plist-get result :question) (plist-get entry :question))
                         :entry entry)))))

(defun selfmoa--on-error (entry error)
  "Report ERROR, how the request ENTRY failed."
  (when (selfmoa--forget entry)
    (let ((kind (plist-get entry :kind))
          (cancelled (eql (plist-get error :code) -32800)))
      (selfmoa--result-ended entry (if cancelled "cancelled" "failed"))
      (if cancelled
          (message "Self-MoA: %s cancelled" kind)
        (message "Self-MoA: %s failed: %s" kind (or (plist-get error :message) error))))))

(defun selfmoa--track (kind send &optional question)
  "Send a KIND request with SEND and track it in `selfmoa--pending'.
SEND is called with (ENTRY ON-RESULT ON-ERROR), as the functions of
`selfmoa-transport-functions' are, and returns nil when it sent nothing.
QUESTION, for ask, goes into the entry as :question.  Return the entry."
  (let* ((entry (list :kind kind :buffer (current-buffer) :serial (cl-incf selfmoa--serial)
                      :question question :state nil))
         (on-result (lambda (result) (selfmoa--on-result entry result)))
         (on-error (lambda (error) (selfmoa--on-error entry error))))
    (push entry selfmoa--pending)
    (condition-case err
        (unless (funcall send entry on-result on-error)
          (user-error "No selfmoa-lsp serves this buffer: see `selfmoa-eglot-setup' \
or selfmoa-lsp-mode"))
      (error (selfmoa--forget entry)
             (signal (car err) (cdr err))))
    (selfmoa--install-mode-line)
    (force-mode-line-update t)
    (message "Self-MoA: %s…" kind)
    entry))

(defun selfmoa--send (kind beg end &optional question)
  "Send the KIND command for BEG..END (nil: the whole document) and track it.
QUESTION is the question of an ask.  Return the request's entry in
`selfmoa--pending'."
  (selfmoa--track kind (lambda (entry on-result on-error)
                         (run-hook-with-args-until-success
                          'selfmoa-transport-functions
                          kind beg end entry on-result on-error))
                  question))

(defun selfmoa--command-name (kind)
  "The command of a KIND request: \"selfmoa.explain\" for \"explain\".
\"review changes\" is `selfmoa.reviewChanges'."
  (concat "selfmoa." (if (equal kind "review changes") "reviewChanges" kind)))

(defun selfmoa--command-kind (command)
  "The kind named by COMMAND (\"selfmoa.explain\" gives \"explain\"), or nil."
  (let ((name (format "%s" command)))
    (when (string-match "\\`selfmoa\\.\\(explain\\|ask\\|review\\|complete\\)\\'" name)
      (match-string 1 name))))

(defun selfmoa--code-action-question (kind argument)
  "The question of a KIND code action whose command has ARGUMENT, or nil.
The ask action comes without a question: read it from the user then
\(an empty one is a `user-error')."
  (when (equal kind "ask")
    (let ((given (plist-get argument :question)))
      (if (and (stringp given) (not (string-empty-p (string-trim given))))
          given
        (selfmoa--read-question)))))

;;;; Commands

;;;###autoload
(defun selfmoa-explain (&optional beg end)
  "Explain the code from BEG to END in `selfmoa-result-buffer-name'.
Without BEG and END, explain the function or block around point (the
server finds it).  Interactively, the region when active, else point."
  (interactive (when (use-region-p) (list (region-beginning) (region-end))))
  (selfmoa--send "explain" (or beg (point)) (or end (point))))

;;;###autoload
(defun selfmoa-ask (question &optional beg end)
  "Ask QUESTION about the code from BEG to END.
The answer streams into `selfmoa-result-buffer-name'.  Without BEG
and END, ask about the function or block around point (the server
finds it).  Interactively, read QUESTION from the minibuffer, about
the region when active, else about point.  An empty QUESTION is a
`user-error' and sends nothing."
  (interactive (let ((region (when (use-region-p) (list (region-beginning) (region-end)))))
                 (cons (selfmoa--read-question) region)))
  (let ((question (and (stringp question) (string-trim question))))
    (when (or (null question) (string-empty-p question))
      (user-error "Self-MoA: no question, nothing asked"))
    (selfmoa--send "ask" (or beg (point)) (or end (point)) question)))

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
      (selfmoa--result-ended p "cancelled")
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
      (push (concat (format "%.1f s" (funcall get :totalSeconds))
                    (when (numberp (funcall get :firstTextSeconds))
                      (format " (first text after %.1f s)" (funcall get :firstTextSeconds))))
            parts))
    (when parts
      (concat "_" (string-join (nreverse parts) " · ") "_"))))

(defvar-local selfmoa-result-kind nil
  "Kind of the result the buffer shows: \"explain\", \"ask\" or \"review\".")

(defvar-local selfmoa-result-label nil
  "Which text the buffer shows, as the server labels it.
For example \"draft · 1 of 4 samples\" while the draft streams, then
\"Self-MoA · 4 samples\"; nil when the server gave no label.")

(defvar-local selfmoa-result-partial nil
  "Non-nil while the buffer shows a result that is still being written.")

(defvar-local selfmoa--result-entry nil
  "The request whose result the buffer shows (an entry of `selfmoa--pending').")

(defvar selfmoa-result-mode-hook nil
  "Hook run after the result buffer is filled with a final result.")

(defun selfmoa--question-block (question)
  "QUESTION as a Markdown block quote, followed by a blank line."
  (concat (mapconcat (lambda (line) (concat "> " line)) (split-string question "\n") "\n")
          "\n\n"))

(defun selfmoa--result-text (markdown question stats)
  "The result buffer's text: QUESTION (or nil), MARKDOWN, then the line of STATS."
  (concat (when (and (stringp question) (not (string-empty-p question)))
            (selfmoa--question-block question))
          markdown
          (unless (or (string-empty-p markdown) (string-suffix-p "\n" markdown)) "\n")
          (when-let ((line (and stats (selfmoa--stats-line stats))))
            (concat "\n---\n" line "\n"))))

(defun selfmoa--replace-text (text)
  "Make TEXT the current buffer's text, touching only the part that differs.
Streamed text mostly grows at its end, so what is already shown stays
as it is.  Return non-nil when the text changed."
  (let* ((old (buffer-substring-no-properties (point-min) (point-max)))
         (comparison (compare-strings old nil nil text nil nil)))
    (unless (eq comparison t)
      (let ((inhibit-read-only t)
            (common (1- (abs comparison))))
        (save-restriction
          (widen)
          (goto-char (+ (point-min) common))
          (delete-region (point) (point-max))
          (insert (substring text common))))
      t)))

(defun selfmoa--result-mode ()
  "Put the current buffer in the result buffer's modes, unless it is already."
  (if (fboundp 'markdown-mode)
      (progn (unless (derived-mode-p 'markdown-mode)
               (delay-mode-hooks (markdown-mode)))
             (unless (bound-and-true-p view-mode)
               (view-mode 1)))
    (unless (derived-mode-p 'special-mode)
      (special-mode)))
  (setq buffer-read-only t))

(defun selfmoa--header-line (kind label partial &optional ending)
  "The header line of a KIND result labelled LABEL, PARTIAL while it streams.
ENDING, such as \"cancelled\", says how a partial result ended."
  (concat "Self-MoA: " kind
          (when (and (stringp label) (not (string-empty-p label))) (concat " — " label))
          (cond (ending (format " (%s)" ending))
                (partial " …"))
          "  (q to close)"))

(defun selfmoa--result-ended (entry ending)
  "Say in the header line that ENTRY's partial result ended with ENDING.
For example \"cancelled\": no more text will come for it."
  (when-let ((buffer (get-buffer selfmoa-result-buffer-name)))
    (with-current-buffer buffer
      (when (and selfmoa-result-partial (eq selfmoa--result-entry entry))
        (setq selfmoa-result-partial nil
              header-line-format (selfmoa--header-line selfmoa-result-kind selfmoa-result-label
                                                       t ending))))))

(defun selfmoa--streams-here-p (entry)
  "Whether a partial result of ENTRY may replace what the result buffer shows.
Not while the buffer shows a newer request that is still in flight."
  (let* ((buffer (get-buffer selfmoa-result-buffer-name))
         (owner (and buffer (buffer-local-value 'selfmoa--result-entry buffer))))
    (not (and owner (not (eq owner entry))
              (memq owner selfmoa--pending)
              (> (or (plist-get owner :serial) 0) (or (plist-get entry :serial) 0))))))

(cl-defun selfmoa--render (kind markdown &key stats label question partial entry)
  "Show MARKDOWN, the answer to a KIND request, in the result buffer.
STATS is the result's cost report, LABEL says which text MARKDOWN is,
QUESTION is the question of an ask, PARTIAL is non-nil while the text
is still being written, ENTRY is the request it answers (nil: unknown).
The buffer is updated in place: only the text that changed is
replaced, point stays where it was (at the top for a new request), and
the buffer is displayed, without selecting it, when a new request
starts writing to it.  Return the buffer."
  (let* ((buffer (get-buffer-create selfmoa-result-buffer-name))
         (new (or (null entry)
                  (not (eq entry (buffer-local-value 'selfmoa--result-entry buffer)))))
         (header (selfmoa--header-line kind label partial)))
    (with-current-buffer buffer
      (selfmoa--result-mode)
      (setq selfmoa-result-kind kind
            selfmoa-result-label label
            selfmoa-result-partial partial
            selfmoa--result-entry entry)
      (unless (equal header-line-format header)
        (setq header-line-format header))
      (let ((point (point))
            (windows (mapcar (lambda (window)
                               (list window (window-point window) (window-start window)))
                             (get-buffer-window-list buffer nil t))))
        (selfmoa--replace-text (selfmoa--result-text markdown question stats))
        ;; A new result is read from its top; an updated one from where the reader is.
        (goto-char (if new (point-min) (min point (point-max))))
        (pcase-dolist (`(,window ,window-point ,window-start) windows)
          (set-window-point window (if new (point-min) (min window-point (point-max))))
          (set-window-start window (if new (point-min) (min window-start (point-max))) t)))
      (unless partial
        (run-hooks 'selfmoa-result-mode-hook)))
    (when new
      (display-buffer buffer))
    buffer))


(defun selfmoa-handle-result (server params)
  "Handle PARAMS of a `selfmoa/result' notification from SERVER.
PARAMS is a plist with :kind, :uri, :range, :markdown, :label, and
:stats (final results) or :partial t and :phase (partial results, which
carry the whole text so far), and :question for ask."
  (let* ((kind (plist-get params :kind))
         (uri (plist-get params :uri))
         (markdown (plist-get params :markdown))
         (label (plist-get params :label))
         (label (and (stringp label) label))
         (question (plist-get params :question))
         (question (and (stringp question) question))
         (matches (lambda (p) (and (eq (plist-get p :server) server)
                                   (equal (plist-get p :kind) kind)
                                   (or (null uri) (equal (plist-get p :uri) uri)))))
         (entry (cl-find-if matches selfmoa--pending)))
    (cond
     ;; A completion shows in the buffer itself; its response says whether it was applied.
     ((equal kind "complete"))
     ((eq (plist-get params :partial) t)
      ;; Partial results only of requests in flight: not of cancelled ones, whose last
      ;; partial results may still be on their way.
      (when (and entry (stringp markdown) (selfmoa--streams-here-p entry))
        (when (stringp (plist-get params :phase))
          (selfmoa--set-state entry :phase (plist-get params :phase)))
        (selfmoa--render kind markdown :label label :question question :partial t
                         :entry entry)))
     (t
      (dolist (p selfmoa--pending)
        (when (funcall matches p) (plist-put p :notified t)))
      (let ((cancelled (and (null entry) (cl-find-if matches selfmoa--cancelled))))
        (if cancelled
            ;; The answer to a cancelled request: dropped.
            (setq selfmoa--cancelled (delq cancelled selfmoa--cancelled))
          (when (and (stringp markdown) (not (string-empty-p markdown)))
            (selfmoa--render kind markdown :stats (plist-get params :stats) :label label
                             :question question :entry entry))))))))

;;;; Review of changes

(defvar selfmoa-revision-history nil
  "Revisions given to `selfmoa-review-changes'.")

(defun selfmoa--read-revision ()
  "Read the revision or range to review from the minibuffer; nil when empty."
  (let ((revision (string-trim
                   (read-string "Review the changes of (a revision or range such as \
main...HEAD; empty: the working tree): "
                                nil 'selfmoa-revision-history))))
    (unless (string-empty-p revision) revision)))

(defun selfmoa--file-uri (file)
  "The `file://' URI of FILE, as the server sees it.
Of a remote file, the URI of its local part."
  (let ((path (directory-file-name (file-local-name (file-truename file)))))
    (concat "file://"
            (when (and (eq system-type 'windows-nt) (not (string-prefix-p "/" path))) "/")
            (url-hexify-string path (url--allowed-chars (cons ?/ url-unreserved-chars))))))

(defun selfmoa--uri-file (uri)
  "The file name of URI, a `file://' URI, as the server wrote it."
  (let ((path (decode-coding-string
               (url-unhex-string (url-filename (url-generic-parse-url uri))) 'utf-8)))
    (if (and (eq system-type 'windows-nt) (string-match-p "\\`/[A-Za-z]:" path))
        (substring path 1)
      path)))

(defun selfmoa--find-workspace ()
  "The selfmoa-lsp server of the current buffer's project, or nil.
A plist, see `selfmoa-workspace-functions'."
  (run-hook-with-args-until-success 'selfmoa-workspace-functions))

(defun selfmoa--plural (n word)
  "N and WORD, plural unless N is 1."
  (format "%d %s%s" n word (cond ((eql n 1) "") ((string-suffix-p "s" word) "es") (t "s"))))

(defun selfmoa--changes-summary (result)
  "One line summing up RESULT, the response of `selfmoa.reviewChanges'."
  (let ((notes (append (plist-get result :notes) nil)))
    (string-join
     (delq nil
           (list (concat (selfmoa--plural (or (plist-get result :reviewed) 0) "function")
                         " reviewed")
                 (selfmoa--plural (length (plist-get result :findings)) "finding")
                 (format "%s skipped" (or (plist-get result :skipped) 0))
                 (when notes (selfmoa--plural (length notes) "note"))))
     ", ")))

(defun selfmoa--changes-severity (severity)
  "The word of a finding of SEVERITY that `compilation-mode' reads as its type."
  (pcase severity
    ("error" "error")
    ("warning" "warning")
    ("info" "info")
    ("hint" "note")
    (_ "warning")))

(defconst selfmoa--changes-message-regexp
  '(selfmoa-review-changes
    "^\\(.*?\\):\\([0-9]+\\): \\(?:error\\|\\(warning\\)\\|\\(info\\|note\\)\\): "
    1 2 nil (3 . 4))
  "Entry of `compilation-error-regexp-alist-alist' for the lines of the findings.
PATH:LINE: SEVERITY: MESSAGE, as `selfmoa--changes-line' writes them.")

(defun selfmoa--changes-line (finding root)
  "The line of FINDING, a finding of `selfmoa.reviewChanges', for ROOT.
PATH:LINE: SEVERITY: MESSAGE, PATH relative to ROOT, the message on one line."
  (let* ((file (selfmoa--uri-file (plist-get finding :uri)))
         (line (or (plist-get (plist-get (plist-get finding :range) :start) :line) 0))
         (message (or (plist-get finding :message) "")))
    (format "%s:%d: %s: %s\n"
            (file-relative-name file root) (1+ line)
            (selfmoa--changes-severity (plist-get finding :severity))
            (string-join (split-string message "[ \t]*\n[ \t]*" t) " "))))

(defun selfmoa--changes-first-line (revision root stats)
  "The first line of the review of REVISION's change in ROOT, with its STATS."
  (let ((seconds (plist-get stats :seconds))
        (passes (plist-get stats :forwardPasses)))
    (concat "Self-MoA review of "
            (if revision (concat "the changes of " revision) "the working tree against HEAD")
            " in " (abbreviate-file-name root)
            (when (or (numberp seconds) (numberp passes))
              (concat " ("
                      (string-join
                       (delq nil (list (when (numberp seconds) (format "%.1f s" seconds))
                                       (when (numberp passes)
                                         (selfmoa--plural passes "forward pass"))))
                       ", ")
                      ")")))))

(defvar-local selfmoa--changes-workspace nil
  "The server (see `selfmoa-workspace-functions') whose review the buffer shows.")

(defvar-local selfmoa--changes-revision nil
  "The revision or range whose review the buffer shows; nil for the working tree.")

(define-derived-mode selfmoa-review-changes-mode compilation-mode "Self-MoA changes"
  "Findings of `selfmoa-review-changes', one line each.
Each line reads PATH:LINE: SEVERITY: MESSAGE, PATH relative to the
repository, the buffer's `default-directory'.
\\<selfmoa-review-changes-mode-map>\\[compile-goto-error] and `next-error' visit a finding's
line, \\[revert-buffer] reviews the same change again.  Every finding is visited, infos too
\(the buffer's `compilation-skip-threshold' is 0).

\\{selfmoa-review-changes-mode-map}"
  (setq-local compilation-error-regexp-alist (list (car selfmoa--changes-message-regexp)))
  (setq-local compilation-error-regexp-alist-alist
              (cons selfmoa--changes-message-regexp compilation-error-regexp-alist-alist))
  (setq-local compilation-skip-threshold 0)
  (setq-local revert-buffer-function #'selfmoa--review-changes-revert))

;; `recompile', compilation-mode's `g', would run `compile-command'.
(define-key selfmoa-review-changes-mode-map (kbd "g") #'revert-buffer)

(defun selfmoa--review-changes-revert (&rest _)
  "Review the change the current buffer shows again."
  (unless selfmoa--changes-workspace
    (user-error "Self-MoA: this buffer shows no review of changes"))
  (selfmoa--review-changes selfmoa--changes-workspace selfmoa--changes-revision))

(defun selfmoa--show-changes-review (result entry)
  "Fill `selfmoa-review-changes-buffer-name' with RESULT, ENTRY's response.
RESULT is the response of `selfmoa.reviewChanges'; ENTRY holds the
:workspace and :revision it was sent for.  The buffer is displayed
without being selected, and becomes the buffer of `next-error'.
Return the buffer."
  (let* ((workspace (plist-get entry :workspace))
         (revision (plist-get entry :revision))
         (remote (file-remote-p (or (plist-get workspace :root) default-directory)))
         (root (file-name-as-directory
                (concat remote (or (plist-get result :root)
                                   (file-local-name (plist-get workspace :root))))))
         (findings (sort (append (plist-get result :findings) nil)
                         (lambda (a b)
                           (let ((file-a (plist-get a :uri)) (file-b (plist-get b :uri))
                                 (line (lambda (f) (or (plist-get (plist-get (plist-get f :range)
                                                                             :start)
                                                                  :line)
                                                       0))))
                             (if (equal file-a file-b)
                                 (< (funcall line a) (funcall line b))
                               (string< file-a file-b))))))
         (notes (append (plist-get result :notes) nil))
         (buffer (get-buffer-create selfmoa-review-changes-buffer-name))
         (local-root (file-local-name root)))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (selfmoa-review-changes-mode)
        (setq default-directory root
              selfmoa--changes-workspace workspace
              selfmoa--changes-revision revision
              header-line-format
              (string-replace
               "%" "%%"
               (concat "Self-MoA review of " (or revision "the working tree") ": "
                       (selfmoa--changes-summary result)
                       (when notes (concat " (" (string-join notes "; ") ")"))
                       "  (g: again)")))
        ;; A first line, as `compile' writes one: `next-error' goes to the first message
        ;; after the start of the buffer, so one on the first line would be skipped.
        (insert (selfmoa--changes-first-line revision root (plist-get result :stats)) "\n")
        (dolist (finding findings)
          (insert (selfmoa--changes-line finding local-root)))
        (unless findings
          (insert "No findings on the changed lines.\n"))
        (dolist (note notes)
          (insert "Note: " note "\n"))
        (set-buffer-modified-p nil)
        (goto-char (point-min))))
    (dolist (window (get-buffer-window-list buffer nil t))
      (set-window-point window (point-min))
      (set-window-start window (point-min)))
    (setq next-error-last-buffer buffer)
    (display-buffer buffer)
    buffer))

(defun selfmoa--review-changes (workspace revision)
  "Send `selfmoa.reviewChanges' for REVISION to WORKSPACE and track it.
WORKSPACE is a plist of `selfmoa-workspace-functions'; REVISION nil
reviews the working tree against HEAD.  Return the request's entry."
  (let ((root (plist-get workspace :root)))
    ;; The server reviews the files on disk: offer to save those of the project, as
    ;; `compile' does.
    (save-some-buffers (not compilation-ask-about-save)
                       (lambda () (and buffer-file-name
                                       (file-in-directory-p buffer-file-name root))))
    (selfmoa--track
     "review changes"
     (lambda (entry on-result on-error)
       (plist-put entry :workspace workspace)
       (plist-put entry :revision revision)
       (funcall (plist-get workspace :send) "review changes"
                `(:root ,(selfmoa--file-uri root)
                  ,@(when revision `(:revision ,revision))
                  ,@(when selfmoa-review-changes-max-functions
                      `(:maxFunctions ,selfmoa-review-changes-max-functions)))
                entry on-result on-error)))))

;;;###autoload
(defun selfmoa-review-changes (&optional revision)
  "Review the functions that a git change touches, in the current project.
REVISION is a revision or range as git takes it (\"main...HEAD\", a
commit); nil reviews the working tree, untracked files included,
against HEAD.  Interactively, with a prefix argument, read REVISION
from the minibuffer.  The findings on changed lines fill a
`compilation-mode' buffer (`selfmoa-review-changes-buffer-name'), one
line each, where `next-error' and RET visit them; they are also
diagnostics of the changed files.  \\[selfmoa-cancel] cancels it."
  (interactive (list (when current-prefix-arg (selfmoa--read-revision))))
  (let ((workspace (or (selfmoa--find-workspace)
                       (user-error "No selfmoa-lsp serves this project: see \
`selfmoa-eglot-setup' or selfmoa-lsp-mode"))))
    (selfmoa--review-changes workspace (and (stringp revision)
                                            (not (string-empty-p (string-trim revision)))
                                            (string-trim revision)))))

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
  (let* ((token (selfmoa--work-done-token))
         (id (selfmoa--request-id
             (lambda ()
               (jsonrpc-async-request
                server :workspace/executeCommand
                `(:command ,(selfmoa--command-name kind)
                  :arguments ,(vector argument)
                  :workDoneToken ,token)
                :success-fn on-result
                :error-fn on-error
                :timeout selfmoa-request-timeout
                :timeout-fn (lambda ()
                              (when (selfmoa--forget entry)
                                (selfmoa--result-ended entry "timed out")
                                (message "Self-MoA: %s timed out" kind))))))))
    (plist-put entry :server server)
    (plist-put entry :uri (plist-get (plist-get argument :textDocument) :uri))
    (plist-put entry :token token)
    (plist-put entry :cancel
               (lambda () (jsonrpc-notify server :$/cancelRequest `(:id ,id))))
    t))

(defun selfmoa--eglot-workspace ()
  "The Eglot selfmoa-lsp server of the current project, or nil.
The current buffer's server, else any selfmoa-lsp server of its
project; a plist, as `selfmoa-workspace-functions' says."
  (when (featurep 'eglot)
    (let* ((ours (lambda (server) (and server (object-of-class-p server 'selfmoa-eglot-server))))
           (server (or (let ((current (eglot-current-server)))
                         (and (funcall ours current) current))
                       (cl-find-if ours (gethash (eglot--current-project)
                                                 eglot--servers-by-project)))))
      (when server
        (list :root (project-root (eglot--project server))
              :send (lambda (kind argument entry on-result on-error)
                      (selfmoa--eglot-request server kind argument entry
                                              on-result on-error)))))))

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
       (selfmoa--argument entry (eglot--VersionedTextDocumentIdentifier)
                          (when (and beg end)
                            `(:start ,(eglot--pos-to-lsp-position beg)
                              :end ,(eglot--pos-to-lsp-position end))))
       entry on-result on-error))))

;; Commands of code actions ("Self-MoA: explain this code" and the others) take the same
;; asynchronous, cancellable path as the commands above, instead of Eglot's synchronous
;; request with its short timeout.  Older Eglot runs them through `eglot-execute-command',
;; newer versions through `eglot-execute'.  The ask action comes without a question: it is
;; read from the minibuffer then.

(defun selfmoa--execute-code-action-command (server command arguments)
  "Run the selfmoa COMMAND with ARGUMENTS of a code action on SERVER.
Return nil when COMMAND is not one of ours."
  (let ((kind (selfmoa--command-kind command))
        (argument (and (> (length arguments) 0) (elt arguments 0))))
    (when (and kind argument)
      (selfmoa--track kind (lambda (entry on-result on-error)
                             (selfmoa--eglot-request server kind
                                                     (selfmoa--with-question argument entry)
                                                     entry on-result on-error))
                      (selfmoa--code-action-question kind argument))
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
    "Announce `experimental.selfmoa': results as notifications, and the ask action."
    (let ((capabilities (cl-call-next-method)))
      (plist-put capabilities :experimental '(:selfmoa (:results t :ask t)))))

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

  (cl-defmethod eglot-handle-notification :before
    ((_server selfmoa-eglot-server) (_method (eql '$/progress))
     &key token value &allow-other-keys)
    "Show the progress VALUE of our request's TOKEN in the mode line."
    (selfmoa-handle-progress token value))

  ;; Progress in the echo area, on Eglot versions that do not report it themselves (no
  ;; `eglot-report-progress').
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
