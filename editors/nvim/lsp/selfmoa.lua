-- The selfmoa-lsp server as a `vim.lsp.Config`, found by `vim.lsp.enable('selfmoa')` on
-- Neovim >= 0.11 once this directory is on 'runtimepath'.
--
-- It attaches to every buffer that holds a file (any filetype): it runs beside the language's
-- own server rather than replacing it. The root is the enclosing Git repository, or else the
-- file's own directory. Override any field with `vim.lsp.config('selfmoa', { ... })` or
-- `require('selfmoa').setup({ ... })`.

---@type vim.lsp.Config
return {
  cmd = { 'selfmoa-lsp' },
  -- No `filetypes`: any buffer with a filetype and a file name qualifies; `root_dir` declines
  -- buffers without a file (scratch buffers, our own result windows).
  root_dir = function(bufnr, on_dir)
    local name = vim.api.nvim_buf_get_name(bufnr)
    if name == '' or name:match('^%a[%w+.-]*://') then
      return
    end
    on_dir(vim.fs.root(bufnr, { '.git' }) or vim.fs.dirname(vim.fs.normalize(name)))
  end,
  init_options = require('selfmoa.config').defaults.init_options,
  capabilities = require('selfmoa.config').capabilities(),
  handlers = {
    ['selfmoa/result'] = function(err, params, ctx)
      require('selfmoa.result').on_notification(err, params, ctx)
    end,
  },
  -- Commands of code actions ("Self-MoA: explain this code" and the others) run here, so they
  -- are tracked, cancellable with :SelfMoACancel, and report their outcome like :SelfMoA*.
  -- "Self-MoA: ask about this code" comes without a question: the user is asked for it
  -- (plugin/selfmoa.lua also registers it in `vim.lsp.commands`, for clients started otherwise).
  commands = {
    ['selfmoa.explain'] = function(command, ctx)
      require('selfmoa.actions').run_command(command, ctx)
    end,
    ['selfmoa.ask'] = function(command, ctx)
      require('selfmoa.actions').run_command(command, ctx)
    end,
    ['selfmoa.review'] = function(command, ctx)
      require('selfmoa.actions').run_command(command, ctx)
    end,
    ['selfmoa.complete'] = function(command, ctx)
      require('selfmoa.actions').run_command(command, ctx)
    end,
  },
}
