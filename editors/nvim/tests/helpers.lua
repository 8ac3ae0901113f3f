-- Test support: paths, the stand-in backend, waiting with timeouts, a tiny runner whose last
-- line is `N passed, N failed`.

local H = {}

H.tests_dir = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
H.plugin_dir = vim.fn.fnamemodify(H.tests_dir, ':h')
H.editors_dir = vim.fn.fnamemodify(H.plugin_dir, ':h')
H.fixtures = H.editors_dir .. '/tests/fixtures'
H.expect = vim.json.decode(table.concat(vim.fn.readfile(H.fixtures .. '/expect.json'), '\n'))

--- Print a line on stdout (headless Neovim has no message area worth reading).
function H.out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

--- Wait until `cond()` is truthy; error with `what` after `ms` milliseconds.
function H.wait_for(what, ms, cond)
  local value
  local ok = vim.wait(ms, function()
    value = cond()
    return value
  end, 50)
  if not ok then
    error(('timed out after %d ms waiting for %s'):format(ms, what), 2)
  end
  return value
end

--- Stand-in backends started by the tests.
H.backends = {}

--- Start a stand-in backend (env SELFMOA_STANDIN) with the rules of standin-rules.json (or env
--- SELFMOA_STANDIN_RULES) and `extra` arguments (e.g. { '--token-delay-ms', '40' }); returns its
--- URL.
function H.start_standin(extra)
  local standin = os.getenv('SELFMOA_STANDIN')
  assert(standin and standin ~= '', 'set SELFMOA_STANDIN (or SELFMOA_BACKEND_URL)')
  local port
  local buffered = ''
  local rules = os.getenv('SELFMOA_STANDIN_RULES') or (H.fixtures .. '/standin-rules.json')
  local cmd = { standin, '--port', '0', '--rules', rules }
  vim.list_extend(cmd, extra or {})
  table.insert(H.backends, vim.system(cmd, {
    stdin = true, -- the stand-in serves until its stdin closes
    stdout = function(_, data)
      if data and not port then
        buffered = buffered .. data
        port = buffered:match('PORT (%d+)')
      end
    end,
    stderr = function() end,
  }))
  local ok = vim.wait(15000, function()
    return port ~= nil
  end, 20)
  assert(ok, 'the stand-in backend printed no PORT line within 15 s')
  return 'http://127.0.0.1:' .. port
end

--- The backend of the tests: SELFMOA_BACKEND_URL, or else a stand-in started now.
function H.start_backend()
  local url = os.getenv('SELFMOA_BACKEND_URL')
  if url and url ~= '' then
    return url
  end
  return H.start_standin()
end

function H.stop_backend()
  for _, backend in ipairs(H.backends) do
    pcall(function()
      backend:write(nil)
    end)
    pcall(function()
      backend:kill(15)
    end)
  end
  H.backends = {}
end

--- The selfmoa client of `bufnr` once it is initialised.
function H.wait_client(bufnr)
  return H.wait_for('selfmoa-lsp to attach and initialise', 30000, function()
    local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'selfmoa' })[1]
    return client and client.initialized and client or nil
  end)
end

--- Messages given to vim.notify, recorded.
H.notifications = {}
vim.notify = function(msg, level)
  table.insert(H.notifications, { msg = msg, level = level })
end

function H.notified(pattern)
  for _, n in ipairs(H.notifications) do
    if n.msg:find(pattern) then
      return n
    end
  end
end

function H.assert_eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(('%s: expected %s, got %s'):format(what or 'value', vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

function H.assert_contains(haystack, needle, what)
  if not (type(haystack) == 'string' and haystack:find(needle, 1, true)) then
    error(('%s: expected to contain %q, got %s'):format(what or 'text', needle, vim.inspect(haystack)), 2)
  end
end

--- Wait until no request of the plugin is in flight, so that a late response of one test is
--- not taken for an answer in the next one.
function H.wait_idle(ms)
  return vim.wait(ms or 60000, function()
    return #require('selfmoa.actions').pending == 0
  end, 50)
end

--- Run `tests` (a list of { name, fn }) in order; returns the number failed.
function H.run(tests)
  local passed, failed = 0, 0
  for _, t in ipairs(tests) do
    local start = vim.uv.hrtime()
    local ok, err = xpcall(t[2], debug.traceback)
    local ms = (vim.uv.hrtime() - start) / 1e6
    if ok then
      passed = passed + 1
      H.out(('ok - %s (%.0f ms)'):format(t[1], ms))
    else
      failed = failed + 1
      H.out(('not ok - %s (%.0f ms)'):format(t[1], ms))
      for line in tostring(err):gmatch('[^\n]+') do
        H.out('    ' .. line)
      end
    end
    if not H.wait_idle() then
      H.out('    (requests still in flight after the test: ' .. vim.inspect(require('selfmoa.actions').pending) .. ')')
    end
    pcall(vim.cmd, 'silent! %bwipeout!')
  end
  H.out(('%d passed, %d failed'):format(passed, failed))
  return failed
end

return H
