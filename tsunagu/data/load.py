"""Read a data folder: read every file, validate each model, check cross-references, build the Guide."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import chars, flows, messages, sizes
from . import model as m
from .a11y import Run
from .errors import DataError, DataErrors
from .guide import Guide, ref_index
from .validate import Definition, Located, Ref, duplicate_ids, empty_categories, fold_causes, unknown_ref
from .yamlfile import line_of, read_text, read_yaml


def _shown(data_dir: Path, name: str) -> str:
    """The file name as a person sees it in messages: relative to the working folder when possible,
    on one line (a newline or other control character in a file's name is shown escaped)."""
    path = data_dir / name
    try:  # the folder, not the file: a file may be a link loop
        return chars.one_line(str((data_dir.resolve() / name).relative_to(Path.cwd().resolve())))
    except (ValueError, OSError, RuntimeError):
        return chars.one_line(str(path))


def _model_errors(exc: ValidationError, shown: str, raw: Any, cls: Any = None) -> list[DataError]:
    """A file's model errors in Japanese, read together (messages.explain): one slip, one error."""
    return [DataError(shown, line_of(raw, loc), messages.field_path(loc), text, key)
            for loc, text, key in messages.explain(exc.errors(), cls)]


def read_files(data_dir: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, str], list[DataError]]:
    """Parse and type-check each file; return models, raw data, shown names and the errors."""
    parsed: dict[str, Any] = {}
    raws: dict[str, Any] = {}
    shown: dict[str, str] = {}
    errors: list[DataError] = []
    for stem, cls in m.FILES.items():
        name = shown[stem] = _shown(data_dir, f"{stem}.yml")
        path = data_dir / f"{stem}.yml"
        if not os.path.lexists(path):  # a broken link or a link loop is reported by read_yaml
            if stem not in m.OPTIONAL_FILES:
                errors.append(DataError(name, None, "", "必要なファイルがありません", "missing_file"))
            continue
        raw, errs = read_yaml(path, name, inside=data_dir)
        errors += errs
        if raw is None and not errs:
            raw = {}
        raws[stem] = raw  # None when the file could not be parsed
        if raw is None:
            continue
        try:
            parsed[stem] = cls.model_validate(raw)
        except ValidationError as exc:
            errors += _model_errors(exc, name, raw, cls)
    return parsed, raws, shown, errors


def _where(raws: dict, shown: dict, stem: str, *path) -> Located:
    return Located(shown[stem], raws.get(stem), tuple(path))


# Where each kind of id is written: (file, top-level key)
_KIND_PLACE = {
    "field": ("fields", "fields"), "office": ("offices", "offices"), "category": ("agencies", "categories"),
    "agency": ("agencies", "agencies"), "hub": ("hub", "hub"), "program": ("programs", "programs"),
    "meeting": ("meetings", "meetings"), "group": ("meetings", "groups"), "case": ("cases", "cases"),
    "national": ("national", "national"),
    "flow-step": ("support_flow", None),  # numbers, not ids: not read from a file that failed its checks
}


def _ids_in_raw(raw: Any, key: str | None) -> set[str]:
    """Ids written in a file that failed its own checks, so references to them are still judged fairly."""
    part = raw.get(key) if isinstance(raw, dict) else None
    items = part if isinstance(part, list) else [part]
    return {str(it["id"]) for it in items if isinstance(it, dict) and isinstance(it.get("id"), str)}


def blind_kinds(raws: dict) -> set[str]:
    """Kinds of id that cannot all be read from the raw data: their file is not a mapping, or their list
    (the hub's mapping) is written in another shape or, when required, left out. A reference to such a
    kind is not judged: the slip is reported where it is, once, not again at every reference."""
    blind: set[str] = set()
    for kind, (stem, key) in _KIND_PLACE.items():
        if stem not in raws or key is None:
            continue
        raw = raws[stem]
        if not isinstance(raw, dict):
            blind.add(kind)
            continue
        if key not in raw:
            field = m.FILES[stem].model_fields.get(key) if stem in m.FILES else None
            if field is not None and field.is_required():
                blind.add(kind)
            continue
        part = raw[key]
        if key == "hub" and not isinstance(part, dict) or key != "hub" and (
                not isinstance(part, list) or not all(isinstance(item, dict) for item in part)):
            blind.add(kind)
    return blind


def cross_check(parsed: dict[str, Any], raws: dict, shown: dict,
                refs: list[Ref] | None = None) -> tuple[list[DataError], dict[str, set[str]]]:
    """Unique ids and references between files, and every id known by kind. References are checked
    from files that passed their own checks; a reference into a file that could not be parsed is not judged.
    refs: if given, every reference checked is added to it (fold_causes reads them)."""
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

    if raws.get("agencies") is not None:  # judged from the raw data, so also when agencies.yml has errors of its own
        errors += duplicate_areas(raws["agencies"], W)
    if get("agencies") and get("fields"):
        # The directory page anchors each field and each category by id: they must differ.
        field_ids = {f.id for f in get("fields").fields} | {"cross-field", "several-fields"}
        errors += [W("agencies", "categories", i, "id").error(
            f"種別の id「{c.id}」が分野の id と同じです。相談先一覧のページで見出しが重なるので、別の id にしてください",
            "duplicate_id") for i, c in enumerate(get("agencies").categories) if c.id in field_ids]
    if get("programs"):
        consultation = [i for i, p in enumerate(get("programs").programs) if p.role == "consultation"]
        errors += [W("programs", "programs", i, "role").error(
            "role: consultation（住民の最初の相談を受ける事業）は一つの事業にだけ書いてください", "duplicate_role")
            for i in consultation[1:]]

    # References are read from the raw data of every readable file, so a file with an error of its
    # own still has its references judged: every error is reported at once.
    checks = [(W(stem, *path), id_, kinds) for stem, pattern, kinds in REFERENCES if raws.get(stem) is not None
              for path, id_ in _raw_values(raws[stem], pattern)]

    blind = blind_kinds(raws)
    for kind, (stem, key) in _KIND_PLACE.items():
        if raws.get(stem) is not None and stem not in parsed:
            known.setdefault(kind, set()).update(_ids_in_raw(raws[stem], key))
    near_cache: dict = {}
    for where, id_, kinds in checks:
        if where.raw is None or any(k in blind for k in kinds):
            continue
        err = unknown_ref(where, id_, kinds, ids(*kinds), near_cache)
        if err:
            errors.append(err)
        if refs is not None:
            refs.append(Ref(where, id_, kinds, err))
    return errors, known


def contact_phones(guide: Guide, found_flows: list[tuple[m.FlowFile, Located]]) -> list[DataError]:
    """A contact written {agency: <id>, phone: <label>} names an agency (not a category or section) and
    one of its phones by label. (An id that names nothing is flow_refs' to report.)"""
    errors: list[DataError] = []
    refs = ref_index(guide)
    for flow, where in found_flows:
        for i, o in enumerate(flow.outcomes):
            for k, c in enumerate(o.contacts):
                if not c.phone or c not in refs:
                    continue
                at = Located(where.file, where.raw, ("outcomes", i, "contacts", k, "phone"))
                if refs[c].kind != "agency":
                    errors.append(at.error(f"電話番号を一つだけ示せるのは相談先（agencies.yml）だけです。「{c}」は相談先の id ではありません", "unknown_id"))
                elif c.phone not in {p.label for p in guide.agency(c).phones}:
                    labels = "、".join(f"「{p.label}」" for p in guide.agency(c).phones if p.label) or "（label のある番号がありません）"
                    errors.append(at.error(f"相談先「{guide.agency(c).name}」に label が「{c.phone}」の電話番号がありません。"
                                           f"書ける label: {labels}", "unknown_id"))
    return errors


def uncallable_outcomes(guide: Guide, found_flows: list[tuple[m.FlowFile, Located]]) -> list[DataError]:
    """Every outcome of a flow gives at least one number to call: a person who reaches it must
    have a door, not only a description."""
    errors: list[DataError] = []
    for flow, where in found_flows:
        for i, o in enumerate(flow.outcomes):
            phones = list(o.national)
            if o.first_door and o.first_door.office in {x.id for x in guide.offices}:
                phones += guide.office(o.first_door.office).phones
            for ref in o.contacts:
                kind = guide.ref(ref).kind
                if kind == "office":
                    phones += guide.office(ref).phones
                elif kind == "hub":
                    phones += guide.hub.phones
                else:
                    phones += [p for a in guide.contact_agencies(ref) for p in a.phones]
            if not phones:
                errors.append(Located(where.file, where.raw, ("outcomes", i, "id")).error(
                    f"結果「{o.title}」に電話番号がありません。contacts に電話番号のある相談先・種別・担当課を書くか、"
                    "national に全国共通の番号を書いてください", "no_phone"))
    return errors


# Where each file names ids of other things: (file, path with "*" for every list item, kinds of id)
_CONTACT = ("office", "agency", "category", "hub")
REFERENCES: list[tuple[str, tuple, tuple[str, ...]]] = [
    ("site", ("site", "publisher"), ("office",)),
    ("agencies", ("categories", "*", "field"), ("field",)),
    ("agencies", ("categories", "*", "fields", "*"), ("field",)),
    ("agencies", ("agencies", "*", "category"), ("category",)),
    ("agencies", ("agencies", "*", "operator"), ("office", "agency")),
    ("programs", ("programs", "*", "providers", "*", "field"), ("field",)),
    ("programs", ("programs", "*", "providers", "*", "categories", "*"), ("category",)),
    ("programs", ("programs", "*", "providers", "*", "agencies", "*"), ("agency",)),
    ("programs", ("programs", "*", "providers", "*", "offices", "*"), ("office",)),
    ("programs", ("programs", "*", "steps", "*", "meetings", "*"), ("meeting",)),
    ("programs", ("programs", "*", "activities", "*", "field"), ("field",)),
    ("meetings", ("meetings", "*", "group"), ("group",)),
    ("meetings", ("meetings", "*", "field"), ("field",)),
    ("meetings", ("meetings", "*", "in_charge"), _CONTACT),
    ("meetings", ("meetings", "*", "convened_by"), _CONTACT),
    ("meetings", ("meetings", "*", "reviews", "*"), ("program",)),
    ("cases", ("cases", "*", "steps", "*", "programs", "*"), ("program",)),
    ("cases", ("cases", "*", "steps", "*", "meetings", "*"), ("meeting",)),
    ("cases", ("cases", "*", "actions", "*", "program"), ("program",)),
    ("cases", ("cases", "*", "actions", "*", "meetings", "*"), ("meeting",)),
    ("support_flow", ("support_flow", "steps", "*", "programs", "*"), ("program",)),
    ("support_flow", ("support_flow", "steps", "*", "branches", "*", "meeting"), ("meeting",)),
    ("support_flow", ("support_flow", "steps", "*", "branches", "*", "programs", "*"), ("program",)),
    ("glossary", ("terms", "*", "program"), ("program",)),
    ("glossary", ("terms", "*", "meeting"), ("meeting",)),
    ("hub", ("hub", "operator", "agency"), ("agency",)),
]


def _raw_values(raw: Any, pattern: tuple, at: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every string the pattern reaches in raw data; other shapes are the model's to report."""
    if not pattern:
        if isinstance(raw, str) and raw.strip():
            yield at, raw.strip()
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(raw, list):
            for i, item in enumerate(raw):
                yield from _raw_values(item, rest, at + (i,))
    elif isinstance(raw, dict) and head in raw:
        yield from _raw_values(raw[head], rest, at + (head,))


def duplicate_areas(raw: Any, W) -> list[DataError]:
    """An area (町名) listed twice in one category would send a resident to two doors. Read from the raw
    data of agencies.yml (any shape), so it is reported with the file's other errors."""
    def items(key: str) -> list:
        part = raw.get(key) if isinstance(raw, dict) else None
        return list(part) if isinstance(part, list) else []

    def text(item: Any, key: str) -> str | None:
        value = item.get(key) if isinstance(item, dict) else None
        return value.strip() if isinstance(value, str) and value.strip() else None

    errors: list[DataError] = []
    names = {}
    for c in items("categories"):
        if text(c, "id") is not None:
            names.setdefault(text(c, "id"), text(c, "name") or text(c, "id"))
    seen: dict[tuple[str, str], str] = {}
    for i, a in enumerate(items("agencies")):
        category = text(a, "category")
        areas = a.get("areas") if isinstance(a, dict) else None
        if category is None or not isinstance(areas, list):
            continue
        for k, area in enumerate(areas):
            name = text(area, "name")
            if name is None:
                continue
            if (category, name) in seen:
                errors.append(W("agencies", "agencies", i, "areas", k, "name").error(
                    f"町名「{name}」は同じ種別（{names.get(category, category)}）の「{seen[(category, name)]}」にもあります。"
                    "一つの町名を担当する相談先は一つにしてください", "duplicate_area"))
            else:
                seen[(category, name)] = text(a, "name") or text(a, "id") or f"{i + 1} 番目の相談先"
    return errors


def definitions(raws: dict, shown: dict) -> list[Definition]:
    """Every id written in the raw data, by kind, with where it is; an item with no id as id None."""
    out: list[Definition] = []
    for kind, (stem, key) in _KIND_PLACE.items():
        raw = raws.get(stem)
        if key is None or not isinstance(raw, dict):
            continue
        part = raw.get(key)
        places = [((key,), part)] if key == "hub" else \
            [((key, i), item) for i, item in enumerate(part)] if isinstance(part, list) else []
        for path, item in places:
            if not isinstance(item, dict):
                continue
            value = item.get("id")
            id_ = value.strip() if isinstance(value, str) and value.strip() else None
            if id_ is None and value not in (None, ""):
                continue  # an id of the wrong shape is its own error
            out.append(Definition(kind, id_, Located(shown[stem], raw, (*path, "id"))))
    return out


def reading_conflicts(parsed: dict[str, Any], raws: dict, shown: dict) -> list[DataError]:
    """A word whose reading readings.yml gives and glossary.yml gives otherwise (a term's reading):
    the page would read it one way and the glossary heading another."""
    if "readings" not in parsed or "glossary" not in parsed:
        return []
    given = parsed["readings"].readings
    from .readings import hiragana
    return [_where(raws, shown, "readings", "readings", t.term).error(
        f"「{t.term}」の読みが、用語集（glossary.yml）では「{t.reading}」、ここでは「{given[t.term]}」です。"
        "どちらか一方にそろえてください", "reading_conflict")
        for t in parsed["glossary"].terms
        if t.reading and t.term in given and hiragana(given[t.term]) != hiragana(t.reading)]


RESULTS_FILE = "accessibility-results.json"

# data files whose text is not printed on the pages: the words people type into search, the readings
_NOT_ON_PAGES = {"search", "readings"}


def page_texts(data_dir: str | Path) -> list[tuple[str, int | None, str]]:
    """(file as shown, line, text) of every text of a data folder that may reach the pages: the values
    of the data files (not their keys), the flows and the recorded accessibility run. Read again from
    the files, for their lines (check lists words that need a reading, where they are)."""
    import json
    data_dir = Path(data_dir)
    out: list[tuple[str, int | None, str]] = []

    def walk(root: Any, file: str, line: int | None) -> None:
        """Every string in root, in document order, with its line (a stack: no recursion on the data)."""
        stack = [(root, line)]
        while stack:
            node, at = stack.pop()
            if isinstance(node, str):
                out.append((file, at, node))
            elif isinstance(node, dict):
                lines = getattr(node, "key_lines", {})
                stack.extend(reversed([(value, lines.get(key, at)) for key, value in node.items()]))
            elif isinstance(node, list):
                lines = getattr(node, "item_lines", [])
                stack.extend(reversed([(value, lines[i] if i < len(lines) else at) for i, value in enumerate(node)]))

    names = [f"{stem}.yml" for stem in m.FILES if stem not in _NOT_ON_PAGES]
    names += [f"{FLOWS_DIR}/{path.name}" for path in sorted((data_dir / FLOWS_DIR).glob("*.yml"))]
    for name in names:
        if not (data_dir / name).is_file():
            continue
        raw, errors = read_yaml(data_dir / name, _shown(data_dir, name), inside=data_dir)
        if raw is not None and not errors:
            walk(raw, _shown(data_dir, name), getattr(raw, "line", None))
    if (data_dir / RESULTS_FILE).is_file():
        text, errors = read_text(data_dir / RESULTS_FILE, _shown(data_dir, RESULTS_FILE), inside=data_dir)
        if text is not None and not errors:
            try:
                walk(json.loads(text), _shown(data_dir, RESULTS_FILE), None)
            except ValueError:
                pass
    return out
FLOWS_DIR = "flows"


def read_flows(data_dir: Path) -> tuple[list[tuple[m.FlowFile, Located]], list[DataError]]:
    """Every data/flows/*.yml: typed, then checked as a graph."""
    found: list[tuple[m.FlowFile, Located]] = []
    errors: list[DataError] = []
    folder = data_dir / FLOWS_DIR
    if os.path.lexists(folder) and not folder.is_dir():
        return [], [DataError(_shown(data_dir, FLOWS_DIR), None, "",
                              "flows は質問の流れのファイルを入れるフォルダにしてください（今はフォルダではありません）",
                              "flows_not_a_folder")]
    for path in sorted(folder.glob("*.yml")):
        name = _shown(data_dir, f"{FLOWS_DIR}/{path.name}")
        raw, errs = read_yaml(path, name, inside=data_dir)
        errors += errs
        if raw is None:
            continue
        try:
            flow = m.FlowFile.model_validate(raw)
        except ValidationError as exc:
            errors += _model_errors(exc, name, raw, m.FlowFile)
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


def flow_refs(found: list[tuple[m.FlowFile, Located]], known: dict[str, set[str]],
              unreadable: set[str] = frozenset(), seen: list[Ref] | None = None,
              blind: set[str] = frozenset()) -> list[DataError]:
    """Every id an outcome names exists. A reference into a data file that could not be read is not
    judged: one slip in agencies.yml gives one error, not one more per outcome that names an agency.
    seen: if given, every reference checked is added to it (fold_causes reads them).
    blind: kinds of id that cannot all be read (blind_kinds), whose references are not judged either."""
    errors: list[DataError] = []
    near_cache: dict = {}
    refs = ("office", "agency", "category", "hub")
    for flow, where in found:
        for i, o in enumerate(flow.outcomes):
            def at(*path):
                return Located(where.file, where.raw, ("outcomes", i, *path))
            lists = [("contacts", o.contacts, refs), ("national", o.national, ("national",)),
                     ("meetings", o.meetings, ("meeting",)), ("programs", o.programs, ("program",)),
                     ("steps", [str(s) for s in o.steps], ("flow-step",))]
            for key, ids, kinds in lists:
                if any(_KIND_PLACE[x][0] in unreadable or x in blind for x in kinds):
                    continue
                for k, id_ in enumerate(ids):
                    err = unknown_ref(at(key, k), id_, kinds, set().union(*(known.get(x, set()) for x in kinds)), near_cache)
                    if err:
                        errors.append(err)
                    if seen is not None:
                        seen.append(Ref(at(key, k), id_, kinds, err))
            # the city's own first door is one of its offices
            if o.first_door and _KIND_PLACE["office"][0] not in unreadable and "office" not in blind:
                err = unknown_ref(at("first_door", "office"), o.first_door.office, ("office",), known.get("office", set()),
                                  near_cache)
                if err:
                    errors.append(err)
                if seen is not None:
                    seen.append(Ref(at("first_door", "office"), o.first_door.office, ("office",), err))
    return errors


def read_results(data_dir: Path) -> tuple[Run | None, list[DataError]]:
    """The last recorded accessibility test run, if one was recorded."""
    path = data_dir / RESULTS_FILE
    if not os.path.lexists(path):
        return None, []
    text, errors = read_text(path, _shown(data_dir, RESULTS_FILE), inside=data_dir)
    if text is None:
        return None, errors
    try:
        return Run.model_validate_json(text), []
    except ValidationError as exc:
        # the same characters as in the YAML files (chars.py): each refused one reported
        bad = [DataError(_shown(data_dir, RESULTS_FILE), None, messages.field_path(tuple(e["loc"])), messages.japanese(e),
                         "bad_character") for e in exc.errors() if e["type"] == "bad_character"]
        if bad:
            return None, bad
        err = exc.errors()[0]
        return None, [DataError(_shown(data_dir, RESULTS_FILE), None, messages.field_path(tuple(err["loc"])),
                                "試験結果の記録が読めません。試験を記録し直してください", "invalid_results")]


@dataclass(frozen=True)
class Read:
    """A data folder read and checked: the Guide, and where each part was written (for the checks of
    the pages the Guide makes, site/checks.py)."""

    guide: Guide
    raws: dict  # file stem -> the file as read (keeping lines)
    shown: dict  # file stem -> its name as messages show it
    found_flows: list  # (flow file, where its flow: is) for every flow read
    folder: str  # the data folder as messages show it


def read_guide(data_dir: str | Path) -> Read:
    """The Guide of a data folder with where each of its parts was read, or DataErrors listing every
    problem in the data itself. What the Guide's pages would collide with is checked by site/checks.py
    (load_guide), which the callers use."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataErrors([DataError(str(data_dir), None, "", "データのフォルダが見つかりません", "missing_data_dir")])
    # all data files together, by stat, before any is parsed (data/sizes.py)
    names = [f"{stem}.yml" for stem in m.FILES] + [RESULTS_FILE]
    names += [f"{FLOWS_DIR}/{path.name}" for path in sorted((data_dir / FLOWS_DIR).glob("*.yml"))]
    too_large = sizes.data_bytes_errors(data_dir, names, lambda name: _shown(data_dir, name))
    if too_large:
        raise DataErrors(too_large)
    parsed, raws, shown, errors = read_files(data_dir)
    refs: list[Ref] = []
    ref_errors, known = cross_check(parsed, raws, shown, refs)
    found_flows, flow_errors = read_flows(data_dir)
    # Files whose ids cannot be known: unreadable, or (support_flow) failing its own checks
    unreadable = {stem for stem, raw in raws.items()
                  if not isinstance(raw, dict) or (stem == "support_flow" and stem not in parsed)}
    errors += ref_errors + flow_errors + flow_refs(found_flows, known, unreadable, refs, blind_kinds(raws))
    errors = fold_causes(errors, refs, definitions(raws, shown))
    errors += reading_conflicts(parsed, raws, shown)
    run, run_errors = read_results(data_dir)
    errors += run_errors
    if errors:
        raise DataErrors(errors)
    a = parsed["agencies"]
    mt = parsed["meetings"]
    narrative = parsed.get("narrative") or m.NarrativeFile()
    guide = Guide(
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
        readings=dict(parsed["readings"].readings) if "readings" in parsed else {},
        updated={**{stem: f.updated for stem, f in parsed.items() if getattr(f, "updated", None)},
                 **{f"flows/{f.flow.id}": f.updated for f, _ in found_flows if f.updated}},
    )
    return Read(guide, raws, shown, found_flows, _shown(data_dir, "."))
