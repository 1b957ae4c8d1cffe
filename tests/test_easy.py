"""Issue 25: the residents' pages in Easy Japanese (やさしい日本語), from the data.

Every residents' page has an Easy twin under easy/ and each links the other; the Easy flow is the same
flow (the same questions, answers and outcomes, the same doors and numbers); the Easy prose reads more
easily than its plain twin by jReadability, measured as the plain pages are (tests/test_readability.py)
and again without commas (jReadability counts punctuation as words, so commas alone lift a score: a
comma after every phrase took the Easy pages from 4.35 to 5.20); commas separate phrases, as municipal
Easy Japanese writes (「たばこは、吸わないでください」), never a modifier from its noun or an object from its
verb; no page below the issue's 4.5 (its median aim, 5.0, is not reached: see MEDIAN_AIM), in short
sentences, with no 行政 word left unexplained; an item without `easy` shows its plain text with a note,
and `check` names it. The accessibility gate (axe, reflow, zoom, the W3C checker) runs over every built
page, so over these too.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import statistics
from pathlib import Path

import pytest

from conftest import DATA, site_pages
from htmlread import page_of, plain
from tsunagu.site import easy, pages, published, render
from tsunagu.data import flows
from tsunagu import load_guide
from tsunagu.cli import main

GUIDE = load_guide(DATA)
TWINS = pages.easy_twins(GUIDE)  # plain URL -> Easy URL

# issue 25's aim (初級後半). Every page reaches EACH_AIM; the median does not: 4.97 on 2026-12-06 (plain
# twins 4.60), 4.51 without commas (plain 4.33). Short natural sentences of common words score about 4 a
# sentence here (jReadability weighs each verb heavily), so the rest of the way is a native editor's
# rewriting, not the measure's: see the README.
MEDIAN_AIM, EACH_AIM = 5.0, 4.5
MEAN_SENTENCE_CHARS = 30

# 行政 words a resident learning Japanese cannot be expected to know. An Easy page may use one only
# where it is explained: linked to the Easy glossary at its first use, or on the glossary as an entry.
GYOSEI_TERMS = ["属性", "包括的", "多機関協働", "支援体制", "重層的", "相談支援事業", "利用可能", "情報提供", "アウトリーチ",
                "参加支援", "伴走", "連携", "社会的孤立", "複合化", "複雑化", "地域共生社会", "縦割り", "アセスメント", "世帯",
                "要介護", "生活困窮", "通告", "受診", "申請", "担当課", "所管", "窓口", "同意", "〜等", "等の"]


def _go(page_url: str, href: str) -> str:
    """The site URL a relative link on page_url leads to ("" for the home page)."""
    path, _, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(page_url, path)) if path else page_url.rstrip("/")
    target = "" if target == "." else target
    return (target + "/" if target and not target.endswith((".html", "/")) else target) + (f"#{fragment}" if fragment else "")


def _twin_links(site: Path, url: str) -> list:
    return [e for e in page_of(site, url).links() if "ts-twin-link" in (e.attrs.get("class") or "").split()]


# ----------------------------------------------------------------------------
# Which pages have a twin, and the links between them
# ----------------------------------------------------------------------------


def test_every_residents_page_has_an_easy_twin():
    expected = {"", "residents/"} | ({"glossary/"} if GUIDE.glossary else set())
    for flow in GUIDE.flows_for("residents"):
        expected |= {fp.url for fp in flows.flow_pages(flow)}
    assert set(TWINS) == expected
    assert all(easy_url == easy.PREFIX + url for url, easy_url in TWINS.items())
    # the professionals' flows have none
    assert not any(url.startswith(f"flows/{f.flow.id}/") for f in GUIDE.flows_for("professionals") for url in TWINS)


@pytest.mark.slow
def test_each_residents_page_links_its_easy_twin_and_back(kamakura_site):
    for url, easy_url in TWINS.items():
        there = _twin_links(kamakura_site, url)
        assert len(there) == 1 and plain(there[0].text).strip() == "やさしい日本語", url
        assert _go(url, there[0].attrs["href"]) == easy_url, url
        back = _twin_links(kamakura_site, easy_url)
        assert len(back) == 1 and plain(back[0].text).strip() == "もとの日本語", easy_url
        assert _go(easy_url, back[0].attrs["href"]) == url, easy_url


@pytest.mark.slow
def test_easy_pages_carry_the_class_that_shows_readings_and_plain_pages_do_not(kamakura_site):
    for url, easy_url in TWINS.items():
        html = (kamakura_site / easy_url / "index.html").read_text(encoding="utf-8")
        article = html[html.index("<article"):]
        assert re.match(r'\s*<div class="ts-easy">', article[article.index(">") + 1:]), easy_url  # all of the content
        assert 'class="ts-easy"' not in (kamakura_site / url / "index.html").read_text(encoding="utf-8"), url


@pytest.mark.slow
def test_easy_pages_are_in_the_navigation_and_accessibility_runs_and_searched_by_their_twins(kamakura_site):
    built = set(site_pages(kamakura_site))  # the pages axe, reflow, zoom and the focus checks go through
    assert set(TWINS.values()) <= built
    # the W3C checker reads the whole site folder and none of the gate's tests leaves easy/ out
    for name in ("test_browser.py", "test_validity.py", "test_a11y_marks.py", "test_landmarks.py"):
        assert "easy/" not in (Path(__file__).parent / name).read_text(encoding="utf-8"), name
    home = page_of(kamakura_site, "agencies/")
    assert any(_go("agencies/", e.attrs["href"]) == "easy/" for e in home.links())  # the navigation names it
    import json
    index = json.loads((kamakura_site / published.SEARCH_INDEX).read_text(encoding="utf-8"))
    found = json.dumps(index, ensure_ascii=False)
    # the search finds each page once, by its plain twin (the Easy twin, one link away, took the
    # places of other right pages in the top three when both were in the index)
    urls = {page["u"] for page in index["pages"]}
    assert not any(u.startswith(easy.PREFIX) for u in urls)
    excluded = pages.search_excluded(GUIDE)
    assert {url for url in TWINS if url not in excluded} <= urls


# ----------------------------------------------------------------------------
# One flow, two texts: every path of both ends at the same door and numbers
# ----------------------------------------------------------------------------


def _walk(site: Path, start: str) -> dict[tuple[str, ...], str]:
    """Every path of a built flow from its first page, by its option links: answers -> outcome page URL."""
    out, stack = {}, [((), start)]
    while stack:
        answers, url = stack.pop()
        options = [e for e in page_of(site, url).links() if "ts-option" in (e.attrs.get("class") or "").split()]
        if not options:
            out[answers] = url
        for e in options:
            target = _go(url, e.attrs["href"])
            stack.append((answers + (target.rstrip("/").rsplit("/", 1)[-1],), target))
    return out


def _doors(site: Path, url: str) -> tuple:
    """What an outcome page sends a resident to: its phone links in order, its first door's heading,
    the agency pages it links."""
    page = page_of(site, url)
    tels = [e.attrs["href"] for e in page.links() if e.attrs["href"].startswith("tel:")]
    first = [plain(e.text).strip() for e in page.elements if e.tag == "h2" and e.attrs.get("id") == "first-door"]
    agencies = [_go(url, e.attrs["href"]) for e in page.links() if "/agencies/" in "/" + _go(url, e.attrs["href"])]
    return tels, first, agencies


@pytest.mark.slow
@pytest.mark.parametrize("flow", GUIDE.flows_for("residents"), ids=lambda f: f.flow.id)
def test_each_easy_path_ends_at_the_same_door_and_numbers_as_its_plain_twin(kamakura_site, flow):
    start = f"flows/{flow.flow.id}/"
    walked, easy_walked = _walk(kamakura_site, start), _walk(kamakura_site, easy.PREFIX + start)
    assert len(walked) == len(flows.paths(flow))
    assert set(easy_walked) == set(walked)  # the same answers lead to an outcome
    for answers, url in walked.items():
        assert easy_walked[answers] == easy.PREFIX + url
        tels, first, agencies = _doors(kamakura_site, url)
        assert tels, url
        assert _doors(kamakura_site, easy_walked[answers]) == (tels, first, agencies), url


def test_easy_outcomes_are_the_plain_outcomes_in_other_words():
    """The data's Easy texts of an outcome say as many things: no reason, step or thing to tell dropped."""
    for flow in GUIDE.flows_for("residents"):
        for o in flow.outcomes:
            assert o.easy is not None, o.id
            assert len(o.easy.prepare) == len(o.prepare), o.id
            assert len(o.easy.next) >= len(o.next) and len(o.easy.why) >= len(o.why), o.id
            # the numbers its title names are the outcome's own
            assert re.findall(r"\d{3}番", o.easy.title) == re.findall(r"\d{3}番", o.title), o.id
            for q in flow.questions:
                assert q.easy is not None and all(opt.easy for opt in q.options), q.id


# ----------------------------------------------------------------------------
# Reading: jReadability, sentence length, 行政 words
# ----------------------------------------------------------------------------


def _prose(site: Path, url: str) -> str:
    from test_readability import prose
    return prose((site / url / "index.html").read_text(encoding="utf-8"))


def _score(text: str, tagger, commas: bool = True) -> float:
    """jReadability of the text, as the plain pages are measured (commas=True) or without its commas."""
    import jreadability
    return jreadability.compute_readability(text if commas else re.sub("[、，,]", "", text), tagger)


def test_without_commas_the_measure_is_not_lifted_by_commas():
    pytest.importorskip("jreadability", reason="pip install -e '.[test]' (jreadability)")
    from fugashi import Tagger
    tagger = Tagger()
    with_commas = _score("相談先の人が、話を、聞きます。", tagger)
    assert with_commas > _score("相談先の人が話を聞きます。", tagger)  # why both measures are kept
    assert _score("相談先の人が、話を、聞きます。", tagger, commas=False) == _score("相談先の人が話を聞きます。", tagger)


@pytest.mark.slow
def test_easy_prose_reads_more_easily_than_its_plain_twin_and_no_page_below_the_aim(kamakura_site):
    pytest.importorskip("jreadability", reason="pip install -e '.[test]' (jreadability)")
    from fugashi import Tagger
    tagger = Tagger()
    report = []
    for commas in (True, False):
        easy_scores = {url: _score(_prose(kamakura_site, url), tagger, commas) for url in TWINS.values()}
        plain_scores = {url: _score(_prose(kamakura_site, url), tagger, commas) for url in TWINS}
        easy_median, plain_median = statistics.median(easy_scores.values()), statistics.median(plain_scores.values())
        report.append(f"{'with' if commas else 'without'} commas: Easy median {easy_median:.2f}, lowest "
                      f"{min(easy_scores.values()):.2f}; plain twins {plain_median:.2f}")
        assert easy_median > plain_median, report[-1]
        if commas:  # the measure of the plain pages and of the aim
            low = {url: round(s, 2) for url, s in easy_scores.items() if s < EACH_AIM}
            assert low == {}, report[-1]
    print("\n" + "\n".join(report))


def _commas_inside_a_phrase(text: str, tagger) -> list[str]:
    """Each comma that splits a phrase: after the の of a noun phrase, after a word that only modifies a
    noun (連体詞, a 連体形 before its noun), or between an object (を) and the verb right after it."""
    found = []
    for line in text.splitlines():
        tokens = list(tagger(line))
        for i, tok in enumerate(tokens[1:-1], start=1):
            if tok.surface != "、":
                continue
            before, after = tokens[i - 1], tokens[i + 1]
            f = before.feature
            if ((before.surface == "の" and f.pos1 == "助詞") or f.pos1 == "連体詞"
                    or ((f.cForm or "").startswith("連体形") and after.feature.pos1 == "名詞")
                    or (before.surface == "を" and f.pos1 == "助詞" and after.feature.pos1 == "動詞")):
                found.append(f"{before.surface}、{after.surface}: {line[:40]}")
    return found


def test_the_comma_check_finds_a_phrase_split_and_passes_phrase_commas():
    from fugashi import Tagger
    tagger = Tagger()
    assert _commas_inside_a_phrase("住んでいる、ところ。鎌倉市の、問い合わせ先です。話を、聞きます。", tagger) == [
        "いる、ところ: 住んでいる、ところ。鎌倉市の、問い合わせ先です。話を、聞きます。",
        "の、問い合わせ: 住んでいる、ところ。鎌倉市の、問い合わせ先です。話を、聞きます。",
        "を、聞き: 住んでいる、ところ。鎌倉市の、問い合わせ先です。話を、聞きます。"]
    assert _commas_inside_a_phrase("迷ったら、市役所に、電話してください。家族も、近所の人も、使えます。"
                                   "冊子に書いてあることを、やさしい言葉で書きました。", tagger) == []


@pytest.mark.slow
def test_commas_on_easy_pages_separate_phrases_only(kamakura_site):
    from fugashi import Tagger
    tagger = Tagger()
    found = {url: _commas_inside_a_phrase(_prose(kamakura_site, url), tagger) for url in TWINS.values()}
    assert {url: f for url, f in found.items() if f} == {}


@pytest.mark.slow
def test_easy_sentences_are_short(kamakura_site):
    lengths = []
    for url in TWINS.values():
        text = _prose(kamakura_site, url).replace("\n", "")
        lengths += [len(s.replace(" ", "")) for s in re.split(r"(?<=[。？！?!])", text) if s.strip()]
    assert sum(lengths) / len(lengths) <= MEAN_SENTENCE_CHARS


def _article(site: Path, url: str) -> str:
    html = plain((site / url / "index.html").read_text(encoding="utf-8"))
    html = html[html.index("<article"):html.index("</article>")]
    return re.sub(r'<p class="ts-source">.*?</p>', "", html, flags=re.S)  # the booklet's headings, quoted


@pytest.mark.slow
def test_no_gyosei_word_is_left_unexplained_on_an_easy_page(kamakura_site):
    unexplained = []
    for url in TWINS.values():
        html, text = _article(kamakura_site, url), _prose(kamakura_site, url)
        for term in GYOSEI_TERMS:
            if term not in text:
                continue
            at = html.index(term)
            link = html.rfind('<a class="ts-term"', 0, at)
            in_link = link >= 0 and html.find("</a>", link) > at and html.find("<a ", link + 2, at) < 0
            in_entry = url == easy.PREFIX + "glossary/" and re.search(r"<h2 [^>]*>[^<]*" + re.escape(term), html)
            if not (in_link or in_entry):
                unexplained.append(f"{url}: {term}")
    assert unexplained == []


# ----------------------------------------------------------------------------
# An item without Easy Japanese: the plain text with a note, and check's warning
# ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def without_one_easy(tmp_path_factory) -> tuple[Path, int]:
    """A copy of Kamakura's data whose option 「家族の世話や介護をしている」 has no easy; its line."""
    data = tmp_path_factory.mktemp("no-easy") / "data"
    shutil.copytree(DATA, data)
    flow = data / "flows" / "where-to-consult.yml"
    lines = flow.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "label: 家族の世話や介護をしている")
    easy_line = next(i for i in range(at, at + 5) if lines[i].strip().startswith("easy:"))
    del lines[easy_line]
    flow.write_text("".join(lines), encoding="utf-8")
    return data, at  # the option's "- id:" line is the one before its label (1-based: at)


def test_an_item_without_easy_shows_its_plain_text_with_a_note(without_one_easy):
    data, _ = without_one_easy
    guide = load_guide(data)
    env = render.make_env()
    shown = {spec.src: render.render_template(env, spec.template, {"guide": guide, "page_url": spec.url, **spec.context})
             for spec in pages.generated_pages(guide) if spec.url in ("flows/where-to-consult/", "easy/flows/where-to-consult/")}
    easy_page, plain_page = shown["easy/flows/where-to-consult/index.md"], shown["flows/where-to-consult/index.md"]
    option = re.search(r'<li><a class="ts-option" href="caring/">(.*?)</a>(.*?)</li>', easy_page)
    assert option.group(1) == "家族の世話や介護をしている"  # the plain label
    assert easy.MISSING in option.group(2) and 'class="ts-easy-missing"' in option.group(2)
    assert easy_page.count(easy.MISSING) == 1  # only there
    assert easy.MISSING not in plain_page


def test_check_names_the_item_without_easy_with_file_and_line(without_one_easy, capsys):
    data, line = without_one_easy
    assert main(["check", str(data)]) == 0  # a warning, not an error
    out = [x for x in capsys.readouterr().out.splitlines() if "(no_easy_japanese)" in x]
    assert len(out) == 1
    assert out[0].startswith(f"{data}/flows/where-to-consult.yml:{line}: 注意:") and "家族の世話や介護をしている" in out[0]


def test_kamakura_has_easy_japanese_for_every_item(capsys):
    assert main(["check", str(DATA)]) == 0
    assert "no_easy_japanese" not in capsys.readouterr().out
    from tsunagu.site import shape
    assert shape.missing_easy(GUIDE) == []
    assert len(easy.resident_items(GUIDE)) > 50  # the flow, the directory's kinds, the lines, the glossary


# ----------------------------------------------------------------------------
# The keyboard: the Easy flow walked to its door without a mouse
# ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
def test_a_resident_switches_to_easy_japanese_and_walks_the_flow_with_the_keyboard(browser, kamakura_server):
    from test_browser import _tab_to
    flow = GUIDE.flows_for("residents")[0]
    target = next(p for p in flows.paths(flow) if len(p.answers) == 2 and p.node.contacts and not p.node.national)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        tab.goto(f"{kamakura_server}flows/{flow.flow.id}/")
        _tab_to(tab, lambda f: f["text"] == "やさしい日本語")
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
        assert tab.url.endswith(f"easy/flows/{flow.flow.id}/")
        for answer in target.answers:
            assert tab.inner_text("article h1").replace("\n", "") .strip() != ""
            label = answer.option.easy
            _tab_to(tab, lambda f: f["text"].replace("\n", "") == label)
            with tab.expect_navigation():
                tab.keyboard.press("Enter")
        assert tab.url.endswith(easy.PREFIX + target.url)
        agency = GUIDE.contact_agencies(target.node.contacts[-1])[0] if GUIDE.contact_agencies(target.node.contacts[-1]) else None
        f = _tab_to(tab, lambda f: f["href"].startswith("tel:"))
        assert f["href"].startswith("tel:")
        if agency is not None:
            assert agency.phones[0].tel in tab.content()
        _tab_to(tab, lambda f: f["text"] == "もとの日本語")
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
        assert tab.url.endswith(target.url) and "/easy/" not in tab.url
    finally:
        context.close()
