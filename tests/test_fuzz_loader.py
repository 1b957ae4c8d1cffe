"""Fuzzed loader: mutated data ends in a valid Guide or clean validation errors, never a crash."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TINY
from tsunagu import DataErrors, load_guide
from tsunagu.data import limits
from tsunagu.data.errors import DataError

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
    kind = draw(st.sampled_from(["replace", "delete", "extra", "text", "duplicate_key", "anchor", "truncate",
                                 "laughs", "long", "hidden", "deep", "tag", "bad_email"]))
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
    elif kind == "laughs":
        # anchors and aliases that would expand to 9^levels values, as a key or as a value
        levels = draw(st.integers(2, 12))
        text += "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9 if i else ['lol'] * 9)}]\n" for i in range(levels))
        text += draw(st.sampled_from([f"? *l{levels - 1}\n: x\n", f"bomb: *l{levels - 1}\n", f"updated: *l{levels - 1}\n"]))
    elif kind == "long":
        # a field's value replaced by a text just under, at or far over the length limits
        lines = text.splitlines()
        keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*-?\s*[a-z_]+: \S", line)]
        i = draw(st.sampled_from(keyed))
        size = draw(st.sampled_from([limits.TEXT_CHARS, limits.TEXT_CHARS + 1, limits.SLUG_CHARS + 1, 200_000]))
        lines[i] = lines[i].split(":", 1)[0] + ": " + draw(st.sampled_from(["あ", "a", "0"])) * size
        text = "\n".join(lines) + "\n"
    elif kind == "hidden":
        # a control or invisible format character, written raw or as a YAML escape in a quoted string
        lines = text.splitlines()
        keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*-?\s*[a-z_]+: [^\s\[{&*|>]", line)]
        i = draw(st.sampled_from(keyed))
        key, value = lines[i].split(":", 1)
        char = draw(st.sampled_from(["\\x00", "\\e", "\\b", "\\u202e", "\\u200b", "\\ufeff", "\\u2028", "\\ud800",
                                     "\u202e", "\u200b", "\u2066"]))
        lines[i] = f'{key}: "{value.strip().strip(chr(34))}{char}"'
        text = "\n".join(lines) + "\n"
    elif kind == "deep":
        depth = draw(st.integers(limits.DEPTH - 2, 3000))
        text += "deep: " + "[" * depth + "]" * depth + "\n"
    elif kind == "tag":
        text += draw(st.sampled_from(["x: !!python/object/apply:os.system [echo]\n", "x: !!binary aGk=\n", "x: !!set {a}\n",
                                      "x: !custom y\n"]))
    elif kind == "bad_email":
        text += draw(st.sampled_from(['email: "\\"><svg/onload=alert(1)>@a.b"\n', "email: a@b\n"]))
    else:
        text = text[: draw(st.integers(0, len(text)))]
    return name, text


def judge(name: str, text: str, data: Path | None = None) -> str:
    """Load the fictional city with one file rewritten: "valid" or "errors"; anything else raises.
    data: a copy of the city to rewrite in place (and restore), or None for a fresh copy."""
    if data is None:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(TINY, Path(tmp) / "data")
            return judge(name, text, Path(tmp) / "data")
    try:
        (data / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_guide(data)
            return "valid"
        except DataErrors as exc:
            assert exc.errors and all(isinstance(e, DataError) and e.message and e.key for e in exc.errors)
            assert all(e.file.endswith(".yml") or e.file.endswith(".json") for e in exc.errors)
            assert all(len(e.message) < 2_000 for e in exc.errors), "a message repeats a huge value"
            exc.report()
            return "errors"
    finally:
        shutil.copyfile(TINY / name, data / name)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutation())
def test_mutated_data_gives_a_guide_or_clean_errors(change):
    name, text = change
    CASES["run"] += 1
    CASES[judge(name, text)] += 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(["laughs", "long", "hidden", "deep", "tag", "bad_email"]).flatmap(lambda k: mutation()))
def test_inputs_over_the_limits_give_clean_errors(change):
    name, text = change
    assert judge(name, text) in ("valid", "errors")
