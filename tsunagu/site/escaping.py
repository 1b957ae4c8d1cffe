"""The one escaping function for data text on a page (render's `{{ value }}` and the diagrams' SVG text):
HTML's characters and every character Markdown or an extension reads as syntax, as references."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

# Every character that HTML, Markdown or an enabled Markdown extension gives meaning to, written as
# a character reference: a reference means the same in an HTML block, in a Markdown line and in an
# attribute, and no Markdown rule reads one as syntax (links, images, emphasis, code, attr_list's
# `{: ...}`, toc's `[TOC]`, table cells, a heading's closing `#`s, escapes). A newline becomes one
# too, so a value can never start a line of its own (a heading, a list, a fence, a code block).
_TABLE = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]!#|\n\r"}
_TABLE.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&#34;", ord("'"): "&#39;"})
# What a value may start with that means something only at the start of a line: a list marker, a
# setext underline, a numbered list ("1." / "1)"), indentation. Written as a reference at the start.
_LINE_START = re.compile(r"^(?:[-+=~:\s]|\d+[.)])")


def text_escape(value: Any) -> Markup:
    """Data text made safe for every place a page puts it: HTML blocks, Markdown lines, headings,
    link texts, table cells and attribute values. The one escaping function for page content:
    render's environment applies it to every `{{ value }}` (finalize), so no template, macro or
    hand-written page can forget it. Markup (macro output, JSON-LD scripts) passes unchanged."""
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    text = str(value).translate(_TABLE)
    start = _LINE_START.match(text)
    if start:
        first = start.group(0)
        text = (f"{first[:-1]}&#{ord(first[-1])};" if first[0].isdigit() else f"&#{ord(first)};") + text[len(first):]
    return Markup(text)
