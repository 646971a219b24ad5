# Sourced by bench/faq-eval/run and bench/retrieval/run: creates (once) the private venv
# .build-py/ with the Python peers at pinned versions and sets $PYTHON.
venv="$repo/.build-py"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import bm25s, Stemmer, tantivy" 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet bm25s==0.3.16 PyStemmer==3.1.0 tantivy==0.27.0 snowballstemmer==3.1.1 numpy >&2
fi
PYTHON="$venv/bin/python"
