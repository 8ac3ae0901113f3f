-- :checkhealth selfmoa — is the server's binary there and executable, and does
-- `selfmoa-lsp doctor` find the configured backend working?

local M = {}

--- Seconds `selfmoa-lsp doctor` may take (it may start the embedded model server).
M.doctor_timeout = 120

local function resolved_config()
  local ok, config = pcall(function()
    return vim.lsp.config.selfmoa
  end)
  return ok and config or nil
end

function M.check()
  vim.health.start('selfmoa: Neovim')
  if vim.fn.has('nvim-0.11') == 1 then
    vim.health.ok('Neovim ' .. tostring(vim.version()))
  else
    vim.health.error('Neovim >= 0.11 is required (vim.lsp.config / vim.lsp.enable)')
    return
  end

  local config = resolved_config()
  if not config then
    vim.health.error("no 'selfmoa' LSP config: is editors/nvim on 'runtimepath'?")
    return
  end
  if vim.lsp.is_enabled and not vim.lsp.is_enabled('selfmoa') then
    vim.health.warn("'selfmoa' is not enabled", {
      "call require('selfmoa').setup() or vim.lsp.enable('selfmoa')",
    })
  end
  local clients = vim.lsp.get_clients({ name = 'selfmoa' })
  if #clients > 0 then
    vim.health.ok(('%d selfmoa client(s) running'):format(#clients))
  else
    vim.health.info('no selfmoa client running (it starts with the first buffer holding a file)')
  end

  vim.health.start('selfmoa: server binary')
  local cmd = config.cmd
  if type(cmd) ~= 'table' or type(cmd[1]) ~= 'string' then
    vim.health.info('cmd is a function; not checking the binary')
    return
  end
  local path = vim.fn.exepath(cmd[1])
  if path == '' then
    vim.health.error(('%s not found or not executable'):format(cmd[1]), {
      'build it with `make build` in the selfmoa-lsp repository',
      "put .build/debug on $PATH, or setup({ cmd = { '/full/path/to/selfmoa-lsp' } })",
    })
    return
  end
  vim.health.ok(('found %s'):format(path))

  local doctor = { path, 'doctor' }
  local backend = type(config.init_options) == 'table' and config.init_options.backend or nil
  if type(backend) == 'table' and type(backend.url) == 'string' then
    vim.list_extend(doctor, { '--backend-url', backend.url })
  end
  local ok, proc = pcall(vim.system, doctor, { text = true })
  if not ok then
    vim.health.error('could not run ' .. table.concat(doctor, ' ') .. ': ' .. tostring(proc))
    return
  end
  local result = proc:wait(M.doctor_timeout * 1000)
  local output = vim.trim((result.stdout or '') .. '\n' .. (result.stderr or ''))
  local advice = output ~= '' and vim.split(output, '\n', { trimempty = true }) or nil
  if result.code == 0 then
    vim.health.ok('`' .. table.concat(doctor, ' ') .. '` passed')
    for _, line in ipairs(advice or {}) do
      vim.health.info(line)
    end
  elseif result.code == 124 then
    vim.health.error(('`selfmoa-lsp doctor` took more than %ds'):format(M.doctor_timeout), advice)
  else
    vim.health.error(('`selfmoa-lsp doctor` failed (exit %d)'):format(result.code), advice)
  end
end

return M
