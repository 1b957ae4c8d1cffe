"""Readings (ふりがな) of the words on the pages, made at build time.

The words are read by a morphological analyser (fugashi, a MeCab wrapper, with UniDic lite), and
written forms the city's data gives a reading for (proper names the dictionary reads otherwise:
大船 is おおふな in Kamakura, おおぶね in the dictionary) are read as the data says, before the
analyser sees the text. Only words holding kanji get a reading, and the reading sits over the kanji
alone (取り扱い: と over 取, あつか over 扱).

On a page a reading is <ruby>取<rt aria-hidden="true" data-r="と"></rt></ruby>: the reading is
drawn by CSS from data-r, so it is not text of the page: copying the page copies the words as
written, screen readers read each word once, and the search index does not see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

KANJI = re.compile(r"[\u3005\u3006\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # 々 〆 〻 and the CJK blocks
_KANJI_RUN = re.compile(KANJI.pattern + "+")
_KATAKANA = re.compile(r"[\u30a1-\u30f6]")


def hiragana(text: str) -> str:
    """カマクラ -> かまくら (ー and other marks stay)."""
    return _KATAKANA.sub(lambda c: chr(ord(c.group(0)) - 0x60), text)


@dataclass(frozen=True)
class Word:
    """A piece of text as read: surface, its reading in hiragana (None when it holds no kanji, or the
    analyser could not read it), and whether the reading is the analyser's guess for a proper name
    or an unknown word (staff should give it in the data)."""
    surface: str
    reading: str | None
    guessed: bool = False
    unread: bool = False


@lru_cache(maxsize=1)
def _tagger():
    import fugashi  # the analyser loads its dictionary once (a few tenths of a second)
    return fugashi.Tagger()


class Reader:
    """Reads text; readings: written form -> reading, from the data (they win over the analyser)."""

    def __init__(self, readings: dict[str, str] | None = None):
        self.readings = {form: hiragana(r) for form, r in (readings or {}).items() if KANJI.search(form)}
        forms = sorted(self.readings, key=len, reverse=True)
        self._given = re.compile("|".join(map(re.escape, forms))) if forms else None
        self._memo: dict[str, tuple[Word, ...]] = {}

    def words(self, text: str) -> tuple[Word, ...]:
        """The text as a sequence of Words whose surfaces join to the text."""
        found = self._memo.get(text)
        if found is None:
            found = self._memo[text] = tuple(self._read(text))
        return found

    def kana(self, text: str) -> str:
        """The whole text in hiragana (kanji read, other characters as they are)."""
        return "".join(w.reading or hiragana(w.surface) for w in self.words(text))

    def _read(self, text: str):
        if not KANJI.search(text):
            yield Word(text, None)
            return
        pos = 0
        for given in (self._given.finditer(text) if self._given else ()):
            yield from self._analyse(text[pos:given.start()])
            yield Word(given.group(0), self.readings[given.group(0)])
            pos = given.end()
        yield from self._analyse(text[pos:])

    def _analyse(self, text: str):
        if not text:
            return
        if not KANJI.search(text):
            yield Word(text, None)
            return
        pos = 0
        for node in _tagger()(text):
            surface = node.surface
            start = text.find(surface, pos)
            if start > pos:  # white space MeCab skipped
                yield Word(text[pos:start], None)
            pos = start + len(surface)
            if not KANJI.search(surface):
                yield Word(surface, None)
                continue
            kana = getattr(node.feature, "kana", None)
            if node.is_unk or not kana or kana == "*":
                yield Word(surface, None, unread=True)
                continue
            proper = getattr(node.feature, "pos2", "") == "固有名詞"
            yield Word(surface, hiragana(kana), guessed=proper)
        if pos < len(text):
            yield Word(text[pos:], None)


def pieces(surface: str, reading: str) -> list[tuple[str, str | None]]:
    """The surface split into kanji runs with their part of the reading, and the kana between them
    with None: 取り扱い/とりあつかい -> [(取, と), (り, None), (扱, あつか), (い, None)]. A surface
    whose kana the reading does not show (a reading the data gives for a whole name) keeps the
    whole reading over the whole surface."""
    parts = re.split(f"({_KANJI_RUN.pattern})", surface)
    pattern = "".join("(.+?)" if KANJI.match(p) else re.escape(hiragana(p)) for p in parts if p)
    match = re.fullmatch(pattern, reading)
    if not match:
        return [(surface, reading)]
    runs = iter(match.groups())
    return [(p, next(runs)) if KANJI.match(p) else (p, None) for p in parts if p]


def ruby(surface: str, reading: str | None) -> str:
    """HTML of one word (surface and reading not yet escaped)."""
    if not reading:
        return escape(surface, quote=False)
    return "".join(
        f'<ruby>{escape(base, quote=False)}<rt aria-hidden="true" data-r="{escape(r)}"></rt></ruby>' if r
        else escape(base, quote=False)
        for base, r in pieces(surface, reading))


def ruby_text(text: str, reader: Reader) -> str:
    """Plain text (not HTML) as HTML with its kanji words read."""
    return "".join(ruby(w.surface, w.reading) for w in reader.words(text))


# ----------------------------------------------------------------------------
# A built page: readings in the text of its body
# ----------------------------------------------------------------------------

# elements whose text stays as it is: raw text, form values, drawn figures, readings already given
_KEEP = ("script", "style", "textarea", "title", "svg", "ruby", "option", "template", "code", "pre")
_TOKEN = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|([^<]+|<)", re.S)


def annotate(html: str, reader: Reader, start: str = "<body") -> str:
    """The page with a reading on every kanji word of the text after start (the page's <body>),
    outside the elements in _KEEP. Character references in the text are read as characters and
    written escaped again."""
    from html import unescape
    begin = html.find(start)
    if begin < 0:
        return html
    out, keep = [html[:begin]], []
    for m in _TOKEN.finditer(html, begin):
        closing, tag, _attrs, text = m.groups()
        if text is not None:
            if keep or not KANJI.search(text):
                out.append(text)
            else:
                out.append(ruby_text(unescape(text), reader))
            continue
        tag = (tag or "").lower()
        if tag in _KEEP and not m.group(0).endswith("/>"):
            if closing:
                if tag in keep:
                    while keep and keep.pop() != tag:
                        pass
            else:
                keep.append(tag)
        out.append(m.group(0))
    return "".join(out)


def unread_words(texts, reader: Reader) -> dict[str, str | None]:
    """Kanji words in texts that the data gives no reading for and the analyser could not read
    (None) or only guessed, being proper names (its guess): what staff should add to the readings."""
    found: dict[str, str | None] = {}
    for text in texts:
        for w in reader.words(text):
            if w.unread or w.guessed:
                found.setdefault(w.surface, w.reading)
    return found


def reader_of(guide) -> Reader:
    """The Guide's Reader: the readings its data gives (the readings file, then the glossary's
    terms), made once per Guide."""
    cached = guide._index.get("reader")
    if cached is None:
        given = {t.term: t.reading for t in guide.glossary if t.reading}
        given.update(getattr(guide, "readings", None) or {})
        cached = guide._index["reader"] = Reader(given)
    return cached
