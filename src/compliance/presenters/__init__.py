"""Presenters: turn `Verdict` objects into what people read (terminal, Markdown, HTML) or
programs read (JSON). They depend on the core; the core never imports them (DESIGN.md, 6)."""

from compliance.presenters.html import render_html
from compliance.presenters.jsonout import render_json
from compliance.presenters.labels import labels
from compliance.presenters.markdown import render_markdown
from compliance.presenters.terminal import render_terminal

__all__ = ["labels", "render_html", "render_json", "render_markdown", "render_terminal"]
