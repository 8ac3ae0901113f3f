-- Optional echo of the server's progress. Neovim turns `$/progress` into `LspProgress` events
-- by itself (fidget.nvim and the statusline read them); this only echoes ours.

local M = {}

--- Echo selfmoa's progress messages in the command line.
function M.echo()
  local group = vim.api.nvim_create_augroup('selfmoa.progress', { clear = true })
  vim.api.nvim_create_autocmd('LspProgress', {
    group = group,
    callback = function(ev)
      local client = vim.lsp.get_client_by_id(ev.data.client_id)
      local value = ev.data.params and ev.data.params.value
      if not (client and client.name == 'selfmoa' and type(value) == 'table') then
        return
      end
      local text = value.title or ''
      if value.kind == 'end' then
        -- The message of the end report ("done", "cancelled") says how it ended.
        text = (text ~= '' and text or 'Self-MoA') .. ' — ' .. (value.message or 'done')
      else
        if value.message then
          text = text .. ': ' .. value.message
        end
        if value.percentage then
          text = ('%s (%d%%)'):format(text, value.percentage)
        end
      end
      vim.api.nvim_echo({ { text } }, false, {})
    end,
  })
end

return M
