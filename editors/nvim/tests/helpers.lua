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

--- Start the stand-in backend (env SELFMOA_STANDIN) unless SELFMOA_BACKEND_URL names one;
--- returns the backend URL.
function H.start_backend()
  local url = os.getenv('SELFMOA_BACKEND_URL')
  if url and url ~= '' then
    return url
  end
  local standin = os.getenv('SELFMOA_STANDIN')
  assert(standin and standin ~= '', 'set SELFMOA_STANDIN (or SELFMOA_BACKEND_URL)')
  local port
  local buffered = ''
  H.backend = vim.system(
    { standin, '--port', '0', '--rules', os.getenv('SELFMOA_STANDIN_RULES') or (H.fixtures .. '/standin-rules.json') },
    {
      stdin = true, -- the stand-in serves until its stdin closes
      stdout = function(_, data)
        if data and not port then
          buffered = buffered .. data
          port = buffered:match('PORT (%d+)')
        end
      end,
      stderr = function() end,
    }
  )
  local ok = vim.wait(15000, function()
    return port ~= nil
  end, 20)
  assert(ok, 'the stand-in backend printed no PORT line within 15 s')
  return 'http://127.0.0.1:' .. port
end

function H.stop_backend()
  if H.backend then
    pcall(function()
      H.backend:write(nil)
    end)
    pcall(function()
      H.backend:kill(15)
    end)
    H.backend = nil
  end
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
    pcall(vim.cmd, 'silent! %bwipeout!')
  end
  H.out(('%d passed, %d failed'):format(passed, failed))
  return failed
end

return H
