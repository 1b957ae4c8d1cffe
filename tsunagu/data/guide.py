"""The Guide: one immutable, validated view of a city's data, with the look-ups pages need."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from . import labels
from . import model as m
from .a11y import Run

# A directory of more agencies than this is split into a page per category (/agencies/<category>/);
# category ids share one namespace with agency ids, so those pages cannot collide with agency pages.
DIRECTORY_SPLIT_OVER = 60

# ----------------------------------------------------------------------------
# What an id can name: a link target with a display name
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """Anything a cross-reference may point at (office, category, agency, hub)."""

    id: str
    name: str
    kind: str  # "office" | "category" | "agency" | "hub"
    url: str | None


@dataclass(frozen=True)
class Guide:
    site: m.Site
    fields: tuple[m.SupportField, ...]
    offices: tuple[m.Office, ...]
    categories: tuple[m.Category, ...]
    agencies: tuple[m.Agency, ...]
    hub: m.Hub
    programs: tuple[m.Program, ...]
    meeting_intro: str | None
    meeting_groups: tuple[m.MeetingGroup, ...]
    meetings: tuple[m.Meeting, ...]
    cases: tuple[m.Case, ...]
    support_flow: m.SupportFlow
    chapters: tuple[m.Chapter, ...] = ()
    household_problems: m.HouseholdProblems | None = None
    cycle: m.Cycle | None = None
    accessibility: m.AccessibilityPolicy | None = None
    a11y_run: Run | None = None
    national: tuple[m.NationalContact, ...] = ()
    flows: tuple[m.FlowFile, ...] = ()
    search_terms: m.SearchTerms | None = None
    glossary: tuple[m.GlossaryTerm, ...] = ()
    readings: dict[str, str] = field(default_factory=dict)  # readings.yml: written form -> reading (ふりがな)
    updated: dict = field(default_factory=dict)  # data file ("agencies", "flows/<id>") -> its updated date
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    # -- look-ups by id -------------------------------------------------------

    def _by_id(self, kind: str, items: Iterable) -> dict:
        if kind not in self._index:
            self._index[kind] = {item.id: item for item in items}
        return self._index[kind]

    def field(self, id: str) -> m.SupportField:
        return self._by_id("fields", self.fields)[id]

    def office(self, id: str) -> m.Office:
        return self._by_id("offices", self.offices)[id]

    def category(self, id: str) -> m.Category:
        return self._by_id("categories", self.categories)[id]

    def agency(self, id: str) -> m.Agency:
        return self._by_id("agencies", self.agencies)[id]

    def program(self, id: str) -> m.Program:
        return self._by_id("programs", self.programs)[id]

    def meeting(self, id: str) -> m.Meeting:
        return self._by_id("meetings", self.meetings)[id]

    def meeting_group(self, id: str) -> m.MeetingGroup:
        return self._by_id("meeting_groups", self.meeting_groups)[id]

    def national_contact(self, id: str) -> m.NationalContact:
        return self._by_id("national", self.national)[id]

    def term(self, id: str) -> m.GlossaryTerm:
        return self._by_id("glossary", self.glossary)[id]

    def term_url(self, term: m.GlossaryTerm) -> str | None:
        """The page that tells more about a glossary term: its programme, its meeting or the hub."""
        if term.program:
            return f"programs/{term.program}/"
        if term.meeting:
            return f"meetings/{term.meeting}/"
        return f"{self.hub.id}/" if term.hub else None

    def flow(self, id: str) -> m.FlowFile:
        return {f.flow.id: f for f in self.flows}[id]

    def flows_for(self, audience: str) -> list[m.FlowFile]:
        return [f for f in self.flows if f.flow.audience == audience]

    def contact_agencies(self, ref_id: str) -> list[m.Agency]:
        """The agencies a contact reference stands for: a category's agencies, or one agency."""
        kind = self.ref(ref_id).kind
        if kind == "category":
            return self.agencies_in(ref_id)
        return [self.agency(ref_id)] if kind == "agency" else []

    def last_updated(self, *sources: str):
        """When the content drawn from these data files last changed: the latest of their dates, a file
        that gives none counting as the site's date (site.updated). One rule for every page."""
        return max([self.updated.get(s, self.site.updated) for s in sources] or [self.site.updated])

    @property
    def publisher(self) -> m.Office:
        return self.office(self.site.publisher)

    def ref(self, id: str) -> Ref:
        """An office, category, agency or the hub, by id (ids are unique across these)."""
        return ref_index(self)[id]

    # -- derived views --------------------------------------------------------
    # Each view is a map built once per Guide (in _index) on first use, so a page costs time in
    # proportion to its own content, not to the size of the city (issue 14: a per-page scan of
    # every agency made 100x a city 5x slower than plain MkDocs). Results keep data order and
    # are fresh lists, so a caller may change them without touching the maps.

    def _view(self, key: str, build) -> dict:
        if key not in self._index:
            self._index[key] = build()
        return self._index[key]

    def _grouped(self, key: str, items: Iterable, keys_of) -> dict[str, list]:
        """id -> items (in data order) that keys_of(item) names; an item is listed once per key."""
        def build() -> dict[str, list]:
            out: dict[str, list] = {}
            for item in items:
                for k in dict.fromkeys(keys_of(item)):
                    out.setdefault(k, []).append(item)
            return out
        return self._view(key, build)

    @property
    def directory_split(self) -> bool:
        """A large directory is split into a page per category (see DIRECTORY_SPLIT_OVER)."""
        return len(self.agencies) > DIRECTORY_SPLIT_OVER

    def agencies_in(self, category_id: str) -> list[m.Agency]:
        return list(self._grouped("v:agencies_in", self.agencies, lambda a: (a.category,)).get(category_id, ()))

    def categories_in(self, field_id: str) -> list[m.Category]:
        """Categories of a field (a category may belong to several fields, or to none)."""
        return list(self._grouped("v:categories_in", self.categories, lambda c: c.field_ids).get(field_id, ()))

    def agencies_in_field(self, field_id: str) -> list[m.Agency]:
        return [a for c in self.categories_in(field_id) for a in self.agencies_in(c.id)]

    def single_field_categories(self, field_id: str) -> list[m.Category]:
        """Categories of this field alone: the directory lists them under the field's heading."""
        return [c for c in self.categories_in(field_id) if len(c.field_ids) == 1]

    def several_field_categories(self) -> list[m.Category]:
        """Categories that serve several fields: the directory lists each once, under its own heading
        with the fields it serves, and each of those fields points to it."""
        return list(self._view("v:several_fields", lambda: [c for c in self.categories if len(c.field_ids) > 1]))

    def several_field_categories_in(self, field_id: str) -> list[m.Category]:
        return [c for c in self.categories_in(field_id) if len(c.field_ids) > 1]

    def cross_field_categories(self) -> list[m.Category]:
        """Categories that belong to no single field (e.g. a 福祉総合相談窓口 for every field)."""
        return list(self._view("v:cross_field", lambda: [c for c in self.categories if not c.field_ids]))

    def category_fields(self, category_id: str) -> list[m.SupportField]:
        return [self.field(f) for f in self.category(category_id).field_ids]

    def agency_fields(self, agency: m.Agency) -> list[m.SupportField]:
        return self.category_fields(agency.category)

    def category_label(self, category_id: str) -> str:
        """「高齢分野・地域包括支援センター」: the category with its fields (none for a cross-field window)."""
        return "・".join([f.name for f in self.category_fields(category_id)] + [self.category(category_id).name])

    def area_categories(self) -> list[m.Category]:
        """Categories whose agencies list the areas they serve: each gets an area look-up page."""
        return list(self._view("v:area_categories", lambda: [
            c for c in self.categories if any(a.areas for a in self.agencies_in(c.id))]))

    def category_areas(self, category_id: str) -> list[tuple[m.Area, m.Agency]]:
        """Every area of a category's agencies with its agency, in あいうえお order (reading, then name)."""
        pairs = [(area, a) for a in self.agencies_in(category_id) for area in a.areas]
        return sorted(pairs, key=lambda p: (kana_key(p[0].reading or p[0].name), p[0].name))

    @property
    def consultation_program(self) -> m.Program | None:
        """The programme that takes residents' first consultations, named by role in the data."""
        return next((p for p in self.programs if p.role == labels.CONSULTATION), None)

    @property
    def emergency_numbers(self) -> list[m.NationalContact]:
        """The national numbers for 「今すぐ命や体が危ないとき」 (110, 119), not the other national lines (189)."""
        return [n for n in self.national if n.emergency]

    def names_consultation_door(self, ref_ids: Iterable[str]) -> bool:
        """Whether any of these contacts is a door of the consultation programme (every agency it
        stands for carries it): what the programme promises holds for those doors, not for an office."""
        program = self.consultation_program
        if program is None:
            return False
        carriers = {a.id for a in self.program_agencies(program)}
        for ref_id in ref_ids:
            agencies = self.contact_agencies(ref_id)
            if agencies and all(a.id in carriers for a in agencies):
                return True
        return False

    def provider_agencies(self, provider: m.Provider) -> list[m.Agency]:
        found = [a for c in provider.categories for a in self.agencies_in(c)]
        found += [self.agency(a) for a in provider.agencies]
        return found

    def provider_name(self, provider: m.Provider) -> str:
        """What a provider is called where its list is shown: the service it carries (`service`), or else
        the categories it names and those of the agencies it names, and the city sections it names."""
        if provider.service:
            return provider.service
        names = [self.category(c).name for c in provider.categories]
        names += [self.category(self.agency(a).category).name for a in provider.agencies]
        names += [self.office(o).name for o in provider.offices]
        return "・".join(dict.fromkeys(names))

    def provider_offices(self, provider: m.Provider) -> list[m.Office]:
        return [self.office(o) for o in provider.offices]

    def program_agencies(self, program: m.Program) -> list[m.Agency]:
        by_program = self._view("v:program_agencies", lambda: {
            p.id: _unique(a for pr in p.providers for a in self.provider_agencies(pr)) for p in self.programs})
        if self._by_id("programs", self.programs).get(program.id) is program:
            return list(by_program[program.id])
        # not this Guide's own programme object (a copy): compute it directly
        return _unique(a for p in program.providers for a in self.provider_agencies(p))

    def hub_programs(self) -> list[m.Program]:
        return list(self._view("v:hub_programs", lambda: [p for p in self.programs if any(pr.hub for pr in p.providers)]))

    def agency_programs(self, agency: m.Agency) -> list[m.Program]:
        by_agency = self._grouped("v:agency_programs", self.programs,
                                  lambda p: (a.id for a in self.program_agencies(p)))
        if self._by_id("agencies", self.agencies).get(agency.id) is agency:
            return list(by_agency.get(agency.id, ()))
        # not this Guide's own agency object (a copy): compare by value, as a list does
        return [p for p in self.programs if agency in self.program_agencies(p)]

    @property
    def hub_operator(self) -> m.Agency | None:
        """The agency that runs the hub, where hub.yml names it as {agency: <id>} (not as free text)."""
        op = self.hub.operator
        return self.agency(op.agency) if isinstance(op, m.AgencyRef) else None

    @property
    def hub_operator_name(self) -> str | None:
        """Who runs the hub, as pages print it: the agency's name, or hub.yml's own words."""
        found = self.hub_operator
        return found.name if found else self.hub.operator

    def contact_phones(self, contact: str) -> list[m.Phone] | None:
        """The one phone an outcome's contact names ({agency: <id>, phone: <label>}), or None for all."""
        label = getattr(contact, "phone", None)
        return [p for p in self.agency(contact).phones if p.label == label] if label else None

    def meetings_of(self, ref_id: str) -> list[m.Meeting]:
        """Meetings that an office, category, agency or the hub is in charge of or convenes."""
        return list(self._grouped("v:meetings_of", self.meetings,
                                  lambda mt: (r for r in (mt.in_charge, mt.convened_by) if r)).get(ref_id, ()))

    def meetings_in(self, group_id: str) -> list[m.Meeting]:
        return list(self._grouped("v:meetings_in", self.meetings, lambda mt: (mt.group,)).get(group_id, ()))

    def meetings_reviewing(self, program_id: str) -> list[m.Meeting]:
        return list(self._grouped("v:meetings_reviewing", self.meetings, lambda mt: mt.reviews).get(program_id, ()))

    def closure_programs(self) -> list[m.Program]:
        return list(self._view("v:closure_programs", lambda: [p for p in self.programs if p.closure]))

    def cases_with_program(self, program_id: str) -> list[m.Case]:
        return list(self._grouped("v:cases_with_program", self.cases, lambda c: [
            *(pid for s in c.steps for pid in s.programs), *(a.program for a in c.actions)]).get(program_id, ()))

    def cases_with_meeting(self, meeting_id: str) -> list[m.Case]:
        return list(self._grouped("v:cases_with_meeting", self.cases, lambda c: [
            *(mid for s in c.steps for mid in s.meetings), *(mid for a in c.actions for mid in a.meetings)]).get(meeting_id, ()))


def _unique(agencies: Iterable[m.Agency]) -> list[m.Agency]:
    """Each agency once, in order of first mention (a programme may name one desk under two headings)."""
    seen: set[str] = set()
    return [a for a in agencies if not (a.id in seen or seen.add(a.id))]


def kana_key(text: str) -> str:
    """Sort key in あいうえお order: katakana read as hiragana, width folded."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in folded)


def ref_index(guide: Guide) -> dict[str, Ref]:
    if "refs" not in guide._index:
        refs: dict[str, Ref] = {}
        for office in guide.offices:
            refs[office.id] = Ref(office.id, office.name, "office", None)
        for cat in guide.categories:
            url = f"agencies/{cat.id}/" if guide.directory_split else f"agencies/#{cat.id}"
            refs[cat.id] = Ref(cat.id, cat.name, "category", url)
        for agency in guide.agencies:
            refs[agency.id] = Ref(agency.id, agency.name, "agency", f"agencies/{agency.id}/")
        refs[guide.hub.id] = Ref(guide.hub.id, guide.hub.name, "hub", f"{guide.hub.id}/")
        guide._index["refs"] = refs
    return guide._index["refs"]
