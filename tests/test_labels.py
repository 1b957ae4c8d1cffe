"""One label for one value: every coded value (consent, audience, role) and every data field a page,
the booklet or an export names is worded in tsunagu/data/labels.py alone.

Each value is rendered in the second city's meeting page, the meetings table and the printed booklet,
and what they print is compared with labels.py; a template that spells a label itself (as the
booklet once printed `not_required` as 「同意が得られていない」) fails here."""

from __future__ import annotations

import dataclasses
import html
import re
import typing

import pytest

from conftest import ROOT
from tsunagu.outputs import booklet, export
from tsunagu.data import labels
from tsunagu import load_guide
from tsunagu.site import pages, render
from tsunagu.data import model as m
from tsunagu.data.hours import OpeningHours

SECOND = ROOT / "tests" / "fixtures" / "second_city"
GUIDE = load_guide(SECOND)


def _literal_values(annotation) -> list[str]:
    """The values of a Literal field (Optional or not), in order."""
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return [v for arg in typing.get_args(annotation) for v in _literal_values(arg)]


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _dd_after(page: str, term: str) -> list[str]:
    """The text of every <dd> that follows a <dt> reading `term`."""
    return [_text(dd) for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", page, re.S) if _text(dt) == term]


def _dts(fragment: str) -> list[str]:
    return [_text(dt) for dt in re.findall(r"<dt>(.*?)</dt>", fragment, re.S)]


def _with(guide, **changes):
    """A copy of the Guide with some of its parts replaced (and its look-up maps rebuilt)."""
    return dataclasses.replace(guide, **changes, _index={})


def _page(guide, url: str) -> str:
    spec = next(s for s in pages.generated_pages(guide) if s.url == url)
    return render.render_template(render.make_env(), spec.template, {"guide": guide, "page_url": spec.url, **spec.context})


def _meetings_table(guide) -> str:
    env = render.make_env()
    return env.from_string('{% import "macros.md.j2" as t with context %}{{ t.meeting_table(guide.meetings, "c") }}').render(
        guide=guide, page_url="meetings/")


# ----------------------------------------------------------------------------
# The coded values of the models are the keys of the label maps, and the schemas name the labels
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("field, labelled", [
    (m.Meeting.model_fields["consent"], labels.CONSENT),
    (m.Program.model_fields["role"], labels.ROLE),
    (m.FlowInfo.model_fields["audience"], labels.AUDIENCE),
])
def test_every_coded_value_has_one_label_and_the_schema_names_it(field, labelled):
    assert _literal_values(field.annotation) == list(labelled)
    for value, label in labelled.items():
        assert f"{value}（{label}）" in field.description


# ----------------------------------------------------------------------------
# Consent: the meeting page, the meetings table and the booklet print the same label
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", list(labels.CONSENT))
def test_each_consent_prints_its_one_label_on_the_web_and_in_the_booklet(value):
    meeting = GUIDE.meetings[0].model_copy(update={"consent": value})
    guide = _with(GUIDE, meetings=(meeting, *GUIDE.meetings[1:]))
    label = labels.CONSENT[value]
    consent = labels.FIELD["consent"]
    assert _dd_after(_page(guide, f"meetings/{meeting.id}/"), consent) == [label]
    row = next(r for r in re.findall(r"<tr>.*?</tr>", _meetings_table(guide), re.S) if meeting.name in _text(r))
    assert label in [_text(td) for td in re.findall(r"<td>(.*?)</td>", row, re.S)]
    printed = booklet.render_page(guide)
    block = printed[printed.index(f'id="meeting-{meeting.id}"'):]
    assert _dd_after(block, consent)[0] == label
    others = set(labels.CONSENT.values()) - {label}
    assert not any(o in _text(block[:block.index("</dl>")]) for o in others)


def test_a_meeting_without_consent_in_the_data_shows_no_consent_row():
    meeting = GUIDE.meetings[0].model_copy(update={"consent": None})
    guide = _with(GUIDE, meetings=(meeting, *GUIDE.meetings[1:]))
    assert _dd_after(_page(guide, f"meetings/{meeting.id}/"), labels.FIELD["consent"]) == []
    row = next(r for r in re.findall(r"<tr>.*?</tr>", _meetings_table(guide), re.S) if meeting.name in _text(r))
    assert labels.NOT_STATED in [_text(td) for td in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_the_labels_come_from_labels_py(monkeypatch):
    """Proof that the pages read the one place: a changed label changes the web page and the booklet."""
    value = "not_required"
    meeting = next(mt for mt in GUIDE.meetings if mt.consent == value)
    monkeypatch.setitem(labels.CONSENT, value, "試験用の言葉")
    monkeypatch.setitem(labels.FIELD, "consent", "試験用の項目名")
    assert _dd_after(_page(GUIDE, f"meetings/{meeting.id}/"), "試験用の項目名") == ["試験用の言葉"]
    printed = booklet.render_page(GUIDE)
    assert _dd_after(printed[printed.index(f'id="meeting-{meeting.id}"'):], "試験用の項目名")[0] == "試験用の言葉"


# ----------------------------------------------------------------------------
# Audience: the flows index names each audience by its label
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", list(labels.AUDIENCE))
def test_each_audience_is_headed_by_its_label(value):
    flow = GUIDE.flows[0]
    moved = flow.model_copy(update={"flow": flow.flow.model_copy(update={"audience": value})})
    page = _page(_with(GUIDE, flows=(moved,)), "flows/")
    assert re.findall(r"^## (.+)$", page, re.M) == [labels.AUDIENCE[value]]


# ----------------------------------------------------------------------------
# Field names: the same words before the same values on the web, in the booklet and in the CSV
# ----------------------------------------------------------------------------

_MEETING_FULL = dict(field="korei", condition="使う場面の文", consent="given", law="ある法律", in_charge="fukushi-ka",
                     convened_by="hokatsu", attendees="参加する人")


def test_a_meetings_fields_are_named_by_their_labels():
    meeting = GUIDE.meetings[0].model_copy(update=_MEETING_FULL)
    guide = _with(GUIDE, meetings=(meeting, *GUIDE.meetings[1:]))
    F = labels.FIELD
    web = _page(guide, f"meetings/{meeting.id}/")
    assert _dts(web) == [F[k] for k in ("condition", "consent", "law", "in_charge", "convened_by")]
    assert f"## {F['attendees']}" in web
    printed = booklet.render_page(guide)
    block = printed[printed.index(f'id="meeting-{meeting.id}"'):]
    assert _dts(block[:block.index("</dl>")]) == [F[k] for k in ("field", "condition", "consent", "law", "in_charge",
                                                                 "convened_by", "attendees")]
    heads = [_text(th) for th in re.findall(r"<th scope=\"col\">(.*?)</th>", _meetings_table(guide))]
    assert heads[1:] == [F[k] for k in ("condition", "consent", "law", "in_charge", "convened_by")]


def test_an_agencys_fields_are_named_by_their_labels_on_its_page_and_in_the_booklet():
    agency = GUIDE.agencies[0].model_copy(update=dict(
        fax="03-5555-0209", email="a@example.jp", address="架空市中央一丁目", hours=OpeningHours(note="平日"), area="市内全域",
        areas=[m.Area(name="中央")], operator="fukushi-ka"))
    guide = _with(GUIDE, agencies=(agency, *GUIDE.agencies[1:]))
    F = labels.FIELD
    assert _dts(_page(guide, f"agencies/{agency.id}/")) == [F[k] for k in (
        "phones", "fax", "email", "address", "hours", "area", "areas", "operator")]
    printed = booklet.render_page(guide)
    table = printed[printed.index(f'id="dir-{agency.category}"'):]
    table = table[:table.index("</table>")]
    heads = [_text(th) for th in re.findall(r"<th scope=\"col\">(.*?)</th>", table)]
    assert heads[1:] == [F[k] for k in ("phones", "address", "hours", "area", "areas")]
    # the booklet prints the address and the areas (町名), as the web directory's pages do
    assert agency.address in _text(table) and "中央" in _text(table)


def test_the_hubs_fields_are_named_by_their_labels_in_the_csv_and_on_the_web():
    hub = GUIDE.hub.model_copy(update={"closed": "日曜日", "hours": OpeningHours(note="平日"), "address": "架空市東町"})
    guide = _with(GUIDE, hub=hub)
    row = export.directory_rows(guide)[-1]
    assert f"{labels.FIELD['closed']}: 日曜日" in row["利用可能日時特記事項"]
    F = labels.FIELD
    assert _dts(_page(guide, f"{hub.id}/")) == [F[k] for k in ("address", "phones", "hours", "closed")]
    printed = booklet.render_page(guide)
    block = printed[printed.index('id="hub"'):]
    assert _dts(block[:block.index("</dl>")]) == [F[k] for k in ("address", "phones", "hours", "closed")]


def test_the_directory_tables_name_phones_and_hours_by_their_labels():
    F = labels.FIELD
    page = _page(GUIDE, "areas/hokatsu/")
    assert F["phones"] in [_text(th) for th in re.findall(r"<th scope=\"col\">(.*?)</th>", page)]
    env = render.make_env()
    table = env.from_string('{% import "macros.md.j2" as t with context %}{{ t.agency_table(guide.agencies, "c") }}').render(
        guide=GUIDE, page_url="agencies/")
    assert [_text(th) for th in re.findall(r"<th scope=\"col\">(.*?)</th>", table)][1:] == [F["phones"], F["hours"]]
