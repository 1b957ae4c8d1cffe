"""Reading built HTML in tests: elements with attributes, text of the main content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Element:
    tag: str
    attrs: dict
    text: str = ""
    shown: str = ""  # the text without what is visually hidden inside it (class ts-sr)


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    main_text: str = ""
    title: str = ""

    def links(self) -> list[Element]:
        return [e for e in self.elements if e.tag == "a" and "href" in e.attrs]

    def tel_links(self) -> dict[str, str]:
        """href -> the link's visible text (not the hidden name of whom it calls), for every tel: link."""
        return {e.attrs["href"]: e.shown.strip() for e in self.links() if e.attrs["href"].startswith("tel:")}


# Ruby (ふりがな, tsunagu/data/readings.py): <ruby>相談<rt aria-hidden="true" data-r="そうだん"></rt></ruby>. A
# reading is drawn by CSS, not text: a person copying or a screen reader gets 相談.
_RUBY = re.compile(r"<rt\b[^>]*>.*?</rt>|<rp\b[^>]*>.*?</rp>|</?ruby\b[^>]*>", re.S)


def plain(html: str) -> str:
    """The HTML without its readings: the words as written (as a person reading or copying the page
    gets them), for a test that looks for text with a regular expression."""
    return _RUBY.sub("", html)


class _Reader(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.open: list[Element] = []
        self.in_main = 0
        self.in_script = False
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        el = Element(tag, dict(attrs))
        self.page.elements.append(el)
        if tag in ("script", "style"):
            self.in_script = True
        if tag == "title":
            self.in_title = True
        if tag == "article":
            self.in_main += 1
        if tag not in self.VOID:
            self.open.append(el)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.in_script = False
        if tag == "title":
            self.in_title = False
        if tag == "article":
            self.in_main -= 1
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        if self.in_script:
            return
        if self.in_title:
            self.page.title += data
        # the outermost visually hidden element open: its ancestors do not show this text
        hidden = next((i for i, el in enumerate(self.open) if "ts-sr" in (el.attrs.get("class") or "").split()), 0)
        for i, el in enumerate(self.open):
            el.text += data
            if i >= hidden:
                el.shown += data
        if self.in_main:
            self.page.main_text += data


def read(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.page


def page_of(site: Path, url: str) -> Page:
    """url as on the site: "agencies/" -> site/agencies/index.html."""
    return read(site / url / "index.html")
