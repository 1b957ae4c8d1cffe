"""Small helpers shared by tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import TINY


def copy_tiny_with(tmp_path: Path, name: str, text: str) -> Path:
    """A copy of the fictional city with one file written anew."""
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    (data / name).write_text(text, encoding="utf-8")
    return data


# ----------------------------------------------------------------------------
# Text values of a data file changed where its model accepts the change (the payload test, the
# syntax fuzz in bench/)
# ----------------------------------------------------------------------------


def data_files(data: Path) -> list[Path]:
    return sorted(data.glob("*.yml")) + sorted((data / "flows").glob("*.yml"))


def text_places(node, path=()):
    """The path of every string in a YAML document (mapping keys and list indexes)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from text_places(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from text_places(v, path + (i,))
    elif isinstance(node, str):
        yield path


def _at(doc, path):
    for part in path:
        doc = doc[part]
    return doc


def change_text(path: Path, change, choose=None) -> int:
    """Rewrite a data file with change(value) in place of the strings choose(places) picks (all by
    default); a string its model refuses so changed (an id, a phone number, a date, a URL) keeps
    its value. Returns how many strings were changed."""
    import yaml
    from pydantic import ValidationError

    from tsunagu.data import model as m

    model = m.FlowFile if path.parent.name == "flows" else m.FILES[path.stem]
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    places = list(text_places(doc))
    chosen = choose(places) if choose else places
    original = {p: _at(doc, p) for p in chosen}
    for p in chosen:
        _at(doc, p[:-1])[p[-1]] = change(original[p])
    for _ in range(5):
        try:
            model.model_validate(doc)
            break
        except ValidationError as exc:
            refused = {tuple(e["loc"]) for e in exc.errors()}
            for p in chosen:
                if any(p[: len(r)] == r or r[: len(p)] == p for r in refused):
                    _at(doc, p[:-1])[p[-1]] = original[p]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return sum(1 for p in chosen if _at(doc, p) != original[p])


def made_from_data(tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple]:
    """What a start tag has that data text may never make (the payload test and bench/fuzz_syntax.py):
    an event handler or autofocus, a link or source that runs script, goes to the payload's other
    host (evil.example) or names its missing page (nope.md)."""
    found = []
    for name, value in attrs:
        if name.startswith("on") or name == "autofocus":
            found.append((tag, name, value))
        if name in ("href", "src") and value and not value.startswith("#") and (
                value.lower().startswith("javascript:") or "evil.example" in value or "nope" in value):
            found.append((tag, name, value))
    return found
