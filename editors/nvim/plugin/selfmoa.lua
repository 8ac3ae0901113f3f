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
-- The rest of the line is the question, `|` and `"` included; without one, a prompt asks for it.
vim.api.nvim_create_user_command('SelfMoAAsk', function(args)
  require('selfmoa').ask({ range = args.range, line1 = args.line1, line2 = args.line2, question = args.args })
end, {
  range = true,
  nargs = '*',
  desc = 'Self-MoA: ask a question about the range (default: the function or block at the cursor)',
})
-- The argument, if any, is the revision as git takes it ("main...HEAD", a commit); without it,
-- the working tree against HEAD.
vim.api.nvim_create_user_command('SelfMoAReviewChanges', function(args)
  require('selfmoa').review_changes({ revision = args.args })
end, {
  nargs = '?',
  desc = 'Self-MoA: review the functions a git change touches (default: the working tree against HEAD)',
})
vim.api.nvim_create_user_command('SelfMoACancel', function()
  require('selfmoa').cancel()
end, { desc = 'Self-MoA: cancel running requests' })
vim.api.nvim_create_user_command('SelfMoAResult', function()
  require('selfmoa').show_result()
end, { desc = 'Self-MoA: go into the result window (reopen it on the last result)' })

-- The "Self-MoA: ask about this code" code action runs `selfmoa.ask` without a question: the
-- client asks the user for it, then sends the command with it. `lsp/selfmoa.lua` routes it here
-- too; this entry serves selfmoa clients started without that config.
vim.lsp.commands['selfmoa.ask'] = function(command, ctx)
  require('selfmoa.actions').run_command(command, ctx)
end
