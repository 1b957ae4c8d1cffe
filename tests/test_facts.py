"""Facts that drifted from the booklet (issue 10, item 4), hubs that link their tools (item 5),
and no category shown with 0 agencies: each checked on the built HTML and the real data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import BOOKLET, DATA, TINY
from htmlread import page_of, plain, read
from tsunagu import DataErrors, load_guide

GUIDE = load_guide(DATA)
FORM = "相談受付・申込票"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _html(site: Path, url: str) -> str:
    """The page's HTML as read: without the readings' ruby (htmlread.plain)."""
    return plain((site / url / "index.html").read_text(encoding="utf-8"))


def _all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ----------------------------------------------------------------------------
# Counts come from the data; where the booklet's own figure differs, the site says so once
# ----------------------------------------------------------------------------

COUNTED = [p for p in GUIDE.programs if p.stated_count]


def test_kamakura_records_the_booklets_own_count():
    # 第2章 says 16; its own list of 包括的相談支援事業者 (p.37) has 17, which the data follows
    first = GUIDE.programs[0]
    assert first.stated_count and first.stated_count.count == 16
    assert len(GUIDE.program_agencies(first)) == len(GUIDE.agencies) == 17


@pytest.mark.parametrize("program", COUNTED, ids=lambda p: p.id)
def test_programme_page_count_is_the_data_and_the_booklets_figure_is_noted_once(kamakura_site, program):
    counted = len(GUIDE.program_agencies(program))
    page = page_of(kamakura_site, f"programs/{program.id}")
    assert f"{counted} カ所の機関が担っています" in page.main_text
    note = f"「{program.stated_count.count} カ所」と書かれています"
    assert (note in page.main_text) == (counted != program.stated_count.count)
    # the print page (the whole guide again) says it beside its count too: tests/test_booklet_order.py
    elsewhere = [p for p in _all_pages(kamakura_site)
                 if p.relative_to(kamakura_site).parts[0] != "booklet" and note in read(p).main_text]
    assert len(elsewhere) == (1 if counted != program.stated_count.count else 0)


@pytest.mark.usefixtures("shared_booklet")
def test_the_stated_count_is_at_its_line():
    lines = BOOKLET.read_text(encoding="utf-8").split("\n")
    for program in COUNTED:
        stated = program.stated_count
        assert stated.line and f"{stated.count} カ所" in lines[stated.line - 1], program.id


def test_every_page_that_shows_the_count_says_what_the_booklet_states_and_guesses_nothing(kamakura_site):
    # issue 19: the home page showed 17 with no word of the booklet's 16; the programme page's note
    # guessed which desk was the extra one
    first = GUIDE.consultation_program
    counted, stated = len(GUIDE.program_agencies(first)), first.stated_count.count
    assert counted != stated
    names = [a.name for a in GUIDE.agencies] + [o.name for o in GUIDE.offices]
    for url in ("", f"programs/{first.id}"):
        html = _html(kamakura_site, url)
        notes = re.findall(r'<p class="ts-note" id="stated-count">(.*?)</p>', html, re.S)
        assert len(notes) == 1, url
        text = re.sub(r"<[^>]+>", "", notes[0])
        assert f"「{stated} カ所」" in text and f"{counted} カ所" in text, url
        assert not [n for n in names if n in text], url


def test_the_childrens_desks_are_listed_as_the_booklet_lists_them(kamakura_site):
    # p.20 (L527-531): 利用者支援事業 こども家庭相談課, かまくらこども相談窓口きらきら;
    # p.37 (L1470-1479): 18歳未満の子どもに関する相談 こどもと家庭の相談室, きらきら, under one heading
    text = page_of(kamakura_site, f"programs/{GUIDE.consultation_program.id}").main_text
    first = _squash(text).index("利用者支援事業（2カ所）")
    second = _squash(text).index("18歳未満の子どもに関する相談（2カ所）")
    part = _squash(text)[first:second]
    assert "こども家庭相談課" in part and "かまくらこども相談窓口きらきら" in part
    rest = _squash(text)[second:]
    assert rest.index("こどもと家庭の相談室") < rest.index("かまくらこども相談窓口きらきら") < rest.index("生活困窮")


def test_home_count_matches_the_directory(kamakura_site):
    # the booklet's list of 包括的相談支援事業者 is the directory: the home page's figure is its length
    home = page_of(kamakura_site, "")
    directory = _html(kamakura_site, "agencies")
    rows = re.findall(r'<th scope="row"><a href="[^"]+">', directory)
    assert len(rows) == len(GUIDE.agencies)
    assert f"{len(GUIDE.program_agencies(GUIDE.programs[0]))} カ所" in home.main_text
    assert f"{len(rows)} カ所" in home.main_text


# ----------------------------------------------------------------------------
# Facts the booklet never states are not shown
# ----------------------------------------------------------------------------


def test_kirakira_has_no_operator_the_booklet_never_states(kamakura_site):
    assert GUIDE.agency("kirakira").operator is None
    assert "運営" not in page_of(kamakura_site, "agencies/kirakira").main_text


@pytest.mark.parametrize("agency", GUIDE.agencies, ids=lambda a: a.id)
def test_an_agency_page_names_an_operator_only_from_the_data(kamakura_site, agency):
    assert ("運営" in page_of(kamakura_site, f"agencies/{agency.id}").main_text) == bool(agency.operator)


# ----------------------------------------------------------------------------
# What the booklet says and the pages had dropped
# ----------------------------------------------------------------------------


def test_support_flow_step_4_says_what_the_consent_is_for(kamakura_site):
    html = _html(kamakura_site, "support-flow")
    step4 = html[html.index('id="step-4"'):html.index('id="step-5"')]
    assert "「連携のために、他の事業者にも、情報を共有してもよいでしょうか？」" in step4


MEETING_USES = sorted({(mid, c.id) for c in GUIDE.cases
                       for mid in [*(m for s in c.steps for m in s.meetings), *(m for a in c.actions for m in a.meetings)]})


def test_the_cases_name_the_meetings_the_booklet_gives_them():
    assert ("jusoteki", "young-carer") in MEETING_USES  # L1384
    assert ("fukushi-shien", "household-8050") in MEETING_USES  # L1295, L1329-1332
    assert ("jusoteki", "father-double-care") in MEETING_USES


@pytest.mark.parametrize("meeting_id, case_id", MEETING_USES, ids=lambda v: v)
def test_every_case_that_uses_a_meeting_is_listed_on_that_meetings_page(kamakura_site, meeting_id, case_id):
    html = _html(kamakura_site, f"meetings/{meeting_id}")
    assert f'href="../../cases/{case_id}/"' in html


def test_meeting_pages_list_no_case_that_does_not_use_them(kamakura_site):
    for meeting in GUIDE.meetings:
        html = _html(kamakura_site, f"meetings/{meeting.id}")
        shown = set(re.findall(r'href="\.\./\.\./cases/([a-z0-9-]+)/"', html))
        assert shown == {c for m, c in MEETING_USES if m == meeting.id}, meeting.id


def test_young_carer_case_keeps_the_suspected_disability(kamakura_site):
    assert "障害の疑いがある" in page_of(kamakura_site, "cases/young-carer").main_text  # L358


@pytest.mark.parametrize("url", ["professionals/", f"{GUIDE.hub.id}/", "support-flow/", "programs/multi-agency/"])
def test_the_application_form_is_named_where_the_booklet_uses_it(kamakura_site, url):
    assert FORM in page_of(kamakura_site, url).main_text


# ----------------------------------------------------------------------------
# Hubs link their tools
# ----------------------------------------------------------------------------


def _hrefs(site: Path, url: str) -> set[str]:
    return {e.attrs["href"] for e in page_of(site, url).links()}


def test_professionals_hub_links_the_professional_flow(kamakura_site):
    flows = GUIDE.flows_for("professionals")
    assert flows
    for fl in flows:
        assert f"../flows/{fl.flow.id}/" in _hrefs(kamakura_site, "professionals")


@pytest.mark.parametrize("url", ["residents", "agencies"])
def test_residents_hub_and_directory_link_the_resident_flow_and_show_110_119(kamakura_site, url):
    flows = GUIDE.flows_for("residents")
    assert flows and GUIDE.national
    hrefs = _hrefs(kamakura_site, url)
    for fl in flows:
        assert f"../flows/{fl.flow.id}/" in hrefs
    assert [n.phone for n in GUIDE.emergency_numbers] == ["110", "119"]
    for n in GUIDE.emergency_numbers:
        assert f"tel:{n.phone}" in hrefs
    # 189 is not an emergency line: only the outcomes that name it show it
    assert all(f"tel:{n.phone}" not in hrefs for n in GUIDE.national if not n.emergency)


# ----------------------------------------------------------------------------
# No category with 0 agencies: not on a page, and not in the data
# ----------------------------------------------------------------------------


def test_no_page_shows_a_category_with_0_agencies(kamakura_site):
    for path in _all_pages(kamakura_site):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"[（(・\s]0\s*カ所", html), path
        for table in re.findall(r'<table class="ts-agencies">.*?</table>', html, re.DOTALL):
            assert '<th scope="row">' in table, path


def _tiny_without_last_agency_of(category: str, folder: Path) -> tuple[Path, int]:
    """A copy of the fictional city with the one agency of `category` removed (and the programme
    provider that named it pointed at the category instead), as a member of staff might do."""
    shutil.copytree(TINY, folder)
    agencies = folder / "agencies.yml"
    text = agencies.read_text(encoding="utf-8")
    block = re.search(rf"  - id: [a-z0-9-]+\n(?:    .*\n)*?    category: {category}\n(?:    .*\n|      .*\n)*", text)
    assert block and text.count(f"category: {category}\n") == 1, "the fixture changed: update this test"
    agencies.write_text(text.replace(block.group(0), ""), encoding="utf-8")
    programs = folder / "programs.yml"
    programs.write_text(programs.read_text(encoding="utf-8").replace("agencies: [hiroba-center]", f"categories: [{category}]"),
                        encoding="utf-8")
    line = agencies.read_text(encoding="utf-8").splitlines().index(f"  - id: {category}") + 1
    return agencies, line


def test_an_empty_category_is_a_data_error_with_file_line_and_key(tmp_path):
    tiny = load_guide(TINY)
    used = {c for fl in tiny.flows for o in fl.outcomes for c in o.contacts if tiny.ref(c).kind == "category"}
    assert "hiroba" in used  # the category emptied below is one an outcome sends people to
    path, line = _tiny_without_last_agency_of("hiroba", tmp_path / "data")
    with pytest.raises(DataErrors) as info:
        load_guide(tmp_path / "data")
    errors = info.value.errors
    assert [e.key for e in errors] == ["empty_category"], info.value.report()
    err = errors[0]
    assert Path(err.file).name == "agencies.yml"
    assert err.line == line
    assert err.field == "categories[1].id"
    assert "相談先が一つもありません" in err.message and "0 カ所" in err.message
