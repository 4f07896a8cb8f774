"""A Sphinx extension for this book's pages: navigation, layout on every screen, a lighter site.

What it adds (the files are in book/_static, the template in book/_ext/templates):

- gru-site.js: the sidebar and page-contents buttons work. pydata-sphinx-theme 0.17 and
  sphinx-book-theme 1.3 bind their click handlers to the *first* `.primary-toggle` and
  `.secondary-toggle` of the page, which are the hidden ones in pydata's header; the buttons a
  reader sees (in the article header) do nothing. The script forwards their clicks to the bound
  ones, so both themes' own behaviour runs: on a wide screen the sidebar collapses and comes back,
  on a narrow one it opens as a drawer. It also marks boxes that scroll sideways, so that the CSS
  can fade the side where more content is, and lets prose-like printed outputs wrap.
- gru-explorer.js: chapter 11's explorer of one GRU step, computed in the page itself (a static
  page has no kernel for the notebook's ipywidgets); only on a page with a div.gru-explorer.
- gru-site.css: maths, tables, code and outputs fit or scroll inside their own box, never cut;
  one grey box per cell's printed output; tables stack on a phone when they do not fit.
- No Font Awesome script: the theme loads fontawesome.js (1.5 MB) on every page only to swap its
  icons for SVGs. The theme's stylesheet already draws the same icons from Font Awesome's web fonts,
  which every page downloads anyway, so the template drops the script and the icons stay.
- A lighter build: sphinx-mathjax-offline copies all of MathJax (24 MB) into _static; the pages
  load only tex-chtml.js and its fonts. After the build the copy is pruned to what the pages use
  and what MathJax may load on demand (TeX packages it autoloads, the menu and its accessibility
  tools with English speech rules); source maps, the theme's translation catalogues, Font Awesome's
  TrueType fonts (the stylesheet lists a WOFF2 first, which every current browser takes) and the
  removed script go too.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATIC = HERE.parent / "_static"
TEMPLATES = HERE / "templates"

# What stays of _static/mathjax: the component the pages load, its fonts, and what it can load on demand.
MATHJAX_KEEP = (
    "tex-chtml.js",                 # TeX in, CommonHTML out, menu and assistive MathML included
    "output/chtml/fonts/woff-v2",   # its fonts
    "input/tex/extensions",         # TeX packages it autoloads (\boldsymbol, \cancel, textmacros, ...)
    "ui",                           # the menu's lazy and safe modes
    "a11y",                         # the menu's accessibility options: explorer, speech, enrichment
    "input/mml.js",                 # which semantic enrichment loads
    "sre/mathmaps/base.json",       # speech rules they fetch: the base set, English and Nemeth braille
    "sre/mathmaps/en.json",
    "sre/mathmaps/nemeth.json",
)

FONTAWESOME_JS = re.compile(r'\s*<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*>\s*</script>')


def without_fontawesome_js(html: str) -> str:
    """The theme's <head> assets without the <script> that loads fontawesome.js."""
    from markupsafe import Markup
    return Markup(FONTAWESOME_JS.sub("", str(html)))


def _paths(app, config):
    config.html_static_path.append(str(STATIC))
    config.templates_path.insert(0, str(TEMPLATES))


def _template_filter(app):
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["without_fontawesome_js"] = without_fontawesome_js


def _kept(relative: str) -> bool:
    return any(relative == keep or relative.startswith(keep + "/") for keep in MATHJAX_KEEP)


def prune_static(static: Path) -> None:
    """Remove from the built _static what no page loads (see the module docstring)."""
    mathjax = static / "mathjax"
    if mathjax.is_dir():
        for path in sorted(mathjax.rglob("*"), reverse=True):   # files before their folders
            relative = path.relative_to(mathjax).as_posix()
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
            elif not _kept(relative):
                path.unlink()
    for path in static.rglob("*.map"):
        path.unlink()
    for path in static.glob("scripts/fontawesome.js*"):
        path.unlink()
    for path in static.glob("vendor/fontawesome/webfonts/*.ttf"):   # every browser takes the woff2 beside it
        path.unlink()
    shutil.rmtree(static / "locales", ignore_errors=True)


def _prune(app, exception):
    if exception is None and app.builder.format == "html":
        prune_static(Path(app.outdir) / "_static")


def _explorer_script(app, pagename, templatename, context, doctree):
    """gru-explorer.js on the pages that hold an explorer (chapter 11), not on every page."""
    if 'class="gru-explorer"' in context.get("body", ""):
        app.add_js_file("gru-explorer.js", priority=900, loading_method="defer")


def setup(app):
    app.connect("config-inited", _paths)
    app.connect("builder-inited", _template_filter)
    app.add_css_file("gru-site.css", priority=900)
    app.add_js_file("gru-site.js", priority=900, loading_method="defer")
    app.connect("html-page-context", _explorer_script)
    # After sphinx-mathjax-offline has copied MathJax (build-finished, default priority 500).
    app.connect("build-finished", _prune, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
