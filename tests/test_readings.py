"""Readings (ふりがな, issue 24): words of the built pages read as the table says, the readings file's
checks, `check` listing the kanji words nothing reads, and how a reading is laid over a word."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from tsunagu import DataErrors, load_guide
from tsunagu.data import readings
from tsunagu import cli
from tsunagu.data.readings import Reader, Word, hiragana, pieces, ruby, unread_places

# ----------------------------------------------------------------------------
# The table: words of Kamakura's built pages, each on a page where it is found, and how it is read.
# Names first (the city, its places, agencies as they read themselves), then welfare terms, then
# words the analyser alone reads wrongly in their place (the readings of the data and the
# generator's own phrases put them right).
# ----------------------------------------------------------------------------

TABLE = [
    # names
    ("agencies/incl", "インクル相談室鎌倉", "インクルそうだんしつかまくら"),
    ("agencies", "湘南鎌倉", "しょうなんかまくら"),
    ("agencies", "鎌倉静養館", "かまくらせいようかん"),
    ("agencies", "聖テレジア", "せいテレジア"),
    ("agencies/fureai-no-izumi", "ふれあいの泉", "ふれあいのいずみ"),
    ("agencies", "鎌倉地域支援室", "かまくらちいきしえんしつ"),
    ("agencies", "鎌倉市社会福祉協議会", "かまくらししゃかいふくしきょうぎかい"),
    ("agencies", "常盤", "ときわ"),
    ("agencies", "安田ビル", "やすだビル"),
    ("opendata", "神奈川県", "かながわけん"),
    ("about/jusoteki", "令和", "れいわ"),
    ("about/jusoteki", "厚生労働省", "こうせいろうどうしょう"),
    # welfare terms
    ("about/kyosei", "民生委員", "みんせいいいん"),
    ("about/kyosei", "生活困窮", "せいかつこんきゅう"),
    ("about/jusoteki", "重層的支援体制", "じゅうそうてきしえんたいせい"),
    ("agencies/fureai-no-izumi", "地域包括支援センター", "ちいきほうかつしえんセンター"),
    ("agencies", "基幹相談支援センター", "きかんそうだんしえんセンター"),
    ("about/jusoteki", "要保護児童対策地域協議会", "ようほごじどうたいさくちいききょうぎかい"),
    ("flows/where-to-consult/child/limit", "児童相談所", "じどうそうだんじょ"),
    ("about/jusoteki", "多機関協働", "たきかんきょうどう"),
    ("about/jusoteki", "包括的相談支援事業", "ほうかつてきそうだんしえんじぎょう"),
    ("about/jusoteki", "参加支援事業", "さんかしえんじぎょう"),
    ("about/kyosei", "認知症", "にんちしょう"),
    ("about/kyosei", "不登校", "ふとうこう"),
    ("about/kyosei", "虐待", "ぎゃくたい"),
    ("about/kyosei", "老老介護", "ろうろうかいご"),
    ("about/kyosei", "8050 世帯", "8050 せたい"),
    ("about/kyosei", "要介護", "ようかいご"),
    ("about/kyosei", "地域共生社会", "ちいききょうせいしゃかい"),
    ("about/kyosei", "縦割り", "たてわり"),
    ("about/kyosei", "支え手", "ささえて"),
    ("about/kyosei", "我が事", "わがこと"),
    ("about/jusoteki", "丸ごと", "まるごと"),
    ("about/jusoteki", "居場所", "いばしょ"),
    ("about/jusoteki", "事業所", "じぎょうしょ"),
    ("about/jusoteki", "同意が得られ", "どういがえられ"),
    ("cases/young-carer", "ひきこもり支援員", "ひきこもりしえんいん"),
    ("meetings/jusoteki", "位置付け", "いちづけ"),
    ("libero", "申込票", "もうしこみひょう"),
    ("cases/household-8050", "居場所を見出した", "いばしょをみいだした"),
    ("support-flow", "困り感", "こまりかん"),
    ("cases/father-double-care", "何処", "どこ"),
    ("glossary", "身近", "みぢか"),
    ("meetings", "会議体", "かいぎたい"),
    ("libero", "相談元", "そうだんもと"),
    ("programs/community", "子育て", "こそだて"),
    # in their place: counters, dates, weekdays, one kanji in a phrase
    ("about/kyosei", "一日中", "いちにちじゅう"),
    ("about/kyosei", "家のこと", "いえのこと"),
    ("about/kyosei", "10 年前", "10 ねんまえ"),
    ("about/kyosei", "中学生", "ちゅうがくせい"),
    ("about/kyosei", "長男", "ちょうなん"),
    ("about/kyosei", "長女", "ちょうじょ"),
    ("flows/where-to-consult/caring/adult/many", "お母さん", "おかあさん"),
    ("flows/where-to-consult/caring/adult/many", "お父さん", "おとうさん"),
    ("flows/case-route/care-manager/danger", "救急車", "きゅうきゅうしゃ"),
    ("flows/case-route", "あと最大 3 問", "あとさいだい 3 もん"),
    ("flows/case-route/care-manager/children", "18 歳未満", "18 さいみまん"),
    ("agencies", "土曜日", "どようび"),
    ("agencies", "月〜金", "げつ〜きん"),
    ("agencies", "駐車場", "ちゅうしゃじょう"),
    ("agencies", "お越しください", "おこしください"),
    ("agencies/incl", "事務所", "じむしょ"),
    ("opendata", "都道府県", "とどうふけん"),
    ("accessibility/results", "試験日", "しけんび"),
    ("accessibility/results", "選択肢", "せんたくし"),
    ("accessibility/results", "見出し及びラベル", "みだしおよびラベル"),
    ("accessibility/results", "一時停止", "いちじていし"),
    ("accessibility/results", "最低限", "さいていげん"),
    ("accessibility/results", "閾値", "しきいち"),
    ("editing", "英小文字", "えいこもじ"),
    ("editing", "各行", "かくぎょう"),
    ("editing", "示された行", "しめされたぎょう"),
    ("editing", "項目名: 値", "こうもくめい: あたい"),
    ("editing", "空です", "からです"),
    ("editing", "節の名前", "せつのなまえ"),
    ("editing", "今日の年月", "きょうのねんげつ"),
    ("editing", "引用符", "いんようふ"),
    ("editing", "市区町村", "しくちょうそん"),
    ("editing", "字下げ", "じさげ"),
    ("editing", "入れ子", "いれこ"),
    ("editing", "担い手", "にないて"),
    ("editing", "堂々めぐり", "どうどうめぐり"),
    ("editing", "半角", "はんかく"),
    ("editing", "発行元", "はっこうもと"),
    ("editing", "用語集", "ようごしゅう"),
]

# Kamakura's places the dictionary reads otherwise, given by data/readings.yml (not all on a page yet)
PLACES = [("大船", "おおふな"), ("腰越", "こしごえ"), ("深沢", "ふかさわ"), ("玉縄", "たまなわ"),
          ("七里ガ浜", "しちりがはま"), ("十二所", "じゅうにそ"), ("浄明寺", "じょうみょうじ")]


def test_the_table_holds_fifty_words_of_the_site_names_included():
    assert len(TABLE) >= 50 and len({(u, w) for u, w, _ in TABLE}) == len(TABLE)
    names = set(load_guide(DATA).readings)
    assert sum(1 for _, w, _ in TABLE if w in names) >= 8


# ----------------------------------------------------------------------------
# A built page as read: its text in pieces, each with the reading its ruby gives (or None)
# ----------------------------------------------------------------------------


class _Pieces(HTMLParser):
    """(text, reading) in order: a ruby base with its reading (data-r, or the rt's own text), other text
    with None. The head, scripts, styles and drawn figures are left out."""

    SKIP = {"head", "script", "style", "svg", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[str, str | None]] = []
        self.skip = 0
        self.ruby: list[str] | None = None  # base text of the open ruby
        self.rt: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "ruby":
            self.ruby = []
        elif tag == "rt" and self.ruby is not None:
            self.rt = [dict(attrs).get("data-r") or ""]

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip -= 1
        elif tag == "rt" and self.rt is not None:
            self.out.append(("".join(self.ruby), "".join(self.rt)))
            self.ruby, self.rt = [], None
        elif tag == "ruby" and self.ruby is not None:
            if self.ruby:
                self.out.append(("".join(self.ruby), None))
            self.ruby = None

    def handle_data(self, data):
        if self.skip:
            return
        if self.rt is not None:
            self.rt.append(data)
        elif self.ruby is not None:
            self.ruby.append(data)
        else:
            self.out.append((data, None))


def _built_with_ruby(html: str) -> bool:
    return "<ruby" in html and "<rt" in html


_PAGES: dict[str, list[tuple[str, str | None]]] = {}


def page_pieces(site: Path, url: str) -> list[tuple[str, str | None]]:
    """The page's pieces, read from the built page's ruby once the build gives it; until then from the
    built page annotated here with the Guide's reader (readings.annotate, as the build will)."""
    if url not in _PAGES:
        html = (site / url / "index.html").read_text(encoding="utf-8")
        if not _built_with_ruby(html):
            html = readings.annotate(html, readings.reader_of(load_guide(DATA)))
        parser = _Pieces()
        parser.feed(html)
        _PAGES[url] = parser.out
    return _PAGES[url]


def read_on_page(pieces_: list[tuple[str, str | None]], phrase: str) -> str | None:
    """How the page reads the phrase: its pieces' readings (text without one as written), or None if
    the phrase is not on the page or a reading covers it only in part (a reading across its edge)."""
    text = "".join(t for t, _ in pieces_)
    start = text.find(phrase)
    if start < 0:
        return None
    end, pos, out = start + len(phrase), 0, []
    for t, r in pieces_:
        a, b = pos, pos + len(t)
        pos = b
        if b <= start or a >= end:
            continue
        if r is not None and (a < start or b > end):
            return None
        out.append(r if r is not None else t[max(start - a, 0):len(t) - max(b - end, 0)])
    return "".join(out)


@pytest.mark.slow
@pytest.mark.parametrize("url,word,reading", TABLE, ids=[w for _, w, _ in TABLE])
def test_words_of_the_built_pages_are_read_as_the_table_says(kamakura_site, url, word, reading):
    got = read_on_page(page_pieces(kamakura_site, url), word)
    assert got is not None, f"「{word}」 is not on /{url}/ (or a reading crosses its edge)"
    assert hiragana(got).replace(" ", "") == hiragana(reading).replace(" ", ""), (word, got)


@pytest.mark.slow
def test_once_the_build_gives_ruby_every_page_of_the_table_has_it(kamakura_site):
    """The table is read from the build's own ruby as soon as the build gives any: then no page of the
    table may be left without (the reading would come from this test's annotation, not the site)."""
    with_ruby = {url: _built_with_ruby((kamakura_site / url / "index.html").read_text(encoding="utf-8"))
                 for url in sorted({u for u, _, _ in TABLE})}
    if not any(with_ruby.values()):
        pytest.skip("the build puts no ruby on pages yet: the table is read from the built pages annotated here")
    assert all(with_ruby.values()), [u for u, has in with_ruby.items() if not has]


@pytest.mark.slow
def test_the_pages_carry_readings_on_kanji_only_and_keep_their_text(kamakura_site):
    """Every reading is kana over a run of kanji (a word whose kana the reading does not show, such as
    ２人 ふたり, keeps one reading over the whole word: still a word with kanji, never kana alone), and
    the pieces' text is the page's text as written (the reading adds nothing to it)."""
    whole = set()
    for url in sorted({u for u, _, _ in TABLE}):
        ps = page_pieces(kamakura_site, url)
        read = [(t, r) for t, r in ps if r is not None]
        assert len(read) > 20, url
        assert all(readings.KANJI.search(t) and r and readings.READING.fullmatch(r) for t, r in read), url
        whole |= {t for t, _ in read if not all(readings.KANJI.match(c) for c in t)}
    assert whole <= {"２人"}, whole
    plain = "".join(t for t, _ in page_pieces(kamakura_site, "agencies"))
    assert "鎌倉静養館" in plain and "せいようかん" not in plain and "ちいきほうかつ" not in plain


def test_readings_from_the_data_win_over_the_dictionary():
    reader = readings.reader_of(load_guide(DATA))
    bare = Reader()
    for word, reading in PLACES:
        assert reader.kana(word) == reading, word
    assert bare.kana("大船") != "おおふな"  # the dictionary's own reading: the data is needed
    assert bare.kana("七里ガ浜") != "しちりがはま"
    # a glossary term's reading is used too
    assert reader.kana("民生委員") == "みんせいいいん"


# ----------------------------------------------------------------------------
# How a reading is laid over a word
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("surface,reading,expected", [
    ("取り扱い", "とりあつかい", [("取", "と"), ("り", None), ("扱", "あつか"), ("い", None)]),
    ("子ども", "こども", [("子", "こ"), ("ども", None)]),
    ("見出し", "みだし", [("見出", "みだ"), ("し", None)]),
    ("引き継ぎ", "ひきつぎ", [("引", "ひ"), ("き", None), ("継", "つ"), ("ぎ", None)]),
    ("七里ガ浜", "しちりがはま", [("七里", "しちり"), ("ガ", None), ("浜", "はま")]),
    ("聖テレジア", "せいてれじあ", [("聖", "せい"), ("テレジア", None)]),
    ("大船", "おおふな", [("大船", "おおふな")]),
    # a reading that does not show the word's kana: one reading over the whole word
    ("お母さん", "ははうえ", [("お母さん", "ははうえ")]),
    ("項目名: 値", "こうもくめい: あたい", [("項目名", "こうもくめい"), (": ", None), ("値", "あたい")]),
])
def test_pieces_align_a_reading_with_the_kanji(surface, reading, expected):
    assert pieces(surface, reading) == expected


def test_ruby_html_has_the_reading_in_an_attribute_only():
    html = ruby("取り扱い", "とりあつかい")
    assert html == ('<ruby>取<rt aria-hidden="true" data-r="と"></rt></ruby>り'
                    '<ruby>扱<rt aria-hidden="true" data-r="あつか"></rt></ruby>い')
    assert ruby("<b>", None) == "&lt;b&gt;"


def test_a_form_the_data_reads_keeps_the_analysers_split_when_its_words_agree():
    reader = Reader({"湘南鎌倉": "しょうなんかまくら", "大船": "おおふな"})
    assert reader.words("湘南鎌倉") == (Word("湘南", "しょうなん"), Word("鎌倉", "かまくら"))  # not guessed now
    assert Reader().words("湘南鎌倉")[0].guessed
    assert reader.words("大船へ") == (Word("大船", "おおふな"), Word("へ", None))


@pytest.mark.parametrize("text,expected", [
    ("12月29日〜1月3日", [("月", "がつ"), ("日", "にち"), ("月", "がつ"), ("日", "か")]),
    ("令和8年11月", [("令和", "れいわ"), ("年", "ねん"), ("月", "がつ")]),
    ("月〜金", [("月", "げつ"), ("金", "きん")]),
    ("土曜日、日曜日", [("土曜", "どよう"), ("日", "び"), ("日曜", "にちよう"), ("日", "び")]),
    ("お金", [("金", "かね")]),
])
def test_dates_and_weekdays_are_read_in_their_place(text, expected):
    reader = readings.reader_of(load_guide(DATA))
    assert [(w.surface, w.reading) for w in reader.words(text) if w.reading] == expected


# ----------------------------------------------------------------------------
# readings.yml: its checks, in Japanese, with file and line
# ----------------------------------------------------------------------------


def _data_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    return data


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_the_readings_files_errors_name_file_line_and_the_word(tmp_path):
    data = _data_copy(tmp_path)
    path = data / "readings.yml"
    path.write_text(path.read_text(encoding="utf-8") + "  北町: kitamachi\n  にしまち: にしまち\n  南町: みなみ町\n",
                    encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_guide(data)
    found = {(e.key, e.line, e.field) for e in info.value.errors}
    assert found == {("reading_not_kana", _line_of(path, "北町:"), "readings.北町"),
                     ("reading_form_no_kanji", _line_of(path, "にしまち:"), "readings.にしまち"),
                     ("reading_not_kana", _line_of(path, "南町:"), "readings.南町")}
    assert all(e.file.endswith("readings.yml") for e in info.value.errors)
    report = info.value.report()
    assert "「k」は使えません" in report and "「町」は使えません" in report and "漢字のない言葉" in report


def test_a_word_given_twice_or_read_otherwise_by_the_glossary_is_an_error(tmp_path):
    data = _data_copy(tmp_path)
    path = data / "readings.yml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "  大船: おおぶね\n", encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_guide(data)
    assert [(e.key, e.line) for e in info.value.errors] == [("duplicate_key", original.count("\n") + 1)]
    path.write_text(original + "  民生委員: みんせいいん\n", encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_guide(data)
    assert [(e.key, e.line) for e in info.value.errors] == [("reading_conflict", original.count("\n") + 1)]
    assert "みんせいいいん" in info.value.errors[0].message
    path.write_text(original + "  民生委員: みんせいいいん\n", encoding="utf-8")  # the same reading twice is fine
    assert load_guide(data).readings["民生委員"] == "みんせいいいん"


def test_katakana_is_allowed_for_the_loanword_part_of_a_name():
    guide = load_guide(DATA)
    assert guide.readings["安田ビル"] == "やすだビル"
    assert all(readings.KANJI.search(form) and readings.READING.fullmatch(r) for form, r in guide.readings.items())


# ----------------------------------------------------------------------------
# check: every kanji word of the pages that nothing reads, as a warning with its place
# ----------------------------------------------------------------------------


def test_check_lists_an_unread_kanji_word_with_its_file_and_line(tmp_path, capsys):
    data = _data_copy(tmp_path)
    agencies = data / "agencies.yml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace("name: 鎌倉地域支援室", "name: 鵠沼地域支援室"),
                        encoding="utf-8")
    assert cli.main(["check", str(data)]) == 0  # a warning, not an error
    out = capsys.readouterr().out
    line = _line_of(agencies, "鵠沼地域支援室")
    assert f"{data}/agencies.yml:{line}: 注意: 「鵠沼」の読みは、コンピューターの推測（くげぬま）です" in out
    assert f"{data}/readings.yml に「鵠沼: くげぬま」" in out and "(unread_word)" in out
    assert out.count("(unread_word)") == 1  # the rest of Kamakura's words are read
    # given a reading, the word is no longer listed
    readings_file = data / "readings.yml"
    readings_file.write_text(readings_file.read_text(encoding="utf-8") + "  鵠沼: くげぬま\n", encoding="utf-8")
    assert cli.main(["check", str(data)]) == 0
    assert "unread_word" not in capsys.readouterr().out


def test_check_on_kamakura_lists_no_unread_word(capsys):
    assert cli.main(["check", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "誤りはありません" in out and "unread_word" not in out and "読みのわからない" not in out


def test_check_reads_the_hand_written_pages_too(tmp_path, monkeypatch, capsys):
    """A word nothing reads in docs/*.md is listed with the page and its line."""
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "docs" / "about.md").write_text("# はじめに\n\n閖上の窓口にも相談できます。\n", encoding="utf-8")
    monkeypatch.chdir(project)
    texts = cli.hand_written_texts()
    assert texts == [("docs/about.md", 1, "# はじめに"), ("docs/about.md", 3, "閖上の窓口にも相談できます。")]
    words = unread_places(texts, readings.reader_of(load_guide(DATA)))
    assert [(w.surface, w.file, w.line) for w in words] == [("閖上", "docs/about.md", 3)]


def test_a_word_the_analyser_cannot_read_at_all_is_listed_without_a_reading():
    words = unread_places([("agencies.yml", 7, "㐂の家")], Reader())
    assert [(w.surface, w.reading, w.line) for w in words] == [("㐂", None, 7)]
    from tsunagu.site import shape
    assert "「㐂」の読みがわかりません" in shape.unread_line(words[0], "data")
    assert shape.unread_line(words[0], "data").startswith("agencies.yml:7: 注意:")
