"""Question flows: what holds for every flow, and the graph checks. Each flow's routes are tested in
test_flow_residents.py and test_flow_professionals.py."""

from __future__ import annotations

import shutil

import pytest

from conftest import DATA, TINY
from tsunagu import DataErrors, load_guide
from tsunagu.data.flows import paths

GUIDE = load_guide(DATA)


@pytest.mark.parametrize("flow", GUIDE.flows, ids=lambda f: f.flow.id)
def test_every_path_ends_at_a_phone_number(flow):
    for page in paths(flow):
        outcome = page.node
        phones = [p for ref in outcome.contacts for a in GUIDE.contact_agencies(ref) for p in a.phones]
        phones += [p for ref in outcome.contacts if ref == GUIDE.hub.id for p in GUIDE.hub.phones]
        phones += [p for ref in outcome.contacts if GUIDE.ref(ref).kind == "office" for p in GUIDE.office(ref).phones]
        phones += [GUIDE.national_contact(n).phone for n in outcome.national]
        phones += GUIDE.office(outcome.first_door.office).phones if outcome.first_door else []
        assert phones, page.url


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
