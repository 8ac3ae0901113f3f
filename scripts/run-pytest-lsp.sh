#!/usr/bin/env bash
# Runs the pytest-lsp suite (Tests/pytest-lsp): the real selfmoa-lsp binary over stdio, driven as the
# Neovim and Emacs clients announce themselves, with LSP specification warnings as errors.
#
# Installs the pinned Python packages (Tests/pytest-lsp/requirements.txt) into a per-user venv,
# ${XDG_CACHE_HOME:-$HOME/.cache}/selfmoa-lsp/venv, once per change of the pins. The server is
# $SELFMOA_LSP when set; otherwise this builds .build/debug/selfmoa-lsp with `swift build`.
# Extra arguments go to pytest (e.g. `-k emacs`, `-x`). Exits non-zero when any test fails and
# when no test ran at all.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="$root/Tests/pytest-lsp"
requirements="$suite/requirements.txt"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/selfmoa-lsp/venv"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"

log() { printf 'run-pytest-lsp: %s\n' "$*" >&2; }

want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" ]] || [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    command -v "$python" >/dev/null || { log "no $python on PATH: install Python 3.10 or newer"; exit 1; }
    log "installing pytest-lsp into $venv"
    mkdir -p "$(dirname "$venv")"
    if [[ ! -x "$venv/bin/python" ]]; then
        "$python" -m venv "$venv" || {
            log "could not create a venv with $python -m venv (on Debian: apt-get install python3-venv)"
            rm -rf "$venv"
            exit 1
        }
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    printf '%s\n' "$want" >"$stamp"
fi

if [[ -z "${SELFMOA_LSP:-}" ]]; then
    log "building selfmoa-lsp"
    (cd "$root" && swift build --product selfmoa-lsp >&2)
    export SELFMOA_LSP="$root/.build/debug/selfmoa-lsp"
fi

cd "$suite"
status=0
"$venv/bin/python" -m pytest "$@" || status=$?
if [[ $status -eq 5 ]]; then
    log "pytest collected no tests: that is a failure here"
    exit 1
fi
exit $status
