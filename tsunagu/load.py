"""Load a data folder: read every file, validate each model, check cross-references, build the Guide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import flows, messages
from . import model as m
from .errors import DataError, DataErrors
from .a11y import Run
from .guide import Guide
from .validate import Located, duplicate_ids, empty_categories, unknown_ref
from .yamlfile import line_of, read_yaml


def _shown(data_dir: Path, name: str) -> str:
    """The file name as a person sees it in messages: relative to the working folder when possible."""
    path = data_dir / name
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _model_errors(exc: ValidationError, shown: str, raw: Any) -> list[DataError]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        out.append(DataError(shown, line_of(raw, loc), messages.field_path(loc), messages.japanese(err), err["type"]))
    return out


def read_files(data_dir: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, str], list[DataError]]:
    """Parse and type-check each file; return models, raw data, shown names and the errors."""
    parsed: dict[str, Any] = {}
    raws: dict[str, Any] = {}
    shown: dict[str, str] = {}
    errors: list[DataError] = []
    for stem, cls in m.FILES.items():
        name = shown[stem] = _shown(data_dir, f"{stem}.yml")
        path = data_dir / f"{stem}.yml"
        if not path.exists():
            if stem not in m.OPTIONAL_FILES:
                errors.append(DataError(name, None, "", "必要なファイルがありません", "missing_file"))
            continue
        raw, errs = read_yaml(path, name)
        errors += errs
        if raw is None and not errs:
            raw = {}
        raws[stem] = raw  # None when the file could not be parsed
        if raw is None:
            continue
        try:
            parsed[stem] = cls.model_validate(raw)
        except ValidationError as exc:
            errors += _model_errors(exc, name, raw)
    return parsed, raws, shown, errors


def _where(raws: dict, shown: dict, stem: str, *path) -> Located:
    return Located(shown[stem], raws.get(stem), tuple(path))


# Where each kind of id is written: (file, top-level key)
_KIND_PLACE = {
    "field": ("fields", "fields"), "office": ("offices", "offices"), "category": ("agencies", "categories"),
    "agency": ("agencies", "agencies"), "hub": ("hub", "hub"), "program": ("programs", "programs"),
    "meeting": ("meetings", "meetings"), "group": ("meetings", "groups"), "case": ("cases", "cases"),
}


def _ids_in_raw(raw: Any, key: str) -> set[str]:
    """Ids written in a file that failed its own checks, so references to them are still judged fairly."""
    part = raw.get(key) if isinstance(raw, dict) else None
    items = part if isinstance(part, list) else [part]
    return {str(it["id"]) for it in items if isinstance(it, dict) and isinstance(it.get("id"), str)}


def cross_check(parsed: dict[str, Any], raws: dict, shown: dict) -> tuple[list[DataError], dict[str, set[str]]]:
    """Unique ids and references between files, and every id known by kind. References are checked
    from files that passed their own checks; a reference into a file that could not be parsed is not judged."""
    W = lambda stem, *path: _where(raws, shown, stem, *path)  # noqa: E731
    entries: list[tuple[str, str, Located]] = []
    get = parsed.get
    if get("fields"):
        entries += [("field", f.id, W("fields", "fields", i, "id")) for i, f in enumerate(get("fields").fields)]
    if get("offices"):
        entries += [("office", o.id, W("offices", "offices", i, "id")) for i, o in enumerate(get("offices").offices)]
    if get("agencies"):
        a = get("agencies")
        entries += [("category", c.id, W("agencies", "categories", i, "id")) for i, c in enumerate(a.categories)]
        entries += [("agency", x.id, W("agencies", "agencies", i, "id")) for i, x in enumerate(a.agencies)]
    if get("hub"):
        entries.append(("hub", get("hub").hub.id, W("hub", "hub", "id")))
    if get("programs"):
        entries += [("program", p.id, W("programs", "programs", i, "id")) for i, p in enumerate(get("programs").programs)]
        entries += [("program-number", str(p.number), W("programs", "programs", i, "number"))
                    for i, p in enumerate(get("programs").programs)]
    if get("meetings"):
        mt = get("meetings")
        entries += [("group", g.id, W("meetings", "groups", i, "id")) for i, g in enumerate(mt.groups)]
        entries += [("meeting", x.id, W("meetings", "meetings", i, "id")) for i, x in enumerate(mt.meetings)]
    if get("cases"):
        entries += [("case", c.id, W("cases", "cases", i, "id")) for i, c in enumerate(get("cases").cases)]
    if get("narrative"):
        entries += [("chapter", c.id, W("narrative", "chapters", i, "id")) for i, c in enumerate(get("narrative").chapters)]
    if get("national"):
        entries += [("national", n.id, W("national", "national", i, "id")) for i, n in enumerate(get("national").national)]
    if get("support_flow"):
        entries += [("flow-step", str(s.number), W("support_flow", "support_flow", "steps", i, "number"))
                    for i, s in enumerate(get("support_flow").support_flow.steps)]
    if get("glossary"):
        entries += [("term", t.id, W("glossary", "terms", i, "id")) for i, t in enumerate(get("glossary").terms)]
    errors = list(duplicate_ids(entries))
    if get("agencies"):
        a = get("agencies")
        errors += empty_categories([(c.id, c.name, W("agencies", "categories", i, "id")) for i, c in enumerate(a.categories)],
                                   {x.category for x in a.agencies})

    known: dict[str, set[str]] = {}
    for kind, id_, _ in entries:
        known.setdefault(kind, set()).add(id_)

    def ids(*kinds: str) -> set[str]:
        return set().union(*(known.get(k, set()) for k in kinds))

    checks: list[tuple[Located, str, tuple[str, ...]]] = []
    if get("site"):
        checks.append((W("site", "site", "publisher"), get("site").site.publisher, ("office",)))
    if get("agencies"):
        a = get("agencies")
        checks += [(W("agencies", "categories", i, "field"), c.field, ("field",)) for i, c in enumerate(a.categories)]
        for i, x in enumerate(a.agencies):
            checks.append((W("agencies", "agencies", i, "category"), x.category, ("category",)))
            if x.operator:
                checks.append((W("agencies", "agencies", i, "operator"), x.operator, ("office", "agency")))
    if get("programs"):
        for i, p in enumerate(get("programs").programs):
            for j, pr in enumerate(p.providers):
                base = ("programs", i, "providers", j)
                if pr.field:
                    checks.append((W("programs", *base, "field"), pr.field, ("field",)))
                checks += [(W("programs", *base, "categories", k), c, ("category",)) for k, c in enumerate(pr.categories)]
                checks += [(W("programs", *base, "agencies", k), c, ("agency",)) for k, c in enumerate(pr.agencies)]
            for j, st in enumerate(p.steps):
                checks += [(W("programs", "programs", i, "steps", j, "meetings", k), x, ("meeting",))
                           for k, x in enumerate(st.meetings)]
            checks += [(W("programs", "programs", i, "activities", j, "field"), ac.field, ("field",))
                       for j, ac in enumerate(p.activities)]
    if get("meetings"):
        for i, x in enumerate(get("meetings").meetings):
            base = ("meetings", i)
            checks.append((W("meetings", *base, "group"), x.group, ("group",)))
            if x.field:
                checks.append((W("meetings", *base, "field"), x.field, ("field",)))
            if x.in_charge:
                checks.append((W("meetings", *base, "in_charge"), x.in_charge, ("office", "agency", "category", "hub")))
            if x.convened_by:
                checks.append((W("meetings", *base, "convened_by"), x.convened_by, ("office", "agency", "category", "hub")))
            checks += [(W("meetings", *base, "reviews", k), r, ("program",)) for k, r in enumerate(x.reviews)]
    if get("cases"):
        for i, c in enumerate(get("cases").cases):
            for j, st in enumerate(c.steps):
                base = ("cases", i, "steps", j)
                checks += [(W("cases", *base, "programs", k), x, ("program",)) for k, x in enumerate(st.programs)]
                checks += [(W("cases", *base, "meetings", k), x, ("meeting",)) for k, x in enumerate(st.meetings)]
            checks += [(W("cases", "cases", i, "actions", j, "program"), ac.program, ("program",))
                       for j, ac in enumerate(c.actions)]
            checks += [(W("cases", "cases", i, "actions", j, "meetings", k), x, ("meeting",))
                       for j, ac in enumerate(c.actions) for k, x in enumerate(ac.meetings)]
    if get("support_flow"):
        for i, st in enumerate(get("support_flow").support_flow.steps):
            base = ("support_flow", "steps", i)
            checks += [(W("support_flow", *base, "programs", k), x, ("program",)) for k, x in enumerate(st.programs)]
            for j, br in enumerate(st.branches):
                if br.meeting:
                    checks.append((W("support_flow", *base, "branches", j, "meeting"), br.meeting, ("meeting",)))
                checks += [(W("support_flow", *base, "branches", j, "programs", k), x, ("program",))
                           for k, x in enumerate(br.programs)]

    if get("glossary"):
        checks += [(W("glossary", "terms", i, "see"), t.see, ("program", "meeting", "hub", "category", "agency"))
                   for i, t in enumerate(get("glossary").terms) if t.see]

    unreadable = {stem for stem, raw in raws.items() if raw is None}
    for kind, (stem, key) in _KIND_PLACE.items():
        if raws.get(stem) is not None and stem not in parsed:
            known.setdefault(kind, set()).update(_ids_in_raw(raws[stem], key))
    for where, id_, kinds in checks:
        if where.raw is None or any(_KIND_PLACE[k][0] in unreadable for k in kinds):
            continue
        err = unknown_ref(where, id_, kinds, ids(*kinds))
        if err:
            errors.append(err)
    return errors, known


RESULTS_FILE = "accessibility-results.json"
FLOWS_DIR = "flows"


def read_flows(data_dir: Path) -> tuple[list[tuple[m.FlowFile, Located]], list[DataError]]:
    """Every data/flows/*.yml: typed, then checked as a graph."""
    found: list[tuple[m.FlowFile, Located]] = []
    errors: list[DataError] = []
    for path in sorted((data_dir / FLOWS_DIR).glob("*.yml")):
        name = _shown(data_dir, f"{FLOWS_DIR}/{path.name}")
        raw, errs = read_yaml(path, name)
        errors += errs
        if raw is None:
            continue
        try:
            flow = m.FlowFile.model_validate(raw)
        except ValidationError as exc:
            errors += _model_errors(exc, name, raw)
            continue
        where = Located(name, raw, ())
        graph_errors = flows.check(flow, where)
        errors += graph_errors
        if not graph_errors:
            found.append((flow, where))
    seen: dict[str, Located] = {}
    for flow, where in found:
        if flow.flow.id in seen:
            errors.append(Located(where.file, where.raw, ("flow", "id")).error(
                f"質問の流れの id「{flow.flow.id}」は {seen[flow.flow.id].file} でも使われています", "duplicate_id"))
        seen.setdefault(flow.flow.id, where)
    return found, errors


def flow_refs(found: list[tuple[m.FlowFile, Located]], known: dict[str, set[str]]) -> list[DataError]:
    """Every id an outcome names exists."""
    errors: list[DataError] = []
    refs = ("office", "agency", "category", "hub")
    for flow, where in found:
        for i, o in enumerate(flow.outcomes):
            def at(*path):
                return Located(where.file, where.raw, ("outcomes", i, *path))
            lists = [("contacts", o.contacts, refs), ("national", o.national, ("national",)),
                     ("meetings", o.meetings, ("meeting",)), ("programs", o.programs, ("program",)),
                     ("steps", [str(s) for s in o.steps], ("flow-step",))]
            for key, ids, kinds in lists:
                for k, id_ in enumerate(ids):
                    err = unknown_ref(at(key, k), id_, kinds, set().union(*(known.get(x, set()) for x in kinds)))
                    if err:
                        errors.append(err)
    return errors


def read_results(data_dir: Path) -> tuple[Run | None, list[DataError]]:
    """The last recorded accessibility test run, if one was recorded."""
    path = data_dir / RESULTS_FILE
    if not path.exists():
        return None, []
    try:
        return Run.model_validate_json(path.read_bytes()), []
    except ValidationError as exc:
        err = exc.errors()[0]
        return None, [DataError(_shown(data_dir, RESULTS_FILE), None, messages.field_path(tuple(err["loc"])),
                                "試験結果の記録が読めません。試験を記録し直してください", "invalid_results")]


def load_guide(data_dir: str | Path) -> Guide:
    """The validated Guide of a data folder, or DataErrors listing every problem found."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataErrors([DataError(str(data_dir), None, "", "データのフォルダが見つかりません", "missing_data_dir")])
    parsed, raws, shown, errors = read_files(data_dir)
    ref_errors, known = cross_check(parsed, raws, shown)
    found_flows, flow_errors = read_flows(data_dir)
    errors += ref_errors + flow_errors + flow_refs(found_flows, known)
    run, run_errors = read_results(data_dir)
    errors += run_errors
    if errors:
        raise DataErrors(errors)
    a = parsed["agencies"]
    mt = parsed["meetings"]
    narrative = parsed.get("narrative") or m.NarrativeFile()
    return Guide(
        site=parsed["site"].site,
        fields=tuple(parsed["fields"].fields),
        offices=tuple(parsed["offices"].offices) if "offices" in parsed else (),
        categories=tuple(a.categories),
        agencies=tuple(a.agencies),
        hub=parsed["hub"].hub,
        programs=tuple(sorted(parsed["programs"].programs, key=lambda p: p.number)),
        meeting_intro=mt.intro,
        meeting_groups=tuple(mt.groups),
        meetings=tuple(mt.meetings),
        cases=tuple(parsed["cases"].cases) if "cases" in parsed else (),
        support_flow=parsed["support_flow"].support_flow,
        chapters=tuple(narrative.chapters),
        household_problems=narrative.household_problems,
        cycle=narrative.cycle,
        accessibility=parsed["accessibility"].accessibility if "accessibility" in parsed else None,
        a11y_run=run,
        national=tuple(parsed["national"].national) if "national" in parsed else (),
        flows=tuple(f for f, _ in found_flows),
        search_terms=parsed["search"].search if "search" in parsed else None,
        glossary=tuple(parsed["glossary"].terms) if "glossary" in parsed else (),
        updated={**{stem: f.updated for stem, f in parsed.items() if getattr(f, "updated", None)},
                 **{f"flows/{f.flow.id}": f.updated for f, _ in found_flows if f.updated}},
    )
