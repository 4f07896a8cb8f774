"""A Sphinx extension for this book: write each inline <script> of a page once.

Sphinx 7 writes a script that has a body but no file twice when an extension adds it after the
builder has started (sphinx-doc/sphinx#13402, fixed in Sphinx 8.2; Jupyter Book 1 needs Sphinx 7).
sphinx-thebe adds `const THEBE_JS_URL = ...` that way, and the second copy is a SyntaxError in
the console of every page ("Identifier 'THEBE_JS_URL' has already been declared").
"""


def _unique_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
