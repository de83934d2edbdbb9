"""Sphinx configuration of trueno's documentation site.

Build it with ``tools/build-docs.sh`` (``python -m sphinx -W -b html docs
docs/_build/html``): warnings are errors. The build works offline: no
intersphinx, and links to NumPy and the array API standard are plain links.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# trueno itself must be importable: an installed one, or a development build
# named by PYTHONPATH (tools/dev-build.sh). The source tree alone cannot
# import (its _core extension is built), so it is never put on sys.path here.
import trueno  # noqa: E402

project = "trueno"
author = "the trueno authors"
copyright = "the trueno authors"
release = trueno.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
]

templates_path = ["_templates"]
exclude_patterns = ["_build"]
root_doc = "index"
# Deterministic pages: no build date in the footer.
html_last_updated_fmt = None

# -- autodoc / autosummary / numpydoc ----------------------------------------
autosummary_generate = True
autodoc_typehints = "none"            # numpydoc's Parameters sections carry the types
autodoc_member_order = "bysource"
# Class members are listed by the API pages themselves; numpydoc's automatic
# member tables would repeat them (and warn about every undocumented one).
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# numpydoc's validation is the API-docs tests' job (tests/test_docstrings.py);
# the site build only renders.
numpydoc_validation_checks: set[str] = set()
numpydoc_xref_param_type = False

# -- HTML: the NumPy ecosystem's theme ------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"trueno {release}"
html_static_path = ["_static"]
html_css_files = ["trueno.css"]
html_theme_options = {
    # Offline: no icon fonts or analytics from a CDN, no version switcher JSON.
    "navbar_end": ["theme-switcher", "navbar-icon-links"],
    "icon_links": [],
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    # the benchmark page needs the width for its plot and tables
    "secondary_sidebar_items": {"**": ["page-toc"], "guide/benchmark": []},
}
html_favicon = "_static/trueno-icon.svg"   # without one, browsers log a 404 for /favicon.ico
# pydata-sphinx-theme leaves the mode empty unless told, and its script then
# logs a console error on a reader's first visit ("Got invalid theme mode").
html_context = {"default_mode": "auto"}
html_sidebars = {"index": [], "getting-started": []}
html_show_sourcelink = False
html_copy_source = False
