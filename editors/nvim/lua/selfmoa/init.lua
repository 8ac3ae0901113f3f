-- Neovim integration of selfmoa-lsp: `setup()` registers and enables the `selfmoa` LSP config
-- (from `lsp/selfmoa.lua`), and the functions behind :SelfMoAExplain, :SelfMoAAsk,
-- :SelfMoAReview, :SelfMoAReviewChanges, :SelfMoAComplete, :SelfMoACancel and :SelfMoAResult.
-- Results arrive, streamed, as the `selfmoa/result` notification (lua/selfmoa/result.lua),
-- review findings as diagnostics (and, for a review of changes, a quickfix list), completions as
-- workspace edits, progress as `LspProgress` events.

local M = {}

local function set_keymaps(keys)
  if keys == true then
    keys = require('selfmoa.config').default_keymaps
  end
  if type(keys) ~= 'table' then
    return
  end
  local function map(lhs, rhs, desc)
    if lhs then
      vim.keymap.set({ 'n', 'x' }, lhs, rhs, { desc = desc })
    end
  end
  map(keys.explain, ':SelfMoAExplain<CR>', 'Self-MoA: explain the selection or the code at the cursor')
  map(keys.ask, ':SelfMoAAsk<CR>', 'Self-MoA: ask about the selection or the code at the cursor')
  -- In Normal mode `:` adds no range (the whole buffer); in Visual mode it adds '<,'>.
  map(keys.review, ':SelfMoAReview<CR>', 'Self-MoA: review the buffer or selection')
  map(keys.complete, ':SelfMoAComplete<CR>', 'Self-MoA: complete here / implement the selection')
  map(keys.review_changes, '<Cmd>SelfMoAReviewChanges<CR>', 'Self-MoA: review the git changes of the working tree')
  map(keys.cancel, '<Cmd>SelfMoACancel<CR>', 'Self-MoA: cancel running requests')
end

--- Configure and enable the `selfmoa` language server.
---@param opts table|nil see |selfmoa-setup|
function M.setup(opts)
  local options = require('selfmoa.config').apply(opts)
  local overrides = {}
  if options.cmd then
    overrides.cmd = options.cmd
  end
  if opts and opts.init_options then
    overrides.init_options = options.init_options
  end
  if next(overrides) then
    vim.lsp.config('selfmoa', overrides)
  end
  if options.enable then
    vim.lsp.enable('selfmoa')
  end
  set_keymaps(options.keymaps)
  if options.echo_progress then
    require('selfmoa.progress').echo()
  end
end

--- Explain lines `line1`..`line2`, or the function or block at the cursor.
function M.explain(opts)
  return require('selfmoa.actions').run('explain', opts)
end

--- Ask `opts.question` (or, without one, what the user types at a vim.ui.input prompt) about
--- lines `line1`..`line2`, or the function or block at the cursor.
function M.ask(opts)
  return require('selfmoa.actions').ask(opts)
end

--- Review lines `line1`..`line2` of the current buffer, or all of it without a range.
function M.review(opts)
  return require('selfmoa.actions').run('review', opts)
end

--- Review the functions a git change touches, in the repository of the current buffer's
--- client: the working tree against HEAD, or `opts.revision` ("main...HEAD", a commit). At most
--- `opts.max_functions` functions (the server's default: 20). The findings fill the quickfix list.
---@param opts { revision: string|nil, max_functions: integer|nil }|nil
function M.review_changes(opts)
  return require('selfmoa.actions').review_changes(opts)
end

--- Complete at the cursor, or implement/replace lines `line1`..`line2`.
function M.complete(opts)
  return require('selfmoa.actions').run('complete', opts)
end

--- Cancel the requests in flight.
function M.cancel()
  return require('selfmoa.actions').cancel()
end

--- Go into the result window (reopened on the last result when it was closed).
function M.show_result()
  return require('selfmoa.result').focus()
end

return M
