"""Site search: variant normalisation (unit), and every published query typed into the header box
in headless Chromium, scored as the query file says."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from tsunagu import load_guide
from tsunagu.site import published
from tsunagu.site.search import normalise, word_table

# the 20 natural questions of ../shared/search/, copied into the repository (bench/search_benchmark.py reads them too)
QUERIES = ROOT / "bench" / "queries.tsv"
TARGET = 18
SEARCH_JS = ROOT / "overrides" / "assets" / "javascripts" / "search.js"


def read_queries(path: Path) -> list[tuple[str, list[str]]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, words = line.split("\t")
            out.append((query, words.split("|")))
    return out


# ----------------------------------------------------------------------------
# Normalisation and the word table
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("written, normal", [
    ("８０５０", "8050"), ("ＬＩＢＥＲＯ", "libero"), ("Libero", "libero"), ("ヒキコモリ", "ひきこもり"),
    ("ｶﾀｶﾅ", "かたかな"), ("アウトリーチ", "あうとりち"), ("相談受付・申込票", "相談受付・申込票"),
])
def test_normalise_width_case_and_kana(written, normal):
    assert normalise(written) == normal


def _node() -> str:
    node = shutil.which("node")
    if not node:
        if os.environ.get("CI") == "true":
            pytest.fail("Node.js is needed in CI to test search.js")
        pytest.skip("Node.js is not installed")
    return node


def _js(expression: str) -> object:
    """Evaluate an expression with search.js loaded as `s` (the code the site runs)."""
    script = f"const s=require({json.dumps(str(SEARCH_JS))});console.log(JSON.stringify({expression}))"
    return json.loads(subprocess.run([_node(), "-e", script], capture_output=True, text=True, check=True).stdout)


def _expanded(query: str) -> set[str]:
    table = json.dumps(word_table(load_guide(DATA).search_terms), ensure_ascii=False)
    terms = _js(f"s.terms({json.dumps(query)}, {table}).list")
    return {w for term in terms for w in term["alts"]}


@pytest.mark.parametrize("query, finds", [
    ("引きこもり", "ひきこもり"),        # kanji / kana spelling
    ("ヒキコモリ", "ひきこもり"),        # katakana
    ("こどもの相談", "子ども"),          # 子ども / こども
    ("子供", "こども"),
    ("お年寄りの介護", "高齢"),          # everyday word -> the booklet's
    ("役所に聞きたい", "福祉総務課"),
    ("不登校の娘", "長女"),
    ("ケアマネ", "ケアマネジャー"),
    ("ｓｓｗ", "スクールソーシャルワーカー"),
    ("高齢者の見守り", "高齢"),          # optional suffix 者
])
def test_variants_and_everyday_words_expand(query, finds):
    assert normalise(finds) in _expanded(query)


def test_longer_everyday_words_win_over_the_words_inside_them():
    # 「高齢の親」 means the elderly; it is not also read as 「親」 -> 父親・母親
    assert "父親" not in _expanded("高齢の親") and "父親" in _expanded("親のこと")


def test_unrelated_words_expand_to_nothing_but_themselves():
    assert _expanded("Material") == {"material"}


def test_search_words_are_data_validated(tmp_path):
    from tests_helpers import copy_tiny_with
    data = copy_tiny_with(tmp_path, "search.yml", "search:\n  variants:\n    - [ひとつだけ]\n")
    from tsunagu import DataErrors
    with pytest.raises(DataErrors) as info:
        load_guide(data)
    assert info.value.errors[0].key == "too_short" and info.value.errors[0].file.endswith("search.yml")


# what a query and a page may hold: width, case, katakana (half-width too, voiced, small, ヴ ヵ ヶ),
# the long-vowel mark in katakana and typed in hiragana (half-width ｰ too), marks NFKC rewrites
NORMALISED = ["８０５０", "ＬＩＢＥＲＯ", "ヒキコモリ", "ｶﾀｶﾅ", "㈱鎌倉", "①②", "アウトリーチ", "ケアマネージャー",
              "ケアマネジャー", "ｾﾝﾀｰ", "せんたー", "ﾃﾞｲｻｰﾋﾞｽ", "ヴィラ", "ヶ所・ヵ月", "ｧｨｩｪｫｯｬｭｮ", "ゝゞヽヾ",
              "らーめん　ラーメン", "〜～－‐", "Ⅲ", "ﾊﾟﾊﾟ"]


def test_normalise_drops_the_long_vowel_mark():
    assert normalise("ケアマネージャー") == normalise("ケアマネジャー") == "けあまねじゃ"
    assert normalise("せんたー") == normalise("センター") == normalise("ｾﾝﾀｰ") == "せんた"


def test_javascript_normalises_like_python():
    assert _js(f"{json.dumps(NORMALISED, ensure_ascii=False)}.map(s.norm)") == [normalise(x) for x in NORMALISED]


# ----------------------------------------------------------------------------
# In the browser: type each query into the header search box
# ----------------------------------------------------------------------------

def typed_results(tab, query: str, first: int = 3) -> list[str]:
    """Type query into the header box of the page in tab, as a person does; the titles of the
    first results once the box has answered (its count announced)."""
    tab.fill("#ts-search-input", "")
    tab.click("#ts-search-input")
    tab.keyboard.type(query)
    tab.wait_for_function("q => document.querySelector('[data-ts-search]').getAttribute('data-search-done') === q",
                          arg=query)
    status = tab.inner_text("#ts-search-status")
    assert "件" in status or "見つかりません" in status  # the count is announced
    return tab.eval_on_selector_all("[data-search-results] li a", f"els => els.slice(0, {first}).map(e => e.textContent)")


def answered(tab, queries: list[tuple[str, list[str]]]) -> tuple[int, list[str]]:
    """How many queries have one of their words in a top-3 title, and the others with their titles."""
    hits, misses = 0, []
    for query, words in queries:
        titles = typed_results(tab, query)
        if any(w in t for t in titles for w in words):
            hits += 1
        else:
            misses.append(f"{query}: {titles}")
    return hits, misses


@pytest.mark.browser
@pytest.mark.slow
def test_published_queries_find_a_right_page_in_the_top_three(browser, kamakura_server):
    tab = browser.new_page()
    tab.goto(kamakura_server)
    hits, misses = answered(tab, read_queries(QUERIES))
    tab.close()
    print(f"search: {hits}/{hits + len(misses)} queries answered in the top 3")
    assert hits >= TARGET, misses


@pytest.mark.browser
@pytest.mark.slow
def test_search_results_are_links_to_pages_with_those_titles(browser, kamakura_server, kamakura_site):
    from htmlread import page_of
    tab = browser.new_page()
    tab.goto(kamakura_server + "agencies/")
    tab.fill("#ts-search-input", "支援調整会議")
    tab.wait_for_selector("[data-search-results] li a")
    links = tab.eval_on_selector_all("[data-search-results] li a",
                                     "els => els.map(e => [e.textContent, e.href])")
    assert links
    for title, href in links[:5]:
        assert href.startswith(kamakura_server)
        url = href[len(kamakura_server):]
        h1 = [e.text.strip() for e in page_of(kamakura_site, url.rstrip("/")).elements if e.tag == "h1"]
        assert h1 == [title], href
    # keyboard: Tab from the box reaches the first result
    tab.focus("#ts-search-input")
    for _ in range(3):
        tab.keyboard.press("Tab")
        if tab.evaluate("() => !!document.activeElement.closest('[data-search-results]')"):
            break
    assert tab.evaluate("() => !!document.activeElement.closest('[data-search-results]')")
    tab.close()


@pytest.mark.parametrize("query, words", [
    ("高齢者の見守り", ["高齢者", "見守り"]),       # lone kanji joined back: 高齢/者, 見/守り
    ("不登校の娘", ["不登校", "娘"]),
    ("社会参加したい", ["社会", "参加"]),            # したい is not a search word
])
def test_javascript_splits_queries_into_words(query, words):
    assert _js(f"s.segment(s.norm({json.dumps(query)}))") == words


def test_the_index_gathered_while_the_pages_were_written_is_the_index_of_the_built_files(kamakura_site, tmp_path):
    from mkdocs.utils.meta import get_data

    from tsunagu.build.prepare import prepare, write_search_index
    docs = {p.relative_to(ROOT / "docs").as_posix(): get_data(p.read_text(encoding="utf-8"))[0]
            for p in sorted((ROOT / "docs").rglob("*.md"))}
    copy = tmp_path / "site"
    shutil.copytree(kamakura_site, copy, ignore=shutil.ignore_patterns("*.zip", "*.pdf", "assets"))
    (copy / "booklet" / "index.html").unlink()  # written after the index, so never in it
    written = json.loads((kamakura_site / "search" / "index.json").read_text(encoding="utf-8"))
    again = json.loads(write_search_index(copy, prepare(DATA, docs)).read_text(encoding="utf-8"))
    assert len(written["pages"]) > 50 and again == written


def test_a_query_searches_at_most_max_terms_spellings_its_own_words_first():
    # one synonym of 相談 with 24,000 words no page holds (issue 18: a tab froze for 37.6 s)
    table = json.dumps(word_table(load_guide(DATA).search_terms), ensure_ascii=False)
    script = (f"(() => {{ const t = {table}; t.synonyms.push([['相談'], Array.from({{length: 24000}}, (_, i) => 'みつからない' + i)]);"
              " const index = s.prepare({pages: [{u: 'a/', t: '相談の窓口', h: [], x: '相談はこちら'},"
              " {u: 'b/', t: 'ほか', h: [], x: 'ほかの話'}], words: t});"
              " const list = s.terms('相談 ほかの話', t).list;"
              " return {max: s.MAX_TERMS, spellings: list.reduce((n, x) => n + x.alts.length, 0),"
              " own: list.filter(x => x.own).map(x => x.alts), found: s.search(index, '相談 ほかの話', 10).map(r => r.url)}; })()")
    got = _js(script)
    assert got["max"] == 40 and got["spellings"] == got["max"]
    # the query's own words are all searched, whatever the synonym adds
    assert got["own"] == [["相談"], ["ほか"], ["話"]]
    assert sorted(got["found"]) == ["a/", "b/"]


# ----------------------------------------------------------------------------
# Every result within reach: the panel links to the search page, which lists them all
# ----------------------------------------------------------------------------

ALL_QUERY = "介護"  # matches more pages than the panel lists (issue 20: 35 pages, 10 shown)


def _every_result_by_keyboard(tab, start: str) -> list[str]:
    """From the page at start: type ALL_QUERY into the header box, Tab to 「すべての結果を見る」,
    Enter, then Tab through the search page; what went wrong, if anything."""
    problems = []
    tab.goto(start)
    tab.focus("#ts-search-input")
    tab.keyboard.type(ALL_QUERY)
    tab.wait_for_function("q => document.querySelector('[data-ts-search]').getAttribute('data-search-done') === q",
                          arg=ALL_QUERY)
    total = tab.evaluate("""q => fetch(new URL(document.querySelector('[data-ts-search] form').dataset.index, location.href).href)
        .then(r => r.json()).then(i => tsunaguSearch.search(tsunaguSearch.prepare(i), q, 100000).length)""", ALL_QUERY)
    shown = tab.locator("[data-search-results] li").count()
    assert total > shown == 10, "the query should match more pages than the panel lists"
    for _ in range(3):
        tab.keyboard.press("Tab")
        if tab.evaluate("() => !!document.activeElement.closest('[data-search-all]')"):
            break
    link = tab.evaluate("() => document.activeElement.closest('[data-search-all]') && document.activeElement.textContent")
    if link != f"すべての結果を見る（{total} 件）":
        return problems + [f"Tab from the box reached {link!r}, not the link to all {total} results"]
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    tab.wait_for_function("q => document.querySelector('[data-ts-search-page]').getAttribute('data-search-done') === q",
                          arg=ALL_QUERY)
    listed = tab.eval_on_selector_all("[data-search-page-results] ol li a", "els => els.map(e => e.href)")
    heading = tab.evaluate("() => document.activeElement.tagName + ' ' + document.activeElement.textContent")
    if heading != f"H2 「{ALL_QUERY}」の検索結果: {total} 件":
        problems.append(f"on arrival focus is on {heading!r}")
    if len(listed) != total or ALL_QUERY not in tab.title():
        problems.append(f"the search page lists {len(listed)} of {total} results (title {tab.title()!r})")
    reached = []
    for _ in range(total + 5):
        tab.keyboard.press("Tab")
        href = tab.evaluate("() => document.activeElement.closest('[data-search-page-results] ol') && document.activeElement.href")
        if not href:
            break
        reached.append(href)
    if reached != listed:
        problems.append(f"Tab reached {len(reached)} of {len(listed)} results in order")
    # the last result opens its page
    with tab.expect_navigation():
        tab.keyboard.press("Shift+Tab")
        tab.keyboard.press("Enter")
    if tab.url != listed[-1]:
        problems.append(f"the last result opened {tab.url}, not {listed[-1]}")
    return problems


@pytest.mark.browser
@pytest.mark.slow
def test_every_result_is_reached_by_keyboard_on_the_served_site(browser, kamakura_server, a11y_run):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems = _every_result_by_keyboard(context.new_page(), kamakura_server + "agencies/")
    context.close()
    a11y_run.check("keyboard", "2.1.1", not problems, "検索: 「すべての結果を見る」から全件にキーボードで届く")
    assert problems == []


@pytest.mark.browser
@pytest.mark.slow
def test_every_result_is_reached_by_keyboard_on_the_offline_copy(browser, kamakura_site, tmp_path):
    import zipfile

    from tsunagu.outputs.offline import FOLDER
    with zipfile.ZipFile(kamakura_site / published.OFFLINE_ZIP) as zf:
        zf.extractall(tmp_path)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    outside = []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                  else (outside.append(r.request.url), r.abort()))
    problems = _every_result_by_keyboard(context.new_page(), (tmp_path / FOLDER / "agencies" / "index.html").as_uri())
    context.close()
    assert problems == [] and outside == []


# ----------------------------------------------------------------------------
# The search page opened by its address (search/?q=) and from a deep page, served and offline:
# it finds its index, and its results open the pages they name (issue 23 item 5: offline the page
# fetched "index.json" past the copy's shim, 「Failed to fetch」; served, its results were resolved
# against search/ and answered 404)
# ----------------------------------------------------------------------------

PAGE_QUERY = "相談"
FOLLOWED = 5  # results of the search page followed to their pages


def _search_page_links(tab, problems: list[str]) -> list[tuple[str, str]]:
    """(title, href) of every result the search page in tab lists, once it has listed them."""
    try:
        tab.wait_for_function("q => document.querySelector('[data-ts-search-page]').getAttribute('data-search-done') === q",
                              arg=PAGE_QUERY, timeout=15000)
    except Exception:  # noqa: BLE001 - Playwright's timeout: say what the page showed instead
        pytest.fail(f"{tab.url} listed no results for {PAGE_QUERY}: {problems}")
    return tab.eval_on_selector_all("[data-search-page-results] ol li a", "els => els.map(e => [e.textContent, e.href])")


def _from_the_header_box(tab, start: str, problems: list[str]) -> list[tuple[str, str]]:
    """From the page at start: 相談 typed into the header box, then 「すべての結果を見る」: the
    search page's results."""
    tab.goto(start)
    tab.fill("#ts-search-input", PAGE_QUERY)
    tab.wait_for_selector(f"[data-ts-search][data-search-done='{PAGE_QUERY}']", timeout=15000)
    link = tab.locator("[data-search-all] a")
    assert link.is_visible() and link.inner_text().startswith("すべての結果を見る"), start
    with tab.expect_navigation():
        link.click()
    return _search_page_links(tab, problems)


def _deep_page(site: Path) -> Path:
    """The deepest page with the header search box."""
    pages = [p for p in site.rglob("*.html") if "data-ts-search" in p.read_text(encoding="utf-8")]
    return max(pages, key=lambda p: (len(p.relative_to(site).parts), p.as_posix()))


def _watch(tab, problems: list[str]) -> None:
    tab.on("pageerror", lambda e: problems.append(f"{tab.url}: {e}"))
    tab.on("requestfailed", lambda r: problems.append(f"{r.url} {r.failure}"))
    tab.on("response", lambda r: r.status >= 400 and problems.append(f"{r.url} {r.status}"))


@pytest.mark.browser
@pytest.mark.slow
def test_the_search_page_links_its_results_to_their_pages_on_the_served_site(browser, kamakura_server, kamakura_site):
    from urllib.parse import quote
    context = browser.new_context()
    tab, problems = context.new_page(), []
    _watch(tab, problems)
    tab.goto(kamakura_server + "search/?q=" + quote(PAGE_QUERY))
    links = _search_page_links(tab, problems)
    deep = _deep_page(kamakura_site).relative_to(kamakura_site).as_posix().removesuffix("index.html")
    assert len(deep.split("/")) >= 4, deep
    # the same results from a deep page's header box, through 「すべての結果を見る」
    assert _from_the_header_box(tab, kamakura_server + deep, problems) == links
    assert len(links) > 10
    for title, href in links[:FOLLOWED]:
        assert href.startswith(kamakura_server) and not href.startswith(kamakura_server + "search/"), href
        response = tab.goto(href)
        assert response.status == 200 and response.url == href, href
        assert tab.locator("h1").first.inner_text() == title, href
    context.close()
    assert problems == []


@pytest.mark.browser
@pytest.mark.slow
def test_the_search_page_links_its_results_to_their_pages_on_the_offline_copy(browser, offline_copy):
    from urllib.parse import quote, unquote, urlsplit
    root = offline_copy.as_uri() + "/"
    context = browser.new_context()
    outside, problems = [], []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                  else (outside.append(r.request.url), r.abort()))
    tab = context.new_page()
    _watch(tab, problems)
    tab.goto((offline_copy / "search" / "index.html").as_uri() + "?q=" + quote(PAGE_QUERY))
    links = _search_page_links(tab, problems)
    deep = _deep_page(offline_copy)
    assert len(deep.relative_to(offline_copy).parts) >= 5, deep
    assert _from_the_header_box(tab, deep.as_uri(), problems) == links
    assert len(links) > 10
    for title, href in links[:FOLLOWED]:
        assert href.startswith(root) and href.endswith("/index.html") and not href.startswith(root + "search/"), href
        assert Path(unquote(urlsplit(href).path)).is_file(), href
        tab.goto(href)
        assert tab.url == href and tab.locator("h1").first.inner_text() == title, href
    context.close()
    assert problems == [] and outside == []


def test_without_javascript_the_search_page_says_to_browse_and_links_the_ways(kamakura_site, kamakura):
    from htmlread import page_of
    html = (kamakura_site / "search" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    article = re.sub(r"<rt\b[^>]*>.*?</rt>|</?ruby>", "", article)  # the words as written, without readings over them
    noscript = re.search(r"<noscript>(.*?)</noscript>", article, re.S)
    assert noscript and "検索が使えません" in noscript[1] and "一覧のページから探してください" in noscript[1]
    # what only works with JavaScript is hidden until search.js shows it
    assert re.search(r"<p data-search-page-js hidden>[^<]*検索欄", article)
    links = [e.attrs["href"] for e in page_of(kamakura_site, "search").links()]
    assert "../agencies/" in links and all(f"../flows/{f.flow.id}/" in links for f in kamakura.flows)
