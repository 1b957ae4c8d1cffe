"""Glossary term links: the first use of each glossary term on a page links to its entry.

Pure string work on a page's content HTML (what Markdown made of the page, without the site's
header and navigation), so it runs without MkDocs and is tested on its own.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator
from html import unescape

from markupsafe import escape

from ..data import model as m
from .render import relative_url

GLOSSARY_URL = "glossary/"
EASY_GLOSSARY_URL = "easy/glossary/"  # an Easy Japanese page (tsunagu.site.easy) links its terms to the Easy glossary

# Text inside these elements is never linked: a link inside a link, a heading, code, or a form
# control would be invalid HTML or change what the element means.
_SKIP = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "script", "style",
                   "textarea", "select", "option", "button", "label", "summary", "title", "svg", "math"})

_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")


# ----------------------------------------------------------------------------
# Which words link where
# ----------------------------------------------------------------------------


def spellings(terms: Iterable[m.GlossaryTerm]) -> dict[str, str]:
    """Every way a term is written (its own name and its other spellings) -> the term's id."""
    out: dict[str, str] = {}
    for term in terms:
        if not term.link:
            continue
        for word in (term.term, *term.also):
            out.setdefault(word, term.id)
    return out


# ----------------------------------------------------------------------------
# Linking
# ----------------------------------------------------------------------------


# A character reference as the browser reads one in text: named (&amp;, and the legacy forms
# without ";"), decimal (&#34;) or hexadecimal (&#x22;). Terms are matched against the text the
# reader sees, so a term never matches the letters or digits of a reference (amp, lt, 34) and a
# term holding & ' " _ [ ... matches however the page writes those characters.
_REF = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
_END = ""  # a trie node's key for the term id ending there (no character is the empty string)


@functools.lru_cache(maxsize=4096)
def _decoded(ref: str) -> str:
    return unescape(ref)


def _trie(words: dict[str, str]) -> dict:
    """A radix trie of the spellings: node = {first character: (label, child)}, child[_END] = id.
    Built without recursion; one node per spelling at most, whatever the spellings' length."""
    root: dict = {}
    for word, id_ in words.items():
        node, i = root, 0
        while i < len(word):
            edge = node.get(word[i])
            if edge is None:
                node[word[i]] = (word[i:], {_END: id_})
                break
            label, child = edge
            k = len(os.path.commonprefix((label, word[i:])))
            if k < len(label):  # split the edge where the spellings part
                child = {label[k]: (label[k:], child)}
                node[word[i]] = (label[:k], child)
            node, i = child, i + k
        else:
            node.setdefault(_END, id_)
    return root


class _Linker:
    """The spellings of one glossary, indexed for matching in one pass over a page."""

    def __init__(self, words: dict[str, str]):
        self.ids = frozenset(words.values())
        self.trie = _trie(words)
        # where a match may start: one character class, searched by the regex engine
        firsts = sorted({w[0] for w in words if w})
        self.starts = re.compile("[" + "".join(re.escape(c) for c in firsts) + "]") if firsts else None

    def matches(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, id) of each use in text, leftmost first and at each place the longest
        spelling, so 「重層的支援会議」 wins over 「支援会議」 and consumes it. Matched on the text as
        read (character references decoded); start and end are offsets in text as written."""
        if self.starts is None:
            return
        if "&" in text:
            shown, at = self._decode(text)
        else:
            shown, at = text, None
        pos, n, trie, search = 0, len(shown), self.trie, self.starts.search
        while True:
            found = search(shown, pos)
            if found is None:
                return
            i = found.start()
            node, j, best = trie, i, None
            while j < n:
                edge = node.get(shown[j])
                if edge is None or not shown.startswith(edge[0], j):
                    break
                j += len(edge[0])
                node = edge[1]
                if _END in node:
                    best = (j, node[_END])
            if best is not None and at is not None:
                end = best[0]
                if (i and at[i] == at[i - 1]) or (end < n and at[end] == at[end - 1]):
                    best = None  # it would start or end inside what one reference stands for
            if best is None:
                pos = i + 1
                continue
            yield (i, best[0], best[1]) if at is None else (at[i], at[best[0]], best[1])
            pos = best[0]

    @staticmethod
    def _decode(text: str) -> tuple[str, list[int]]:
        """The text as read, and for each of its characters (and its end) the offset in text."""
        parts: list[str] = []
        at: list[int] = []
        pos = 0
        for ref in _REF.finditer(text):
            parts.append(text[pos:ref.start()])
            at.extend(range(pos, ref.start()))
            shown = _decoded(ref.group(0))
            if shown == ref.group(0):  # not a reference the browser knows: shown as written
                at.extend(range(ref.start(), ref.end()))
            else:
                at.extend([ref.start()] * len(shown))
            parts.append(shown)
            pos = ref.end()
        parts.append(text[pos:])
        at.extend(range(pos, len(text) + 1))
        return "".join(parts), at


_LINKERS: dict[int, tuple[tuple, _Linker]] = {}


def _linker(terms: Iterable[m.GlossaryTerm]) -> _Linker:
    """The linker of a glossary, made once per Guide (its glossary is a tuple of frozen models),
    not once per page."""
    if not isinstance(terms, tuple):
        return _Linker(spellings(terms))
    cached = _LINKERS.get(id(terms))
    if cached is None or cached[0] is not terms:
        if len(_LINKERS) >= 8:
            _LINKERS.clear()
        cached = _LINKERS[id(terms)] = (terms, _Linker(spellings(terms)))
    return cached[1]


def link_terms(html: str, terms: Iterable[m.GlossaryTerm], page_url: str) -> str:
    """The page's content HTML with the first use of each term linked to /glossary/#<id>.

    Text inside links, headings, code and form controls is left alone; the glossary page itself
    is returned unchanged (a term is not linked on its own definition). One pass over the page:
    the work grows with the page's length, not with the number of terms."""
    if page_url in (GLOSSARY_URL, EASY_GLOSSARY_URL):
        return html
    glossary_url = EASY_GLOSSARY_URL if page_url.startswith("easy/") else GLOSSARY_URL
    linker = _linker(terms)
    if not linker.ids:
        return html
    every_id = linker.ids
    linked: set[str] = set()
    skipping: dict[str, int] = {}
    out: list[str] = []
    pos = 0

    def link_text(text: str) -> str:
        parts, last = [], 0
        for start, end, id_ in linker.matches(text):
            if id_ in linked:
                continue
            linked.add(id_)
            href = relative_url(f"{glossary_url}#{id_}", page_url)
            parts += [text[last:start], f'<a class="ts-term" href="{escape(href)}">{text[start:end]}</a>']
            last = end
            if linked == every_id:
                break
        if not parts:
            return text
        parts.append(text[last:])
        return "".join(parts)

    for token in _TOKEN.finditer(html):
        if linked == every_id:
            break  # every term is linked: the rest of the page stays as it is
        text = html[pos:token.start()]
        out.append(link_text(text) if text and not any(skipping.values()) else text)
        tag = token.group(0)
        out.append(tag)
        name = _TAG_NAME.match(tag)
        if name and not tag.startswith("<!--"):
            closing, tag_name = name.group(1) == "/", name.group(2).lower()
            if tag_name in _SKIP and not tag.rstrip(">").endswith("/"):
                skipping[tag_name] = max(0, skipping.get(tag_name, 0) + (-1 if closing else 1))
        pos = token.end()
    rest = html[pos:]
    out.append(link_text(rest) if rest and not any(skipping.values()) and linked != every_id else rest)
    return "".join(out)
