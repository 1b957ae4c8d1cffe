"""Kamakura's data: counts, and the mappings the scrambled PDF extraction gets wrong."""

from tsunagu.data import phone


def test_counts(kamakura):
    assert len(kamakura.programs) == 5
    assert len(kamakura.meetings) == 6
    assert len(kamakura.agencies) == 17
    assert len(kamakura.cases) == 3


def test_comprehensive_consultation_counts_the_booklets_list_and_keeps_its_stated_sixteen(kamakura):
    # Booklet p.20 (L509): 鎌倉市では 16 カ所の機関が担っている, and the same page lists 17 (L511-535: 10 地域包括,
    # 4 障害, 利用者支援事業 こども家庭相談課 and きらきら, インクル); p.37's 包括的相談支援事業者一覧 lists 17 too.
    # The data keeps both lists as printed and the stated 16 with its line; which one the 16 leaves out
    # the booklet does not say (issue 19, item 5)
    first = kamakura.programs[0]
    sizes = [len(kamakura.provider_agencies(p)) + len(p.offices) for p in first.providers]
    assert sizes == [10, 4, 2, 2, 1]
    children = [p for p in first.providers if p.field == "children"]
    assert [(p.service, p.offices, [a.id for a in kamakura.provider_agencies(p)]) for p in children] == [
        ("利用者支援事業", ["kodomo-katei-sodanka"], ["kirakira"]),  # p.20, L528-531
        ("18歳未満の子どもに関する相談", [], ["kodomo-to-katei", "kirakira"]),  # p.37, L1470-1479: one heading
    ]
    assert len(kamakura.program_agencies(first)) == 17  # each desk once
    assert (first.stated_count.count, first.stated_count.line) == (16, 509)
    assert first.stated_count.note is None  # no guess at which one is extra


def test_every_agency_has_a_field_through_its_category(kamakura):
    by_field = {f.id: len(kamakura.agencies_in_field(f.id)) for f in kamakura.fields}
    assert by_field == {"elderly": 10, "disability": 4, "children": 2, "poverty": 1}


def test_incl_has_office_and_consultation_lines(kamakura):
    incl = kamakura.agency("incl")
    assert [(p.label, p.display) for p in incl.phones] == [("事務所", "0467-47-9291"), ("相談電話", "0467-46-2119")]


def test_consent_decides_the_cross_field_meeting(kamakura):
    # pp.27-28: the numbered descriptions are right, the extracted labels are swapped
    consent = {m.name: m.consent for m in kamakura.meetings if m.consent}
    assert consent == {"重層的支援会議": "given", "鎌倉市福祉支援会議": "not_given"}
    assert kamakura.ref(kamakura.meeting("jusoteki").in_charge).name == "Libero かまくら"
    assert kamakura.ref(kamakura.meeting("fukushi-shien").in_charge).name == "福祉総務課"


def test_closure_criteria_match_each_programme_page(kamakura):
    # the closure table's wording must belong to the programme whose own "●終結" paragraph says the same
    marks = {"multi-agency": "役割分担", "outreach": "関係性が安定", "participation": "社会参加に向けて"}
    for pid, mark in marks.items():
        closure = kamakura.program(pid).closure
        assert mark in closure.summary and mark in closure.text, pid


def test_phones_are_kept_in_e164(kamakura):
    for agency in kamakura.agencies:
        for p in agency.phones:
            assert p.number.startswith("+81") and phone.display(p.number).startswith("0")
    assert kamakura.hub.fax_display == "0467-40-3248"
