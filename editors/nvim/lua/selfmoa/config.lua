-- Options of the Neovim integration: their defaults, the options in force, and the client
-- capabilities that announce our `selfmoa/result` notification and our prompting for the
-- question of `selfmoa.ask` to the server.

local M = {}

--- Defaults of `require('selfmoa').setup(opts)`.
M.defaults = {
  --- Command that starts the server (stdio). `nil` keeps the one of `lsp/selfmoa.lua`.
  cmd = nil,
  --- Sent as `initializationOptions`; see `:help selfmoa-options`. Empty: the server's defaults
  --- (its managed embedded model, 6 samples per action).
  init_options = vim.empty_dict(),
  --- `false`, `true` (the default keys below) or a table
  --- { explain=, ask=, review=, review_changes=, complete=, cancel= }.
  keymaps = false,
  --- How explanations, answers and reviews are shown: 'float' or 'split'.
  result = { style = 'float' },
  --- Echo the server's progress messages (fidget.nvim and the statusline get them anyway).
  echo_progress = false,
  --- Call `vim.lsp.enable('selfmoa')` from setup().
  enable = true,
}

--- Keys used by `keymaps = true`. `review_changes` has none by default (<leader>mc is complete's):
--- give it one in a `keymaps` table.
M.default_keymaps = {
  explain = '<leader>me',
  ask = '<leader>ma',
  review = '<leader>mr',
  complete = '<leader>mc',
  cancel = '<leader>mx',
}

--- Options in force; setup() replaces them.
M.options = vim.deepcopy(M.defaults)

--- Merge user options over the defaults and make them the ones in force.
---@param opts table|nil
---@return table
function M.apply(opts)
  opts = opts or {}
  vim.validate('opts.cmd', opts.cmd, 'table', true)
  vim.validate('opts.init_options', opts.init_options, 'table', true)
  vim.validate('opts.result', opts.result, 'table', true)
  local merged = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts)
  if opts.cmd then
    merged.cmd = opts.cmd -- a list replaces, never merges element by element
  end
  local style = merged.result.style
  if style ~= 'float' and style ~= 'split' then
    error(("selfmoa: result.style must be 'float' or 'split', not %s"):format(vim.inspect(style)))
  end
  M.options = merged
  return merged
end

--- Client capabilities: Neovim's own, plus `experimental.selfmoa.results`, which asks the
--- server for `selfmoa/result` notifications (streamed: partial ones, then the final one)
--- instead of `window/showMessage`, and `experimental.selfmoa.ask`: we ask the user for the
--- question when the "Self-MoA: ask about this code" code action runs `selfmoa.ask` without one,
--- so the server offers that action.
---@return lsp.ClientCapabilities
function M.capabilities()
  return vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), {
    experimental = { selfmoa = { results = true, ask = true } },
  })
end

return M
