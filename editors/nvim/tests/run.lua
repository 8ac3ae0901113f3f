-- Headless tests of the Neovim integration against the real selfmoa-lsp. Run after
-- minimal_init.lua; quits Neovim with status 1 when a test fails.

if not _G.selfmoa_test_init_done then
  io.stdout:write('minimal_init.lua failed (see above)\n0 passed, 1 failed\n')
  vim.cmd('cquit 1')
end
local H = require('helpers')
local E = H.expect

local dir = vim.fn.tempname()
vim.fn.mkdir(dir, 'p')
local counter = 0

--- A fresh copy of the sample file, edited in the current window, with the client attached.
local function open_sample()
  counter = counter + 1
  local path = ('%s/sample%d.py'):format(dir, counter)
  vim.fn.writefile(vim.fn.readfile(H.fixtures .. '/sample.py'), path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  return bufnr, H.wait_client(bufnr)
end

--- A fresh copy of the sample file in a directory of its own, so a new client (with the
--- configuration in force) serves it.
local function open_sample_alone()
  local alone = vim.fn.tempname()
  vim.fn.mkdir(alone, 'p')
  local path = alone .. '/sample.py'
  vim.fn.writefile(vim.fn.readfile(H.fixtures .. '/sample.py'), path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  return bufnr, H.wait_client(bufnr)
end

--- Run `fn` with the selfmoa config's init_options changed by `init_options` (for the clients
--- started meanwhile), then stop those clients and restore the options.
local function with_init_options(init_options, fn)
  local saved = vim.deepcopy(vim.lsp.config.selfmoa.init_options)
  local before = {}
  for _, c in ipairs(vim.lsp.get_clients({ name = 'selfmoa' })) do
    before[c.id] = true
  end
  vim.lsp.config('selfmoa', { init_options = init_options })
  local ok, err = xpcall(fn, debug.traceback)
  H.wait_idle(30000)
  vim.lsp.config('selfmoa', { init_options = saved })
  for _, c in ipairs(vim.lsp.get_clients({ name = 'selfmoa' })) do
    if not before[c.id] then
      c:stop(true)
    end
  end
  assert(ok, err)
end

--- A stand-in that streams slowly (a pause after every word), for watching results stream in;
--- the backend of SELFMOA_BACKEND_URL when no stand-in is at hand.
local slow_backend
local function slow_backend_url()
  if not slow_backend then
    local standin = os.getenv('SELFMOA_STANDIN')
    slow_backend = (standin and standin ~= '') and H.start_standin({ '--token-delay-ms', '30' })
      or vim.lsp.config.selfmoa.init_options.backend.url
  end
  return slow_backend
end

--- Records every update of the result window (the `User SelfMoAResult` event): what it showed,
--- where, and where the user was. Returns the list and a function that stops recording.
local function record_results()
  local seen = {}
  local id = vim.api.nvim_create_autocmd('User', {
    pattern = 'SelfMoAResult',
    callback = function(ev)
      local d = ev.data
      local title
      if d.win and vim.api.nvim_win_is_valid(d.win) then
        local config = vim.api.nvim_win_get_config(d.win)
        if config.relative ~= '' then
          title = type(config.title) == 'table'
              and table.concat(vim.tbl_map(function(chunk)
                return chunk[1]
              end, config.title))
            or config.title
        else
          title = vim.wo[d.win].winbar
        end
      end
      table.insert(seen, {
        kind = d.kind,
        partial = d.partial,
        phase = d.phase,
        label = d.label,
        win = d.win,
        bufnr = d.bufnr,
        title = title,
        text = table.concat(vim.api.nvim_buf_get_lines(d.bufnr, 0, -1, false), '\n'),
        current_win = vim.api.nvim_get_current_win(),
        cursor = vim.api.nvim_win_get_cursor(0),
        mode = vim.api.nvim_get_mode().mode,
      })
    end,
  })
  return seen, function()
    pcall(vim.api.nvim_del_autocmd, id)
  end
end

--- The last final result of `kind` among `seen`, once it came.
local function final_of(seen, kind)
  for i = #seen, 1, -1 do
    if seen[i].kind == kind and not seen[i].partial then
      return seen[i]
    end
  end
end

--- Replace vim.ui.input by a stub answering `answer`; returns the list of prompts it got and a
--- function restoring the original.
local function stub_input(answer)
  local original = vim.ui.input
  local prompts = {}
  vim.ui.input = function(opts, on_confirm)
    table.insert(prompts, opts and opts.prompt or '')
    on_confirm(answer)
  end
  return prompts, function()
    vim.ui.input = original
  end
end

local function result_text()
  local result = require('selfmoa.result')
  if not (result.bufnr and vim.api.nvim_buf_is_valid(result.bufnr)) then
    return nil
  end
  return table.concat(vim.api.nvim_buf_get_lines(result.bufnr, 0, -1, false), '\n')
end

local function selfmoa_diagnostics(bufnr)
  return vim.tbl_filter(function(d)
    return d.source == 'selfmoa'
  end, vim.diagnostic.get(bufnr))
end

local progress = {}
vim.api.nvim_create_autocmd('LspProgress', {
  callback = function(ev)
    local client = vim.lsp.get_client_by_id(ev.data.client_id)
    if client and client.name == 'selfmoa' then
      table.insert(progress, ev.data.params.value)
    end
  end,
})

local tests = {}
local function test(name, fn)
  table.insert(tests, { name, fn })
end

test('the client announces experimental.selfmoa.results and only attaches to files', function()
  local bufnr, client = open_sample()
  H.assert_eq(true, vim.tbl_get(client.capabilities, 'experimental', 'selfmoa', 'results'), 'capability')
  H.assert_eq(true, vim.tbl_get(client.capabilities, 'experimental', 'selfmoa', 'ask'), 'ask capability')
  H.assert_eq(true, client.capabilities.window.workDoneProgress, 'workDoneProgress kept from Neovim defaults')
  H.assert_eq(dir, client.root_dir, 'root is the file directory when there is no .git')
  H.assert_eq(vim.uri_from_bufnr(bufnr), vim.uri_from_fname(vim.api.nvim_buf_get_name(bufnr)), 'uri')
  local scratch = vim.api.nvim_create_buf(true, false)
  vim.api.nvim_set_current_buf(scratch)
  vim.bo[scratch].filetype = 'python'
  vim.wait(300)
  H.assert_eq(0, #vim.lsp.get_clients({ bufnr = scratch, name = 'selfmoa' }), 'clients on a buffer without a file')
end)

test(':1,5SelfMoAExplain shows the explanation in a float that q closes', function()
  local bufnr = open_sample()
  local source_win = vim.api.nvim_get_current_win()
  progress = {}
  vim.cmd(('%d,%dSelfMoAExplain'):format(E.explain_lines[1], E.explain_lines[2]))
  local text = H.wait_for('the explanation', 60000, function()
    local t = result_text()
    return t and t:find(E.explain_contains, 1, true) and t
  end)
  H.assert_contains(text, E.explain_contains, 'explanation')
  local result = require('selfmoa.result')
  local win = result.windows()[1]
  assert(win, 'no window shows the result')
  H.assert_eq('markdown', vim.bo[result.bufnr].filetype, 'filetype')
  H.assert_eq('explain', vim.b[result.bufnr].selfmoa_kind, 'kind')
  assert(vim.api.nvim_win_get_config(win).relative ~= '', 'the result window is not floating')
  H.wait_for('the response to be handled', 10000, function()
    return #require('selfmoa.actions').pending == 0
  end)
  assert(H.notified('explain done'), 'no "explain done" message: ' .. vim.inspect(H.notifications))
  -- Progress reached LspProgress (fidget.nvim, statusline) with our title.
  local titles = vim.tbl_map(function(v)
    return v.kind .. ':' .. tostring(v.title)
  end, progress)
  assert(vim.tbl_contains(titles, 'begin:Self-MoA: explain'), 'progress seen: ' .. vim.inspect(titles))
  assert(
    vim.tbl_contains(vim.tbl_map(function(v)
      return v.kind
    end, progress), 'end'),
    'no progress end'
  )
  -- The result did not take the focus; :SelfMoAResult goes into it, `q` there closes it and
  -- returns to the source window, and :SelfMoAResult opens it again on the same result.
  H.assert_eq(source_win, vim.api.nvim_get_current_win(), 'window while the result shows')
  vim.cmd('SelfMoAResult')
  H.assert_eq(win, vim.api.nvim_get_current_win(), 'window after :SelfMoAResult')
  local shown = result_text()
  vim.api.nvim_feedkeys('q', 'x', false)
  H.assert_eq(0, #result.windows(), 'result windows after q')
  H.assert_eq(source_win, vim.api.nvim_get_current_win(), 'window after q')
  H.assert_eq(bufnr, vim.api.nvim_get_current_buf(), 'buffer after q')
  vim.cmd('SelfMoAResult')
  H.assert_eq(1, #result.windows(), 'result windows after :SelfMoAResult')
  H.assert_eq(result.windows()[1], vim.api.nvim_get_current_win(), 'window after the second :SelfMoAResult')
  H.assert_eq(shown, result_text(), 'the result shown again')
  vim.api.nvim_feedkeys('q', 'x', false)
end)

test("result.style = 'split' shows the result in a split", function()
  local config = require('selfmoa.config')
  local saved = config.options
  config.apply({ result = { style = 'split' } })
  local ok, err = pcall(function()
    open_sample()
    vim.cmd('SelfMoAExplain')
    H.wait_for('the explanation', 60000, function()
      return (result_text() or ''):find(E.explain_contains, 1, true)
    end)
    H.wait_for('the final result', 60000, function()
      return H.notified('explain done')
    end)
    local win = require('selfmoa.result').windows()[1]
    assert(win, 'no window shows the result')
    H.assert_eq('', vim.api.nvim_win_get_config(win).relative, 'relative (a split is not floating)')
    H.assert_eq(2, #vim.api.nvim_tabpage_list_wins(0), 'windows in the tab')
    H.assert_contains(vim.wo[win].winbar, 'Self-MoA: explain — ', 'winbar (the label)')
    assert(vim.api.nvim_get_current_win() ~= win, 'the split took the focus')
  end)
  config.options = saved
  require('selfmoa.result').close()
  assert(ok, err)
end)

test(':SelfMoAReview publishes selfmoa diagnostics with a quick fix', function()
  local bufnr = open_sample()
  vim.cmd('SelfMoAReview')
  local diags = H.wait_for('selfmoa diagnostics', 60000, function()
    local d = selfmoa_diagnostics(bufnr)
    return #d > 0 and d
  end)
  local finding
  for _, d in ipairs(diags) do
    if d.message:find(E.review_contains, 1, true) then
      finding = d
    end
  end
  assert(finding, 'no finding mentions ' .. E.review_contains .. ': ' .. vim.inspect(diags))
  H.assert_eq(E.review_line, finding.lnum, 'line of the finding')
  H.wait_for('the review response', 10000, function()
    return H.notified('review done')
  end)
  H.assert_contains(result_text(), E.review_contains, 'review markdown')

  -- The fix of the finding, through vim.lsp.buf.code_action as a user would apply it.
  require('selfmoa.result').close()
  vim.api.nvim_win_set_cursor(0, { finding.lnum + 1, finding.col })
  local before = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      return action.kind == 'quickfix'
    end,
  })
  local after = H.wait_for('the quick fix to change the buffer', 20000, function()
    local now = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
    return now ~= before and now
  end)
  H.assert_contains(after, E.review_replacement_contains, 'buffer after the quick fix')
end)

test('the "Self-MoA: explain this code" code action runs through the plugin', function()
  open_sample()
  H.notifications = {}
  require('selfmoa.result').close()
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  vim.lsp.buf.code_action({ apply = true, context = { only = { 'source.selfmoa.explain' }, diagnostics = {} } })
  -- The command goes through the config's `commands`, so it is tracked like :SelfMoAExplain.
  H.wait_for('the request to be tracked', 10000, function()
    return #require('selfmoa.actions').pending > 0 or H.notified('explain done')
  end)
  H.wait_for('the explanation', 60000, function()
    return (result_text() or ''):find(E.explain_contains, 1, true)
  end)
  H.wait_for('the explain response', 10000, function()
    return H.notified('explain done')
  end)
end)

test('explain streams: the draft, then the answer, replace each other in place without taking the focus', function()
  with_init_options({ backend = { url = slow_backend_url() }, explain = { samples = 4, answer = 'synthesis' } }, function()
    local bufnr = open_sample_alone()
    vim.api.nvim_win_set_cursor(0, { 3, 4 })
    local source_win = vim.api.nvim_get_current_win()
    require('selfmoa.result').close()
    H.notifications = {}
    local seen, stop = record_results()
    local statuses = {}
    local status_au = vim.api.nvim_create_autocmd('LspProgress', {
      callback = function()
        table.insert(statuses, vim.lsp.status())
      end,
    })
    vim.cmd(('%d,%dSelfMoAExplain'):format(E.explain_lines[1], E.explain_lines[2]))
    local ok, err = pcall(H.wait_for, 'the final explanation', 90000, function()
      return final_of(seen, 'explain') and H.notified('explain done')
    end)
    stop()
    vim.api.nvim_del_autocmd(status_au)
    assert(ok, err)

    local final = final_of(seen, 'explain')
    local first = seen[1]
    -- The draft came first, labelled as such, with text, several times (it grows)...
    H.assert_eq(true, first.partial, 'the first update is partial')
    H.assert_eq('draft', first.phase, 'the first update is the draft')
    H.assert_eq('draft · 1 of 4 samples', first.label, 'label of the draft')
    H.assert_contains(first.title, 'draft · 1 of 4 samples', 'title while the draft streams')
    local drafts, answers = 0, 0
    local final_at
    for i, u in ipairs(seen) do
      if u.partial and u.phase == 'draft' then
        drafts = drafts + 1
        assert(answers == 0 and not final_at, 'a draft came after the answer started: ' .. vim.inspect(u))
      elseif u.partial and u.phase == 'answer' then
        answers = answers + 1
        assert(not final_at, 'a partial result came after the final one')
      elseif u == final then
        final_at = i
      end
    end
    assert(drafts >= 2, ('the draft did not stream (%d updates)'):format(drafts))
    assert(answers >= 1, 'no partial answer was shown')
    assert(final_at == #seen, 'updates after the final result')
    local last_draft
    for _, u in ipairs(seen) do
      if u.phase == 'draft' and u.text ~= '' then
        last_draft = u
      end
    end
    assert(last_draft and #last_draft.text > #first.text, 'the draft text did not grow')
    -- ... in one window and buffer, updated in place, while the user stayed where they were.
    for _, u in ipairs(seen) do
      H.assert_eq(first.win, u.win, 'result window of every update')
      H.assert_eq(first.bufnr, u.bufnr, 'result buffer of every update')
      H.assert_eq(source_win, u.current_win, 'current window during the stream')
      H.assert_eq({ 3, 4 }, u.cursor, 'cursor during the stream')
    end
    assert(first.win, 'no window showed the draft')
    H.assert_eq(1, #require('selfmoa.result').windows(), 'result windows')
    H.assert_eq(source_win, vim.api.nvim_get_current_win(), 'current window after the result')
    H.assert_eq(bufnr, vim.api.nvim_get_current_buf(), 'current buffer after the result')
    H.assert_eq({ 3, 4 }, vim.api.nvim_win_get_cursor(0), 'cursor after the result')
    -- The final result replaced the text, with its label and the cost report.
    H.assert_eq('Self-MoA · 4 samples', final.label, 'label of the final result')
    H.assert_eq('Self-MoA: explain — Self-MoA · 4 samples', vim.trim(final.title), 'final title')
    H.assert_contains(final.text, E.explain_contains, 'final text')
    H.assert_contains(final.text, 'forward passes', 'cost report under the final text')
    H.assert_eq(final.text, result_text(), 'the buffer holds the final text')
    H.assert_eq(false, vim.b[first.bufnr].selfmoa_partial, 'b:selfmoa_partial at the end')
    -- Progress reached Neovim's own UI: LspProgress, and vim.lsp.status() for the statusline.
    local status_seen = vim.tbl_filter(function(line)
      return line:find('Self-MoA: explain', 1, true) ~= nil
    end, statuses)
    assert(#status_seen > 0, 'vim.lsp.status() never named the explanation: ' .. vim.inspect(statuses))
  end)
end)

test('a result window closed while the text streams in stays closed until the final result', function()
  with_init_options({ backend = { url = slow_backend_url() }, explain = { samples = 4, answer = 'synthesis' } }, function()
    open_sample_alone()
    local result = require('selfmoa.result')
    result.close()
    H.notifications = {}
    local seen, stop = record_results()
    vim.cmd('SelfMoAExplain')
    local ok, err = pcall(function()
      H.wait_for('the draft', 60000, function()
        return #seen > 0 and seen[1].win
      end)
      vim.api.nvim_win_close(seen[1].win, true) -- the user closes it
      local closed_at = #seen
      H.wait_for('more of the text', 60000, function()
        return #seen > closed_at + 1
      end)
      H.assert_eq(0, #result.windows(), 'result windows while the rest streams in')
      H.wait_for('the final explanation', 90000, function()
        return final_of(seen, 'explain')
      end)
      for i = closed_at + 1, #seen - 1 do
        H.assert_eq(nil, seen[i].win, 'window of a partial result after the close')
      end
      H.assert_eq(1, #result.windows(), 'result windows after the final result')
      H.assert_contains(result_text(), E.explain_contains, 'final text')
    end)
    stop()
    assert(ok, err)
  end)
end)

test('the same text again does not touch the result buffer', function()
  local result = require('selfmoa.result')
  local stream = {}
  local update = {
    kind = 'explain', markdown = 'one\ntwo', label = 'draft · 1 of 4 samples', phase = 'draft', partial = true,
  }
  result.render(update, stream)
  local tick = vim.api.nvim_buf_get_changedtick(result.bufnr)
  result.render(update, stream)
  H.assert_eq(tick, vim.api.nvim_buf_get_changedtick(result.bufnr), 'changedtick after the same text')
  -- Text that grows at its end: the lines before stay as they are.
  local changed = {}
  vim.api.nvim_buf_attach(result.bufnr, false, {
    on_lines = function(_, _, _, first)
      table.insert(changed, first)
    end,
  })
  result.render(vim.tbl_extend('force', update, { markdown = 'one\ntwo three\nfour' }), stream)
  H.assert_eq({ 1 }, changed, 'first line rewritten')
  result.close()
end)

test(':SelfMoAAsk {question} answers about the function at the cursor, with the question on top', function()
  local bufnr = open_sample()
  vim.api.nvim_win_set_cursor(0, { 3, 4 })
  local source_win = vim.api.nvim_get_current_win()
  require('selfmoa.result').close()
  H.notifications = {}
  local seen, stop = record_results()
  local sent = {}
  local client = require('selfmoa.actions').client_for(bufnr)
  local request = client.request
  client.request = function(self, method, params, ...)
    table.insert(sent, vim.deepcopy(params))
    return request(self, method, params, ...)
  end
  local ok, err = pcall(function()
    vim.cmd('SelfMoAAsk ' .. E.ask_question)
    H.wait_for('the answer', 60000, function()
      return final_of(seen, 'ask') and H.notified('ask done')
    end)
  end)
  client.request = request
  stop()
  assert(ok, err)
  H.assert_eq('selfmoa.ask', sent[1].command, 'command')
  H.assert_eq(E.ask_question, sent[1].arguments[1].question, 'question sent')
  H.assert_eq({ start = { line = 2, character = 5 }, ['end'] = { line = 2, character = 5 } },
    sent[1].arguments[1].range, 'an empty range at the cursor: the server takes the function')
  local final = final_of(seen, 'ask')
  local lines = vim.split(final.text, '\n')
  H.assert_eq('> ' .. E.ask_question, lines[1], 'the question on top')
  local answer = table.concat(vim.list_slice(lines, 2), '\n')
  H.assert_contains(answer, E.ask_contains, 'the answer')
  H.assert_contains(answer, 'ZeroDivisionError', 'the answer')
  H.assert_contains(final.title, 'Self-MoA: ask', 'title')
  H.assert_eq('ask', vim.b[final.bufnr].selfmoa_kind, 'kind')
  for _, u in ipairs(seen) do
    H.assert_eq(source_win, u.current_win, 'current window while the answer streams in')
    if u.text ~= '' then
      H.assert_eq('> ' .. E.ask_question, vim.split(u.text, '\n')[1], 'the question on top of every update')
    end
  end
end)

test(':SelfMoAAsk without a question asks for it with vim.ui.input; an empty answer sends nothing', function()
  local bufnr = open_sample()
  require('selfmoa.result').close()
  local actions = require('selfmoa.actions')
  -- Cancelled (nil) or empty: nothing is sent, nothing said.
  for _, answer in ipairs({ vim.NIL, '', '   ' }) do
    H.notifications = {}
    local prompts, restore = stub_input(answer ~= vim.NIL and answer or nil)
    local id = require('selfmoa').ask()
    restore()
    H.assert_eq(1, #prompts, 'prompts for ' .. vim.inspect(answer))
    H.assert_eq(nil, id, 'request id')
    H.assert_eq(0, #actions.pending, 'requests in flight after ' .. vim.inspect(answer))
    H.assert_eq({}, H.notifications, 'messages after ' .. vim.inspect(answer))
  end
  -- A question typed at the prompt, about a visual selection (the range it sends).
  local prompts, restore = stub_input(E.ask_question)
  vim.api.nvim_buf_call(bufnr, function()
    vim.cmd(('%d,%dSelfMoAAsk'):format(E.explain_lines[1], E.explain_lines[2]))
  end)
  restore()
  H.assert_eq({ 'Self-MoA: ask about this code: ' }, prompts, 'prompt')
  H.assert_eq(1, #actions.pending, 'requests in flight')
  H.assert_eq('ask', actions.pending[1].kind, 'kind')
  H.wait_for('the answer', 60000, function()
    return H.notified('ask done')
  end)
  H.assert_contains(result_text(), '> ' .. E.ask_question, 'question in the result')
  H.assert_contains(result_text(), 'ZeroDivisionError', 'answer in the result')
end)

test('the "Self-MoA: ask about this code" code action asks for the question in the client', function()
  local bufnr, client = open_sample()
  require('selfmoa.result').close()
  H.notifications = {}
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 1, character = 0 }, ['end'] = { line = 1, character = 0 } },
    context = { diagnostics = {} },
  }
  local response = client:request_sync('textDocument/codeAction', params, 10000, bufnr)
  local titles = vim.tbl_map(function(a)
    return a.title
  end, response and response.result or {})
  assert(vim.tbl_contains(titles, 'Self-MoA: ask about this code'), 'actions offered: ' .. vim.inspect(titles))
  assert(vim.lsp.commands['selfmoa.ask'], 'no client-side handler in vim.lsp.commands')

  -- Cancelled at the prompt: nothing sent.
  local prompts, restore = stub_input(nil)
  vim.lsp.buf.code_action({ apply = true, context = { only = { 'source.selfmoa.ask' }, diagnostics = {} } })
  H.wait_for('the prompt', 10000, function()
    return #prompts > 0
  end)
  restore()
  vim.wait(200)
  H.assert_eq(0, #require('selfmoa.actions').pending, 'requests in flight after a cancelled prompt')

  prompts, restore = stub_input(E.ask_question)
  vim.lsp.buf.code_action({ apply = true, context = { only = { 'source.selfmoa.ask' }, diagnostics = {} } })
  local ok, err = pcall(function()
    H.wait_for('the prompt', 10000, function()
      return #prompts > 0
    end)
    H.assert_eq(1, #require('selfmoa.actions').pending, 'requests in flight')
    H.wait_for('the answer', 60000, function()
      return H.notified('ask done')
    end)
  end)
  restore()
  assert(ok, err)
  H.assert_contains(result_text(), '> ' .. E.ask_question, 'question in the result')
  H.assert_contains(result_text(), 'ZeroDivisionError', 'answer in the result')
end)

test('the progress echo names the action', function()
  local echoed = {}
  local echo = vim.api.nvim_echo
  vim.api.nvim_echo = function(chunks)
    table.insert(echoed, chunks[1][1])
  end
  require('selfmoa.progress').echo()
  local ok, err = pcall(function()
    open_sample()
    H.notifications = {}
    vim.cmd('SelfMoAExplain')
    H.wait_for('the explanation', 60000, function()
      return H.notified('explain done')
    end)
  end)
  vim.api.nvim_echo = echo
  vim.api.nvim_create_augroup('selfmoa.progress', { clear = true })
  assert(ok, err)
  assert(vim.iter(echoed):any(function(e)
    return vim.startswith(e, 'Self-MoA: explain: ')
  end), 'echoed: ' .. vim.inspect(echoed))
  H.assert_eq('Self-MoA: explain — done', echoed[#echoed], 'last echo')
end)

test(':SelfMoAComplete inserts code at the cursor', function()
  local bufnr = open_sample()
  local lines_before = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_win_set_cursor(0, { E.complete_line + 1, 4 })
  vim.cmd('SelfMoAComplete')
  -- The code uses a module the file does not import: the import comes in the same edit, on
  -- top, so the completed line moves down by one.
  local line = H.wait_for('the completion in the buffer', 60000, function()
    local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, E.complete_line, E.complete_line + 4, false), '\n')
    return text:find(E.complete_contains, 1, true) and text
  end)
  H.assert_contains(line, E.complete_contains, 'completed lines')
  H.assert_eq({ E.complete_import }, vim.api.nvim_buf_get_lines(bufnr, 0, 1, false), 'the import on the first line')
  -- The lines between are untouched.
  H.assert_eq(
    vim.fn.readfile(H.fixtures .. '/sample.py', '', E.complete_line),
    vim.api.nvim_buf_get_lines(bufnr, 1, E.complete_line + 1, false),
    'lines before the cursor'
  )
  assert(vim.api.nvim_buf_line_count(bufnr) >= lines_before, 'lines were lost')
  H.wait_for('the complete response', 10000, function()
    return H.notified('completion applied, with import textwrap')
  end)
end)

test(':SelfMoAComplete in a JavaScript function inserts the body only, and the file still parses', function()
  counter = counter + 1
  local path = ('%s/scale%d.js'):format(dir, counter)
  vim.fn.writefile({ '/** Scales every value by k. */', 'const scale = (values, k) => {', '', '};', '', 'module.exports = { scale };' }, path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  H.wait_client(bufnr)
  -- The empty line an editor leaves between `{` and `}`.
  vim.api.nvim_win_set_cursor(0, { 3, 0 })
  vim.cmd('SelfMoAComplete')
  local text = H.wait_for('the body in the buffer', 60000, function()
    local t = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
    return t:find('values.map', 1, true) and t
  end)
  assert(not text:find('console.log', 1, true), 'the appended test code was inserted:\n' .. text)
  assert(not text:find('Test cases', 1, true), 'the appended comment was inserted:\n' .. text)
  local closers = vim.tbl_filter(function(l)
    return vim.trim(l) == '};'
  end, vim.api.nvim_buf_get_lines(bufnr, 0, -1, false))
  H.assert_eq(1, #closers, 'closing delimiters in:\n' .. text)
  H.assert_eq(6, vim.api.nvim_buf_line_count(bufnr), 'lines in:\n' .. text)
  H.assert_eq('const scale = (values, k) => {', vim.api.nvim_buf_get_lines(bufnr, 1, 2, false)[1], 'the header is untouched')
  if vim.fn.executable('node') == 1 then
    local copy = path .. '.check.js'
    vim.fn.writefile(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), copy)
    local out = vim.fn.system({ 'node', '--check', copy })
    H.assert_eq(0, vim.v.shell_error, 'node --check:\n' .. out .. '\n' .. text)
  end
end)

test(':SelfMoACancel cancels a running request and the server keeps serving', function()
  open_sample()
  H.notifications = {}
  progress = {}
  require('selfmoa.result').close()
  vim.cmd('SelfMoAExplain')
  H.assert_eq(1, #require('selfmoa.actions').pending, 'requests in flight')
  H.wait_for('the explanation to start', 10000, function()
    return #progress > 0
  end)
  vim.cmd('SelfMoACancel')
  H.assert_eq(0, #require('selfmoa.actions').pending, 'requests in flight after cancel')
  assert(H.notified('cancelled 1 request'), 'no cancel message: ' .. vim.inspect(H.notifications))
  -- The server ends the progress of a cancelled command with "cancelled".
  H.wait_for('progress to end as cancelled', 10000, function()
    for _, v in ipairs(progress) do
      if v.kind == 'end' then
        return v.message == 'cancelled' or error('progress ended with ' .. vim.inspect(v))
      end
    end
  end)
  vim.wait(500)
  assert(not H.notified('explain done'), 'the cancelled request was reported as done')
  H.assert_eq(0, #require('selfmoa.result').windows(), 'result windows after the cancellation')
  vim.cmd('SelfMoAExplain')
  H.wait_for('a request after the cancellation', 60000, function()
    return H.notified('explain done')
  end)
end)

--- Run git in `repo` (with a committer of its own, whatever the user's configuration); returns
--- its output.
local function git(repo, args)
  local cmd = { 'git', '-C', repo, '-c', 'user.name=Self-MoA tests', '-c', 'user.email=tests@selfmoa.invalid',
    '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null' }
  local out = vim.fn.system(vim.list_extend(cmd, args))
  assert(vim.v.shell_error == 0, ('git %s failed: %s'):format(table.concat(args, ' '), out))
  return out
end

--- A new git repository with the sample file and a note committed.
local function sample_repo()
  local repo = vim.fn.tempname()
  vim.fn.mkdir(repo, 'p')
  git(repo, { 'init', '-q' })
  vim.fn.writefile(vim.fn.readfile(H.fixtures .. '/sample.py'), repo .. '/sample.py')
  vim.fn.writefile({ 'Notes of the sample.' }, repo .. '/NOTES.txt')
  git(repo, { 'add', '.' })
  git(repo, { 'commit', '-q', '-m', 'the sample' })
  return repo
end

--- The line the review of changes finds a bug on (1-based), and a change of it.
local CHANGED_LINE = 5
local CHANGED_TEXT = '    return total / len(values)  # the mean'

--- Record the commands `client` sends; returns the list and a function that stops recording.
local function record_commands(client)
  local sent = {}
  local request = client.request
  client.request = function(self, method, params, ...)
    if method == 'workspace/executeCommand' then
      table.insert(sent, vim.deepcopy(params))
    end
    return request(self, method, params, ...)
  end
  return sent, function()
    client.request = request
  end
end

--- The quickfix list as the tests compare it: title, and per item the file (symbolic links
--- resolved), line, column, type and text.
local function quickfix()
  local list = vim.fn.getqflist({ title = 0, items = 0, nr = 0, winid = 0 })
  local items = vim.tbl_map(function(item)
    return {
      file = vim.fn.resolve(vim.api.nvim_buf_get_name(item.bufnr)),
      lnum = item.lnum,
      col = item.col,
      type = item.type,
      text = item.text,
    }
  end, list.items)
  return { title = list.title, items = items, nr = list.nr, winid = list.winid }
end

--- The finding the stand-in's review gives on the changed line, among the quickfix items.
local function the_finding(items, path)
  for _, item in ipairs(items) do
    if item.text:find(E.review_contains, 1, true) then
      H.assert_eq(vim.fn.resolve(path), item.file, 'file of the finding')
      H.assert_eq(CHANGED_LINE, item.lnum, 'line of the finding')
      H.assert_eq(1, item.col, 'column of the finding')
      H.assert_eq('E', item.type, 'type of the finding')
      return item
    end
  end
  error('no quickfix item mentions ' .. E.review_contains .. ': ' .. vim.inspect(items))
end

test(':SelfMoAReviewChanges reviews the working tree and fills the quickfix list', function()
  local repo = sample_repo()
  local path = repo .. '/sample.py'
  local lines = vim.fn.readfile(path)
  lines[CHANGED_LINE] = CHANGED_TEXT
  vim.fn.writefile(lines, path)
  -- The changed file stays closed: the client starts on another file of the repository.
  vim.cmd.edit(vim.fn.fnameescape(repo .. '/NOTES.txt'))
  local client = H.wait_client(vim.api.nvim_get_current_buf())
  H.assert_eq(repo, client.root_dir, 'root of the client')
  local source_win = vim.api.nvim_get_current_win()
  -- A list of the user's: the review's goes on top of it, not in its place.
  vim.fn.setqflist({}, ' ', { title = 'the user list', items = { { filename = path, lnum = 1, text = 'mine' } } })
  local before = vim.fn.getqflist({ nr = 0 }).nr
  H.notifications = {}
  progress = {}
  local sent, stop = record_commands(client)
  local ok, err = pcall(function()
    vim.cmd('SelfMoAReviewChanges')
    H.assert_eq(1, #require('selfmoa.actions').pending, 'requests in flight')
    H.wait_for('the review of changes', 120000, function()
      return H.notified('Self%-MoA: review of changes: reviewed')
    end)
  end)
  stop()
  assert(ok, err)
  H.assert_eq({ { command = 'selfmoa.reviewChanges', arguments = { { root = vim.uri_from_fname(repo) } } } },
    sent, 'the command sent')
  local qf = quickfix()
  H.assert_eq('Self-MoA review of changes', qf.title, 'title of the quickfix list')
  H.assert_eq(before + 1, qf.nr, 'the review of changes is a new list')
  the_finding(qf.items, path)
  for _, item in ipairs(qf.items) do
    H.assert_eq(CHANGED_LINE, item.lnum, 'line of every finding (only changed lines are kept)')
  end
  local summary = H.notified('Self%-MoA: review of changes: reviewed')
  H.assert_contains(summary.msg, ('reviewed 1 changed function, %d finding'):format(#qf.items), 'summary')
  assert(qf.winid ~= 0, 'the quickfix window is not open')
  H.assert_eq(source_win, vim.api.nvim_get_current_win(), 'current window after the review')
  H.assert_eq('the user list', vim.fn.getqflist({ nr = before, title = 0 }).title, 'the list below it')
  -- The server published the findings in the changed file, which no buffer showed.
  local diags = selfmoa_diagnostics(vim.uri_to_bufnr(vim.uri_from_fname(vim.fn.resolve(path))))
  assert(vim.iter(diags):any(function(d)
    return d.lnum == CHANGED_LINE - 1 and d.message:find(E.review_contains, 1, true) ~= nil
  end), 'diagnostics of the changed file: ' .. vim.inspect(diags))
  assert(vim.iter(progress):any(function(v)
    return v.kind == 'begin' and v.title == 'Self-MoA: review changes'
  end), 'progress seen: ' .. vim.inspect(progress))
  vim.cmd('cclose')
end)

test(':SelfMoAReviewChanges REV reviews a commit, with the file open', function()
  local repo = sample_repo()
  local path = repo .. '/sample.py'
  vim.cmd.edit(vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  local client = H.wait_client(bufnr)
  -- Changed in the buffer and saved, then committed: the buffer holds what the commit has.
  vim.api.nvim_buf_set_lines(bufnr, CHANGED_LINE - 1, CHANGED_LINE, false, { CHANGED_TEXT })
  vim.cmd('silent write')
  git(repo, { 'commit', '-q', '-am', 'a comment' })
  -- The current list is an earlier review of changes: this one takes its place.
  vim.fn.setqflist({}, ' ', { title = 'Self-MoA review of changes', items = {} })
  local before = vim.fn.getqflist({ nr = '$' }).nr
  H.notifications = {}
  local sent, stop = record_commands(client)
  local ok, err = pcall(function()
    vim.cmd('SelfMoAReviewChanges HEAD~1')
    H.wait_for('the review of changes', 120000, function()
      return H.notified('Self%-MoA: review of changes: reviewed')
    end)
  end)
  stop()
  assert(ok, err)
  H.assert_eq('HEAD~1', sent[1].arguments[1].revision, 'revision sent')
  local qf = quickfix()
  H.assert_eq('Self-MoA review of changes: HEAD~1', qf.title, 'title of the quickfix list')
  H.assert_eq(before, vim.fn.getqflist({ nr = '$' }).nr, 'lists on the stack (the earlier review replaced)')
  the_finding(qf.items, path)
  -- The open buffer got the diagnostics, with the quick fix.
  local diags = selfmoa_diagnostics(bufnr)
  assert(vim.iter(diags):any(function(d)
    return d.lnum == CHANGED_LINE - 1 and d.message:find(E.review_contains, 1, true) ~= nil
  end), 'diagnostics of the open buffer: ' .. vim.inspect(diags))
  vim.cmd('cclose')
end)

test(':SelfMoAReviewChanges outside a git repository says so and leaves the quickfix list alone', function()
  -- git must not find a repository above the temporary directory either.
  local ceiling = vim.env.GIT_CEILING_DIRECTORIES
  vim.env.GIT_CEILING_DIRECTORIES = vim.fn.fnamemodify(vim.fn.tempname(), ':h')
  local ok, err = pcall(function()
    open_sample_alone()
  end)
  vim.env.GIT_CEILING_DIRECTORIES = ceiling
  assert(ok, err)
  vim.fn.setqflist({}, ' ', { title = 'the user list', items = { { filename = 'x.py', lnum = 3, text = 'mine' } } })
  local before = quickfix()
  H.notifications = {}
  vim.cmd('SelfMoAReviewChanges')
  local failed = H.wait_for('the error', 60000, function()
    return H.notified('Self%-MoA: review of changes failed')
  end)
  H.assert_eq(vim.log.levels.ERROR, failed.level, 'level of the message')
  H.assert_contains(failed.msg, 'not in a git repository', 'message')
  H.assert_eq(0, #require('selfmoa.actions').pending, 'requests in flight')
  H.assert_eq(before, quickfix(), 'the quickfix list')
  H.assert_eq(0, vim.fn.getqflist({ winid = 0 }).winid, 'quickfix window')
end)

test(':SelfMoACancel cancels a review of changes', function()
  with_init_options({ backend = { url = slow_backend_url() } }, function()
    local repo = sample_repo()
    local lines = vim.fn.readfile(repo .. '/sample.py')
    lines[CHANGED_LINE] = CHANGED_TEXT
    vim.fn.writefile(lines, repo .. '/sample.py')
    vim.cmd.edit(vim.fn.fnameescape(repo .. '/NOTES.txt'))
    H.wait_client(vim.api.nvim_get_current_buf())
    vim.fn.setqflist({}, ' ', { title = 'the user list', items = {} })
    H.notifications = {}
    progress = {}
    require('selfmoa').review_changes()
    H.wait_for('the review to reach the model', 20000, function()
      return vim.iter(progress):any(function(v)
        return type(v.message) == 'string' and v.message:find('function 1/1', 1, true) ~= nil
      end)
    end)
    vim.cmd('SelfMoACancel')
    H.assert_eq(0, #require('selfmoa.actions').pending, 'requests in flight after cancel')
    assert(H.notified('cancelled 1 request'), 'no cancel message: ' .. vim.inspect(H.notifications))
    H.wait_for('progress to end as cancelled', 20000, function()
      for _, v in ipairs(progress) do
        if v.kind == 'end' then
          return v.message == 'cancelled' or error('progress ended with ' .. vim.inspect(v))
        end
      end
    end)
    vim.wait(300)
    assert(not H.notified('review of changes: reviewed'), 'the cancelled review was reported')
    H.assert_eq('the user list', vim.fn.getqflist({ title = 0 }).title, 'the quickfix list')
  end)
end)

test(':checkhealth selfmoa finds the binary and runs doctor', function()
  vim.cmd('checkhealth selfmoa')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  H.assert_contains(text, 'found ' .. vim.fn.exepath(os.getenv('SELFMOA_LSP')), 'health report')
  H.assert_contains(text, 'doctor', 'health report')
  assert(not text:find('ERROR'), 'health report has errors:\n' .. text)
end)

test('ranges are sent in UTF-16 and the cursor range is empty', function()
  local actions = require('selfmoa.actions')
  local bufnr = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_set_current_buf(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, { 'x = "héllo 😀"', 'y = 1' })
  H.assert_eq({ start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 14 } },
    actions.line_range(bufnr, 1, 1, 'utf-16'), 'utf-16 range')
  H.assert_eq({ start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 17 } },
    actions.line_range(bufnr, 1, 1, 'utf-8'), 'utf-8 range')
  vim.api.nvim_win_set_cursor(0, { 2, 2 })
  H.assert_eq({ start = { line = 1, character = 3 }, ['end'] = { line = 1, character = 3 } },
    actions.cursor_range(bufnr, 'utf-16'), 'cursor range (after the character under the cursor)')
end)

test('setup({ keymaps = true }) maps the default keys in Normal and Visual mode', function()
  local config = require('selfmoa.config')
  local saved = config.options
  require('selfmoa').setup({ cmd = vim.lsp.config.selfmoa.cmd, keymaps = true })
  config.options = saved
  for _, lhs in ipairs({ '<leader>me', '<leader>ma', '<leader>mr', '<leader>mc', '<leader>mx' }) do
    assert(vim.fn.maparg(lhs, 'n') ~= '', 'no Normal mode mapping for ' .. lhs)
    assert(vim.fn.maparg(lhs, 'x') ~= '', 'no Visual mode mapping for ' .. lhs)
  end
  H.assert_eq(':SelfMoAReview<CR>', vim.fn.maparg('<leader>mr', 'n'), 'review mapping')
  H.assert_eq(':SelfMoAAsk<CR>', vim.fn.maparg('<leader>ma', 'x'), 'ask mapping')
  H.assert_eq('', vim.fn.maparg('<leader>mg', 'n'), 'no default key for the review of changes')
  -- A table picks the keys; the review of changes has one only there.
  require('selfmoa').setup({ cmd = vim.lsp.config.selfmoa.cmd, keymaps = { review_changes = '<leader>mg' } })
  config.options = saved
  H.assert_eq('<Cmd>SelfMoAReviewChanges<CR>', vim.fn.maparg('<leader>mg', 'n'), 'review of changes mapping')
end)

test('the cost report becomes one line under the result', function()
  local line = require('selfmoa.result').stats_line({
    mode = 'selfmoa', samples = 4, failedSamples = 1, aggregated = true, forwardPasses = 5,
    promptTokens = 2310, prefilledTokens = 1204, completionTokens = 640, totalSeconds = 41.34,
  })
  H.assert_eq('_Self-MoA · 4 samples (1 failed) · 5 forward passes · 2310 prompt (1204 prefilled) / 640 completion tokens · 41.3 s_',
    line, 'stats line')
  H.assert_eq(nil, require('selfmoa.result').stats_line({}), 'empty stats')
  H.assert_eq('_1 samples · 2.0 s (first text after 0.3 s)_',
    require('selfmoa.result').stats_line({ samples = 1, totalSeconds = 2, firstTextSeconds = 0.31 }), 'first text')
end)

test('doc/selfmoa.txt has the help tags of every command', function()
  local doc = vim.fn.tempname()
  vim.fn.mkdir(doc, 'p')
  vim.fn.writefile(vim.fn.readfile(H.plugin_dir .. '/doc/selfmoa.txt'), doc .. '/selfmoa.txt')
  vim.cmd.helptags(vim.fn.fnameescape(doc))
  local tags = {}
  for _, line in ipairs(vim.fn.readfile(doc .. '/tags')) do
    tags[line:match('^[^\t]+')] = true
  end
  for _, tag in ipairs({ 'selfmoa', 'selfmoa-setup', 'selfmoa-options', ':SelfMoAExplain', ':SelfMoAAsk',
    ':SelfMoAReview', ':SelfMoAReviewChanges', ':SelfMoAComplete', ':SelfMoACancel', ':SelfMoAResult', 'selfmoa-streaming',
    'SelfMoAResult', 'selfmoa-health', 'selfmoa.setup()' }) do
    assert(tags[tag], 'missing help tag ' .. tag)
  end
end)

local failed = H.run(tests)
for _, client in ipairs(vim.lsp.get_clients()) do
  client:stop(true)
end
H.stop_backend()
if failed > 0 and H.log_file and vim.uv.fs_stat(H.log_file) then
  H.out('--- selfmoa-lsp log (last 40 lines): ' .. H.log_file)
  local lines = vim.fn.readfile(H.log_file)
  for i = math.max(1, #lines - 39), #lines do
    H.out(lines[i])
  end
end
vim.cmd((failed > 0 and 'cquit 1' or 'qall!'))
