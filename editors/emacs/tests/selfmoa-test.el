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
; explain synthesises here, so an answer streaming over the draft is exercised; the shipped
; default chooses a candidate, which arrives whole.
(setq selfmoa-initialization-options
      `(:backend (:url ,(selfmoa-test-backend-url))
        :explain (:samples 2 :answer "synthesis") :ask (:samples 2) :review (:samples 2) :complete (:samples 2)))
(setq eglot-sync-connect 20
      eglot-autoshutdown nil)

(defun selfmoa-test-open-sample (&optional dir backend-url)
  "Visit a fresh copy of the sample file, connected to selfmoa-lsp; return the server.
The copy is in DIR (default `selfmoa-test-work-dir'); a server started
for it uses BACKEND-URL (default the usual stand-in)."
  (selfmoa-test-open-file (selfmoa-test-sample-file dir) backend-url))

(defun selfmoa-test-open-file (file &optional backend-url)
  "Visit FILE, connected to selfmoa-lsp; return the server.
A server started for it uses BACKEND-URL (default the usual stand-in)."
  (let ((selfmoa-initialization-options
         (if backend-url
             (plist-put (copy-tree selfmoa-initialization-options) :backend `(:url ,backend-url))
           selfmoa-initialization-options)))
    (find-file file)
    ;; `eglot-ensure' (from the README's hook) connects after the next command.
    (run-hooks 'post-command-hook)
    (selfmoa-test-wait "Eglot to connect to selfmoa-lsp"
                       (lambda () (let ((server (eglot-current-server)))
                                    (and server (cl-typep server 'selfmoa-eglot-server)
                                         server)))
                       30)))

(defmacro selfmoa-test-with-sample-in (dir backend-url &rest body)
  "Run BODY in a fresh sample buffer in DIR served with BACKEND-URL; kill it afterwards."
  (declare (indent 2))
  `(let ((buffer nil))
     (unwind-protect
         (progn (setq selfmoa--pending nil)
                (selfmoa-test-open-sample ,dir ,backend-url)
                (setq buffer (current-buffer))
                ,@body)
       (when (buffer-live-p buffer)
         (with-current-buffer buffer (set-buffer-modified-p nil))
         (kill-buffer buffer)))))

(defmacro selfmoa-test-with-file (file backend-url &rest body)
  "Run BODY in the buffer of FILE served with BACKEND-URL; kill it afterwards."
  (declare (indent 2))
  `(let ((buffer nil))
     (unwind-protect
         (progn (setq selfmoa--pending nil)
                (selfmoa-test-open-file ,file ,backend-url)
                (setq buffer (current-buffer))
                ,@body)
       (when (buffer-live-p buffer)
         (with-current-buffer buffer (set-buffer-modified-p nil))
         (kill-buffer buffer)))))

(defmacro selfmoa-test-with-sample (&rest body)
  "Run BODY in a fresh sample buffer, killing it afterwards."
  (declare (indent 0))
  `(selfmoa-test-with-sample-in nil nil ,@body))

(defmacro selfmoa-test-with-question (question &rest body)
  "Run BODY with `read-string' answering QUESTION; return how often it was asked."
  (declare (indent 1))
  `(let ((asked 0))
     (cl-letf (((symbol-function 'read-string)
                (lambda (&rest _) (cl-incf asked) ,question)))
       ,@body)
     asked))

(defun selfmoa-test-sent-commands (send)
  "Call SEND and return the commands it sent to a server (a list of names).
Watches both the transports and the JSON-RPC messages going out."
  (let* ((commands nil)
         (transport (lambda (kind &rest _) (push (concat "transport:" kind) commands) nil))
         (spy (lambda (_connection &rest message)
                (when (string-suffix-p "workspace/executeCommand"
                                       (format "%s" (plist-get message :method)))
                  (push (plist-get (plist-get message :params) :command) commands)))))
    (add-hook 'selfmoa-transport-functions transport)
    (advice-add 'jsonrpc-connection-send :before spy)
    (unwind-protect (funcall send)
      (remove-hook 'selfmoa-transport-functions transport)
      (advice-remove 'jsonrpc-connection-send spy))
    commands))

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
  (should (equal (selfmoa--stats-line '(:mode "selfmoa" :samples 4 :totalSeconds 3.04
                                        :firstTextSeconds 0.42))
                 "_Self-MoA · 4 samples · 3.0 s (first text after 0.4 s)_"))
  (should (null (selfmoa--stats-line nil))))

(ert-deftest selfmoa-partial-results-update-the-buffer-in-place ()
  ;; No server: the notifications a server would send for one request in flight.
  (let* ((selfmoa--pending nil)
         (selfmoa--cancelled nil)
         (selfmoa-result-buffer-name "*selfmoa unit*")
         (entry (list :kind "ask" :server 'server :uri "file:///x.py" :serial 1 :question "Why?"
                      :token (selfmoa--work-done-token)))
         (notify (lambda (&rest params)
                   (selfmoa-handle-result 'server (append '(:kind "ask" :uri "file:///x.py"
                                                            :question "Why?")
                                                          params)))))
    (push entry selfmoa--pending)
    (unwind-protect
        (progn
          (funcall notify :partial t :phase "draft" :label "draft · 1 of 4 samples"
                   :markdown "It fails")
          (let ((buffer (get-buffer "*selfmoa unit*")))
            (should buffer)
            (with-current-buffer buffer
              (should (equal (buffer-string) "> Why?\n\nIt fails\n"))
              (should (equal header-line-format
                             "Self-MoA: ask — draft · 1 of 4 samples …  (q to close)"))
              (should (= (point) (point-min)))
              (goto-char 5))
            (should (equal (plist-get entry :phase) "draft"))
            (should (equal (selfmoa--mode-line-string) " Self-MoA ask: draft…"))
            (selfmoa-handle-progress (plist-get entry :token)
                                     '(:kind "report" :message "proposal 1/4 done"))
            (should (equal (selfmoa--mode-line-string)
                           " Self-MoA ask: draft… · proposal 1/4 done"))
            ;; More of the draft: the text grows where it is; the reader's point stays.
            (funcall notify :partial t :phase "draft" :label "draft · 1 of 4 samples"
                     :markdown "It fails on an empty list")
            (with-current-buffer buffer
              (should (equal (buffer-string) "> Why?\n\nIt fails on an empty list\n"))
              (should (= (point) 5)))
            ;; The answer replaces the draft.
            (funcall notify :partial t :phase "answer" :label "Self-MoA · 4 samples"
                     :markdown "Empty")
            (should (equal (selfmoa--mode-line-string)
                           " Self-MoA ask: answer… · proposal 1/4 done"))
            (with-current-buffer buffer
              (should (equal (buffer-string) "> Why?\n\nEmpty\n"))
              (should (string-search "Self-MoA · 4 samples …" header-line-format)))
            ;; The final result, with its cost.
            (funcall notify :markdown "Empty lists fail." :label "Self-MoA · 4 samples"
                     :stats '(:mode "selfmoa" :samples 4 :totalSeconds 2.0))
            (should (plist-get entry :notified))
            (with-current-buffer buffer
              (should (equal (buffer-string)
                             "> Why?\n\nEmpty lists fail.\n\n---\n_Self-MoA · 4 samples · 2.0 s_\n"))
              (should (equal header-line-format
                             "Self-MoA: ask — Self-MoA · 4 samples  (q to close)"))
              (should buffer-read-only))
            (should (eq buffer (get-buffer "*selfmoa unit*")))
            ;; A partial result of no request in flight (a cancelled one) is dropped.
            (setq selfmoa--pending nil)
            (funcall notify :partial t :phase "draft" :label "draft · 1 of 4 samples"
                     :markdown "Late")
            (with-current-buffer buffer
              (should (string-search "Empty lists fail." (buffer-string))))
            (should-not (selfmoa--mode-line-string))))
      (when (get-buffer "*selfmoa unit*") (kill-buffer "*selfmoa unit*")))))

(ert-deftest selfmoa-announces-the-results-and-ask-capabilities ()
  (selfmoa-test-with-sample
    (let ((server (eglot-current-server)))
      (should (equal (plist-get (eglot-client-capabilities server) :experimental)
                     '(:selfmoa (:results t :ask t))))
      (should (plist-get (eglot--capabilities server) :executeCommandProvider)))))

(ert-deftest selfmoa-explain-streams-into-the-result-buffer ()
  (selfmoa-test-with-sample-in selfmoa-test-slow-work-dir (selfmoa-test-slow-backend-url)
    (let ((lines (selfmoa-test-expect :explain_lines))
          (source (current-buffer))
          (text (buffer-string))
          beg end)
      (selfmoa-test-goto-line (1- (nth 0 lines)))
      (setq beg (point))
      (selfmoa-test-goto-line (1- (nth 1 lines)))
      (setq end (line-end-position))
      (selfmoa-test-check-stream
       (selfmoa-test-run-watched source (lambda () (selfmoa-explain beg end)))
       source (selfmoa-test-expect :explain_contains))
      (should (equal text (buffer-string)))
      (should-not (buffer-modified-p)))))

(ert-deftest selfmoa-ask-answers-about-the-function-at-point ()
  (selfmoa-test-with-sample
    (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
    (let ((question (selfmoa-test-expect :ask_question))
          (expected (selfmoa-test-expect :ask_contains)))
      ;; Point inside `average', no region: the server takes the enclosing function.
      (selfmoa-test-goto-line 2 4)
      (should (= 1 (selfmoa-test-with-question question
                     (call-interactively #'selfmoa-ask))))
      (should (= 1 (length selfmoa--pending)))
      (selfmoa-test-wait "the answer in *selfmoa*"
                         (lambda () (string-search expected (or (selfmoa-test-result-text) ""))))
      (selfmoa-test-wait "the ask response" (lambda () (null selfmoa--pending)) 10)
      (should (string-prefix-p (concat "> " question "\n\n") (selfmoa-test-result-text)))
      (with-current-buffer selfmoa-result-buffer-name
        (should (equal selfmoa-result-kind "ask"))
        (should (string-prefix-p "Self-MoA: ask — Self-MoA · 2 samples" header-line-format))))))

(ert-deftest selfmoa-ask-with-an-empty-question-sends-nothing ()
  (selfmoa-test-with-sample
    (selfmoa-test-goto-line 2 4)
    (should-not (selfmoa-test-sent-commands
                 (lambda ()
                   (selfmoa-test-with-question "   "
                     (should-error (call-interactively #'selfmoa-ask) :type 'user-error))
                   (should-error (selfmoa-ask "") :type 'user-error)
                   (should-error (selfmoa-ask nil) :type 'user-error))))
    (should (null selfmoa--pending))))

(ert-deftest selfmoa-code-action-ask-prompts-for-the-question ()
  (selfmoa-test-with-sample
    (when (get-buffer selfmoa-result-buffer-name) (kill-buffer selfmoa-result-buffer-name))
    (selfmoa-test-goto-line 1)
    (let* ((server (eglot-current-server))
           (action (car (eglot-code-actions (line-beginning-position) (line-end-position)
                                            "source.selfmoa.ask")))
           (command (plist-get action :command))
           (execute (lambda ()
                      (if (cl-generic-p 'eglot-execute)
                          (eglot-execute server action)
                        (eglot-execute-command server (intern (plist-get command :command))
                                               (plist-get command :arguments))))))
      (should action)
      (should (equal (plist-get command :command) "selfmoa.ask"))
      (should-not (plist-get (elt (plist-get command :arguments) 0) :question))
      ;; An empty answer to the prompt asks nothing.
      (should-not (selfmoa-test-sent-commands
                   (lambda ()
                     (selfmoa-test-with-question ""
                       (should-error (funcall execute) :type 'user-error)))))
      (should (null selfmoa--pending))
      (should (equal '("selfmoa.ask")
                     (selfmoa-test-sent-commands
                      (lambda ()
                        (should (= 1 (selfmoa-test-with-question
                                         (selfmoa-test-expect :ask_question)
                                       (funcall execute))))))))
      (should (= 1 (length selfmoa--pending)))
      (selfmoa-test-wait "the answer from the code action"
                         (lambda () (string-search (selfmoa-test-expect :ask_contains)
                                                   (or (selfmoa-test-result-text) ""))))
      (selfmoa-test-wait "the ask response" (lambda () (null selfmoa--pending)) 10)
      (should (string-search (selfmoa-test-expect :ask_question) (selfmoa-test-result-text))))))

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

;; What an editor holds after typing `{' and RET in a JavaScript arrow function: the body
;; goes in, the model's restated header, its `};' and the test code after it do not, and the
;; file still parses.
(ert-deftest selfmoa-complete-in-a-javascript-function-inserts-the-body-only ()
  ;; The README's setup, for JavaScript too; the other tests keep theirs.
  (require 'js)
  (let ((eglot-server-programs (copy-tree eglot-server-programs))
        (js-mode-hook (list #'eglot-ensure))
        (file (expand-file-name "scale.js" (make-temp-file "selfmoa-js" t))))
    (selfmoa-eglot-setup '(python-mode python-ts-mode js-mode js-ts-mode))
    (with-temp-file file
      (insert "/** Scales every value by k. */\nconst scale = (values, k) => {\n\n};\n\nmodule.exports = { scale };\n"))
    (selfmoa-test-with-file file nil
      (goto-char (point-min))
      (forward-line 2)
      (selfmoa-complete)
      (selfmoa-test-wait "the body in the buffer" (lambda () (string-search "values.map" (buffer-string))) 60)
      (let ((text (buffer-string)))
        (should-not (string-search "console.log" text))
        (should-not (string-search "Test cases" text))
        (should (= 1 (how-many "^};$" (point-min) (point-max))))
        (should (string-search "const scale = (values, k) => {\n" text))
        (when (executable-find "node")
          (let ((copy (concat file ".check.js")))
            (write-region (point-min) (point-max) copy)
            (should (equal 0 (call-process "node" nil nil nil "--check" copy)))))))))

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
    ;; The draft may have begun to stream: it stays as it was, marked cancelled.
    (let ((shown (selfmoa-test-result-text)))
      (unless (boundp 'eglot-report-progress)
        (selfmoa-test-wait "the server to end the progress"
                           (lambda () (= (hash-table-count selfmoa--progress-reporters) 0))
                           10))
      (let ((deadline (+ (float-time) 1)))
        (while (< (float-time) deadline) (accept-process-output nil 0.05)))
      (should (equal shown (selfmoa-test-result-text)))
      (when shown
        (should (string-search "(cancelled)" (buffer-local-value 'header-line-format
                                                                 (get-buffer selfmoa-result-buffer-name))))))
    (selfmoa-explain (point-min) (line-end-position))
    (selfmoa-test-wait "an explanation after the cancellation"
                       (lambda () (selfmoa-test-result-text)))
    (selfmoa-test-wait "the explain response" (lambda () (null selfmoa--pending)) 10)))

;;;; Review of changes

(defun selfmoa-test-sent-arguments (send)
  "Call SEND and return the arguments of the commands it sent, as (COMMAND . ARGUMENT)."
  (let* ((sent nil)
         (spy (lambda (_connection &rest message)
                (when (string-suffix-p "workspace/executeCommand"
                                       (format "%s" (plist-get message :method)))
                  (let ((params (plist-get message :params)))
                    (push (cons (plist-get params :command) (elt (plist-get params :arguments) 0))
                          sent))))))
    (advice-add 'jsonrpc-connection-send :before spy)
    (unwind-protect (funcall send)
      (advice-remove 'jsonrpc-connection-send spy))
    (nreverse sent)))

(defun selfmoa-test-forget-changes-review ()
  "Kill the buffer of `selfmoa-review-changes', and forget it as `next-error''s."
  (when (get-buffer selfmoa-review-changes-buffer-name)
    (kill-buffer selfmoa-review-changes-buffer-name))
  (setq next-error-last-buffer nil))

(ert-deftest selfmoa-review-changes-fills-a-compilation-buffer ()
  (let* ((dir (selfmoa-test-git-repository))
         (file (expand-file-name "sample.py" dir))
         (mode-lines nil))
    (selfmoa-test-with-file file nil
      (should (equal (file-name-as-directory (project-root (eglot--project (eglot-current-server))))
                     dir))
      (selfmoa-test-change-and-save)
      (selfmoa-test-forget-changes-review)
      (let ((sent (selfmoa-test-sent-arguments
                   (lambda () (call-interactively #'selfmoa-review-changes)))))
        (should (equal (mapcar #'car sent) '("selfmoa.reviewChanges")))
        ;; The project's root; no revision: the working tree against HEAD.
        (should (equal (cdar sent) `(:root ,(concat "file://" (directory-file-name dir))))))
      (should (= 1 (length selfmoa--pending)))
      ;; Any buffer of the project finds the server, such as a Dired buffer.
      (with-temp-buffer
        (setq default-directory dir)
        (should (equal (file-name-as-directory (plist-get (selfmoa--find-workspace) :root)) dir)))
      (selfmoa-test-wait "the review of the change"
                         (lambda ()
                           (push (selfmoa-test-mode-line (current-buffer)) mode-lines)
                           (null selfmoa--pending)))
      ;; The mode line showed the progress of each function, and no longer does.
      (should (cl-some (lambda (text) (string-search "Self-MoA review changes: function 1/1: sample.py:"
                                                     text))
                       mode-lines))
      (should-not (string-search "Self-MoA review changes" (car mode-lines)))
      (selfmoa-test-check-changes-review file)
      (selfmoa-test-check-changes-review-again))))

(ert-deftest selfmoa-review-changes-saves-the-project-buffers-first ()
  ;; The server reviews the files on disk; as `compile' does, the command saves the project's
  ;; buffers first (asking unless `compilation-ask-about-save' is nil).
  (let* ((dir (selfmoa-test-git-repository))
         (file (expand-file-name "sample.py" dir))
         (compilation-ask-about-save nil))
    (selfmoa-test-with-file file nil
      (cl-letf (((symbol-function 'save-buffer) #'ignore))
        (selfmoa-test-change-and-save))
      (should (buffer-modified-p))
      (selfmoa-test-forget-changes-review)
      (selfmoa-review-changes)
      (should-not (buffer-modified-p))
      (selfmoa-test-wait "the review of the change" (lambda () (null selfmoa--pending)))
      (should (string-search (format "sample.py:%d: error: " selfmoa-test-changed-line)
                             (selfmoa-test-review-changes-text))))))

(ert-deftest selfmoa-review-changes-outside-a-git-repository-says-so ()
  (let ((dir (make-temp-file "selfmoa-not-git-" t)))
    (selfmoa-test-with-sample-in dir nil
      (selfmoa-test-forget-changes-review)
      (let ((messages (selfmoa-test-capturing-messages
                        (selfmoa-review-changes)
                        (selfmoa-test-wait "the error of the review of changes"
                                           (lambda () (null selfmoa--pending))))))
        (should (cl-some (lambda (m) (string-match-p "\\`Self-MoA: review changes failed: .*not a git repository"
                                                     m))
                         messages)))
      (should-not (selfmoa-test-review-changes-text)))))

(ert-deftest selfmoa-review-changes-of-an-unknown-revision-says-so ()
  (let* ((dir (selfmoa-test-git-repository))
         (file (expand-file-name "sample.py" dir)))
    (selfmoa-test-with-file file nil
      (selfmoa-test-forget-changes-review)
      (let* (sent
             (messages
              (selfmoa-test-capturing-messages
                ;; With a prefix argument, the revision is read from the minibuffer.
                (should (= 1 (selfmoa-test-with-question "no-such-revision"
                               (setq sent (selfmoa-test-sent-arguments
                                           (lambda ()
                                             (let ((current-prefix-arg '(4)))
                                               (call-interactively #'selfmoa-review-changes))))))))
                (selfmoa-test-wait "the error of the review of changes"
                                   (lambda () (null selfmoa--pending))))))
        (should (equal (plist-get (cdar sent) :revision) "no-such-revision"))
        (should (cl-some (lambda (m) (string-match-p "\\`Self-MoA: review changes failed: .*no-such-revision"
                                                     m))
                         messages)))
      (should-not (selfmoa-test-review-changes-text)))))

(ert-deftest selfmoa-review-changes-is-cancellable ()
  (let* ((dir (selfmoa-test-git-repository))
         (file (expand-file-name "sample.py" dir)))
    (selfmoa-test-with-file file (selfmoa-test-slow-backend-url)
      (selfmoa-test-change-and-save)
      (selfmoa-test-forget-changes-review)
      (selfmoa-review-changes)
      (selfmoa-test-wait "the review of the first function"
                         (lambda () (string-search "function 1/1"
                                                   (or (selfmoa--mode-line-string) ""))))
      (should (= 1 (selfmoa-cancel)))
      (should (null selfmoa--pending))
      (let ((deadline (+ (float-time) 1.5)))
        (while (< (float-time) deadline) (accept-process-output nil 0.05)))
      (should-not (selfmoa-test-review-changes-text))
      ;; The server keeps serving.
      (selfmoa-review-changes)
      (selfmoa-test-wait "the review after the cancellation" (lambda () (null selfmoa--pending)))
      (should (string-search (format "sample.py:%d: error: " selfmoa-test-changed-line)
                             (selfmoa-test-review-changes-text))))))

(ert-deftest selfmoa-review-changes-buffer-reads-every-severity ()
  ;; No server: a response as the server would send it.
  (let* ((selfmoa-review-changes-buffer-name "*selfmoa changes unit*")
         (root (file-name-as-directory (make-temp-file "selfmoa-changes-" t)))
         (uri (lambda (path) (concat "file://" root path)))
         (finding (lambda (path line severity message)
                    `(:uri ,(funcall uri path) :range (:start (:line ,line :character 0)
                                                       :end (:line ,(1+ line) :character 0))
                      :severity ,severity :message ,message)))
         (result `(:root ,(directory-file-name root) :revision "main...HEAD"
                   :findings ,(vector (funcall finding "b.py" 2 "hint" "Consider a name.")
                                      (funcall finding "a.py" 9 "warning" "Off by one:\n  100% sure")
                                      (funcall finding "a.py" 0 "error" "Crashes.")
                                      (funcall finding "a.py" 4 "info" "Slow."))
                   :reviewed 3 :skipped 2 :notes ["image.png is binary"]
                   :stats (:seconds 1.5 :forwardPasses 9)))
         (buffer (selfmoa--show-changes-review
                  result `(:revision "main...HEAD" :workspace (:root ,root)))))
    (unwind-protect
        (with-current-buffer buffer
          (should (derived-mode-p 'compilation-mode))
          (should (equal default-directory root))
          (should (equal (buffer-string)
                         (concat "Self-MoA review of the changes of main...HEAD in "
                                 (abbreviate-file-name root) " (1.5 s, 9 forward passes)\n"
                                 "a.py:1: error: Crashes.\n"
                                 "a.py:5: info: Slow.\n"
                                 "a.py:10: warning: Off by one: 100% sure\n"
                                 "b.py:3: note: Consider a name.\n"
                                 "Note: image.png is binary\n")))
          (should (equal header-line-format
                         (concat "Self-MoA review of main...HEAD: 3 functions reviewed, "
                                 "4 findings, 2 skipped, 1 note (image.png is binary)  (g: again)")))
          (should (eq (key-binding "g") #'revert-buffer))
          ;; compilation-mode reads each line's file, line and type (2 error, 1 warning, 0 info).
          (compilation--ensure-parse (point-max))
          (should (equal (mapcar (lambda (line)
                                   (goto-char (point-min))
                                   (forward-line line)
                                   (let ((message (get-text-property (point) 'compilation-message)))
                                     (and message
                                          (list (caar (compilation--loc->file-struct
                                                       (compilation--message->loc message)))
                                                (compilation--loc->line
                                                 (compilation--message->loc message))
                                                (compilation--message->type message)))))
                                 '(0 1 2 3 4 5))
                         '(nil ("a.py" 1 2) ("a.py" 5 0) ("a.py" 10 1) ("b.py" 3 0) nil))))
      (kill-buffer buffer)
      (setq next-error-last-buffer nil))))

(provide 'selfmoa-test)
;;; selfmoa-test.el ends here
