"""Sphinx configuration of the qlrules documentation: ``make docs`` builds it with -W."""

from __future__ import annotations

import qlrules

project = "qlrules"
author = "qlrules contributors"
copyright = "qlrules contributors, MIT License"  # noqa: A001 - Sphinx's name
version = release = qlrules.__version__

extensions = [
    "qlrules.sphinxext",  # the rubric directive, the roles, the index and the qlrules lexer
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx_click",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path: list[str] = []

# The prose is English, so Sphinx's own labels (Parameters, Return type, the
# search box, table headers such as "role") are English too; the rubric and its
# official wording are Chinese, so the search index segments Chinese words with
# jieba (a docs dependency; without it the Chinese of a page would not be searchable).
language = "en"
html_search_language = "zh"
# The command-line reference (sphinx-click) shows the commands' help in English too, whatever
# the locale of the machine that builds it: the help is translated when it is read.
qlrules.set_language("en")
# Sphinx would otherwise load jieba's default dictionary a second time, as a "user"
# dictionary (several seconds, same words); jieba already segments with it.
html_search_options = {"dict": ""}

# -- qlrules ----------------------------------------------------------------
# Bare ids in roles (:qlrules:clause:`6.1c`) mean the seed rubric unless the page
# renders another one; the tutorial's rubric is named explicitly.
qlrules_default_rubric = "qinglian-jiguan"

try:  # jieba reports its dictionary loading at DEBUG level on stderr; the build log needs none of it
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
except ImportError:  # pragma: no cover - without jieba, Chinese words are simply not indexed
    pass

# -- MyST ------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
# language.md links its own headings GitHub-style (#1-at-a-glance).
myst_heading_anchors = 3

# -- autodoc ----------------------------------------------------------------
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# -- doctest ----------------------------------------------------------------
doctest_global_setup = """
from decimal import Decimal
import qlrules
"""

# -- HTML -------------------------------------------------------------------
html_theme = "furo"
html_title = f"qlrules {release}"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_theme_options = {"navigation_with_keys": True}
html_show_sourcelink = False


# -- the grammar page's ```lark block ---------------------------------------
# Pygments has no lexer for Lark grammars; this one is enough for src/qlrules/language/qlrules.lark.


def _lark_lexer() -> type:
    from pygments.lexer import RegexLexer
    from pygments.token import Comment, Keyword, Name, Operator, Punctuation, String, Text

    class LarkLexer(RegexLexer):
        name = "Lark"
        aliases = ["lark"]
        tokens = {
            "root": [
                (r"//[^\n]*", Comment.Single),
                (r"%\w+", Keyword),
                (r"->", Operator),
                (r'"(?:[^"\\\n]|\\.)*"i?', String),
                (r"/(?:[^/\\\n]|\\.)+/[imslux]*", String.Regex),
                (r"^\??[a-z_][a-z_0-9]*(?=\s*:)", Name.Function),
                (r"^[A-Z_][A-Z_0-9]*(?=\s*:)", Name.Constant),
                (r"[A-Z_][A-Z_0-9]*", Name.Constant),
                (r"[a-z_][a-z_0-9]*", Name),
                (r"[:|()\[\]*+?~.,]", Punctuation),
                (r"[\s\S]", Text),
            ]
        }

    return LarkLexer


def setup(app):  # noqa: ANN001, ANN201 - Sphinx's hook
    app.add_lexer("lark", _lark_lexer())
