"""Data text never becomes Markdown or HTML syntax (issue 18): every `{{ value }}` of page content
goes through one function (render.text_escape, the environment's finalize), whatever the context a
template or hand-written page puts it in. Checked by rendering the value in each context and
converting it with Python-Markdown and the site's own extensions, as MkDocs does."""

from __future__ import annotations

import html
import random
from html.parser import HTMLParser

import markdown
import pytest
import yaml

from conftest import ROOT
from tsunagu.site import render

# Where templates and hand-written pages put data: (template, the tags the context itself makes)
CONTEXTS = {
    "heading": ("# {{ v }}\n", {"h1"}),
    "heading after text": ("## 第{{ v }}章 {{ v }}\n", {"h2"}),
    "paragraph": ("{{ v }}\n", {"p"}),
    "html block": ("<p>{{ v }}</p>\n", {"p"}),
    "link text": ("[{{ v }}の詳細](support-flow.md)\n", {"p", "a"}),
    "list item": ("- {{ v }}\n- b\n", {"ul", "li"}),
    "table cell": ("| a | b |\n|---|---|\n| {{ v }} | x |\n", {"table", "thead", "tbody", "tr", "th", "td"}),
    "attribute": ('<p title="{{ v }}">x</p>\n', {"p"}),
}

PAYLOADS = [
    "{: tabindex=0 autofocus onfocus=alert(document.domain) }",
    "支援の流れ](javascript:alert(document.domain)) [x",
    "1 ![x](https://evil.example/track.png) [章](javascript:alert(1))",
    "[1](nope.md)",
    "<https://evil.example/>",
    "`code` *em* **strong** _u_ __u__",
    "\n\n# heading\n\n<script>alert(1)</script>\n\n    code\n",
    "- list\n1. list\n> quote\n---\n===\n~~~\nfence\n~~~",
    "[TOC]",
    "a | b\n--|--\nc | d",
    "見出し ##",
    "\\*not em\\*",
    "&amp; &#91; &lt;",
    '"><img src=x onerror=alert(1)>',
    "1. 包括的相談支援事業",
    "  indented",
    "+ plus",
    "*[HTML]: abbr",
    "[^1] footnote",
]

_SYNTAX = "\\`*_{}[]()!#|<>&\"':=+-~.^$ \n0123456789ax"


def _site_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions mkdocs.yml enables, and those MkDocs adds itself."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    names, configs = ["toc", "tables", "fenced_code"], {}
    for ext in config["markdown_extensions"]:
        name, conf = next(iter(ext.items())) if isinstance(ext, dict) else (ext, {})
        if name not in names:
            names.append(name)
        configs[name] = conf or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


ENV = render.make_env()
MD = _site_markdown()


def _convert(context: str, value: str) -> tuple[str, _Reader]:
    template, _ = CONTEXTS[context]
    MD.reset()
    out = MD.convert(ENV.from_string(template).render(v=value))
    reader = _Reader()
    reader.feed(out)
    return out, reader


def _check(context: str, value: str) -> None:
    out, reader = _convert(context, value)
    _, tags = CONTEXTS[context]
    assert reader.tags <= tags, (context, value, out)  # no element from the data
    allowed = {"href": "support-flow.md", "title": value}
    for name, attr in reader.attrs:
        assert name in ("id", "href", "title"), (context, value, out)  # no attribute from the data
        if name in allowed:
            assert attr == allowed[name], (context, value, out)
    if context != "attribute":
        shown = "".join(reader.text)
        # the value is shown as written (Markdown's own whitespace rules aside)
        assert " ".join(value.split()) in " ".join(shown.split()), (context, value, out)


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("value", PAYLOADS, ids=range(len(PAYLOADS)))
def test_syntax_in_data_stays_text(context, value):
    _check(context, value)


def test_random_syntax_stays_text_in_every_context():
    rnd = random.Random(18)
    for _ in range(300):
        value = "".join(rnd.choice(_SYNTAX) for _ in range(rnd.randint(1, 30)))
        for context in CONTEXTS:
            _check(context, value)


def test_the_escaping_is_the_environments_own():
    """Every expression goes through it, also one a template forgot to filter, and also in a
    hand-written page; macro output and Markup pass unchanged (not escaped twice)."""
    out = render.render_string(ENV, "{{ v }}|{{ t.fax(v) }}", {"v": "[x](javascript:1)", "guide": None})
    assert out == "&#91;x&#93;(javascript:1)|" + '<span class="ts-fax">FAX &#91;x&#93;(javascript:1)</span>'
    assert str(render.text_escape(render.text_escape("<a>"))) == "&lt;a&gt;"
    assert html.unescape(str(render.text_escape("0467-61-3436"))) == "0467-61-3436"
    assert ENV.from_string("{{ v }}").render(v=None) == ""


def test_links_made_by_the_code_are_not_written_as_references():
    out = ENV.from_string("{{ url('agencies/#kaigo') }}").render(page_url="programs/x/")
    assert out == "../../agencies/#kaigo"
