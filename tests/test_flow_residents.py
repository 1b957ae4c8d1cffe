"""The residents' flow 「どこに相談すればいい？」: every path to its outcome, the booklet's own people
each with an answer of their own, 110/119 first, a phone number on every outcome page.

Booklet lines (L…) are lines of the city's booklet text (booklet.txt); each row quotes the words there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BOOKLET, DATA
from htmlread import page_of, plain
from tsunagu import load_guide
from tsunagu.data.flows import flow_pages, paths

GUIDE = load_guide(DATA)
FLOW_ID = "where-to-consult"
FLOW = GUIDE.flow(FLOW_ID)

# ----------------------------------------------------------------------------
# Every path: answers -> outcome, with the booklet line behind the routing and the words found there
# ----------------------------------------------------------------------------

ROUTES = {
    # 110/119 are national; the doors for afterwards: 身近な人 consult a 包括的相談支援事業者
    ("danger",): ("emergency", 927, "身近な人が、包括的相談支援事業者に相談"),
    # fear of harming one's child: 110 and 189 are national; the children's doors of p.37, and 虐待 among
    # the household problems (L262)
    ("child-harm",): ("child-harm", 1470, "18 歳未満の子どもに関する相談"),
    ("child", "limit"): ("child-harm", 262, "虐待"),
    ("neighbour",): ("neighbour", 1261, "民生委員から「気になる家がある」と市役所に相談"),
    ("caring", "child"): ("young-carer", 359, "父親と長男の世話をしている（ヤングケアラー）"),
    ("caring", "adult", "elderly"): ("elderly", 979, "民生委員"),
    ("caring", "adult", "disability"): ("disability", 515, "障害者相談支援事業"),
    ("caring", "adult", "many"): ("carer-exhausted", 1178, "ダブルケア）で疲弊"),
    # a family member refuses help: the outreach target and the refusal branch of the support flow
    ("caring", "adult", "refuses"): ("refused", 733, "本人が支援を受け入れる準備がない事"),
    ("caring", "other-child"): ("school", 1346, "長女が二人の世話をすることもある（ヤングケアラー）"),
    ("child", "self"): ("child-self", 79, "もう、学校に"),
    ("child", "family"): ("school", 1343, "担任教諭が母親に連絡"),
    ("elderly", "yes"): ("elderly", 511, "地域包括支援センター"),
    ("elderly", "refuses"): ("refused", 713, "自覚がなく支援を拒絶している家庭"),
    ("disability",): ("disability", 1445, "基幹相談支援センター"),
    ("money",): ("money", 533, "生活困窮者自立相談支援事業"),
    ("isolated", "yes"): ("isolated", 791, "ひきこもりなど"),
    ("isolated", "refuses"): ("refused", 1315, "本人からの同意が得られない場合でも"),
    ("several", "yes"): ("several", 466, "相談者の属性に関わらず丸ごと相談を受け止め"),
    ("several", "refuses"): ("refused", 999, "支援に拒否的なため介入ができない"),
    ("unsure",): ("unsure", 1522, "ご不明な点は、ご相談ください"),
}

# The booklet's own people: the path each takes and what their answer must say to them.
PEOPLE = {
    "a neighbour or 民生委員 worried about a household (L346, L1261–1269, L711–723)": ("neighbour",),
    "a young carer asking for themself (L359, L721–723)": ("caring", "child"),
    "a carer at the end of their strength (L311, L1178)": ("caring", "adult", "many"),
    "someone isolated or in ひきこもり (L789–793)": ("isolated", "yes"),
    "a family whose child is away from school: the school / 教育センター / SSW route (L1343–1349)": ("child", "family"),
    "a parent afraid of hurting their child (L262, L1470–1479; 189 and 110 national)": ("child-harm",),
    "a relative whose family member refuses help (L711–716, L733–736, L997–1001)": ("elderly", "refuses"),
}


def _routes() -> dict[tuple[str, ...], str]:
    return {tuple(a.option.id for a in p.answers): p.node.id for p in paths(FLOW)}


def _outcome(answers: tuple[str, ...]):
    return next(p for p in paths(FLOW) if tuple(a.option.id for a in p.answers) == answers)


def _article(site: Path, url: str) -> str:
    html = plain((site / url / "index.html").read_text(encoding="utf-8"))  # as read: no ruby
    return html[html.index("<article"): html.index("</article>")]


def _tels(site: Path, url: str) -> list[str]:
    return re.findall(r'href="(tel:[^"]+)"', _article(site, url))


def test_every_path_of_the_resident_flow_reaches_its_expected_outcome():
    assert _routes() == {answers: outcome for answers, (outcome, _, _) in ROUTES.items()}


@pytest.mark.usefixtures("shared_booklet")
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


@pytest.mark.usefixtures("shared_booklet")
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
    assert outcome.first_door.office == GUIDE.site.publisher  # 民生委員 → 市役所 (L346, L1261)
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
    page = _outcome(("elderly", "yes"))
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
    outcome = page_of(kamakura_site, _outcome(("elderly", "yes")).url).main_text
    category = GUIDE.category(_outcome(("elderly", "yes")).node.contacts[0])
    assert category.plain and category.plain in outcome


def test_every_page_of_the_resident_flow_is_built(kamakura_site):
    for page in flow_pages(FLOW):
        assert (kamakura_site / page.url / "index.html").exists(), page.url


# ----------------------------------------------------------------------------
# Issue 19: every situation answered within three choices, each with a door and a number
# ----------------------------------------------------------------------------


def _start_hrefs(site: Path) -> list[str]:
    """The links of the flow's start page (the page the home page links to), as written there."""
    return re.findall(r'href="([^"]+)"', _article(site, f"flows/{FLOW_ID}/"))


def _reached_from_start(site: Path, answers: tuple[str, ...]) -> bool:
    """Walk the built pages link by link: each answer's option is a link on the page before it."""
    url = f"flows/{FLOW_ID}/"
    for i in range(len(answers)):
        nxt = f"flows/{FLOW_ID}/" + "".join(f"{a}/" for a in answers[: i + 1])
        hrefs = re.findall(r'href="([^"]+)"', _article(site, url))
        if not any((site / url / h).resolve() == (site / nxt).resolve() for h in hrefs if not h.startswith(("tel:", "mailto:", "#"))):
            return False
        url = nxt
    return True


def test_home_page_links_the_flow_start(kamakura_site):
    assert f'href="flows/{FLOW_ID}/"' in (kamakura_site / "index.html").read_text(encoding="utf-8")


def test_every_resident_situation_is_answered_within_three_choices():
    longest = max(paths(FLOW), key=lambda p: len(p.answers))
    assert len(longest.answers) <= 3, [a.option.id for a in longest.answers]


def test_resident_danger_page_names_a_door_with_tel_links_after_110_119(kamakura_site):
    page = _outcome(("danger",))
    assert _reached_from_start(kamakura_site, ("danger",))
    article = _article(kamakura_site, page.url)
    tels = _tels(kamakura_site, page.url)
    assert tels[:2] == ["tel:110", "tel:119"], tels
    doors = [t for t in tels if t not in ("tel:110", "tel:119")]
    # the doors for afterwards: the city's first door, then the 包括的相談支援事業者 (L466, L927)
    assert doors[0] == GUIDE.office(page.node.first_door.office).phones[0].tel
    for category in page.node.contacts:
        assert GUIDE.contact_agencies(category)[0].phones[0].tel in doors, category
    assert article.index('id="first-door"') > article.index("tel:119")
    # and what happens when you call
    assert article.index('id="next"') > article.index('id="contacts"')
    assert "話を聞きます" in "".join(page.node.next)
    assert "落ち着いてから" in "".join(page.node.why)


def test_fear_of_harm_answer_reachable_from_the_start_page_lists_189_and_110(kamakura_site):
    routes = [a for a, (outcome, _, _) in ROUTES.items() if outcome == "child-harm"]
    assert ("child-harm",) in routes and ("child", "limit") in routes  # its own option, and at the 子ども question
    for answers in routes:
        assert _reached_from_start(kamakura_site, answers), answers
    page = _outcome(("child-harm",))
    tels = _tels(kamakura_site, page.url)
    n189 = next(n for n in GUIDE.national if n.phone == "189")
    assert n189.source == "national" and not n189.emergency and "児童相談所" in n189.name
    assert tels[:2] == ["tel:110", "tel:189"], tels  # the "call now" lines come first
    # then the children's doors of p.37 (L1470–1479), each with its number
    children = GUIDE.contact_agencies(page.node.contacts[0])
    assert GUIDE.category(page.node.contacts[0]).field == "children" and len(children) == 2
    assert all(a.phones[0].tel in tels[2:] for a in children)
    html = _article(kamakura_site, page.url)
    assert n189.name in html and n189.use in html
    # the page is about the parent's fear, not about school absence
    assert "学校" not in "".join([page.node.title, *page.node.why])


def test_189_is_not_offered_as_an_emergency_line_on_the_home_page(kamakura_site):
    home = (kamakura_site / "index.html").read_text(encoding="utf-8")
    emergency = re.search(r'<p class="ts-emergency">(.*?)</p>', home, re.S).group(1)
    assert "tel:110" in emergency and "tel:119" in emergency and "tel:189" not in emergency


def test_a_neighbour_who_gets_no_answer_is_told_119_and_110_first_then_the_door(kamakura_site):
    page = _outcome(("neighbour",))
    assert "呼んでも返事がない" in next(o.label for o in FLOW.questions[0].options if o.id == "neighbour")
    tels = _tels(kamakura_site, page.url)
    assert tels[:2] == ["tel:119", "tel:110"], tels
    assert GUIDE.publisher.phones[0].tel in tels[2:]
    why = "".join(page.node.why)
    assert "倒れているかもしれないときは" in why and why.index("119番") < why.index("市役所")


# ----------------------------------------------------------------------------
# Refusal: a relative reaches it from the situation they are in (L711–740, L997–1001, L1261–1277)
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("situation", ["caring", "elderly", "isolated", "several"])
def test_a_relative_facing_refusal_reaches_the_refusal_answer_from_their_situation(kamakura_site, situation):
    found = [p for p in paths(FLOW) if p.answers[0].option.id == situation and p.node.id == "refused"]
    assert found, situation
    answers = tuple(a.option.id for a in found[0].answers)
    assert len(answers) <= 3 and _reached_from_start(kamakura_site, answers)


def test_the_refusal_answer_says_what_the_booklet_says_happens(kamakura_site):
    page = _outcome(("elderly", "refuses"))
    text = page_of(kamakura_site, page.url).main_text
    support_meeting = next(m for m in GUIDE.meetings if m.consent == "not_given")  # L1136–1138
    assert support_meeting.name in text
    assert "手紙" in text                           # outreach, time taken (L744–745)
    assert "準備が、まだできていない人も多い" in text  # L733–734
    assert "事例では" in text                        # L1315–1318 is one household's plan
    assert GUIDE.publisher.phones[0].tel in _tels(kamakura_site, page.url)


# ----------------------------------------------------------------------------
# Nothing promised that the booklet does not promise
# ----------------------------------------------------------------------------

PROMISE = "たらい回し"  # L466–471: said of the 包括的相談支援事業者


def test_the_no_turning_away_promise_appears_only_with_the_consultation_doors(kamakura_site):
    assert PROMISE in FLOW.flow.outcome_note
    shown = 0
    for page in paths(FLOW):
        html = _article(kamakura_site, page.url)
        assert PROMISE not in "".join([page.node.title, *page.node.why, *page.node.next]), page.node.id
        if PROMISE in html:
            shown += 1
            assert GUIDE.names_consultation_door(page.node.contacts), page.url
        else:
            assert not GUIDE.names_consultation_door(page.node.contacts), page.url
    assert shown
    # the exhausted carer is sent to a city section only: no promise there
    only_city = _outcome(("caring", "adult", "many"))
    assert not only_city.node.contacts and PROMISE not in _article(kamakura_site, only_city.url)


def test_one_households_story_is_told_as_a_story_and_support_as_conditional():
    conditional = ("ことがあります", "こともあります", "事例では", "ときは")
    for o in FLOW.outcomes:
        for line in o.next:
            # team support, visits and places happen when the door and Libero judge them needed
            # (L965–971, L983–988, L800–802, L1258–1260)
            if any(w in line for w in ("役わり", "訪ね", "場所", "様子", "つなぎました")):
                assert any(c in line for c in conditional), (o.id, line)
    young = next(o for o in FLOW.outcomes if o.id == "young-carer")
    assert not any("一緒に探します" in line for line in young.next)  # a speech bubble (L103–113, L395–400)


def test_the_money_page_says_which_number_is_for_what(kamakura_site):
    page = _outcome(("money",))
    labels = [p.label for a in GUIDE.contact_agencies(page.node.contacts[0]) for p in a.phones]
    assert len(labels) == 2 and all(labels)
    why = "".join(page.node.why)
    assert all(f"「{label}」" in why for label in labels), (labels, why)
    html = _article(kamakura_site, page.url)
    assert all(f'<span class="ts-tel-label">{label}</span>' in html for label in labels)


# ----------------------------------------------------------------------------
# The city's own first door is data (L1178, L1261, L1518–1522)
# ----------------------------------------------------------------------------


def test_the_city_first_door_is_data_and_its_heading_names_the_section(kamakura_site):
    with_door = {p.node.id: p for p in paths(FLOW) if p.node.first_door}
    assert {"unsure", "several", "isolated", "neighbour"} <= set(with_door)
    cited = re.compile(r"^冊子 L\d+(–\d+)?(、L\d+(–\d+)?)*$")
    for page in with_door.values():
        door = page.node.first_door
        office = GUIDE.office(door.office)
        assert cited.match(door.source) and "L1518–1522" in door.source, door.source
        assert door.office not in page.node.contacts  # shown once, first
        html = _article(kamakura_site, page.url)
        heading = re.search(r'<h2 id="first-door">(.*?)</h2>', html).group(1)
        assert heading == f"{office.place} {office.name}" == "市役所 福祉総務課"
        assert _tels(kamakura_site, page.url)[len(page.node.national)] == office.phones[0].tel


def test_without_first_door_in_the_data_no_first_door_heading(kamakura_site):
    plain = [p for p in paths(FLOW) if not p.node.first_door]
    assert plain
    for page in plain:
        assert 'id="first-door"' not in _article(kamakura_site, page.url), page.url


# ----------------------------------------------------------------------------
# Citations residents can use: chapter and section titles, never text-file lines
# ----------------------------------------------------------------------------

# The booklet's sections named in `cite`, with the lines of booklet.txt each spans.
SECTIONS = {
    "包括的な支援は、ケアに関わる、すべての人のための取り組みです": [(44, 212)],
    "複雑化・複合化する世帯の問題": [(238, 306)],
    "複雑化・複合化した問題を抱える世帯とは": [(307, 406)],
    "包括的相談支援事業": [(465, 472), (506, 588)],
    "多機関協働事業": [(473, 477), (589, 685)],
    "アウトリーチ等を通じた継続的支援事業": [(478, 484), (686, 764)],
    "参加支援事業": [(485, 489), (765, 833)],
    "支援の流れ": [(917, 1065)],
    "「支援会議」とは？": [(1066, 1146)],
    "父親が家族のケアで疲弊している世帯": [(1174, 1260)],
    "認知症とひきこもりの状態にある方とともに生活困窮に直面する 8050 世帯": [(1261, 1342)],
    "身体障害、不登校、ひきこもりなど家族がそれぞれ課題を抱えている世帯": [(1343, 1395)],
    "包括的相談支援事業者一覧": [(1423, 1493)],
    "ご不明な点は、ご相談ください": [(1516, 1522)],
}


def _cited_lines(source: str) -> list[int]:
    return [n for a, b in re.findall(r"L(\d+)(?:–(\d+))?", source) for n in range(int(a), int(b or a) + 1)]


@pytest.mark.parametrize("outcome", [o for o in FLOW.outcomes], ids=lambda o: o.id)
def test_each_outcome_cites_the_sections_that_hold_its_lines(outcome):
    named = re.findall(r"『([^』]+)』", outcome.cite or "")
    assert named, outcome.id
    assert all(n in SECTIONS for n in named), named
    lines = _cited_lines(outcome.source)
    inside = lambda n, title: any(a <= n <= b for a, b in SECTIONS[title])
    for n in lines:
        assert any(inside(n, t) for t in named), (outcome.id, n)     # every cited line's section is named
    for t in named:
        assert any(inside(n, t) for n in lines), (outcome.id, t)     # no section named without a line
    if outcome.national:
        assert "全国共通" in outcome.cite and "冊子の内容ではありません" in outcome.cite


@pytest.mark.usefixtures("shared_booklet")
def test_the_section_titles_are_the_booklets_own_words():
    text = BOOKLET.read_text(encoding="utf-8")
    flat = re.sub(r"\s+", "", text)
    for title, spans in SECTIONS.items():
        a, b = spans[-1]
        part = re.sub(r"\s+", "", "\n".join(text.splitlines()[a - 1: b]))
        words = re.sub(r"\s+", "", title).strip("「」？")
        assert words.replace("」とは", "") in part or words in flat, title


def test_no_resident_page_shows_a_text_file_line_citation(kamakura_site):
    # the home page, the residents' page and every page of every residents' flow (its overview, a
    # table of every path for checking against the booklet, may keep the lines)
    urls = ["", "residents/"] + [p.url for fl in GUIDE.flows_for("residents") for p in flow_pages(fl)]
    for url in urls:
        text = page_of(kamakura_site, url).main_text
        assert not re.search(r"L\d", text), (url, re.search(r".{0,20}L\d+.{0,20}", text).group(0))
    # the lines stay in the data; the page names the chapter and section instead
    assert all(re.search(r"L\d", o.source) for o in FLOW.outcomes)
    for page in paths(FLOW):
        source = re.search(r'<p class="ts-source">(.*?)</p>', _article(kamakura_site, page.url), re.S).group(1)
        assert "冊子" in source and "『" in source, (page.url, source)
