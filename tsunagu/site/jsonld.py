"""schema.org JSON-LD for the agency and hub pages: a <script type="application/ld+json"> each page
carries. Every value comes from the data; where the data has no fact the property is left out."""

from __future__ import annotations

import json

from markupsafe import Markup

from ..data import hours, labels
from ..data import model as m
from ..data.address import address_of
from ..data.guide import Guide

SCHEMA = "https://schema.org/"
_DAY = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday", "sat": "Saturday",
        "sun": "Sunday", "holidays": "PublicHolidays"}


def _place_hours(place: m.Agency | m.Hub) -> str:
    """Hours as pages print them, with the hub's closed-days text where the data has it."""
    parts = [str(place.hours) if place.hours else None]
    if getattr(place, "closed", None):
        parts.append(f"{labels.FIELD['closed']}: {place.closed}")
    return "　".join(x for x in parts if x)


def page_path(guide: Guide, kind: str, id: str) -> str:
    """The page of an agency or the hub, relative to the site root (pages.py makes them there)."""
    return f"agencies/{id}/" if kind == "agency" else f"{id}/"


def _relative(target: str, here: str) -> str:
    """target as a URL relative to the page at here (both relative to the site root): the JSON-LD
    is read on that page, so its relative @id and url resolve to the site's own addresses."""
    ups = "../" * here.count("/")
    return ups + target


def _link(target: str, here: str, base: str | None, fragment: str = "") -> str:
    """An @id or url in the JSON-LD of the page at here: absolute from the site's URL where it is
    known (base: MkDocs' site_url), so the node keeps its name when the JSON-LD is read apart from
    its page (a crawler's or data team's merged graph, where every page's "#organization" would be
    one node); else relative, which JSON-LD resolves against the page's own address."""
    if base:
        return base.rstrip("/") + "/" + target + fragment
    if target == here:
        return fragment or "./"
    return _relative(target, here) + fragment


def opening_hours_spec(h: hours.OpeningHours) -> list[dict]:
    """schema.org OpeningHoursSpecification: one per period; closed public holidays as a day open
    00:00-00:00 (closed all day). The year-end break has no dates a year can be given from: it stays
    in the page text and the other exports' descriptions."""
    out = []
    for p in h.all_periods:
        spec = {"@type": "OpeningHoursSpecification", "dayOfWeek": [SCHEMA + _DAY[d] for d in p.days]}
        if p.all_day:
            spec["opens"], spec["closes"] = "00:00", "23:59"
        elif p.opens:
            spec["opens"], spec["closes"] = p.opens, p.closes
        out.append(spec)
    if "holidays" in h.closed and out:
        out.append({"@type": "OpeningHoursSpecification", "dayOfWeek": [SCHEMA + "PublicHolidays"],
                    "opens": "00:00", "closes": "00:00"})
    return out


def _contact_points(phones, place_hours: hours.OpeningHours | None) -> list[dict]:
    """A ContactPoint per phone that has a label or hours of its own, or when there are several:
    contactType from the label, hoursAvailable from the phone's hours (else the place's)."""
    if len(phones) == 1 and not (phones[0].label or phones[0].hours):
        return []
    points = []
    for p in phones:
        point = {"@type": "ContactPoint", "telephone": p.number}
        if p.label:
            point["contactType"] = p.label
        own = p.hours or place_hours
        spec = opening_hours_spec(own) if own else []
        if spec:
            point["hoursAvailable"] = spec
        if own:
            point["description"] = str(own)
        points.append(point)
    return points


def _script(data: dict) -> Markup:
    """JSON for a <script type="application/ld+json"> element: <, > and & escaped so that no
    text from the data can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')


def _place_node(guide: Guide, place: m.Agency | m.Hub, here: str, base: str | None = None, **extra) -> dict:
    """The organization on its own page: a GovernmentOffice (a place, with its PostalAddress and opening
    hours) where the data gives an address, else an Organization (which needs none; its hours go on
    its ContactPoints). @id and url are the page's own."""
    addr = address_of(guide, place.address)
    node = {"@type": "GovernmentOffice" if addr else "Organization", "@id": _link(here, here, base, "#organization"),
            "url": _link(here, here, base),
            "name": place.name, **extra, "telephone": place.phones[0].number}
    if place.fax:
        node["faxNumber"] = place.fax
    if place.email:
        node["email"] = place.email
    if addr:
        postal = {"@type": "PostalAddress", "addressCountry": "JP"}
        if addr.prefecture:
            postal["addressRegion"] = addr.prefecture
        if addr.city:
            postal["addressLocality"] = addr.city
        postal["streetAddress"] = addr.rest
        if addr.postal_code:
            postal["postalCode"] = addr.postal_code
        node["address"] = postal
    spec = opening_hours_spec(place.hours) if place.hours else []
    if addr and spec:
        node["openingHoursSpecification"] = spec
    points = _contact_points(place.phones, None if addr else place.hours)
    if not points and place.hours and not addr:
        # one phone, the place's hours: the phone's ContactPoint carries them (Organization has no hours)
        points = [{"@type": "ContactPoint", "telephone": place.phones[0].number,
                   **({"hoursAvailable": spec} if spec else {}), "description": str(place.hours)}]
    if points:
        node["contactPoint"] = points
    if addr and place.hours:
        node["description"] = " ".join(x for x in (node.get("description"), f"{labels.FIELD['hours']}: {_place_hours(place)}") if x)
    return node


def _area_served(guide: Guide, agency: m.Agency) -> list[dict] | dict:
    if agency.areas:
        return [{"@type": "Place", "name": ar.name} for ar in agency.areas]
    return {"@type": "City", "name": guide.site.city}


def agency_jsonld_data(guide: Guide, agency: m.Agency, base: str | None = None) -> dict:
    """base: the site's URL where it is known (see _link)."""
    here = page_path(guide, "agency", agency.id)
    node = _place_node(guide, agency, here, base, description=guide.category_label(agency.category))
    node["areaServed"] = _area_served(guide, agency)
    if guide.hub_operator and guide.hub_operator.id == agency.id:
        h = guide.hub
        target = page_path(guide, "hub", h.id)
        node["subOrganization"] = {"@id": _link(target, here, base, "#organization"),
                                   "url": _link(target, here, base), "name": h.name}
    return {"@context": "https://schema.org", **node}


def hub_jsonld_data(guide: Guide, base: str | None = None) -> dict:
    """base: the site's URL where it is known (see _link)."""
    h = guide.hub
    here = page_path(guide, "hub", h.id)
    office = _place_node(guide, h, here, base, **({"alternateName": h.short} if h.short else {}))
    office["description"] = " ".join(x for x in (h.role + (f"（{h.commission}）" if h.commission else ""),
                                                 office.get("description")) if x)
    office["areaServed"] = {"@type": "City", "name": guide.site.city}
    operator = guide.hub_operator
    if operator:
        target = page_path(guide, "agency", operator.id)
        office["parentOrganization"] = {"@id": _link(target, here, base, "#organization"),
                                        "url": _link(target, here, base), "name": operator.name}
    elif h.operator:
        office["parentOrganization"] = {"@type": "Organization", "name": guide.hub_operator_name}
    graph = [office]
    for p in guide.hub_programs():
        service = {"@type": "GovernmentService", "@id": _link(here, here, base, f"#service-{p.id}"), "name": p.name,
                   "description": p.summary, "provider": {"@id": office["@id"]},
                   "url": _link(f"programs/{p.id}/", here, base),
                   "areaServed": {"@type": "City", "name": guide.site.city}}
        if p.short != p.name:
            service["alternateName"] = p.short
        graph.append(service)
    return {"@context": "https://schema.org", "@graph": graph}


def agency_jsonld(guide: Guide, agency: m.Agency, base: str | None = None) -> Markup:
    return _script(agency_jsonld_data(guide, agency, base))


def hub_jsonld(guide: Guide, base: str | None = None) -> Markup:
    return _script(hub_jsonld_data(guide, base))
