#!/usr/bin/env bash
# Builds the documentation site into docs/_build/html, warnings as errors.
# Installs nothing: it needs trueno importable (`pip install ".[docs]"` from a
# clone installs trueno and the site's tools, or the PYTHONPATH that
# tools/dev-build.sh prints) and Sphinx, pydata-sphinx-theme and numpydoc.
# Every build starts clean, so no page of a deleted source lingers.
# Open docs/_build/html/index.html, or serve it:
#   python -m http.server -d docs/_build/html 8000
# Extra arguments go to sphinx-build (e.g. -q).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python}
if ! "$python" -c "import sphinx, pydata_sphinx_theme, numpydoc" 2>/dev/null; then
  echo "build-docs.sh: Sphinx, pydata-sphinx-theme and numpydoc are needed: pip install \".[docs]\"" >&2
  exit 2
fi
if ! "$python" -c "import trueno" 2>/dev/null; then
  echo "build-docs.sh: trueno is not importable: pip install \".[docs]\", or set the PYTHONPATH that tools/dev-build.sh prints" >&2
  exit 2
fi
rm -rf "$root/docs/_build/html" "$root/docs/_build/doctrees"
"$python" -m sphinx -W --keep-going -b html -d "$root/docs/_build/doctrees" "$@" "$root/docs" "$root/docs/_build/html"
echo "built $(find "$root/docs/_build/html" -name '*.html' -not -path '*/_static/*' | wc -l) pages: $root/docs/_build/html/index.html"
