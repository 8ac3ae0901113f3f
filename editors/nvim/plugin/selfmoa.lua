-- User commands of selfmoa-lsp; they act through the `selfmoa` client of the current buffer.
if vim.g.loaded_selfmoa then
  return
end
vim.g.loaded_selfmoa = true

local function command(name, fn, desc, range)
  vim.api.nvim_create_user_command(name, function(args)
    require('selfmoa')[fn]({ range = args.range, line1 = args.line1, line2 = args.line2 })
  end, { range = range, desc = desc })
end

command('SelfMoAExplain', 'explain', 'Self-MoA: explain the range (default: the function or block at the cursor)', true)
command('SelfMoAReview', 'review', 'Self-MoA: review the range (default: the whole buffer)', true)
command('SelfMoAComplete', 'complete', 'Self-MoA: implement the range, or complete at the cursor', true)
vim.api.nvim_create_user_command('SelfMoACancel', function()
  require('selfmoa').cancel()
end, { desc = 'Self-MoA: cancel running requests' })
