"""Fuzzed loader: mutated data ends in a valid Guide or clean validation errors, never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TINY
from tsunagu import DataErrors, load_guide
from tsunagu.errors import DataError

FILES = sorted(p.relative_to(TINY).as_posix() for p in TINY.rglob("*.yml"))
CASES = {"run": 0, "valid": 0, "errors": 0}

ODD_TEXT = st.sampled_from([
    "", " ", "\u3000", "０４６７－６１－３４３６", "0467-61-26OO", "<script>alert(1)</script>", "x" * 5000,
    "ｶﾀｶﾅ", "🙂", "\u200b", "\ufeff先頭", "a\u0000b", "null", "~", "yes", "0o17", "1e3", "-1", "[", "{a: b}",
    "👨‍👩‍👧", "٣", "Ⅻ", "𠮷野家", "#comment", "&anchor", "*alias", "'", '"', "- item",
])
VALUES = st.one_of(
    ODD_TEXT, st.text(max_size=50), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
    st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


def _paths(node, prefix=()):
    """Every place in a parsed document: (path, value)."""
    yield prefix, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _set(doc, path, value):
    for part in path[:-1]:
        doc = doc[part]
    doc[path[-1]] = value


def _delete(doc, path):
    for part in path[:-1]:
        doc = doc[part]
    del doc[path[-1]]


@st.composite
def mutation(draw):
    name = draw(st.sampled_from(FILES))
    text = (TINY / name).read_text(encoding="utf-8")
    kind = draw(st.sampled_from(["replace", "delete", "extra", "text", "duplicate_key", "anchor", "truncate"]))
    if kind in ("replace", "delete", "extra"):
        doc = yaml.safe_load(text)
        places = [p for p, _ in _paths(doc) if p]
        path = draw(st.sampled_from(places))
        if kind == "replace":
            _set(doc, path, draw(VALUES))
        elif kind == "delete":
            _delete(doc, path)
        else:
            parent = doc
            for part in path[:-1]:
                parent = parent[part]
            if isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=8))] = draw(VALUES)
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    elif kind == "text":
        lines = text.splitlines()
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = lines[i] + draw(ODD_TEXT)
        text = "\n".join(lines) + "\n"
    elif kind == "duplicate_key":
        lines = text.splitlines()
        keyed = [i for i, line in enumerate(lines) if ":" in line and not line.strip().startswith("#")]
        i = draw(st.sampled_from(keyed))
        lines.insert(i + 1, lines[i])
        text = "\n".join(lines) + "\n"
    elif kind == "anchor":
        # YAML anchors, aliases and merge keys, as staff might copy a block
        text = text.replace("  - id:", "  - &item\n    id:", 1)
        text += draw(st.sampled_from(["extra: *item\n", "merged:\n  <<: *item\n", "again: &item x\n", "loop: *nothing\n"]))
    else:
        text = text[: draw(st.integers(0, len(text)))]
    return name, text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation())
def test_mutated_data_gives_a_guide_or_clean_errors(change):
    name, text = change
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(TINY, data)
        (data / name).write_text(text, encoding="utf-8")
        CASES["run"] += 1
        try:
            load_guide(data)
            CASES["valid"] += 1
        except DataErrors as exc:
            CASES["errors"] += 1
            assert exc.errors and all(isinstance(e, DataError) and e.message and e.key for e in exc.errors)
            assert all(e.file.endswith(".yml") or e.file.endswith(".json") for e in exc.errors)
            exc.report()
