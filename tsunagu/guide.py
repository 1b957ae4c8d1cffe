"""The Guide: one immutable, validated view of a city's data, with the look-ups pages need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from . import model as m
from .a11y import Run

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
        """The page that tells more about a glossary term: a programme, meeting, category or the hub."""
        if not term.see:
            return None
        if term.see in self._by_id("programs", self.programs):
            return f"programs/{term.see}/"
        if term.see in self._by_id("meetings", self.meetings):
            return f"meetings/{term.see}/"
        return self.ref(term.see).url

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
        """When the content drawn from these data files last changed (the site's date if none says)."""
        dates = [self.updated[s] for s in sources if s in self.updated]
        return max(dates) if dates else self.site.updated

    @property
    def publisher(self) -> m.Office:
        return self.office(self.site.publisher)

    def ref(self, id: str) -> Ref:
        """An office, category, agency or the hub, by id (ids are unique across these)."""
        return ref_index(self)[id]

    # -- derived views --------------------------------------------------------

    def agencies_in(self, category_id: str) -> list[m.Agency]:
        return [a for a in self.agencies if a.category == category_id]

    def categories_in(self, field_id: str) -> list[m.Category]:
        return [c for c in self.categories if c.field == field_id]

    def agencies_in_field(self, field_id: str) -> list[m.Agency]:
        return [a for c in self.categories_in(field_id) for a in self.agencies_in(c.id)]

    def agency_field(self, agency: m.Agency) -> m.SupportField:
        return self.field(self.category(agency.category).field)

    def provider_agencies(self, provider: m.Provider) -> list[m.Agency]:
        found = [a for c in provider.categories for a in self.agencies_in(c)]
        found += [self.agency(a) for a in provider.agencies]
        return found

    def program_agencies(self, program: m.Program) -> list[m.Agency]:
        return [a for p in program.providers for a in self.provider_agencies(p)]

    def hub_programs(self) -> list[m.Program]:
        return [p for p in self.programs if any(pr.hub for pr in p.providers)]

    def agency_programs(self, agency: m.Agency) -> list[m.Program]:
        return [p for p in self.programs if agency in self.program_agencies(p)]

    def meetings_of(self, ref_id: str) -> list[m.Meeting]:
        """Meetings that an office, category, agency or the hub is in charge of or convenes."""
        return [mt for mt in self.meetings if ref_id in (mt.in_charge, mt.convened_by)]

    def meetings_in(self, group_id: str) -> list[m.Meeting]:
        return [mt for mt in self.meetings if mt.group == group_id]

    def meetings_reviewing(self, program_id: str) -> list[m.Meeting]:
        return [mt for mt in self.meetings if program_id in mt.reviews]

    def closure_programs(self) -> list[m.Program]:
        return [p for p in self.programs if p.closure]

    def cases_with_program(self, program_id: str) -> list[m.Case]:
        return [c for c in self.cases
                if any(program_id in s.programs for s in c.steps) or any(a.program == program_id for a in c.actions)]

    def cases_with_meeting(self, meeting_id: str) -> list[m.Case]:
        return [c for c in self.cases
                if any(meeting_id in s.meetings for s in c.steps) or any(meeting_id in a.meetings for a in c.actions)]


def ref_index(guide: Guide) -> dict[str, Ref]:
    if "refs" not in guide._index:
        refs: dict[str, Ref] = {}
        for office in guide.offices:
            refs[office.id] = Ref(office.id, office.name, "office", None)
        for cat in guide.categories:
            refs[cat.id] = Ref(cat.id, cat.name, "category", f"agencies/#{cat.id}")
        for agency in guide.agencies:
            refs[agency.id] = Ref(agency.id, agency.name, "agency", f"agencies/{agency.id}/")
        refs[guide.hub.id] = Ref(guide.hub.id, guide.hub.name, "hub", f"{guide.hub.id}/")
        guide._index["refs"] = refs
    return guide._index["refs"]
