-- Showing what the server explains and reviews: the `selfmoa/result` notification (and, for
-- servers that do not send it, the command's response) rendered as markdown in one scratch
-- buffer, shown in a floating window or a split, closed with `q`.

local M = {}

--- The result buffer, reused by every result.
M.bufnr = nil

local mode_names = { selfmoa = 'Self-MoA', seq = 'Self-MoA-Seq', single = 'one sample' }

--- One line summing up the cost report (`Stats` of the protocol), or nil.
---@return string|nil
function M.stats_line(stats)
  if type(stats) ~= 'table' then
    return nil
  end
  local parts = {}
  local function add(fmt, ...)
    parts[#parts + 1] = fmt:format(...)
  end
  if type(stats.mode) == 'string' then
    add('%s', mode_names[stats.mode] or stats.mode)
  end
  if type(stats.samples) == 'number' then
    local failed = tonumber(stats.failedSamples) or 0
    add('%d samples%s', stats.samples, failed > 0 and (' (%d failed)'):format(failed) or '')
  end
  if type(stats.forwardPasses) == 'number' then
    add('%d forward passes', stats.forwardPasses)
  end
  if type(stats.promptTokens) == 'number' and type(stats.completionTokens) == 'number' then
    local prefilled = type(stats.prefilledTokens) == 'number' and (' (%d prefilled)'):format(stats.prefilledTokens) or ''
    add('%d prompt%s / %d completion tokens', stats.promptTokens, prefilled, stats.completionTokens)
  end
  if type(stats.totalSeconds) == 'number' then
    add('%.1f s', stats.totalSeconds)
  end
  if #parts == 0 then
    return nil
  end
  return '_' .. table.concat(parts, ' · ') .. '_'
end

--- Lines of the result buffer for `result` ({ kind, markdown, stats }).
---@return string[]
function M.lines(result)
  local lines = vim.split(result.markdown or '', '\n', { plain = true })
  local footer = M.stats_line(result.stats)
  if footer then
    vim.list_extend(lines, { '', '---', footer })
  end
  return lines
end

local function result_buffer()
  if M.bufnr and vim.api.nvim_buf_is_valid(M.bufnr) then
    return M.bufnr
  end
  local bufnr = vim.api.nvim_create_buf(false, true)
  vim.bo[bufnr].bufhidden = 'hide'
  vim.bo[bufnr].swapfile = false
  vim.bo[bufnr].filetype = 'markdown'
  pcall(vim.api.nvim_buf_set_name, bufnr, 'selfmoa://result')
  vim.keymap.set('n', 'q', function()
    M.close()
  end, { buffer = bufnr, nowait = true, desc = 'Close the Self-MoA result' })
  M.bufnr = bufnr
  return bufnr
end

--- Windows showing the result buffer.
---@return integer[]
function M.windows()
  if not (M.bufnr and vim.api.nvim_buf_is_valid(M.bufnr)) then
    return {}
  end
  return vim.fn.win_findbuf(M.bufnr)
end

--- Close every window showing the result.
function M.close()
  for _, win in ipairs(M.windows()) do
    if vim.api.nvim_win_is_valid(win) and #vim.api.nvim_list_wins() > 1 then
      vim.api.nvim_win_close(win, true)
    end
  end
end

local function open_float(bufnr, title, lines)
  local width = 0
  for _, line in ipairs(lines) do
    width = math.max(width, vim.fn.strdisplaywidth(line))
  end
  width = math.max(40, math.min(width + 2, math.floor(vim.o.columns * 0.8)))
  local height = math.max(3, math.min(#lines, math.floor((vim.o.lines - vim.o.cmdheight) * 0.7)))
  return vim.api.nvim_open_win(bufnr, true, {
    relative = 'editor',
    width = width,
    height = height,
    row = math.floor((vim.o.lines - height) / 2) - 1,
    col = math.floor((vim.o.columns - width) / 2),
    style = 'minimal',
    border = 'rounded',
    title = ' ' .. title .. ' ',
    title_pos = 'center',
  })
end

--- Show `result` ({ kind, markdown, stats }) in the result buffer; returns the window.
---@return integer
function M.show(result)
  local bufnr = result_buffer()
  local lines = M.lines(result)
  vim.bo[bufnr].modifiable = true
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, lines)
  vim.bo[bufnr].modifiable = false
  vim.bo[bufnr].modified = false
  vim.b[bufnr].selfmoa_kind = result.kind

  local title = 'Self-MoA: ' .. (result.kind or 'result')
  local style = require('selfmoa.config').options.result.style
  local win = M.windows()[1]
  if win then
    vim.api.nvim_set_current_win(win)
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      vim.api.nvim_win_set_config(win, { title = ' ' .. title .. ' ', title_pos = 'center' })
    end
  elseif style == 'split' then
    vim.cmd('botright split')
    win = vim.api.nvim_get_current_win()
    vim.api.nvim_win_set_buf(win, bufnr)
    vim.api.nvim_win_set_height(win, math.max(5, math.min(#lines, math.floor(vim.o.lines * 0.4))))
  else
    win = open_float(bufnr, title, lines)
  end
  vim.wo[win].wrap = true
  vim.wo[win].linebreak = true
  vim.wo[win].conceallevel = 2
  vim.api.nvim_win_set_cursor(win, { 1, 0 })
  return win
end

--- Handler of the `selfmoa/result` notification.
function M.on_notification(err, params, ctx)
  if err or type(params) ~= 'table' then
    return
  end
  -- A completion shows in the buffer itself; its response says whether it was applied.
  if params.kind == 'complete' then
    return
  end
  if not require('selfmoa.actions').mark_notified(ctx.client_id, params.kind, params.uri) then
    return -- the answer to a request cancelled with :SelfMoACancel
  end
  if type(params.markdown) ~= 'string' or params.markdown == '' then
    return
  end
  M.show({ kind = params.kind, markdown = params.markdown, stats = params.stats })
end

return M
