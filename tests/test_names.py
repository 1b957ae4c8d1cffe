"""Issue 20, items 3 and 6: what screen readers, voice control and pointer users meet.

- Every tel: link's accessible name (from Chromium's accessibility tree) starts with the number shown
  and names whom it calls: the agency, the city section, the hub or the national service of the data.
- A question page says how many questions may still follow (the longest remaining path of the flow).
- The heading a flow page focuses on arrival shows no ring after a click or tap, and shows it after
  the keyboard.
"""

from __future__ import annotations

import re

import pytest

from conftest import DATA, site_pages
from htmlread import plain, read
from tsunagu.data import flows
from tsunagu import load_guide

GUIDE = load_guide(DATA)

# ----------------------------------------------------------------------------
# Whom each number calls, from the data
# ----------------------------------------------------------------------------


def _owners() -> dict[str, tuple[str, set[str]]]:
    """tel: URI -> (the number as shown, the names of whoever has that number in the data)."""
    out: dict[str, tuple[str, set[str]]] = {}

    def add(phone_tel: str, display: str, name: str):
        out.setdefault(phone_tel, (display, set()))[1].add(name)

    for a in GUIDE.agencies:
        for p in a.phones:
            add(p.tel, p.display, a.name)
    for p in GUIDE.hub.phones:
        add(p.tel, p.display, GUIDE.hub.name)
    for o in GUIDE.offices:
        for p in o.phones:
            add(p.tel, p.display, o.name)
    for n in GUIDE.national:
        add(f"tel:{n.phone}", n.phone, n.name)
    return out


OWNERS = _owners()


def test_every_tel_link_in_the_html_carries_whom_it_calls(kamakura_site):
    """Without a browser: the hidden text in each tel: link names an owner of that number."""
    seen = 0
    for url in site_pages(kamakura_site):
        for e in read(kamakura_site / (url if url.endswith(".html") else url + "index.html")).links():
            href = e.attrs["href"]
            if not href.startswith("tel:"):
                continue
            display, names = OWNERS[href]
            hidden = e.text.replace(e.shown, "", 1).strip()
            assert e.shown.strip() == display, (url, href, e.text)
            assert any(n in hidden for n in names), (url, href, e.text)
            seen += 1
    assert seen > len(OWNERS)


# ----------------------------------------------------------------------------
# Flow questions: how many may follow
# ----------------------------------------------------------------------------


def _most_left(fp: flows.FlowPage) -> int:
    """Counted from the paths themselves (not flows.questions_after): the most questions after this
    one on any complete path through this page."""
    depth = len(fp.answers)
    return max(len(p.answers) - depth - 1 for f in [fp.flow] for p in flows.paths(f)
               if p.answers[:depth] == fp.answers)


@pytest.mark.parametrize("flow", GUIDE.flows, ids=lambda f: f.flow.id)
def test_each_question_page_says_how_many_questions_may_follow(kamakura_site, flow):
    questions = [fp for fp in flows.flow_pages(flow) if not fp.is_outcome]
    assert questions
    said = set()
    for fp in questions:
        html = plain((kamakura_site / fp.url / "index.html").read_text(encoding="utf-8"))  # as read: no ruby
        m = re.search(r'<span class="ts-flow-count">(.*?)</span>', html)
        assert m, fp.url
        left = _most_left(fp)
        want = f"質問 {len(fp.answers) + 1}（" + (f"あと最大 {left} 問" if left else "最後の質問") + "）"
        assert m[1] == want, (fp.url, m[1], want)
        said.add(left)
    assert max(said) > 0  # a flow of one question would not test the count


def test_questions_after_counts_the_longest_branch_without_recursion():
    import sys
    from test_limits_totals import chain

    text = chain(3).replace("      - {id: a, label: 答え0,", "      - {id: b, label: 近道, next: end, source: x}\n"
                                                          "      - {id: a, label: 答え0,", 1)
    from tsunagu.data import model as m
    import yaml
    flow = m.FlowFile.model_validate(yaml.safe_load(text))
    assert flows.questions_after(flow) == {"q0": 2, "q1": 1, "q2": 0, "end": 0}
    deep = sys.getrecursionlimit() * 2
    flow = m.FlowFile.model_validate(yaml.safe_load(chain(deep)))
    assert flows.questions_after(flow)["q0"] == deep - 1


# ----------------------------------------------------------------------------
# In the browser
# ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tab390(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


_LINK = re.compile(r'^(\s*)- link "((?:[^"\\]|\\.)*)"')
_URL = re.compile(r"^\s*- /url: (tel:\S+)")


@pytest.mark.browser
def test_every_tel_link_is_named_by_its_number_then_whom_it_calls(tab390, kamakura_server, kamakura_site, a11y_run):
    """Every page: each tel: link's accessible name (Chromium's accessibility tree) starts with the
    number shown (WCAG 2.5.3) and contains the name of an owner of that number in the data (2.4.4, 2.4.9)."""
    problems, seen, opened = [], 0, 0
    for url in site_pages(kamakura_site):
        html = (kamakura_site / url / "index.html" if not url.endswith(".html") else kamakura_site / url).read_text(encoding="utf-8")
        if 'href="tel:' not in html:  # no tel: link on the page (the count below holds the DOM to the file)
            continue
        opened += 1
        tab390.goto(kamakura_server + url)
        lines = tab390.locator("body").aria_snapshot().splitlines()
        for i, line in enumerate(lines):
            m = _URL.match(line)
            if not m:
                continue
            link = next((_LINK.match(lines[j]) for j in range(i - 1, -1, -1) if _LINK.match(lines[j])), None)
            name = link[2] if link else ""
            display, names = OWNERS.get(m[1], ("?", set()))
            seen += 1
            # Playwright's snapshot puts a space between ruby boxes when readings are shown (the Easy pages
            # open with them): the owner's name is compared without spaces (Chromium's own tree has none,
            # test_ruby.py's test_with_readings_shown_headings_links_and_buttons_are_named_once_as_written)
            owner = re.sub(r"\s+", "", name[len(display):])
            if not (name.startswith(display + " ") and any(re.sub(r"\s+", "", n) in owner for n in names)):
                problems.append(f"{url}: {m[1]} named {name!r}")
        # every tel: link of the page was read from the tree
        count = tab390.locator("a[href^='tel:']").count()
        in_tree = sum(1 for line in lines if _URL.match(line))
        in_file = html.count('href="tel:')
        if not count == in_tree == in_file:
            problems.append(f"{url}: {in_file} tel: links in the file, {count} in the page, {in_tree} in the accessibility tree")
    assert seen > len(OWNERS) and opened > 100
    a11y_run.check("tree", "2.4.4", not problems, "電話番号のリンク名: 番号と相手の名前（全ページ、アクセシビリティツリー）")
    a11y_run.check("tree", "2.5.3", not problems, "電話番号のリンク名が表示された番号で始まる（全ページ）")
    assert problems == []


_ARRIVED = """() => { const h = document.activeElement, s = getComputedStyle(h);
  return {tag: h.tagName, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? s.outlineStyle : '',
          shadow: s.boxShadow}; }"""


@pytest.mark.browser
@pytest.mark.parametrize("to", ["question", "outcome"])
def test_arrival_heading_shows_no_ring_after_a_click_and_a_ring_after_the_keyboard(browser, kamakura_server,
                                                                                  to, a11y_run):
    flow = next(f for f in GUIDE.flows if f.flow.audience == "residents")
    by_id = flows.nodes(flow)
    start = next(fp for fp in flows.flow_pages(flow) if not fp.answers)
    option = next(o for o in start.node.options if (by_id[o.next] in flow.outcomes) == (to == "outcome"))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    results = {}
    # the mouse
    tab.goto(kamakura_server + start.url)
    with tab.expect_navigation():
        tab.get_by_role("link", name=option.label, exact=True).click()
    results["click"] = tab.evaluate(_ARRIVED)
    # a key pressed afterwards brings the ring back (the keyboard is now in use)
    tab.keyboard.press("Shift")
    results["click, then a key"] = tab.evaluate(_ARRIVED)
    # the keyboard: Tab to the same option, Enter
    tab.goto(kamakura_server + start.url)
    for _ in range(80):
        tab.keyboard.press("Tab")
        if tab.evaluate("() => (document.activeElement.innerText || '').trim()") == option.label:
            break
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    results["enter"] = tab.evaluate(_ARRIVED)
    context.close()
    # touch: a tap
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    tab = context.new_page()
    tab.goto(kamakura_server + start.url)
    with tab.expect_navigation():
        tab.get_by_role("link", name=option.label, exact=True).tap()
    results["tap"] = tab.evaluate(_ARRIVED)
    context.close()
    assert all(r["tag"] == "H1" for r in results.values()), results
    ok = (not results["click"]["outline"] and not results["tap"]["outline"]
          and results["enter"]["outline"] and results["click, then a key"]["outline"])
    a11y_run.check("focus", "2.4.7", ok, f"質問の流れ: 移動先の見出しのフォーカス枠（キーボードでは表示、クリック・タップでは非表示、{to}）")
    assert ok, results
