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
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html import escape

KANJI = re.compile(r"[\u3005\u3006\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # 々 〆 〻 and the CJK blocks
_KANJI_RUN = re.compile(KANJI.pattern + "+")
_KATAKANA = re.compile(r"[\u30a1-\u30f6]")
# what a reading the data gives may hold: hiragana (ゝゞ too), katakana for loanword parts, ー
READING = re.compile(r"[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe]+")


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
            yield from self._given_word(given.group(0))
            pos = given.end()
        yield from self._analyse(text[pos:])

    def _given_word(self, form: str):
        """A written form the data reads: as the analyser splits it when its words read the same
        (北保健福祉センター: 北 | 保健 | 福祉 | センター, a reading over each word), else one word with the given reading."""
        reading = self.readings[form]
        words = list(self._analyse(form))
        if len(words) > 1 and "".join(w.reading or hiragana(w.surface) for w in words) == reading:
            yield from (Word(w.surface, w.reading) for w in words)
        else:
            yield Word(form, reading)

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
            yield Word(surface, _in_place(surface, hiragana(kana), text, start, pos), guessed=proper)
        if pos < len(text):
            yield Word(text[pos:], None)


# A day, a month and a weekday written in figures and one kanji, as dates and opening hours are
# (12月29日, 月〜金, 土曜日): the dictionary reads 日 after a number as か (3日, みっか) and 月 alone as
# がつ or つき, wherever it is.
_DIGIT = re.compile(r"[0-9０-９]+$")
_WEEKDAYS = {"月": "げつ", "火": "か", "水": "すい", "木": "もく", "金": "きん", "土": "ど", "日": "にち"}
_KA_DAYS = {2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 20, 24}  # ふつか … とおか, じゅうよっか, はつか, にじゅうよっか
_WORD_CHAR = re.compile(r"[\w\u3005\u3041-\u309f\u30a0-\u30ff]")


def _in_place(surface: str, reading: str, text: str, start: int, end: int) -> str:
    """The reading of a one-kanji date or weekday word, read from the characters around it."""
    if surface not in _WEEKDAYS:
        return reading
    number = _DIGIT.search(text[:start])
    if number:
        if surface == "日":
            return "か" if int(unicodedata.normalize("NFKC", number.group(0))) in _KA_DAYS else "にち"
        return "がつ" if surface == "月" else reading
    if surface == "日" and text[:start].endswith("曜"):
        return "び"
    before, after = text[start - 1:start], text[end:end + 1]
    if not _WORD_CHAR.match(before or " ") and not _WORD_CHAR.match(after or " "):
        return _WEEKDAYS[surface]  # a weekday standing alone: 月〜金, （土）, 月・水・金
    return reading


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


@dataclass(frozen=True)
class Unread:
    """A kanji word the data gives no reading for, that the analyser could not read (reading None) or
    only guessed (a proper name): where it is first met (file, line) and how many times in all."""
    surface: str
    reading: str | None
    file: str
    line: int | None
    count: int = 1


def unread_places(texts, reader: Reader) -> list[Unread]:
    """texts: (file, line or None, text). Each word unread_words would list, once, at its first place."""
    found: dict[str, Unread] = {}
    for file, line, text in texts:
        for w in reader.words(text):
            if not (w.unread or w.guessed):
                continue
            seen = found.get(w.surface)
            if seen is None:
                found[w.surface] = Unread(w.surface, w.reading, file, line)
            else:
                found[w.surface] = Unread(seen.surface, seen.reading, seen.file, seen.line, seen.count + 1)
    return list(found.values())


def unread_words(texts, reader: Reader) -> dict[str, str | None]:
    """Kanji words in texts that the data gives no reading for and the analyser could not read
    (None) or only guessed, being proper names (its guess): what staff should add to the readings."""
    found: dict[str, str | None] = {}
    for text in texts:
        for w in reader.words(text):
            if w.unread or w.guessed:
                found.setdefault(w.surface, w.reading)
    return found


# The generator's own words on every city's pages (templates, the editing guide's messages) that the
# analyser reads wrongly in their place: given with the words around them, so that the same kanji
# elsewhere is still read by the analyser. A city's data wins over these.
OWN_READINGS: dict[str, str] = {
    "令和": "れいわ",
    "日本語": "にほんご",  # the Easy pages' links: やさしい日本語, もとの日本語 (the dictionary: にっぽんご)
    "一日中": "いちにちじゅう",
    "お母さん": "おかあさん", "お父さん": "おとうさん",
    "家のこと": "いえのこと", "家にいて": "いえにいて",
    "私たち": "わたしたち",
    "位置付け": "いちづけ",
    "相談所": "そうだんじょ",
    "試験日": "しけんび",
    "年-月": "ねん-がつ", "月-日": "がつ-にち", "時:分": "じ:ふん",
    # the editing guide: its messages and examples (whole phrases, so that a city's own text, such as
    # 長い年月 or 各行政機関, is still read by the analyser, and a city's 西町 is still listed by check)
    "発行年月": "はっこうねんげつ", "更新年月": "こうしんねんげつ", "新しい年月": "あたらしいねんげつ",
    "年月として": "ねんげつとして", "今日の年月": "きょうのねんげつ",
    "大文字": "おおもじ", "小文字": "こもじ",
    "各行を": "かくぎょうを", "示された行と": "しめされたぎょうと", "示された行から": "しめされたぎょうから",
    "前の行の": "まえのぎょうの",
    "項目名: 値": "こうもくめい: あたい", "項目: 値": "こうもく: あたい",
    "空です": "からです", "空には": "からには",
    "節の名前": "せつのなまえ", "章と節": "しょうとせつ",
    "- 西町": "- にしまち", "name: 西町": "name: にしまち", "北地域包括": "きたちいきほうかつ",
}


def reader_of(guide) -> Reader:
    """The Guide's Reader: the readings its data gives, made once per Guide. Later ones win: the
    generator's own (OWN_READINGS), the areas' readings (agencies.yml), the glossary's terms, then
    the readings file (readings.yml)."""
    cached = guide._index.get("reader")
    if cached is None:
        given = dict(OWN_READINGS)
        given.update({area.name: area.reading for a in guide.agencies for area in a.areas if area.reading})
        given.update({t.term: t.reading for t in guide.glossary if t.reading})
        given.update(getattr(guide, "readings", None) or {})
        cached = guide._index["reader"] = Reader(given)
    return cached
