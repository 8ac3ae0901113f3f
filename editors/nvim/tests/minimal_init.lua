-- Init file of the headless tests: sets up the plugin the way README.md tells a new user to
-- (its "runtimepath" snippet, run as written with only the paths replaced), then points the
-- server at the stand-in backend and logs to a file.
--
--   SELFMOA_LSP=/path/to/selfmoa-lsp SELFMOA_STANDIN=/path/to/selfmoa-standin-backend \
--     nvim --headless --clean -u editors/nvim/tests/minimal_init.lua -c 'luafile editors/nvim/tests/run.lua'

local tests_dir = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local plugin_dir = vim.fn.fnamemodify(tests_dir, ':h')
local server = os.getenv('SELFMOA_LSP')
assert(server and server ~= '', 'set SELFMOA_LSP to the selfmoa-lsp binary')

--- The lua code block that follows `<!-- snippet: NAME -->` in README.md.
local function readme_snippet(name)
  local readme = table.concat(vim.fn.readfile(plugin_dir .. '/README.md'), '\n')
  local block = readme:match('<!%-%- snippet: ' .. name .. ' %-%->%s*```lua\n(.-)\n```')
  assert(block, 'README.md has no snippet ' .. name)
  return block
end

--- `text` with every `from` replaced by `to`, literally.
local function replace(text, from, to)
  return (text:gsub(vim.pesc(from), (to:gsub('%%', '%%%%'))))
end

local snippet = readme_snippet('runtimepath')
snippet = replace(snippet, "vim.fn.expand('~/src/selfmoa-lsp/.build/debug/selfmoa-lsp')", vim.inspect(server))
snippet = replace(snippet, "vim.fn.expand('~/src/selfmoa-lsp/editors/nvim')", vim.inspect(plugin_dir))
assert(snippet:find(server, 1, true), 'the README snippet no longer names the binary the way the test expects')
assert(load(snippet, '=README.md'))()

-- The lazy.nvim snippet cannot run without lazy.nvim; check that it is a valid plugin spec.
local spec = assert(load('return ' .. readme_snippet('lazy'):gsub(',%s*$', ''), '=README.md (lazy)'))()
assert(spec.dir and spec.opts and spec.opts.cmd, 'the lazy.nvim snippet lost dir/opts/cmd')

package.path = tests_dir .. '/?.lua;' .. package.path
local H = require('helpers')
H.log_file = vim.fn.tempname() .. '-selfmoa-lsp.log'
vim.lsp.config('selfmoa', {
  cmd = { server, '--log-file', H.log_file },
  init_options = {
    backend = { url = H.start_backend() },
    -- explain synthesises here, so an answer streaming over the draft is exercised; the shipped
    -- default chooses a candidate, which arrives whole.
    explain = { samples = 2, answer = 'synthesis' },
    review = { samples = 2 },
    complete = { samples = 2 },
  },
})

vim.o.swapfile = false
vim.o.shadafile = 'NONE'
_G.selfmoa_test_init_done = true
