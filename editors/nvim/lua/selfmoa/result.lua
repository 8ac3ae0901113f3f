-- Showing what the server explains, answers and reviews: the `selfmoa/result` notification (and,
-- for servers that do not send it, the command's response) rendered as markdown in one scratch
-- buffer, shown in a floating window or a split, closed with `q`.
--
-- Explanations and answers stream: the server sends the text so far several times a second
-- (`"partial": true`, first the draft, then the answer), then the final result once. Every
-- update rewrites the same buffer in place, changing only the lines that changed, and the
-- window title (a float) or winbar (a split) names what is on screen (the `label`: "draft · 1 of
-- 4 samples", then "Self-MoA · 4 samples"). The result window never takes the focus: the
-- current window and its cursor stay where they are; `:SelfMoAResult` goes into it.

local M = {}

--- The result buffer, reused by every result.
M.bufnr = nil

--- What the result buffer shows: { kind, label, phase, partial, question, title, lines, stream },
--- or nil before the first result. `stream` identifies the request the text answers.
M.state = nil

--- Streams (requests whose partial results arrived) without a tracked request, by client, kind
--- and document; forgotten at their final result.
local loose_streams = {}

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
    if type(stats.firstTextSeconds) == 'number' then
      add('%.1f s (first text after %.1f s)', stats.totalSeconds, stats.firstTextSeconds)
    else
      add('%.1f s', stats.totalSeconds)
    end
  end
  if #parts == 0 then
    return nil
  end
  return '_' .. table.concat(parts, ' · ') .. '_'
end

--- Lines of the result buffer for `result` ({ kind, markdown, stats, question }): the question
--- (ask) as a quote on top, the markdown, the cost report under a rule.
---@return string[]
function M.lines(result)
  local lines = {}
  if type(result.question) == 'string' and vim.trim(result.question) ~= '' then
    for _, line in ipairs(vim.split(vim.trim(result.question), '\n', { plain = true })) do
      lines[#lines + 1] = line == '' and '>' or ('> ' .. line)
    end
    lines[#lines + 1] = ''
  end
  vim.list_extend(lines, vim.split(result.markdown or '', '\n', { plain = true }))
  local footer = M.stats_line(result.stats)
  if footer then
    vim.list_extend(lines, { '', '---', footer })
  end
  return lines
end

--- Title of the result window: "Self-MoA: explain — draft · 1 of 4 samples …" while the
--- draft streams, "Self-MoA: explain — Self-MoA · 4 samples" once final.
---@return string
function M.title(result)
  local title = 'Self-MoA: ' .. (result.kind or 'result')
  if type(result.label) == 'string' and result.label ~= '' then
    title = title .. ' — ' .. result.label
  end
  if result.partial then
    title = title .. ' …'
  end
  return title
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
  M.state = nil
  return bufnr
end

--- Windows showing the result buffer (in any tab page).
---@return integer[]
function M.windows()
  if not (M.bufnr and vim.api.nvim_buf_is_valid(M.bufnr)) then
    return {}
  end
  return vim.fn.win_findbuf(M.bufnr)
end

--- The window showing the result in the current tab page, or nil.
---@return integer|nil
local function window_here()
  for _, win in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    if vim.api.nvim_win_get_buf(win) == M.bufnr then
      return win
    end
  end
end

--- Close every window showing the result.
function M.close()
  for _, win in ipairs(M.windows()) do
    if vim.api.nvim_win_is_valid(win) and #vim.api.nvim_list_wins() > 1 then
      vim.api.nvim_win_close(win, true)
    end
  end
end

--- Replace the buffer's lines by `lines`, touching only those from the first that differs (the
--- streamed text mostly grows at its end). Returns whether anything changed.
---@return boolean
local function set_lines(bufnr, lines)
  local old = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local first = 1
  while first <= #old and first <= #lines and old[first] == lines[first] do
    first = first + 1
  end
  if first > #old and first > #lines then
    return false
  end
  vim.bo[bufnr].modifiable = true
  vim.api.nvim_buf_set_lines(bufnr, first - 1, -1, false, vim.list_slice(lines, first))
  vim.bo[bufnr].modifiable = false
  vim.bo[bufnr].modified = false
  return true
end

local function max_float_height()
  return math.max(3, math.floor((vim.o.lines - vim.o.cmdheight) * 0.7))
end

local function max_split_height()
  return math.max(5, math.floor(vim.o.lines * 0.4))
end

--- Width of a float for `lines`: their longest, within 40 columns (80 while the text streams in,
--- so it rarely needs widening) and 80 % of the screen.
local function float_width(lines, streaming)
  local width = 0
  for _, line in ipairs(lines) do
    width = math.max(width, vim.fn.strdisplaywidth(line))
  end
  local limit = math.floor(vim.o.columns * 0.8)
  return math.max(math.min(40, limit), math.min(math.max(width + 2, streaming and 80 or 40), limit))
end

--- Screen lines `win` needs for its buffer (wrapped lines counted), or the line count.
local function text_height(win, bufnr)
  local ok, height = pcall(vim.api.nvim_win_text_height, win, {})
  if ok and type(height) == 'table' and height.all then
    return height.all
  end
  return vim.api.nvim_buf_line_count(bufnr)
end

--- Show `title` on `win`: as the title of a float, the winbar of a split.
local function set_title(win, title)
  if vim.api.nvim_win_get_config(win).relative ~= '' then
    vim.api.nvim_win_set_config(win, { title = ' ' .. title .. ' ', title_pos = 'center' })
  else
    vim.wo[win].winbar = (title:gsub('%%', '%%%%'))
  end
end

--- Open a window on the result buffer, with `title`, without entering it.
---@return integer
local function open_window(bufnr, title, lines, streaming)
  local win
  if require('selfmoa.config').options.result.style == 'split' then
    win = vim.api.nvim_open_win(bufnr, false, {
      split = 'below',
      win = -1, -- along the bottom of the tab page, like :botright split
      height = math.max(5, math.min(#lines, max_split_height())),
    })
    set_title(win, title)
  else
    local width = float_width(lines, streaming)
    -- The top stays where a float of the greatest height would start: the float grows downward
    -- while the text streams in, instead of jumping up at every line.
    win = vim.api.nvim_open_win(bufnr, false, {
      relative = 'editor',
      width = width,
      height = math.max(3, math.min(#lines, max_float_height())),
      row = math.max(0, math.floor((vim.o.lines - max_float_height()) / 2) - 1),
      col = math.floor((vim.o.columns - width) / 2),
      style = 'minimal',
      border = 'rounded',
      title = ' ' .. title .. ' ',
      title_pos = 'center',
    })
  end
  vim.wo[win].wrap = true
  vim.wo[win].linebreak = true
  vim.wo[win].conceallevel = 2
  return win
end

--- Fit `win` to the text: taller (or wider, for a float) as it grows; while the text streams in
--- it never shrinks, so the layout does not jump.
local function fit_window(win, bufnr, lines, streaming)
  local needed = text_height(win, bufnr)
  local current = vim.api.nvim_win_get_height(win)
  local floating = vim.api.nvim_win_get_config(win).relative ~= ''
  if floating then
    local width = vim.api.nvim_win_get_width(win)
    local wanted = float_width(lines, streaming)
    if wanted > width or not streaming then
      width = streaming and math.max(width, wanted) or wanted
      vim.api.nvim_win_set_config(win, {
        relative = 'editor',
        width = width,
        row = math.max(0, math.floor((vim.o.lines - max_float_height()) / 2) - 1),
        col = math.floor((vim.o.columns - width) / 2),
      })
      needed = text_height(win, bufnr)
    end
    local height = math.max(3, math.min(needed, max_float_height()))
    if height ~= current and (height > current or not streaming) then
      vim.api.nvim_win_set_height(win, height)
    end
  else
    local height = math.max(5, math.min(needed, max_split_height()))
    if height > current then
      vim.api.nvim_win_set_height(win, height)
    end
  end
end

--- Render `result` ({ kind, markdown, stats, label, phase, partial, question }) in the result
--- buffer, for the request `stream` (any table that stays the same for one request, or nil).
---
--- The window opens at the first text of a request, without taking the focus. When the user
--- closes it while the text still streams in, the later partial results only update the buffer;
--- the final result reopens it, once.
---@return integer|nil the window showing the result
function M.render(result, stream)
  local bufnr = result_buffer()
  local previous = M.state
  local lines = M.lines(result)
  local title = M.title(result)
  local changed = set_lines(bufnr, lines)
  vim.b[bufnr].selfmoa_kind = result.kind
  vim.b[bufnr].selfmoa_label = result.label
  if result.partial then
    vim.b[bufnr].selfmoa_phase = result.phase -- 'draft' or 'answer'
  else
    vim.b[bufnr].selfmoa_phase = 'final'
  end
  vim.b[bufnr].selfmoa_partial = result.partial == true
  M.state = {
    kind = result.kind,
    label = result.label,
    phase = result.phase,
    partial = result.partial == true,
    question = result.question,
    title = title,
    stream = stream,
  }
  local same_stream = previous ~= nil and stream ~= nil and previous.stream == stream

  local win = window_here()
  local opened = false
  -- A window that showed this request's text is gone: the user closed it while the text
  -- streamed in. Only the final result brings it back (once: there is one final result).
  if not win and not (stream and stream.shown and result.partial) then
    win = open_window(bufnr, title, lines, result.partial)
    opened = true
  end
  if win then
    if stream then
      stream.shown = true
    end
    if not opened and (previous and previous.title) ~= title then
      set_title(win, title)
    end
    if changed or opened then
      fit_window(win, bufnr, lines, result.partial)
    end
    -- Never move the cursor of a user reading the result in its window; otherwise show the top
    -- of a new or final text, and the newest lines of a text streaming in.
    if win ~= vim.api.nvim_get_current_win() then
      local phase_changed = not same_stream or previous.phase ~= result.phase
      if opened or phase_changed or not result.partial then
        vim.api.nvim_win_set_cursor(win, { 1, 0 })
      elseif changed then
        vim.api.nvim_win_set_cursor(win, { vim.api.nvim_buf_line_count(bufnr), 0 })
      end
    end
  end

  vim.api.nvim_exec_autocmds('User', {
    pattern = 'SelfMoAResult',
    modeline = false,
    data = {
      kind = result.kind,
      label = result.label,
      phase = result.phase,
      partial = result.partial == true,
      bufnr = bufnr,
      win = win,
    },
  })
  return win
end

--- Show a final `result` ({ kind, markdown, stats, label?, question? }), e.g. from a command's
--- response; returns the window.
---@return integer|nil
function M.show(result, stream)
  return M.render(vim.tbl_extend('force', result, { partial = false }), stream)
end

--- Go into the result window, opening it again on the last result when it was closed.
---@return integer|nil the window, or nil when there has been no result yet
function M.focus()
  if not (M.bufnr and vim.api.nvim_buf_is_valid(M.bufnr) and M.state) then
    vim.notify('Self-MoA: no result yet', vim.log.levels.INFO)
    return nil
  end
  local win = window_here()
  if not win then
    local lines = vim.api.nvim_buf_get_lines(M.bufnr, 0, -1, false)
    win = open_window(M.bufnr, M.state.title, lines, M.state.partial)
    fit_window(win, M.bufnr, lines, false)
  end
  vim.api.nvim_set_current_win(win)
  return win
end

--- Called when requests are cancelled: a text of theirs still streaming in is closed.
---@param streams table[]
function M.abandon(streams)
  local state = M.state
  if not (state and state.partial and state.stream) then
    return
  end
  for _, s in ipairs(streams) do
    if s == state.stream then
      state.partial = false
      state.stream = nil
      M.close()
      return
    end
  end
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
  local partial = params.partial == true
  local keep, entry = require('selfmoa.actions').claim(ctx.client_id, params.kind, params.uri, partial)
  if not keep then
    return -- the answer to a request cancelled with :SelfMoACancel
  end
  if type(params.markdown) ~= 'string' or (params.markdown == '' and not partial) then
    return
  end
  local stream = entry
  if not stream then
    local key = ('%s %s %s'):format(ctx.client_id, tostring(params.kind), tostring(params.uri))
    stream = loose_streams[key] or {}
    loose_streams[key] = partial and stream or nil
  end
  M.render({
    kind = params.kind,
    markdown = params.markdown,
    stats = params.stats,
    label = params.label,
    phase = params.phase,
    partial = partial,
    question = params.question,
  }, stream)
end

return M
