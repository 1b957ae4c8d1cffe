"""Search by reading (issue 24 item 3): a query typed in kana finds what its kanji form finds.

The build writes the readings of the pages' kanji words into the search index (tsunagu/site/search.py's
readings_table); search.js rewrites the hiragana of a query into written forms with them. Unit
tests of both halves, the index's size, and the public kana query set typed into the header box
in headless Chromium."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from test_search import QUERIES, SEARCH_JS, _node, answered, read_queries, typed_results
from tsunagu import load_guide
from tsunagu.data.readings import Reader
from tsunagu.site.search import entry, index_of, normalise, readings_table

KANA_QUERIES = ROOT / "bench" / "kana_queries.tsv"
SHARE = 0.9  # of each query set answered in the top 3 (the issue's bar)

# The first search downloads the index (gzipped as a server sends it; search.js comes with every
# page). Budget at 1x: the index 80 KB gzipped (60 KB without the readings, 71 KB with them), of
# which the readings 15 KB (12 KB); the README gives the figures at 1x, 10x and 100x.
INDEX_BUDGET = 80_000
READINGS_BUDGET = 15_000


def _run_js(script: str, timeout: float = 60) -> object:
    """Run script (search.js loaded as `s`, fs as `fs`) under Node; what it prints, as JSON."""
    code = f"const s=require({json.dumps(str(SEARCH_JS))});const fs=require('fs');{script}"
    done = subprocess.run([_node(), "-e", code], capture_output=True, text=True, check=True, timeout=timeout)
    return json.loads(done.stdout)


def _with_index(path: Path, expression: str, timeout: float = 60) -> object:
    """expression evaluated with `index`, the prepared index read from path."""
    return _run_js(f"const index=s.prepare(JSON.parse(fs.readFileSync({json.dumps(str(path))},'utf8')));"
                   f"console.log(JSON.stringify({expression}))", timeout)


@pytest.fixture(scope="module")
def built_index(kamakura_site) -> Path:
    return kamakura_site / "search" / "index.json"


# ----------------------------------------------------------------------------
# Build side: the readings table
# ----------------------------------------------------------------------------

def test_the_table_maps_readings_to_written_forms_commonest_first():
    pages = [{"t": "福祉の相談", "h": ["子育て"], "x": "生活費のこと。機関と機関と期間。カ所"}]
    table = readings_table(pages, Reader(), {"息子", "学校に行けない", "おじいちゃん"})
    assert table["ふくし"] == ["福祉"] and table["こそだて"] == ["子育て"] and table["そうだん"] == ["相談"]
    assert table["きかん"] == ["機関", "期間"]  # 機関 twice, 期間 once
    assert table["せいかつひ"] == ["生活費"]  # 生活 + 費: a one-kana reading only beside its neighbour
    assert all(len(r) >= 2 for r in table)  # no lone ひ, か: they would match anywhere
    # search.yml's words whole, so a kana query reaches a synonym's key; a word without kanji is no entry
    assert table["むすこ"] == ["息子"] and table["がっこうにいけない"] == ["学校に行けない"]
    assert "おじいちゃん" not in table
    # readings normalised as queries are; forms keep their katakana (a segmenter reads カ所 better than か所)
    assert all(r == normalise(r) for r in table) and "カ所" in table["かしょ"]
    # katakana words, as the site writes them: one typed in hiragana is written so
    table = readings_table([{"t": "アウトリーチ", "h": [], "x": "ケアマネジャーとセンター"}], Reader())
    assert table["あうとりち"] == ["アウトリチ"] and table["けあまねじゃ"] == ["ケアマネジャ"] and table["せんた"] == ["センタ"]


def test_the_index_carries_the_readings_only_with_a_reader():
    pages = [{"u": "a/", "t": "介護", "h": [], "x": "介護の相談"}]
    assert "readings" not in index_of(pages, None)
    assert index_of(pages, None, Reader())["readings"]["かいご"] == ["介護"]


RUBY_PAGE = """<html><body><article class="md-content__inner">
<h1 id="x"><ruby>福祉<rt aria-hidden="true" data-r="ふくし"></rt></ruby>の<ruby>相談<rt aria-hidden="true" data-r="そうだん"></rt></ruby></h1>
<p><ruby>子<rt aria-hidden="true" data-r="こ"></rt></ruby>ども<ruby>食堂<rt aria-hidden="true" data-r="しょくどう"></rt></ruby>と<ruby>取<rt aria-hidden="true" data-r="と"></rt></ruby>り<ruby>扱<rt aria-hidden="true" data-r="あつか"></rt></ruby>い。
<ruby>親<rp>(</rp><rt>おや</rt><rp>)</rp></ruby>の<ruby>介護<rt>かいご</ruby></p>
<h2><ruby>生活<rt aria-hidden="true" data-r="せいかつ"></rt></ruby>のこと</h2><ul><li><ruby>鎌倉<rt data-r="かまくら"></rt></ruby></li></ul>
</article></body></html>"""


def _without_ruby(html: str) -> str:
    import re
    html = re.sub(r"<rp>.*?</rp>", "", html)
    html = re.sub(r"<rt\b[^>]*>.*?(</rt>|(?=</ruby>))", "", html)
    return html.replace("<ruby>", "").replace("</ruby>", "")


def test_ruby_on_a_page_gives_the_same_index_as_none():
    # the readings another part of the build puts over the words (empty rt, reading in data-r), and
    # ruby written out (rt with text, rp, an omitted </rt>): the entry is the words as written
    plain = _without_ruby(RUBY_PAGE)
    assert "<rt" not in plain and "ふくし" not in plain
    assert entry("a/", RUBY_PAGE) == entry("a/", plain) == {
        "u": "a/", "t": "福祉の相談", "h": ["生活のこと"], "x": "子ども食堂と取り扱い。 親の介護 生活のこと 鎌倉"}
    reader = Reader()
    assert index_of([entry("a/", RUBY_PAGE)], None, reader) == index_of([entry("a/", plain)], None, reader)


def test_every_built_page_gives_the_same_entry_with_ruby_over_its_words(kamakura_site, kamakura):
    # the ruby the build puts over the pages' words (readings.annotate), on every page of the site
    from tsunagu.data.readings import annotate, reader_of
    reader, checked = reader_of(kamakura), 0
    for html_file in sorted(kamakura_site.rglob("*.html")):
        plain = _without_ruby(html_file.read_text(encoding="utf-8"))
        with_ruby = annotate(plain, reader)
        if "<article" not in plain or with_ruby == plain:
            continue
        assert entry("a/", with_ruby) == entry("a/", plain), html_file
        checked += 1
    assert checked > 50


def test_the_built_index_carries_the_readings_of_the_site(built_index):
    index = json.loads(built_index.read_text(encoding="utf-8"))
    readings = index["readings"]
    for reading, form in [("ふくし", "福祉"), ("こそだて", "子育て"), ("かいご", "介護"), ("おや", "親"),
                          ("ふとうこう", "不登校"), ("むすこ", "息子"), ("としより", "年寄り")]:
        assert form in readings[reading], reading
    # a name the data reads (鎌倉: かまくら), and no reading from ruby's data-r leaks into the text
    assert "鎌倉" in readings["かまくら"]
    assert not any("data-r" in p["x"] for p in index["pages"])


def test_the_index_is_within_its_budget(built_index):
    raw = built_index.read_bytes()
    index = json.loads(raw)
    readings = json.dumps(index["readings"], ensure_ascii=False, separators=(",", ":")).encode()
    size, readings_size = len(gzip.compress(raw, 9)), len(gzip.compress(readings, 9))
    print(f"index: {len(raw):,} bytes raw, {size:,} gzipped; readings {len(readings):,} raw, {readings_size:,} gzipped")
    assert size <= INDEX_BUDGET and readings_size <= READINGS_BUDGET


def test_the_readme_gives_the_index_size_of_this_site(built_index):
    """The README's search table states the index's size (issue 21: it stated half the measured size);
    data edits move it a little, so within 5 %."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"^\| index size \| ([\d,]+) bytes raw, ([\d,]+) bytes gzipped", readme, re.M)
    assert stated, "the README's search table has no index size row"
    raw = built_index.read_bytes()
    for said, measured in zip((int(n.replace(",", "")) for n in stated.groups()), (len(raw), len(gzip.compress(raw, 9)))):
        assert abs(said - measured) <= 0.05 * measured, (said, measured)


# ----------------------------------------------------------------------------
# search.js: the query's hiragana in written forms (Node, with the built index)
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("typed, written", [
    ("ふくし", "福祉"),
    ("こそだて", "子育て"),
    ("おやのかいご", "親の介護"),
    ("おや の かいご", "親 の 介護"),          # with spaces
    ("親のかいご", "親の介護"),                # mixed
    ("せいかつひが", "生活費が"),              # 生活 + 費 read as one (a lone ひ is no entry)
    ("ふとうこうのむすめ", "不登校の娘"),       # 娘: a word of search.yml
    ("ヤングケアラー", "やんぐけあら"),        # katakana is never rewritten
    ("きしろのばしょ", "きしろの場所"),        # a name in a title stays as typed
    ("ｵﾔﾉｶｲｺﾞ", "おやのかいご"),              # half-width katakana too is katakana
])
def test_hiragana_is_written_in_the_forms_the_site_reads_so(built_index, typed, written):
    got = _with_index(built_index, f"s.terms({json.dumps(typed)}, index.words, index).written")
    assert got == normalise(written)


def test_a_loan_word_typed_in_hiragana_is_one_word(built_index):
    # あうとりーち is アウトリーチ, not 合う + とりち (あう is a reading of 合う)
    terms = _with_index(built_index, "s.terms('あうとりーちのもうしこみ', index.words, index).list")
    own = [t["alts"] for t in terms if t["own"]]
    assert ["あうとりち"] in own and not any("合う" in alts for alts in own)


def test_a_kana_word_searches_its_kana_and_its_forms(built_index):
    terms = _with_index(built_index, "s.terms('きかんそうだん', index.words, index)")
    alts = [t["alts"] for t in terms["list"] if t["own"]]
    # the kana as typed first, then every form of the reading (機関, 基幹, 期間)
    assert alts[0][0] == "きかん" and {"機関", "基幹"} <= set(alts[0][1:]) and alts[1] == ["そうだん", "相談"]
    assert set(terms["read"]) >= {"機関", "基幹", "相談"} and "きかん" not in terms["read"]


PAIRS = [("ふくし", "福祉"), ("こそだて", "子育て"), ("おやのかいご", "親の介護"), ("にんちしょう", "認知症"),
         ("ふとうこう", "不登校"), ("しえんかいぎ", "支援会議"), ("たきかんきょうどう", "多機関協働"),
         ("ちいきほうかつしえんせんたー", "地域包括支援センター"), ("ふくしそうむか", "福祉総務課"),
         ("ぎゃくたい", "虐待"), ("みんせいいいん", "民生委員"), ("しゅうけつ", "終結")]


def test_a_kana_query_finds_what_its_kanji_form_finds(built_index):
    got = _with_index(built_index, f"{json.dumps(PAIRS, ensure_ascii=False)}.map(([k, j]) => "
                      "[s.search(index, k, 3).map(r => r.url), s.search(index, j, 3).map(r => r.url)])")
    for (kana, kanji), (by_kana, by_kanji) in zip(PAIRS, got):
        assert by_kanji and by_kana == by_kanji, (kana, kanji)


def test_an_exact_spelling_ranks_above_a_reading_only_match():
    # page b/ is the better match for 介護 (shorter title, the word three times); a query typed
    # かいご finds both, but a/, which holds the kana as typed, comes first
    index = {"pages": [{"u": "a/", "t": "かいごの窓口", "h": [], "x": "かいごのこと"},
                       {"u": "b/", "t": "介護", "h": [], "x": "介護と介護と介護"},
                       {"u": "c/", "t": "ほか", "h": [], "x": "ほかのこと"}],
             "words": {"variants": [], "synonyms": []}, "readings": {"かいご": ["介護"]}}
    got = _run_js(f"const index = s.prepare({json.dumps(index, ensure_ascii=False)});"
                  "console.log(JSON.stringify([s.search(index, 'かいご', 5).map(r => r.url),"
                  " s.search(index, '介護', 5).map(r => r.url)]))")
    assert got == [["a/", "b/"], ["b/"]]


def test_a_long_kana_query_stays_within_max_terms(built_index):
    # 200 characters of kana, words of the site and others: the rewrite is bounded (runs of at most
    # MAX_RUN kana, each position trying readings up to the longest), and the spellings searched
    # stay within MAX_TERMS; Node must answer long before the timeout (an exponential split would not)
    query = ("おやのかいごとこそだてとしごととせいかつひとふとうこうのむすめとにんちしょうのははと"
             "しょうがいのあるあにとあいうえおかきくけこさしすせそ") * 4
    query = query[:200]
    got = _with_index(built_index, f"(() => {{ const t = s.terms({json.dumps(query)}, index.words, index);"
                      f" return {{max: s.MAX_TERMS, spellings: t.list.reduce((n, x) => n + x.alts.length, 0),"
                      f" written: t.written.length, found: s.search(index, {json.dumps(query)}, 10).length}}; }})()",
                      timeout=30)
    assert len(query) == 200 and got["spellings"] <= got["max"] == 40
    assert 0 < got["written"] <= 200 and got["found"] > 0


# ----------------------------------------------------------------------------
# In the browser: both query sets typed into the header box
# ----------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.slow
def test_kana_queries_find_a_right_page_in_the_top_three(browser, kamakura_server):
    tab = browser.new_page()
    tab.goto(kamakura_server)
    kana, current = read_queries(KANA_QUERIES), read_queries(QUERIES)
    kana_hits, kana_misses = answered(tab, kana)
    hits, misses = answered(tab, current)
    tab.close()
    print(f"search: kana {kana_hits}/{len(kana)}, current {hits}/{len(current)} answered in the top 3")
    assert len(kana) >= 30 and kana_hits >= SHARE * len(kana), kana_misses
    assert hits >= SHARE * len(current), misses


@pytest.mark.browser
@pytest.mark.slow
def test_kana_and_mixed_queries_in_the_box_find_what_the_kanji_finds(browser, kamakura_server):
    tab = browser.new_page()
    tab.goto(kamakura_server)
    for kana, kanji in [("ふとうこうのむすめ", "不登校の娘"), ("おやのかいご", "親の介護"),
                        ("ちいきほうかつしえんせんたー", "地域包括支援センター")]:
        assert typed_results(tab, kana) == typed_results(tab, kanji), kana
    # mixed: 親 as typed weighs more than 介護 read from かいご, so the order may differ lower down
    by_mixed, by_kanji = typed_results(tab, "親のかいご"), typed_results(tab, "親の介護")
    assert by_mixed[0] == by_kanji[0] and len(set(by_mixed) & set(by_kanji)) >= 2, (by_mixed, by_kanji)
    # 200 characters of kana typed: the box still answers
    long = ("となりのいえのおとしよりがしんぱいでふくしのそうだんをしたい" * 8)[:200]
    tab.fill("#ts-search-input", long)
    tab.wait_for_function("q => document.querySelector('[data-ts-search]').getAttribute('data-search-done') === q", arg=long)
    tab.close()
