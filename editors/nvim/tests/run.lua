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
  -- `q` in the result window closes it and returns to the source window.
  vim.api.nvim_set_current_win(win)
  vim.api.nvim_feedkeys('q', 'x', false)
  H.assert_eq(0, #result.windows(), 'result windows after q')
  H.assert_eq(source_win, vim.api.nvim_get_current_win(), 'window after q')
  H.assert_eq(bufnr, vim.api.nvim_get_current_buf(), 'buffer after q')
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
    local win = require('selfmoa.result').windows()[1]
    assert(win, 'no window shows the result')
    H.assert_eq('', vim.api.nvim_win_get_config(win).relative, 'relative (a split is not floating)')
    H.assert_eq(2, #vim.api.nvim_tabpage_list_wins(0), 'windows in the tab')
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
  for _, lhs in ipairs({ '<leader>me', '<leader>mr', '<leader>mc', '<leader>mx' }) do
    assert(vim.fn.maparg(lhs, 'n') ~= '', 'no Normal mode mapping for ' .. lhs)
    assert(vim.fn.maparg(lhs, 'x') ~= '', 'no Visual mode mapping for ' .. lhs)
  end
  H.assert_eq(':SelfMoAReview<CR>', vim.fn.maparg('<leader>mr', 'n'), 'review mapping')
end)

test('the cost report becomes one line under the result', function()
  local line = require('selfmoa.result').stats_line({
    mode = 'selfmoa', samples = 4, failedSamples = 1, aggregated = true, forwardPasses = 5,
    promptTokens = 2310, prefilledTokens = 1204, completionTokens = 640, totalSeconds = 41.34,
  })
  H.assert_eq('_Self-MoA · 4 samples (1 failed) · 5 forward passes · 2310 prompt (1204 prefilled) / 640 completion tokens · 41.3 s_',
    line, 'stats line')
  H.assert_eq(nil, require('selfmoa.result').stats_line({}), 'empty stats')
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
  for _, tag in ipairs({ 'selfmoa', 'selfmoa-setup', 'selfmoa-options', ':SelfMoAExplain', ':SelfMoAReview',
    ':SelfMoAComplete', ':SelfMoACancel', 'selfmoa-health', 'selfmoa.setup()' }) do
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
