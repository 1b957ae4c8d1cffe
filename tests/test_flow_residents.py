"""The residents' flow 「どこに相談すればいい？」: every path to its outcome, the booklet's own people
each with an answer of their own, 110/119 first, a phone number on every outcome page.

Booklet lines (L…) are lines of the city's booklet text (booklet.txt); each row quotes the words there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from htmlread import page_of
from tsunagu import load_guide
from tsunagu.flows import flow_pages, paths

GUIDE = load_guide(DATA)
FLOW_ID = "where-to-consult"
FLOW = GUIDE.flow(FLOW_ID)
# the booklet text sits beside the project (../shared/booklet/); TSUNAGU_BOOKLET names another place
BOOKLET = Path(os.environ.get("TSUNAGU_BOOKLET") or ROOT.parent / "shared" / "booklet" / "booklet.txt")

# ----------------------------------------------------------------------------
# Every path: answers -> outcome, with the booklet line behind the routing and the words found there
# ----------------------------------------------------------------------------

ROUTES = {
    ("danger",): ("emergency", None, "national: 110/119, not the booklet"),
    ("neighbour",): ("neighbour", 1261, "民生委員から「気になる家がある」と市役所に相談"),
    ("caring", "child"): ("young-carer", 359, "父親と長男の世話をしている（ヤングケアラー）"),
    ("caring", "adult", "elderly"): ("elderly", 979, "民生委員"),
    ("caring", "adult", "disability"): ("disability", 515, "障害者相談支援事業"),
    ("caring", "adult", "many"): ("carer-exhausted", 1178, "ダブルケア）で疲弊"),
    ("caring", "other-child"): ("school", 1346, "長女が二人の世話をすることもある（ヤングケアラー）"),
    ("child", "self"): ("child-self", 79, "もう、学校に"),
    ("child", "family"): ("school", 1343, "担任教諭が母親に連絡"),
    ("elderly",): ("elderly", 511, "地域包括支援センター"),
    ("disability",): ("disability", 1445, "基幹相談支援センター"),
    ("money",): ("money", 533, "生活困窮者自立相談支援事業"),
    ("isolated",): ("isolated", 791, "ひきこもりなど"),
    ("several",): ("several", 466, "相談者の属性に関わらず丸ごと相談を受け止め"),
    ("unsure",): ("unsure", 1522, "ご不明な点は、ご相談ください"),
}

# The booklet's own people: the path each takes and what their answer must say to them.
PEOPLE = {
    "a neighbour or 民生委員 worried about a household (L346, L1261–1269, L711–723)": ("neighbour",),
    "a young carer asking for themself (L359, L721–723)": ("caring", "child"),
    "a carer at the end of their strength (L311, L1178)": ("caring", "adult", "many"),
    "someone isolated or in ひきこもり (L789–793)": ("isolated",),
    "a family whose child is away from school: the school / 教育センター / SSW route (L1343–1349)": ("child", "family"),
}


def _routes() -> dict[tuple[str, ...], str]:
    return {tuple(a.option.id for a in p.answers): p.node.id for p in paths(FLOW)}


def _outcome(answers: tuple[str, ...]):
    return next(p for p in paths(FLOW) if tuple(a.option.id for a in p.answers) == answers)


def _article(site: Path, url: str) -> str:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article"): html.index("</article>")]


def _tels(site: Path, url: str) -> list[str]:
    return re.findall(r'href="(tel:[^"]+)"', _article(site, url))


def test_every_path_of_the_resident_flow_reaches_its_expected_outcome():
    assert _routes() == {answers: outcome for answers, (outcome, _, _) in ROUTES.items()}


@pytest.mark.skipif(not BOOKLET.exists() and os.environ.get("CI") != "true", reason="the booklet text is not beside the project")
@pytest.mark.parametrize("answers", [a for a, row in ROUTES.items() if row[1]], ids="/".join)
def test_each_route_row_quotes_the_booklet_line_it_cites(answers):
    _, line, words = ROUTES[answers]
    lines = BOOKLET.read_text(encoding="utf-8").splitlines()
    assert words in "".join(lines[line - 1: line + 3]), f"L{line}: {lines[line - 1]}"


def test_every_option_and_outcome_cites_booklet_lines_or_is_national():
    cited = re.compile(r"^冊子 L\d+(–\d+)?(、L\d+(–\d+)?)*$")
    sources = [(f"{q.id}.{o.id}", o.source) for q in FLOW.questions for o in q.options]
    sources += [(o.id, o.source) for o in FLOW.outcomes]
    for where, source in sources:
        national = where in ("situation.danger", "emergency")
        assert (national and "全国共通" in source) or cited.match(source), (where, source)


@pytest.mark.skipif(not BOOKLET.exists() and os.environ.get("CI") != "true", reason="the booklet text is not beside the project")
def test_every_cited_line_is_a_line_of_text_in_the_booklet():
    lines = BOOKLET.read_text(encoding="utf-8").splitlines()
    sources = [o.source for q in FLOW.questions for o in q.options] + [o.source for o in FLOW.outcomes]
    for source in sources:
        for start, end in re.findall(r"L(\d+)(?:–(\d+))?", source):
            for n in filter(None, (start, end)):
                assert 1 <= int(n) <= len(lines) and lines[int(n) - 1].strip(), (source, n)


# ----------------------------------------------------------------------------
# Emergency first
# ----------------------------------------------------------------------------


def test_immediate_danger_is_the_first_option_and_leads_to_the_national_numbers():
    first = FLOW.questions[0].options[0]
    assert FLOW.flow.start == FLOW.questions[0].id and first.next == "emergency"
    emergency = _outcome((first.id,)).node
    assert emergency.national == ["police", "fire-ambulance"]
    assert all(GUIDE.national_contact(n).source == "national" for n in emergency.national)
    assert {GUIDE.national_contact(n).phone for n in emergency.national} == {"110", "119"}


def test_emergency_page_puts_110_and_119_before_any_other_phone(kamakura_site):
    page = _outcome(("danger",))
    tels = _tels(kamakura_site, page.url)
    assert tels[:2] == ["tel:110", "tel:119"], tels


# ----------------------------------------------------------------------------
# The booklet's own people each get an answer of their own
# ----------------------------------------------------------------------------


def test_each_of_the_booklets_people_has_an_outcome_of_their_own():
    generic = next(o.next for o in FLOW.questions[0].options if o.id == "unsure")
    reached = {who: _outcome(answers).node.id for who, answers in PEOPLE.items()}
    assert generic not in reached.values(), reached
    assert len(set(reached.values())) == len(PEOPLE), reached


def test_the_neighbour_is_told_the_city_office_as_in_the_booklet():
    outcome = _outcome(PEOPLE["a neighbour or 民生委員 worried about a household (L346, L1261–1269, L711–723)"]).node
    assert outcome.contacts[0] == GUIDE.site.publisher  # 民生委員 → 市役所 (L346, L1261)
    assert any("断" in w for w in outcome.why)  # refused help is no reason not to call (L711–723)
    assert outcome.next and outcome.prepare


def test_the_young_carer_is_spoken_to_not_about():
    outcome = _outcome(PEOPLE["a young carer asking for themself (L359, L721–723)"]).node
    text = "".join([outcome.title, *outcome.why, *outcome.prepare, *outcome.next])
    assert "あなた" in text and "お子さん" not in text
    assert "ヤングケアラー" in text
    assert [GUIDE.ref(c).kind for c in outcome.contacts] == ["category"]
    assert GUIDE.category(outcome.contacts[0]).field == "children"


def test_the_adult_carer_and_the_child_carer_get_different_answers():
    assert _outcome(("caring", "child")).node.id != _outcome(("caring", "adult", "many")).node.id


def test_the_school_route_names_the_teacher_the_education_centre_and_the_ssw():
    outcome = _outcome(PEOPLE["a family whose child is away from school: the school / 教育センター / SSW route (L1343–1349)"]).node
    text = "".join(outcome.why)
    assert "先生" in text and "教育センター" in text and "スクールソーシャルワーカー" in text


# ----------------------------------------------------------------------------
# The built pages
# ----------------------------------------------------------------------------


def test_every_outcome_page_has_a_phone_link(kamakura_site):
    for page in paths(FLOW):
        assert _tels(kamakura_site, page.url), page.url


def test_every_outcome_says_what_to_say_and_what_happens_next():
    for outcome in FLOW.outcomes:
        assert outcome.prepare, outcome.id
        assert outcome.next or outcome.national, outcome.id


def test_several_centres_of_one_kind_come_with_the_publishers_number_to_ask(kamakura_site):
    # item 6: the booklet gives no areas for the 地域包括支援センター; the publisher helps choose (L1518–1522)
    page = _outcome(("elderly",))
    category = GUIDE.category(page.node.contacts[0])
    assert len(GUIDE.agencies_in(category.id)) > 1 and not any(a.area for a in GUIDE.agencies_in(category.id))
    article = _article(kamakura_site, page.url)
    note = re.search(r'<p class="ts-find-area">(.*?)</p>', article, re.S)
    assert note and category.name in note.group(1), article
    assert GUIDE.publisher.phones[0].tel in note.group(1)
    assert _tels(kamakura_site, page.url)[-1] == GUIDE.publisher.phones[0].tel  # after the centres' numbers


def test_resident_pages_show_plain_words_and_professional_pages_keep_the_booklets(kamakura_site):
    first = GUIDE.programs[0]
    residents = page_of(kamakura_site, "residents/").main_text
    program = page_of(kamakura_site, f"programs/{first.id}/").main_text
    assert first.plain and all(p in residents for p in first.plain)
    assert first.summary not in residents
    assert first.summary in program and first.plain[0] not in program
    outcome = page_of(kamakura_site, _outcome(("elderly",)).url).main_text
    category = GUIDE.category(_outcome(("elderly",)).node.contacts[0])
    assert category.plain and category.plain in outcome


def test_every_page_of_the_resident_flow_is_built(kamakura_site):
    for page in flow_pages(FLOW):
        assert (kamakura_site / page.url / "index.html").exists(), page.url
