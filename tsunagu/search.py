"""Site search, build side: the index of page texts and the word table, both read by search.js.

Matching is by substring on normalised text (no word segmenter on the index side), so a query
word finds a page whatever segmenter split it. normalise() here and norm() in search.js must agree.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

from . import model as m

# ----------------------------------------------------------------------------
# Normalisation: width (NFKC), case, katakana -> hiragana
# ----------------------------------------------------------------------------

_KATAKANA = re.compile(r"[\u30a1-\u30f6]")


def normalise(text: str) -> str:
    """８０５０ -> 8050, ＬＩＢＥＲＯ -> libero, ヒキコモリ -> ひきこもり, ｶﾀｶﾅ -> かたかな."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _KATAKANA.sub(lambda c: chr(ord(c.group(0)) - 0x60), text)


def word_table(terms: m.SearchTerms | None) -> dict:
    """The variants and synonyms, normalised, as search.js reads them (search.js expands queries)."""
    if terms is None:
        return {"variants": [], "synonyms": []}
    return {
        "variants": [[normalise(w) for w in group] for group in terms.variants],
        "synonyms": [[[normalise(w) for w in s.words], [normalise(w) for w in s.means]] for s in terms.synonyms],
    }


# ----------------------------------------------------------------------------
# Page text from built HTML: title (H1), headings, and the text of the article
# ----------------------------------------------------------------------------

SKIP_CLASSES = {"ts-answers", "ts-flow-nav", "ts-updated", "ts-sr", "ts-preview-errors"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _ArticleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.skip = 0  # inside a skipped element
        self.stack: list[tuple[str, bool]] = []
        self.title, self.headings, self.parts = "", [], []
        self.in_heading: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipping = bool(classes & SKIP_CLASSES) or tag in ("script", "style")
        self.stack.append((tag, skipping))
        if tag == "article":
            self.depth += 1
        if skipping:
            self.skip += 1
        if self.depth and not self.skip and tag in ("h1", "h2", "h3"):
            self.in_heading = tag
            if tag != "h1":
                self.headings.append("")

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, skipping = self.stack.pop()
            if skipping:
                self.skip -= 1
            if open_tag == "article":
                self.depth -= 1
            if open_tag in ("h1", "h2", "h3"):
                self.in_heading = None
            if open_tag == tag:
                break
        if tag in ("p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "caption"):
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.depth or self.skip:
            return
        if self.in_heading == "h1":
            self.title += data
            return
        if self.in_heading:
            self.headings[-1] += data
        self.parts.append(data)


def _article(html: str) -> str:
    """The part of a built page the index reads: its <article> (the theme around it is most of the
    bytes; parsing only the article makes indexing about 2.5x faster, with the same result)."""
    start, end = html.find("<article"), html.rfind("</article>")
    return html[start:end + len("</article>")] if 0 <= start < end else html


_TOKEN = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|([^<]+)|<", re.S)
_CLASS = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def _feed(reader: _ArticleText, html: str) -> None:
    """What HTMLParser.feed does with the well-formed HTML MkDocs writes, by regular expression
    (HTMLParser was most of the index's time at 100x a city; tests compare the two on every page)."""
    pos, end = 0, len(html)
    while pos < end:
        m = _TOKEN.match(html, pos)
        pos = m.end()
        closing, tag, attrs, text = m.group(1), m.group(2), m.group(3), m.group(4)
        if text is not None or m.group(0) == "<":
            reader.handle_data(unescape(m.group(0)))
        elif tag is None:
            continue  # a comment
        elif closing:
            reader.handle_endtag(tag.lower())
        else:
            tag = tag.lower()
            found = _CLASS.search(attrs)
            cls = next((g for g in found.groups() if g is not None), None) if found else None
            reader.handle_starttag(tag, [("class", unescape(cls))] if cls is not None else [])
            if attrs.rstrip().endswith("/"):
                reader.handle_endtag(tag)
            elif tag in ("script", "style"):  # raw text up to its end tag, as HTMLParser reads it
                close = html.lower().find(f"</{tag}", pos)
                close = end if close < 0 else close
                if close > pos:
                    reader.handle_data(html[pos:close])
                pos = close


def page_text(html: str) -> tuple[str, list[str], str]:
    reader = _ArticleText()
    _feed(reader, _article(html))
    text = re.sub(r"\s+", " ", "".join(reader.parts)).strip()
    return reader.title.strip(), [h.strip() for h in reader.headings if h.strip()], text


def build_index(pages: list[tuple[str, str]], terms: m.SearchTerms | None) -> dict:
    """pages: (url, html). Pages without an H1 are left out."""
    entries = []
    for url, html in pages:
        title, headings, text = page_text(html)
        if title:
            entries.append({"u": url, "t": title, "h": headings, "x": text})
    return {"pages": entries, "words": word_table(terms)}
