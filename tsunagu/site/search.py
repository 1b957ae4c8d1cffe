"""Site search, build side: the index of page texts, the word table and the readings, read by search.js.

Matching is by substring on normalised text (no word segmenter on the index side), so a query
word finds a page whatever segmenter split it. normalise() here and norm() in search.js must agree.

The readings (reading -> written forms of the kanji words on the indexed pages, the commonest form
first) let a query typed in kana find what its kanji form finds: search.js rewrites the hiragana
of a query into written forms by segmenting it against this table (「おやのかいご」 -> 親の介護).
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape

from collections import Counter

from ..data import model as m
from ..data.readings import KANJI, Reader, reader_of  # noqa: F401 - reader_of: the build passes the Guide's Reader

# ----------------------------------------------------------------------------
# Normalisation: width (NFKC), case, katakana -> hiragana, long-vowel mark dropped
# ----------------------------------------------------------------------------

_KATAKANA = re.compile(r"[\u30a1-\u30f6]")


def fold(text: str) -> str:
    """Width (NFKC), case, and the long-vowel mark ー (and half-width ｰ) dropped; katakana stays."""
    return unicodedata.normalize("NFKC", text).lower().replace("\u30fc", "")


def normalise(text: str) -> str:
    """８０５０ -> 8050, ＬＩＢＥＲＯ -> libero, ヒキコモリ -> ひきこもり, ｶﾀｶﾅ -> かたかな;
    the long-vowel mark is dropped, so ケアマネージャー and ケアマネジャー meet (けあまねじゃ), and
    せんたー typed in kana meets センター (せんた)."""
    return _KATAKANA.sub(lambda c: chr(ord(c.group(0)) - 0x60), fold(text))


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

# (ts-fig-svg: a figure drawn from the data, hidden from screen readers; its list beside it is the text)
SKIP_CLASSES = ("ts-answers", "ts-flow-nav", "ts-updated", "ts-sr", "ts-preview-errors", "ts-fig-svg")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# end tags after which the text gets a space (so that "<li>a</li><li>b</li>" reads "a b")
BREAKS = ("p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "caption")

_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""  # a tag's attributes, quoted values may hold ">"
_MARKUP = re.compile(r"<!--.*?-->|</?[a-zA-Z][a-zA-Z0-9]*" + _ATTRS + ">", re.S)
_NAMES = r"(?<![\w-])(?:" + "|".join(SKIP_CLASSES) + r")(?![\w-])"
_SKIPPED = re.compile(
    r"<(script|style)\b" + _ATTRS + ">"
    r"|<([a-zA-Z][a-zA-Z0-9]*)(?=\s)" + _ATTRS + r"?\sclass\s*=\s*"
    r"""(?:"[^"]*?""" + _NAMES + r"""[^"]*"|'[^']*?""" + _NAMES + r"""[^']*'|""" + _NAMES + ")" + _ATTRS + ">",
    re.I)
_BREAK_END = re.compile(r"</(?:" + "|".join(BREAKS) + r")\s*>", re.I)
_HEADING = re.compile(r"<(h[1-3])\b" + _ATTRS + r">(.*?)</\1\s*>", re.S | re.I)
# a reading over a word (<ruby>福祉<rt data-r="ふくし"></rt></ruby>): the <rt> and <rp> are left out
# with whatever they hold (their end tags may be omitted), so the index is the same with ruby or without
_RUBY_TEXT = re.compile(r"<(rt|rp)\b" + _ATTRS + r">.*?(?:</\1\s*>|(?=<(?:rt|rp)\b|</ruby\s*>))", re.S | re.I)
_SPACE = re.compile(r"\s+")


def _article(html: str) -> str:
    """The part of a built page the index reads: its <article> (the theme around it is most of the
    bytes; parsing only the article makes indexing about 2.5x faster, with the same result)."""
    start, end = html.find("<article"), html.rfind("</article>")
    return html[start:end + len("</article>")] if 0 <= start < end else html


def _element_end(html: str, tag: str, pos: int) -> int:
    """Where the element whose start tag ends at pos ends (after its end tag), counting nested ones."""
    if tag in ("script", "style"):  # raw text up to its end tag
        close = re.compile(rf"</{tag}", re.I).search(html, pos)
        if not close:
            return len(html)
        end = html.find(">", close.end())
        return len(html) if end < 0 else end + 1
    opening, closing = re.compile(rf"<{tag}(?=[\s/>])", re.I), re.compile(rf"</{tag}\s*>", re.I)
    depth = 1
    while depth:
        close = closing.search(html, pos)
        if not close:
            return len(html)
        depth += len(opening.findall(html, pos, close.start())) - 1
        pos = close.end()
    return pos


def _without_skipped(html: str) -> str:
    """The article without the parts the index leaves out (answers, navigation, dates, hidden text,
    scripts); a part that held an end tag of BREAKS leaves a space, as its text would have."""
    out, pos = [], 0
    for m in _SKIPPED.finditer(html):
        if m.start() < pos:
            continue  # inside a part already left out
        tag = (m.group(1) or m.group(2)).lower()
        if tag in VOID:
            continue
        end = m.end() if m.group(0).rstrip(">").rstrip().endswith("/") else _element_end(html, tag, m.end())
        out.append(html[pos:m.start()])
        out.append(" " if _BREAK_END.search(html, m.start(), end) else "")
        pos = end
    out.append(html[pos:])
    return "".join(out)


def _text(html: str) -> str:
    return unescape(_MARKUP.sub("", html))


def page_text(html: str) -> tuple[str, list[str], str]:
    """(title, headings, text) of a built page: the H1, the H2s and H3s, and everything else."""
    article = _article(html)
    if "<rt" in article or "<rp" in article:
        article = _RUBY_TEXT.sub("", article)
    article = _without_skipped(article)
    title, headings, body, pos = [], [], [], 0
    for m in _HEADING.finditer(article):
        inner = _text(m.group(2))
        if m.group(1).lower() == "h1":
            title.append(inner)
            body.append(article[pos:m.start()])
            body.append(" ")
            pos = m.end()
        else:
            headings.append(inner.strip())
    body.append(article[pos:])
    text = _text(_BREAK_END.sub(" ", "".join(body)))
    return "".join(title).strip(), [h for h in headings if h], _SPACE.sub(" ", text).strip()


# ----------------------------------------------------------------------------
# Readings: reading -> written forms of the kanji words of the indexed text
# ----------------------------------------------------------------------------

MAX_FORMS = 3  # written forms kept for one reading (the commonest first): 機関, 期間 for きかん
# what the text is cut at before it is read: the analyser reads each distinct piece once, so a city
# whose pages repeat sentences (100x: the same descriptions under new names) is read in little more
# time than one whose pages do not
_PIECES = re.compile(r"[\s。、．，,.!！?？「」『』（）()・：:；;／/]+")
_KATAKANA_WORD = re.compile(r"[\u30a1-\u30fa\u30fc]{2,}")


def readings_table(entries: list[dict], reader: Reader, search_words: set[str] = frozenset()) -> dict[str, list[str]]:
    """Normalised reading -> written forms, folded (at most MAX_FORMS, the commonest first) of
    every kanji word in the entries' titles, headings and text: each word the analyser (or the
    data) reads, and two words side by side when one of them has a one-kana reading (生活 + 費 ->
    せいかつひ: 生活費; a lone ひ would be 日, 非, 火 … and is left out, as is every reading of one
    kana), the katakana words (あうとりち -> アウトリチ), and the words of search.yml (search_words)
    whole. search.js segments the hiragana of a query against this table."""
    pieces: Counter[str] = Counter()
    forms: Counter[tuple[str, str]] = Counter()
    for e in entries:
        for text in (e["t"], *e["h"], e["x"]):
            pieces.update(p for p in _PIECES.split(text) if KANJI.search(p))
            # katakana words too, so that one typed in hiragana is written as the site writes it
            # (あうとりーち -> アウトリーチ, which the browser's segmenter keeps whole)
            forms.update((normalise(k), fold(k)) for k in _KATAKANA_WORD.findall(text))
    for piece, n in pieces.items():
        words = reader.words(piece)
        for i, w in enumerate(words):
            if not w.reading:
                continue
            forms[normalise(w.reading), fold(w.surface)] += n
            after = words[i + 1] if i + 1 < len(words) else None
            if after is not None and after.reading and (len(w.reading) == 1 or len(after.reading) == 1):
                forms[normalise(w.reading + after.reading), fold(w.surface + after.surface)] += n
    table: dict[str, list[str]] = {}
    for (reading, form), _n in sorted(forms.items(), key=lambda f: (-f[1], f[0])):
        if len(reading) >= 2 and reading != form and len(table.setdefault(reading, [])) < MAX_FORMS:
            table[reading].append(form)
    # the words of search.yml, whole (息子, 生活費, 学校に行けない): a kana query reaches the
    # everyday words no page uses, and a whole phrase read as one piece reaches its synonyms
    for word in sorted(search_words):
        reading, form = normalise(reader.kana(word)), fold(word)
        if len(reading) >= 2 and reading != form and form not in table.setdefault(reading, []):
            table[reading].append(form)
    return {r: table[r] for r in sorted(table) if table[r]}


def entry(url: str, html: str) -> dict | None:
    """A built page's entry in the index, or None for a page without an H1."""
    title, headings, text = page_text(html)
    return {"u": url, "t": title, "h": headings, "x": text} if title else None


def index_of(entries: list[dict | None], terms: m.SearchTerms | None, reader: Reader | None = None) -> dict:
    """The index search.js reads: the pages' entries (pages without an H1 left out), the word table
    and, given a Reader, the readings of the pages' kanji words."""
    pages = [e for e in entries if e]
    index = {"pages": pages, "words": word_table(terms)}
    if reader is not None:
        words = {w for group in terms.variants for w in group} | {
            w for s in terms.synonyms for w in (*s.words, *s.means)} if terms is not None else set()
        index["readings"] = readings_table(pages, reader, words)
    return index
