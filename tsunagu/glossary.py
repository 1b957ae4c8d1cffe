"""Glossary term links: the first use of each glossary term on a page links to its entry.

Pure string work on a page's content HTML (what Markdown made of the page, without the site's
header and navigation), so it runs without MkDocs and is tested on its own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from markupsafe import escape

from . import model as m
from .render import relative_url

GLOSSARY_URL = "glossary/"

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


def _pattern(words: Iterable[str]) -> re.Pattern | None:
    """One alternation, longest spelling first, so 「重層的支援会議」 wins over 「支援会議」."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    if not ordered:
        return None
    return re.compile("|".join(re.escape(str(escape(w))) for w in ordered))


# ----------------------------------------------------------------------------
# Linking
# ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _compiled(words: tuple[tuple[str, str], ...]) -> tuple[re.Pattern | None, dict[str, str]]:
    """The pattern and escaped spelling -> id, made once per glossary (not once per page)."""
    return _pattern(w for w, _ in words), {str(escape(w)): id_ for w, id_ in words}


def link_terms(html: str, terms: Iterable[m.GlossaryTerm], page_url: str) -> str:
    """The page's content HTML with the first use of each term linked to /glossary/#<id>.

    Text inside links, headings, code and form controls is left alone; the glossary page itself
    is returned unchanged (a term is not linked on its own definition)."""
    if page_url == GLOSSARY_URL:
        return html
    words = spellings(terms)
    pattern, by_escaped = _compiled(tuple(words.items()))
    if pattern is None or not pattern.search(html):
        return html
    every_id = set(words.values())
    linked: set[str] = set()
    skipping: dict[str, int] = {}
    out: list[str] = []
    pos = 0

    def link_text(text: str) -> str:
        def repl(match: re.Match) -> str:
            id_ = by_escaped[match.group(0)]
            if id_ in linked:
                return match.group(0)
            linked.add(id_)
            href = relative_url(f"{GLOSSARY_URL}#{id_}", page_url)
            return f'<a class="ts-term" href="{escape(href)}">{match.group(0)}</a>'
        return pattern.sub(repl, text)

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
