"""Question flows: every path of both flows against the expected outcome, and the graph checks."""

from __future__ import annotations

import shutil

import pytest

from conftest import DATA, TINY
from tsunagu import DataErrors, load_guide
from tsunagu.flows import flow_pages, paths

GUIDE = load_guide(DATA)


def _routes(flow_id: str) -> dict[tuple[str, ...], str]:
    return {tuple(a.option.id for a in p.answers): p.node.id for p in paths(GUIDE.flow(flow_id))}


# Professionals (「このケース、どう進める？」): a field's own meeting first (p.27); across fields or
# after it, consent decides (p.28): given -> 重層的支援会議 via Libero's programmes, refused or unaware
# -> outreach and 鎌倉市福祉支援会議, emergency -> 鎌倉市福祉支援会議, not yet asked -> step 4.
_AFTER_CONSENT = {
    ("consents", "participation"): "participation",
    ("consents", "coordination"): "multi-agency",
    ("consents", "unsure"): "multi-agency",
    ("refuses",): "outreach",
    ("emergency",): "emergency-meeting",
    ("not-asked",): "confirm-intent",
}
PROFESSIONAL_ROUTES = {
    ("one-field", "not-yet", "elderly"): "meeting-elderly",
    ("one-field", "not-yet", "disability"): "meeting-disability",
    ("one-field", "not-yet", "children"): "meeting-children",
    ("one-field", "not-yet", "poverty"): "meeting-poverty",
    **{("one-field", "tried", *k): v for k, v in _AFTER_CONSENT.items()},
    **{("several-fields", *k): v for k, v in _AFTER_CONSENT.items()},
    **{("unsure", *k): v for k, v in _AFTER_CONSENT.items()},
}


def test_professional_flow_routes():
    assert _routes("case-route") == PROFESSIONAL_ROUTES


@pytest.mark.parametrize("flow", GUIDE.flows, ids=lambda f: f.flow.id)
def test_every_path_ends_at_a_phone_number(flow):
    for page in paths(flow):
        outcome = page.node
        phones = [p for ref in outcome.contacts for a in GUIDE.contact_agencies(ref) for p in a.phones]
        phones += [p for ref in outcome.contacts if ref == GUIDE.hub.id for p in GUIDE.hub.phones]
        phones += [p for ref in outcome.contacts if GUIDE.ref(ref).kind == "office" for p in GUIDE.office(ref).phones]
        phones += [GUIDE.national_contact(n).phone for n in outcome.national]
        assert phones, page.url


def test_a_node_reached_by_several_paths_gets_a_page_per_path():
    pages = flow_pages(GUIDE.flow("case-route"))
    consent_pages = [p.url for p in pages if p.node.id == "consent"]
    assert consent_pages == ["flows/case-route/one-field/tried/", "flows/case-route/several-fields/",
                             "flows/case-route/unsure/"]
    assert len({p.url for p in pages}) == len(pages)


# ----------------------------------------------------------------------------
# Graph checks, on the fictional city's small flow
# ----------------------------------------------------------------------------

BROKEN = [
    ("unreachable", "      - id: minami\n        label: 南\n        next: minami\n",
     "      - id: minami\n        label: 南\n        next: kita\n", "unreachable", "  - id: minami\n    title"),
    ("cycle", "        next: kita\n", "        next: what\n", "cycle", "        next: what"),
    ("dangling_option", "        next: hiroba\n", "        next: hiroba-x\n", "dangling_option", "next: hiroba-x"),
    ("unknown_id", "contacts: [hiroba]", "contacts: [hiroba-x]", "unknown_id", "contacts: [hiroba-x]"),
    ("unknown_meeting", "meetings: [machi-kaigi]", "meetings: [machi]", "unknown_id", "meetings: [machi]"),
    ("unknown_step", "steps: [1]", "steps: [9]", "unknown_id", "steps: [9]"),
]


@pytest.mark.parametrize("name, old, new, key, at", BROKEN, ids=[b[0] for b in BROKEN])
def test_flow_graph_errors_name_file_and_line(tmp_path, name, old, new, key, at):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    path = data / "flows" / "simple.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_guide(data)
    errors = [e for e in info.value.errors if e.key == key]
    assert errors, info.value.report()
    assert errors[0].file.endswith("flows/simple.yml")
    assert errors[0].line == text[: text.index(at)].count("\n") + 1, info.value.report()
