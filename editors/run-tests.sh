#!/usr/bin/env bash
# Tests of the editor integrations in the real editors, driving the real selfmoa-lsp against
# the stand-in backend:
#   - Neovim (headless) with editors/nvim,
#   - Emacs (batch ERT) with Eglot and editors/emacs/selfmoa.el,
#   - Emacs with lsp-mode and editors/emacs/selfmoa-lsp-mode.el (when lsp-mode is installed),
#   - both Emacs Lisp files byte-compile without warnings.
# Installs the editors first (scripts/install-editors.sh). Exits non-zero on any failure; the last
# line is `N passed, N failed`.
#
# Environment: SELFMOA_LSP (default .build/debug/selfmoa-lsp), SELFMOA_STANDIN (default
# .build/debug/selfmoa-standin-backend), SELFMOA_BACKEND_URL (use this backend instead of
# starting the stand-in), NVIM (a Neovim >= 0.11 to use instead of installing one),
# SELFMOA_SKIP_INSTALL=1 (do not run the installer), SELFMOA_EDITOR_TESTS (default
# "nvim eglot lsp-mode compile").
set -uo pipefail

editors="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$editors")"
export SELFMOA_LSP="${SELFMOA_LSP:-$root/.build/debug/selfmoa-lsp}"
export SELFMOA_STANDIN="${SELFMOA_STANDIN:-$root/.build/debug/selfmoa-standin-backend}"
suites="${SELFMOA_EDITOR_TESTS:-nvim eglot lsp-mode compile}"
suite_timeout="${SELFMOA_SUITE_TIMEOUT:-900}"

total_passed=0
total_failed=0
log_dir="$(mktemp -d)"

say() { echo "run-tests: $*"; }

if [ ! -x "$SELFMOA_LSP" ]; then
    say "no selfmoa-lsp at $SELFMOA_LSP (build it with 'swift build', or set SELFMOA_LSP)"
    echo "0 passed, 1 failed"
    exit 1
fi
if [ -z "${SELFMOA_BACKEND_URL:-}" ] && [ ! -x "$SELFMOA_STANDIN" ]; then
    say "no stand-in backend at $SELFMOA_STANDIN (build it, or set SELFMOA_STANDIN / SELFMOA_BACKEND_URL)"
    echo "0 passed, 1 failed"
    exit 1
fi

if [ "${SELFMOA_SKIP_INSTALL:-0}" != 1 ]; then
    installed="$(bash "$root/scripts/install-editors.sh" all)" || {
        say "installing the editors failed"
        echo "0 passed, 1 failed"
        exit 1
    }
    nvim_installed="$(printf '%s\n' "$installed" | sed -n 's/^NVIM=//p' | tail -1)"
fi
NVIM="${NVIM:-${nvim_installed:-nvim}}"

# Adds the counts of the `N passed, N failed` line in $2 (output of suite $1); a suite that
# printed none counts as one failure.
count() {
    local name="$1" output="$2" status="$3" line passed failed
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$output" | tail -1)"
    if [ -z "$line" ]; then
        say "$name: no summary line (exit $status); see $output"
        total_failed=$((total_failed + 1))
        return
    fi
    passed="$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')"
    failed="$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')"
    if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
        say "$name: exit $status with no failed test; counting one failure"
        failed=1
    fi
    say "$name: $passed passed, $failed failed"
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
}

run_suite() {
    local name="$1"; shift
    local output="$log_dir/$name.out"
    say "== $name"
    # Closing stdin: an editor waiting for input fails instead of hanging.
    timeout --kill-after=10 "$suite_timeout" "$@" </dev/null >"$output" 2>&1
    local status=$?
    cat "$output"
    [ "$status" -eq 124 ] && say "$name: timed out after ${suite_timeout}s"
    count "$name" "$output" "$status"
}

has_lsp_mode() {
    emacs -Q --batch --eval '(progn (require (quote package))
      (dolist (d (quote ("/usr/share/emacs/site-lisp/elpa" "/usr/local/share/emacs/site-lisp/elpa")))
        (add-to-list (quote package-directory-list) d))
      (package-initialize)
      (kill-emacs (if (locate-library "lsp-mode") 0 1)))' >/dev/null 2>&1
}

for suite in $suites; do
    case "$suite" in
        nvim)
            run_suite nvim "$NVIM" --headless --clean -u "$editors/nvim/tests/minimal_init.lua" \
                -c "lua dofile([[$editors/nvim/tests/run.lua]])"
            ;;
        eglot)
            run_suite eglot emacs -Q --batch -l "$editors/emacs/tests/selfmoa-test.el" \
                -f selfmoa-test-summary-and-exit
            ;;
        lsp-mode)
            if has_lsp_mode; then
                run_suite lsp-mode emacs -Q --batch -l "$editors/emacs/tests/selfmoa-lsp-mode-test.el" \
                    -f selfmoa-test-summary-and-exit
            else
                say "lsp-mode: not installed (Debian elpa-lsp-mode); skipped"
            fi
            ;;
        compile)
            run_suite compile emacs -Q --batch -l "$editors/emacs/tests/compile-test.el"
            ;;
        *) say "unknown suite $suite"; total_failed=$((total_failed + 1)) ;;
    esac
done

echo "${total_passed} passed, ${total_failed} failed"
[ "$total_failed" -eq 0 ]
