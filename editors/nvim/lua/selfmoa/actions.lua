-- The actions (explain, ask, review, complete) as `workspace/executeCommand` requests to the
-- selfmoa client of a buffer: building the command's single argument from a line range or the
-- cursor (and, for ask, the question, asked with vim.ui.input when not given), tracking
-- requests in flight so they can be cancelled, and reporting their responses. The review of a
-- git change (`selfmoa.reviewChanges`) goes to the client of the repository and fills the
-- quickfix list.

local M = {}

local ERROR_REQUEST_CANCELLED = -32800

--- Requests in flight: { client_id, request_id, kind, bufnr, notified }.
---@type table[]
M.pending = {}

local function notify(msg, level)
  vim.notify('Self-MoA: ' .. msg, level or vim.log.levels.INFO)
end

--- The selfmoa client attached to `bufnr`, or nil.
---@param bufnr integer
---@return vim.lsp.Client|nil
function M.client_for(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'selfmoa' })[1]
end

--- Column of byte offset `col` of `line` in the client's position encoding.
local function to_character(line, col, encoding)
  col = math.min(col, #line)
  if encoding == 'utf-8' then
    return col
  end
  return vim.str_utfindex(line, encoding, col, false)
end

local function line_text(bufnr, row)
  return vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
end

--- LSP range covering whole lines `line1`..`line2` (1-based, inclusive).
---@return lsp.Range
function M.line_range(bufnr, line1, line2, encoding)
  local last = line_text(bufnr, line2 - 1)
  return {
    start = { line = line1 - 1, character = 0 },
    ['end'] = { line = line2 - 1, character = to_character(last, #last, encoding) },
  }
end

--- Empty LSP range at the cursor of the current window (which shows `bufnr`). In Insert mode
--- the cursor sits before the character; in Normal mode after it, where `a` would insert,
--- unless the line is empty.
---@return lsp.Range
function M.cursor_range(bufnr, encoding)
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local text = line_text(bufnr, row - 1)
  if vim.api.nvim_get_mode().mode:sub(1, 1) ~= 'i' and #text > 0 then
    col = col + #vim.fn.strcharpart(text:sub(col + 1), 0, 1)
  end
  local pos = { line = row - 1, character = to_character(text, col, encoding) }
  return { start = pos, ['end'] = vim.deepcopy(pos) }
end

local function forget(client_id, request_id)
  for i, p in ipairs(M.pending) do
    if p.client_id == client_id and p.request_id == request_id then
      return table.remove(M.pending, i)
    end
  end
end

--- Requests cancelled with :SelfMoACancel, for dropping their late `selfmoa/result`.
---@type table[]
M.cancelled = {}

local function answers(p, client_id, kind, uri)
  return p.client_id == client_id and p.kind == kind and (uri == nil or p.uri == uri)
end

--- Called by the result module for every `selfmoa/result` notification: finds the request it
--- answers (the oldest in flight of its kind on its document). A final notification marks the
--- requests it may answer, so their response is not rendered a second time. Returns false when
--- the notification answers a request that was cancelled (and none of its kind on that
--- document is in flight), so it is dropped; else true and the request's entry, if known.
---@param partial boolean a partial result (more follow), not the final one
---@return boolean keep, table|nil entry
function M.claim(client_id, kind, uri, partial)
  local entry
  for _, p in ipairs(M.pending) do
    if answers(p, client_id, kind, uri) then
      if not partial then
        p.notified = true
      end
      entry = entry or p
    end
  end
  if entry then
    return true, entry
  end
  for i, c in ipairs(M.cancelled) do
    if answers(c, client_id, kind, uri) then
      if not partial then
        table.remove(M.cancelled, i) -- a final result: nothing more comes for it
      end
      return false
    end
  end
  return true, nil
end

local function summary(kind, result)
  if kind == 'review' then
    local n = type(result.findings) == 'table' and #result.findings or 0
    return ('review done, %d finding%s'):format(n, n == 1 and '' or 's')
  elseif kind == 'complete' then
    if result.applied then
      local statements = type(result.imports) == 'table' and result.imports.statements or nil
      if type(statements) == 'table' and #statements > 0 then
        return 'completion applied, with ' .. table.concat(statements, '; ')
      end
      return 'completion applied'
    end
    return 'completion not applied' .. (result.reason and (': ' .. result.reason) or '')
  end
  return kind .. ' done'
end

--- Handler of the response to request `ids.request_id` (set once the request is sent).
local function on_response(kind, client_id, ids)
  return function(err, result)
    local entry = forget(client_id, ids.request_id)
    if not entry then
      return -- cancelled with :SelfMoACancel; a result that crossed the cancellation is dropped
    end
    if err then
      if err.code == ERROR_REQUEST_CANCELLED then
        notify(kind .. ' cancelled')
      else
        notify(kind .. ' failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      end
      return
    end
    result = result or {}
    local level = (kind == 'complete' and not result.applied) and vim.log.levels.WARN
      or vim.log.levels.INFO
    notify(summary(kind, result), level)
    -- Clients that announce `experimental.selfmoa.results` get the markdown as a notification
    -- first; render the response only when none came (e.g. a server that ignores it).
    local markdown = result.markdown
    if kind == 'complete' and not result.applied and type(result.code) == 'string' then
      markdown = '```\n' .. result.code .. '\n```'
    end
    if (kind == 'complete' or not entry.notified) and type(markdown) == 'string' and markdown ~= '' then
      require('selfmoa.result').show({
        kind = kind,
        markdown = markdown,
        stats = result.stats,
        question = result.question,
      }, entry)
    end
  end
end

--- Send `selfmoa.<kind>` with `argument` to `client` for `bufnr`; returns the request id.
---@return integer|nil
function M.send(client, bufnr, kind, argument)
  local params = { command = 'selfmoa.' .. kind, arguments = { argument } }
  local ids = {}
  local entry = { client_id = client.id, kind = kind, bufnr = bufnr, uri = argument.textDocument.uri }
  -- Registered before sending: an in-process server may answer synchronously.
  table.insert(M.pending, entry)
  local ok, request_id =
    client:request('workspace/executeCommand', params, on_response(kind, client.id, ids), bufnr)
  if not ok then
    forget(client.id, nil)
    notify('could not send ' .. kind .. ' (server not running?)', vim.log.levels.ERROR)
    return nil
  end
  ids.request_id = request_id
  entry.request_id = request_id
  return request_id
end

--- The argument of `selfmoa.<kind>` for `bufnr`: the document, and the range from a user
--- command's `opts` ({ range, line1, line2 }) or the cursor of the current window.
---@return table
function M.argument(bufnr, client, kind, opts)
  opts = opts or {}
  local encoding = client.offset_encoding or 'utf-16'
  -- The version Neovim last sent in didOpen/didChange; pending changes are flushed before
  -- any request goes out, so it is the version the server sees.
  local argument = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr), version = vim.lsp.util.buf_versions[bufnr] },
  }
  local ranged = (opts.range or 0) > 0
  if ranged then
    argument.range = M.line_range(bufnr, opts.line1, opts.line2, encoding)
  elseif kind ~= 'review' then
    -- Without a range: an empty one at the cursor. Explain and ask take the enclosing
    -- function or block; complete completes there. Review takes the whole buffer.
    argument.range = M.cursor_range(bufnr, encoding)
  end
  return argument
end

--- The selfmoa client of the current buffer, or nil (with a message).
local function current_client()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client_for(bufnr)
  if not client then
    notify('no selfmoa-lsp attached to this buffer (see :checkhealth selfmoa)', vim.log.levels.ERROR)
  end
  return client, bufnr
end

--- Run an action on the current buffer.
---@param kind 'explain'|'review'|'complete'
---@param opts { range: integer, line1: integer, line2: integer }|nil  as given to a user command
---@return integer|nil request id
function M.run(kind, opts)
  local client, bufnr = current_client()
  if not client then
    return nil
  end
  return M.send(client, bufnr, kind, M.argument(bufnr, client, kind, opts))
end

--- Call `on_question(question)` with `question` when it has text, else with what the user types
--- at a vim.ui.input prompt; an empty or cancelled prompt calls nothing.
function M.with_question(question, on_question)
  if type(question) == 'string' and vim.trim(question) ~= '' then
    return on_question(vim.trim(question))
  end
  vim.ui.input({ prompt = 'Self-MoA: ask about this code: ' }, function(input)
    if type(input) == 'string' and vim.trim(input) ~= '' then
      on_question(vim.trim(input))
    end
  end)
end

--- Ask a question about the code of the current buffer: lines `line1`..`line2`, or (without a
--- range) the function or block at the cursor. Without `opts.question`, asks the user for it.
---@param opts { range: integer, line1: integer, line2: integer, question: string|nil }|nil
---@return integer|nil request id (nil when the question is still being typed, was cancelled,
--- or no client serves the buffer)
function M.ask(opts)
  opts = opts or {}
  local client, bufnr = current_client()
  if not client then
    return nil
  end
  -- The range and version now, before a prompt (maybe a float of its own) takes the cursor.
  local argument = M.argument(bufnr, client, 'ask', opts)
  local request_id
  M.with_question(opts.question, function(question)
    -- The server checks it (at most 4000 characters); its error is reported like any other.
    argument.question = question
    request_id = M.send(client, bufnr, 'ask', argument)
  end)
  return request_id
end

--- Handler for commands of code actions (the config's `commands`, and `vim.lsp.commands` for
--- `selfmoa.ask`). `selfmoa.ask` comes without a question: the user is asked for it.
function M.run_command(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local kind = command.command:match('^selfmoa%.(%a+)$')
  local argument = command.arguments and command.arguments[1]
  if not (client and kind and type(argument) == 'table') then
    notify('malformed command ' .. vim.inspect(command), vim.log.levels.ERROR)
    return
  end
  local bufnr = ctx.bufnr or vim.uri_to_bufnr(argument.textDocument.uri)
  if kind ~= 'ask' then
    M.send(client, bufnr, kind, argument)
    return
  end
  M.with_question(argument.question, function(question)
    local with_question = vim.deepcopy(argument)
    with_question.question = question
    M.send(client, bufnr, kind, with_question)
  end)
end

--- Quickfix types of the severities of `selfmoa.reviewChanges` findings.
local qf_types = { error = 'E', warning = 'W', info = 'I', hint = 'N' }

--- Title of the quickfix list of a review of changes (`revision` nil: the working tree).
---@param revision string|nil
---@return string
function M.changes_title(revision)
  return 'Self-MoA review of changes' .. (revision and (': ' .. revision) or '')
end

--- Quickfix items of the findings of a `selfmoa.reviewChanges` response, by file and line.
---@param findings table[] { uri, range, severity, message, replacement? }
---@return table[]
function M.changes_items(findings)
  local items = {}
  for i, f in ipairs(type(findings) == 'table' and findings or {}) do
    if type(f) == 'table' and type(f.uri) == 'string' then
      local start = type(f.range) == 'table' and f.range.start or {}
      items[#items + 1] = {
        filename = vim.uri_to_fname(f.uri),
        lnum = (tonumber(start.line) or 0) + 1,
        col = 1,
        type = qf_types[f.severity] or 'W',
        text = type(f.message) == 'string' and f.message or '',
        user_data = { replacement = f.replacement },
        index = i, -- keeps the server's order within a line; removed below
      }
    end
  end
  table.sort(items, function(a, b)
    if a.filename ~= b.filename then
      return a.filename < b.filename
    elseif a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return a.index < b.index
  end)
  for _, item in ipairs(items) do
    item.index = nil
  end
  return items
end

--- One line summing up a `selfmoa.reviewChanges` response: what was reviewed, found, skipped,
--- and the server's notes.
---@return string
function M.changes_summary(result)
  local function count(n, word)
    return ('%d %s%s'):format(n, word, n == 1 and '' or 's')
  end
  local findings = type(result.findings) == 'table' and #result.findings or 0
  local text = ('review of changes: reviewed %s, %s'):format(
    count(tonumber(result.reviewed) or 0, 'changed function'),
    count(findings, 'finding')
  )
  local skipped = tonumber(result.skipped) or 0
  if skipped > 0 then
    text = text .. (', %d skipped'):format(skipped)
  end
  local notes = type(result.notes) == 'table' and vim.tbl_filter(function(n)
    return type(n) == 'string' and n ~= ''
  end, result.notes) or {}
  if #notes > 0 then
    text = text .. '; ' .. table.concat(notes, '; ')
  end
  return text
end

--- Put `items` in a quickfix list titled `title`: a new list on the quickfix stack (the user's
--- lists stay there, see :colder), or in place of the current one when that holds an earlier
--- review of changes.
local function set_changes_list(title, items)
  local current = vim.fn.getqflist({ title = 0 }).title or ''
  local action = vim.startswith(current, M.changes_title(nil)) and 'r' or ' '
  vim.fn.setqflist({}, action, { title = title, items = items })
end

--- Open the quickfix window, leaving the cursor where it is: the response comes whenever the
--- review ends, maybe while the user types.
local function open_quickfix()
  local win = vim.api.nvim_get_current_win()
  local ok = pcall(vim.cmd, 'botright copen')
  if ok and vim.api.nvim_win_is_valid(win) then
    vim.api.nvim_set_current_win(win)
  end
end

--- Handler of the response to `selfmoa.reviewChanges` request `ids.request_id`.
local function on_changes_response(client_id, ids, revision)
  return function(err, result)
    if not forget(client_id, ids.request_id) then
      return -- cancelled with :SelfMoACancel
    end
    if err then
      if err.code == ERROR_REQUEST_CANCELLED then
        notify('review of changes cancelled')
      else
        notify('review of changes failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      end
      return
    end
    result = type(result) == 'table' and result or {}
    local items = M.changes_items(result.findings)
    set_changes_list(M.changes_title(revision), items)
    notify(M.changes_summary(result))
    if #items > 0 then
      open_quickfix()
    end
  end
end

--- The selfmoa client to review the changes with: the one of the current buffer, else the one
--- whose root holds the current directory (the innermost), else the only one running.
---@return vim.lsp.Client|nil
function M.changes_client()
  local client = M.client_for(vim.api.nvim_get_current_buf())
  if client then
    return client
  end
  local clients = vim.lsp.get_clients({ name = 'selfmoa' })
  local cwd = vim.fs.normalize(vim.fn.getcwd())
  local best
  for _, c in ipairs(clients) do
    local root = c.root_dir and vim.fs.normalize(c.root_dir)
    if root and (cwd == root or vim.startswith(cwd, root:gsub('/$', '') .. '/')) then
      if not best or #root > #vim.fs.normalize(best.root_dir) then
        best = c
      end
    end
  end
  return best or (#clients == 1 and clients[1] or nil)
end

--- Review the functions a git change touches: the working tree against HEAD (untracked files
--- included), or `opts.revision` ("main...HEAD", a commit). Findings become diagnostics in every
--- changed file and a quickfix list, opened when there are any.
---@param opts { revision: string|nil, max_functions: integer|nil }|nil
---@return integer|nil request id
function M.review_changes(opts)
  opts = opts or {}
  local client = M.changes_client()
  if not client then
    notify('no selfmoa-lsp running for this buffer or directory; open a file of the repository first'
      .. ' (see :checkhealth selfmoa)', vim.log.levels.ERROR)
    return nil
  end
  local revision = type(opts.revision) == 'string' and vim.trim(opts.revision) or ''
  revision = revision ~= '' and revision or nil
  local argument = vim.empty_dict()
  argument.revision = revision
  if client.root_dir then
    argument.root = vim.uri_from_fname(client.root_dir)
  end
  argument.maxFunctions = opts.max_functions
  local params = { command = 'selfmoa.reviewChanges', arguments = { argument } }
  local ids = {}
  local entry = { client_id = client.id, kind = 'reviewChanges', bufnr = vim.api.nvim_get_current_buf() }
  table.insert(M.pending, entry)
  -- No buffer given: every buffer's pending changes are flushed first, so the server compares
  -- the text of each open file as it is now with the file on disk.
  local ok, request_id =
    client:request('workspace/executeCommand', params, on_changes_response(client.id, ids, revision))
  if not ok then
    forget(client.id, nil)
    notify('could not send the review of changes (server not running?)', vim.log.levels.ERROR)
    return nil
  end
  ids.request_id = request_id
  entry.request_id = request_id
  return request_id
end

--- Cancel every request in flight (`$/cancelRequest`); returns how many. Neovim drops the
--- server's answer to a cancelled request (-32800 RequestCancelled), so they are forgotten here.
---@return integer
function M.cancel()
  local pending = M.pending
  M.pending = {}
  vim.list_extend(M.cancelled, pending)
  -- A draft or answer of theirs still streaming into the result window goes away with them.
  require('selfmoa.result').abandon(pending)
  while #M.cancelled > 20 do
    table.remove(M.cancelled, 1)
  end
  for _, p in ipairs(pending) do
    local client = vim.lsp.get_client_by_id(p.client_id)
    if client then
      client:cancel_request(p.request_id)
    end
  end
  if #pending == 0 then
    notify('nothing to cancel')
  else
    notify(('cancelled %d request%s'):format(#pending, #pending == 1 and '' or 's'))
  end
  return #pending
end

return M
