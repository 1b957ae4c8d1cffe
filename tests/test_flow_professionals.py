"""The professionals' flow 「このケース、どう進める？」: role first, then the booklet's routing in the
booklet's order, with who applies on each branch.

Booklet lines (L…) are lines of the city's booklet text (booklet.txt). Every option and outcome of the
flow cites them as 冊子 L<from>–<to>「quote」; a test checks that the lines exist and hold the quote.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BOOKLET, DATA
from htmlread import plain
from tsunagu.data import limits
from tsunagu import load_guide
from tsunagu.data.flows import flow_pages, paths

GUIDE = load_guide(DATA)
FLOW_ID = "case-route"
FLOW = GUIDE.flow(FLOW_ID)
# the booklet text sits beside the project (../shared/booklet/; TSUNAGU_BOOKLET names another place)
needs_booklet = pytest.mark.usefixtures("shared_booklet")

# ----------------------------------------------------------------------------
# Every path: answers -> outcome
# ----------------------------------------------------------------------------

# Role first. 包括的相談支援事業者 by kind (p.37 一覧, L1441–1491; programmes L506–535) and city staff,
# who also consult Libero directly in the booklet's cases (L1178–1180, L1261–1266), take the case route.
HUB_ROLES = ("chiiki-hokatsu", "shogai-sodan", "kodomo-sodan", "jiritsu-sodan")
CITY_ROLES = ("city",)
# 身近な人 and other supporters (L977–981, L562–577, L1343–1349) consult a 包括的相談支援事業者.
SUPPORTER_ROLES = ("care-manager", "minsei", "school", "service")

# 身近な人が、包括的相談支援事業者に相談 (支援の流れ 1, L927); the 包括 of the field nearest to the
# concern (L511–535, L1441–1491), any of them when problems are intertwined (L537–542).
SUPPORTER_ROUTES = {
    ("danger",): "supporter-emergency",          # national 110/119, then L927
    ("elderly",): "consult-elderly",             # L511–519 地域包括支援センター
    ("disability",): "consult-disability",       # L515–521 障害者相談支援事業
    ("children",): "consult-children",           # L1470 18 歳未満の子どもに関する相談; L1343–1349 school
    ("poverty",): "consult-poverty",             # L533–535 生活困窮者自立相談支援事業
    ("several",): "consult-any",                 # L537–542 属性や世代を問わず
    # a refusal is still passed on to a 包括 (step 1, L927), which may ask Libero (L545–548): outreach
    # (L999–1023, L691–715) and 鎌倉市福祉支援会議 (L738–740, L1136–1138)
    ("refuses",): "supporter-refuses",
    # after closure, support restarts (L674–679); 身近な人 go to a 包括 (L927), the 包括 to Libero (L983–988)
    ("reopen",): "supporter-restart",
}

CASE_ROUTES = {
    # 緊急時など同意が得られない場合 -> 鎌倉市福祉支援会議, after 110/119 (L1136–1138)
    ("emergency",): "emergency",
    # a field's own meeting when one agency cannot solve it alone (L1068, L1103; meetings L1070–1101)
    ("one-field", "elderly"): "meeting-elderly",
    ("one-field", "disability"): "meeting-disability",
    ("one-field", "children"): "meeting-children",
    ("one-field", "poverty"): "meeting-poverty",
    # not yet asked: Libero first (steps 2–3, L917–971), then the intent (step 4, L1039)
    ("complex", "not-asked"): "libero-first",
    # consent given: the 相談者 applies, 重層的支援会議 (L638–641, L681–682, L1120–1124, L1182)
    ("complex", "consents", "coordination"): "multi-agency",
    ("complex", "consents", "home-visits"): "outreach-visits",       # L747–754, L1197–1198
    ("complex", "consents", "participation"): "participation",       # L783–809, caveat L800–802
    ("complex", "consents", "unsure"): "multi-agency",               # L800–802: organise first
    # consent not given: the 相談元 applies, 鎌倉市福祉支援会議 (L643–644, L684–685, L655, L738–740)
    ("complex", "not-offered"): "multi-agency-unasked",              # L666–672
    ("complex", "refuses"): "outreach",                              # L999–1023, L738–740
    ("complex", "emergency"): "emergency",                           # L1136–1138
    # after closure, support restarts (L674–679); then the booklet's multi-agency flow (L646–650, L1120–1138)
    ("reopen",): "restart",
}

ROUTES = {
    **{(role, *answers): outcome for role in HUB_ROLES + CITY_ROLES for answers, outcome in CASE_ROUTES.items()},
    **{(role, *answers): outcome for role in SUPPORTER_ROLES for answers, outcome in SUPPORTER_ROUTES.items()},
}
EMERGENCY_OPTIONS = {"emergency", "danger"}
ALL_ROLES = HUB_ROLES + SUPPORTER_ROLES + CITY_ROLES


def _answers(page) -> tuple[str, ...]:
    return tuple(a.option.id for a in page.answers)


def _text(outcome) -> str:
    return " ".join([outcome.title, *outcome.why, *outcome.prepare, *outcome.next])


def _article(site: Path, url: str) -> str:
    html = plain((site / url / "index.html").read_text(encoding="utf-8"))  # as read: no ruby
    return html[html.index("<article"): html.index("</article>")]


def _section(article: str, section_id: str) -> str:
    """The part of an outcome page from the heading with this id to the next h2."""
    start = article.index(f'id="{section_id}"')
    end = article.find("<h2", start)
    return article[start: end if end >= 0 else len(article)]


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def _comprehensive_categories() -> set[str]:
    """The categories of agencies that carry the 包括的相談支援事業, from the programme's providers."""
    program = next(p for p in GUIDE.programs if p.id == "comprehensive-consultation")
    found = {c for p in program.providers for c in p.categories}
    found |= {GUIDE.agency(a).category for p in program.providers for a in p.agencies}
    return found


def test_every_path_reaches_its_expected_outcome():
    assert {_answers(p): p.node.id for p in paths(FLOW)} == ROUTES


def test_a_node_reached_by_several_paths_gets_a_page_per_path():
    pages = flow_pages(FLOW)
    consent_pages = [p.url for p in pages if p.node.id == "consent"]
    assert consent_pages == [f"flows/case-route/{role}/complex/" for role in HUB_ROLES + CITY_ROLES]
    assert len({p.url for p in pages}) == len(pages)
    assert len(pages) < 150  # the flow stays flat: outcomes are shared, not copied per role
    assert len(pages) < limits.FLOW_PAGES // 3


# ----------------------------------------------------------------------------
# Routing rules
# ----------------------------------------------------------------------------


def test_role_first():
    start = next(q for q in FLOW.questions if q.id == FLOW.flow.start)
    options = {o.id: o for o in start.options}
    assert list(options) == [*HUB_ROLES, *SUPPORTER_ROLES, *CITY_ROLES]
    # 包括的相談支援事業者 and city staff take the case route; other supporters a route of their own
    assert {options[r].next for r in HUB_ROLES + CITY_ROLES} == {"case"}
    assert {options[r].next for r in SUPPORTER_ROLES} == {"concern"}
    # one option per kind of 包括的相談支援事業者: every provider of the programme is named by one
    program = next(p for p in GUIDE.programs if p.id == "comprehensive-consultation")
    hub_labels = [options[r].label for r in HUB_ROLES]
    assert all(label.startswith("包括的相談支援事業者") for label in hub_labels)
    for provider in program.providers:
        names = {provider.service} | {GUIDE.category(c).name for c in provider.categories}
        names |= {GUIDE.category(GUIDE.agency(a).category).name for a in provider.agencies}
        assert sum(any(n in label for n in names) for label in hub_labels) >= 1, provider.service
    assert not any(label.startswith("包括的相談支援事業者") for label in
                   (options[r].label for r in SUPPORTER_ROLES + CITY_ROLES))


@needs_booklet
def test_other_supporters_are_named_as_the_booklet_names_them():
    text = "".join(BOOKLET.read_text(encoding="utf-8").split())
    start = next(q for q in FLOW.questions if q.id == FLOW.flow.start)
    for option in start.options:
        if option.id in SUPPORTER_ROLES:
            first = re.split(r"[・（]", option.label)[0]
            assert first in text, option.label


def test_other_supporters_consult_a_comprehensive_agency_not_libero():
    comprehensive = _comprehensive_categories()
    supporter_outcomes = {p.node.id for p in paths(FLOW) if p.answers[0].option.id in SUPPORTER_ROLES}
    case_outcomes = {p.node.id for p in paths(FLOW) if p.answers[0].option.id not in SUPPORTER_ROLES}
    assert supporter_outcomes and not supporter_outcomes & case_outcomes
    for outcome in (o for o in FLOW.outcomes if o.id in supporter_outcomes):
        assert outcome.contacts, outcome.id
        assert set(outcome.contacts) <= comprehensive, outcome.id      # the 包括 directory, never the hub
        assert GUIDE.hub.id not in outcome.contacts, outcome.id
        # meetings are the 包括's business; a refusal is told of the meeting used without consent
        if outcome.id == "supporter-refuses":
            assert [GUIDE.meeting(m).consent for m in outcome.meetings] == ["not_given"]
        else:
            assert not outcome.meetings, outcome.id
        assert "利用申込" not in outcome.title and not any("利用申込" in p for p in outcome.prepare), outcome.id
        # told that it is the 包括 that consults Libero (L983–988)
        assert any("包括的相談支援事業者が Libero かまくら" in w for w in outcome.why + outcome.next), outcome.id
    # intertwined or unclear problems: every kind of 包括, with its phone numbers
    anywhere = next(o for o in FLOW.outcomes if o.id == "consult-any")
    assert set(anywhere.contacts) == comprehensive


def test_consent_given_the_consulting_person_applies_with_the_form_and_goes_to_jusoteki():
    for page in paths(FLOW):
        if "consents" not in _answers(page):
            continue
        o = page.node
        assert o.title.startswith(("相談者が", "本人が")), page.url          # who applies (L638–641, L752)
        assert [GUIDE.meeting(m).consent for m in o.meetings] == ["given"], page.url
        assert o.contacts == [GUIDE.hub.id], page.url
        if o.id != "participation":     # the booklet names the form for these (L752, L1182, L1367–1368)
            assert "相談受付・申込票" in o.title and any("相談受付・申込票" in p for p in o.prepare), page.url
        assert not any("相談元が" in w for w in o.why), page.url


def test_no_consent_the_consulting_agency_applies_and_goes_to_fukushi_shien():
    for page in paths(FLOW):
        if not {"not-offered", "refuses"} & set(_answers(page)):
            continue
        o = page.node
        assert [GUIDE.meeting(m).consent for m in o.meetings] == ["not_given"], page.url
        if page.answers[0].option.id in SUPPORTER_ROLES:
            # the supporter's door fills in the form (相談支援機関等, L738–740)
            assert any("相談支援機関等が「相談受付・申込票」を記入し" in n for n in o.next), page.url
            continue
        assert o.title.startswith("相談元が"), page.url                    # L643–644, L738
        assert any("相談元" in w for w in o.why), page.url
    outreach = next(o for o in FLOW.outcomes if o.id == "outreach")
    assert "相談受付・申込票" in outreach.title                            # L738–740


def test_the_meeting_pages_of_the_consent_branches_are_linked_from_the_built_outcomes(kamakura_site):
    given = next(m.id for m in GUIDE.meetings if m.consent == "given")
    not_given = next(m.id for m in GUIDE.meetings if m.consent == "not_given")
    for answers, meeting, other in ((("chiiki-hokatsu", "complex", "consents", "coordination"), given, not_given),
                                    (("city", "complex", "refuses"), not_given, given),
                                    (("jiritsu-sodan", "complex", "not-offered"), not_given, given)):
        html = _article(kamakura_site, "flows/case-route/" + "/".join(answers) + "/")
        section = html[html.index('id="meetings"'):]
        assert f"meetings/{meeting}/" in section and f"meetings/{other}/" not in section, answers


def test_every_emergency_outcome_gives_110_and_119_first(kamakura_site):
    emergency_pages = [p for p in paths(FLOW) if set(_answers(p)) & EMERGENCY_OPTIONS]
    assert emergency_pages
    numbers = [GUIDE.national_contact(n).phone for n in ("police", "fire-ambulance")]
    for page in emergency_pages:
        assert page.node.national == ["police", "fire-ambulance"], page.url
        html = _article(kamakura_site, page.url)
        tels = [m.start() for m in re.finditer(r'href="tel:', html)]
        national = [html.index(f'href="tel:{n}"') for n in numbers]
        others = [t for t in tels if t not in national]
        assert others, page.url
        assert max(national) < min(others), page.url                     # 110/119 before any other number
        if 'id="meetings"' in html:
            assert max(national) < html.index('id="meetings"'), page.url
        # a meeting or a consultation is not immediate protection (L1136–1138 is about the meeting)
        assert "その場で身の安全を守るしくみではありません" in html, page.url
    # and only emergency answers lead to the national numbers
    for page in paths(FLOW):
        if page.node.national:
            assert set(_answers(page)) & EMERGENCY_OPTIONS, page.url


def test_libero_is_consulted_before_consent_on_the_not_yet_asked_path():
    steps = {s.number: s for s in GUIDE.support_flow.steps}
    assert "Libero" in steps[2].title and "意向確認" in steps[4].title
    for role in HUB_ROLES + CITY_ROLES:
        page = next(p for p in paths(FLOW) if _answers(p) == (role, "complex", "not-asked"))
        o = page.node
        assert o.contacts == [GUIDE.hub.id]
        assert o.steps == sorted(o.steps) and o.steps[:3] == [2, 3, 4]
        assert o.title.index("Libero") < o.title.index("意向")
        # the diagram's numbered order (L917, L955, L1039), told as the booklet's order, not as a rule
        why = "".join(o.why)
        assert why.index("（2）") < why.index("（3）") < why.index("（4）")
        assert "前に、相談してください" not in _text(o) and "支援の流れでは" in o.title
        assert any("Libero が相談元や支援関係機関等から情報収集を行います" in w for w in o.why)   # L646
        # both branches that follow say who applies
        assert any("相談者が" in n and "利用申込" in n for n in o.next)
        assert any("相談元）が" in n and "利用申込" in n for n in o.next)
    # the consent question asks nothing before the Libero step: "not asked" is its first answer
    consent = next(q for q in FLOW.questions if q.id == "consent")
    assert consent.options[0].id == "not-asked"


def test_a_field_meeting_comes_first_where_the_case_is_one_field():
    for page in paths(FLOW):
        answers = _answers(page)
        if "one-field" in answers:
            (meeting,) = page.node.meetings
            assert GUIDE.meeting(meeting).field == answers[-1], page.url
            assert page.node.steps == [2], page.url                  # then, if need be, Libero


def test_the_paths_the_booklet_has_and_the_old_flow_lacked():
    by_id = {o.id: o for o in FLOW.outcomes}
    # outreach when the family consents (L747–754, L1197–1198)
    visits = by_id["outreach-visits"]
    assert visits.programs == ["outreach"] and GUIDE.meeting(visits.meetings[0]).consent == "given"
    # restarting support after closure (L678–679)
    assert any("支援を再開します" in w for w in by_id["restart"].why)
    # multi-agency work when the household has not asked (L666–672)
    unasked = by_id["multi-agency-unasked"]
    assert unasked.programs == ["multi-agency"] and any("協働で見守り" in w for w in unasked.why)
    # participation usually follows outreach or multi-agency work (L800–802)
    assert any("信頼関係の構築" in w and "課題の整理" in w for w in by_id["participation"].why)


# ----------------------------------------------------------------------------
# Refusal and restart for every role; field meetings; no more than the booklet says
# ----------------------------------------------------------------------------


def _pages_with(answer: str, role: str):
    return [p for p in paths(FLOW) if p.answers[0].option.id == role and answer in _answers(p)]


def test_refusal_is_reachable_from_every_professional_role_and_names_outreach_and_fukushi_shien(kamakura_site):
    """A household that refuses help (L999–1001): outreach (L1019–1023, L691–715) and 鎌倉市福祉支援会議
    (L738–740, L1136–1138), with the door's numbers; other supporters still consult a 包括 (L927)."""
    outreach = next(p for p in GUIDE.programs if p.id == "outreach")
    not_given = next(m for m in GUIDE.meetings if m.consent == "not_given")
    comprehensive = _comprehensive_categories()
    for role in ALL_ROLES:
        pages = _pages_with("refuses", role)
        assert pages, role
        for page in pages:
            assert len(page.answers) <= 3, page.url
            html = _article(kamakura_site, page.url)
            hrefs = _hrefs(html)
            assert any(h.endswith(f"programs/{outreach.id}/") for h in hrefs), page.url
            assert any(h.endswith(f"meetings/{not_given.id}/") for h in _hrefs(_section(html, "meetings"))), page.url
            assert outreach.name in html and not_given.name in html, page.url
            assert "tel:" in _section(html, "contacts"), page.url
            if role in SUPPORTER_ROLES:
                assert set(page.node.contacts) == comprehensive, page.url      # still worth passing on
                assert "包括的相談支援事業者に相談してください" in page.node.title, page.url
                assert "このあとのこと" in html, page.url


def test_restart_is_reachable_from_every_role_and_says_what_comes_next(kamakura_site):
    """Support restarts after closure (L678–679); the page says what follows (L646–650, L983–988,
    L1120–1138) and that the booklet gives no separate procedure for restarting."""
    for role in ALL_ROLES:
        pages = _pages_with("reopen", role)
        assert pages, role
        for page in pages:
            o = page.node
            assert any("終結後に本人の状態やそのとりまく環境に変化が生じた場合" in w for w in o.why), page.url
            assert "L678–679" in o.source, page.url
            assert o.next, page.url
            html = _article(kamakura_site, page.url)
            after = _section(html, "next")
            assert "このあとのこと" in after, page.url
            assert all(n.split("。")[0] in re.sub(r"<[^>]+>|\s", "", after) for n in
                       ("".join(x.split()) for x in o.next)), page.url
            assert any("再開のときの手順は別に書かれていません" in n for n in o.next), page.url
            assert "tel:" in _section(html, "contacts"), page.url


def test_field_meeting_outcomes_keep_the_condition_and_name_the_section_in_charge(kamakura_site):
    """L1103: only 「単独の相談支援事業所では解決が難しい場合」; the contact is what the booklet names for
    the meeting: its 担当課 (L1075, L1081, L1094, L1100) and who convenes it (L1082, L1101), else the
    booklet's inquiry desk (L1518–1522), never another field's desks."""
    condition = "単独の相談支援事業所では解決が難しい場合"
    publisher = GUIDE.site.publisher
    checked = set()
    for page in paths(FLOW):
        if "one-field" not in _answers(page):
            continue
        o = page.node
        (mid,) = o.meetings
        meeting = GUIDE.meeting(mid)
        assert any(condition in w for w in o.why) and "難しい場合" in o.title, page.url
        assert "L1103" in o.source, page.url
        named = [meeting.in_charge] + ([meeting.convened_by] if meeting.convened_by else [])
        assert o.contacts[: len(named)] == named, page.url
        with_phone = any(GUIDE.contact_agencies(c) and any(a.phones for a in GUIDE.contact_agencies(c))
                         if GUIDE.ref(c).kind != "office" else GUIDE.office(c).phones for c in named)
        assert o.contacts[len(named):] == ([] if with_phone else [publisher]), page.url
        if o.id in checked:
            continue
        checked.add(o.id)
        html = _article(kamakura_site, page.url)
        contacts = _section(html, "contacts")
        assert GUIDE.office(meeting.in_charge).name in contacts, page.url
        assert condition in html, page.url
    assert checked == {"meeting-elderly", "meeting-disability", "meeting-children", "meeting-poverty"}
    # the desks the booklet does not name for these meetings are gone (L1090–1094, L1070–1075)
    by_id = {o.id: o for o in FLOW.outcomes}
    assert "kikan-sodan" not in by_id["meeting-disability"].contacts
    assert "kodomo-sodan" not in by_id["meeting-children"].contacts


@needs_booklet
def test_sentences_that_went_beyond_the_booklet_now_say_what_it_says():
    text = " ".join(_text(o) for o in FLOW.outcomes)
    # the diagram's order is not a rule (L917–1039); nobody "supports the application" (L638–644);
    # L670–672 does not say who applies
    for added in ("意向を確認する前に、相談してください", "申込を支えます", "相談者による"):
        assert added not in text, added
    lines = BOOKLET.read_text(encoding="utf-8").splitlines()
    l670 = "".join("".join(lines[669:672]).split()).lstrip("※")
    unasked = next(o for o in FLOW.outcomes if o.id == "multi-agency-unasked")
    assert any("".join(n.split()).rstrip("。") == l670 for n in unasked.next)
    # a case is told as a case (L1180–1182, L1261–1332, L1315–1318, L1366–1368)
    for o in FLOW.outcomes:
        for sentence in (s for line in o.why + o.next + o.prepare for s in line.split("。")):
            if any(w in sentence for w in ("市役所に相談が入った", "この時点で", "関係性が途切れないよう")):
                assert "事例" in sentence or "この事例" in sentence, (o.id, sentence)


def test_the_no_refusal_promise_appears_only_beside_a_comprehensive_agency(kamakura_site):
    """「断ったり、たらい回しにしたりしない」 is said of the 包括的相談支援事業者 (L466–471)."""
    comprehensive = _comprehensive_categories()
    for page in flow_pages(FLOW):
        if page.is_outcome and "たらい回し" in _article(kamakura_site, page.url):
            assert set(page.node.contacts) & comprehensive, page.url


# ----------------------------------------------------------------------------
# Every source cites booklet lines that exist and hold the quoted words
# ----------------------------------------------------------------------------

CITATION = re.compile(r"L(\d+)(?:–(\d+))?(?:「([^」]*)」)?")


def _sources():
    for q in FLOW.questions:
        for o in q.options:
            yield f"{q.id}/{o.id}", o.source
    for o in FLOW.outcomes:
        yield o.id, o.source


@needs_booklet
@pytest.mark.parametrize("where, source", list(_sources()), ids=[w for w, _ in _sources()])
def test_every_source_cites_booklet_lines_that_exist(where, source):
    lines = BOOKLET.read_text(encoding="utf-8").splitlines()
    assert "冊子 L" in source, f"{where}: {source}"
    cited = source[source.index("冊子 L"):]
    citations = CITATION.findall(cited)
    assert citations
    for first, last, quote in citations:
        a, b = int(first), int(last or first)
        assert 1 <= a <= b <= len(lines), f"{where}: L{first}–{last}"
        if quote:
            body = "".join("".join(lines[a - 1:b]).split())
            assert "".join(quote.split()) in body, f"{where}: 「{quote}」 is not in L{a}–{b}"
