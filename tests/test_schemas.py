"""Every data file validates against its JSON Schema as an editor reads it (YAML 1.1 types).

Editors with a YAML extension read `110` as a number, `yes` as a boolean and `2025-03-31` as a
date, then validate against the schema named in the file's `yaml-language-server` line. The
loader reads every scalar as a string; the schemas must accept what the loader accepts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import DATA, ROOT
from tsunagu.data import schema
from tsunagu.cli import main as cli_main

SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")
FIXTURES = ROOT / "tests" / "fixtures"


def _as_editor_reads(path: Path):
    """YAML 1.1 with types, as JSON sees it: dates become ISO strings."""
    def plain(value):
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return value
    return plain(yaml.safe_load(path.read_text(encoding="utf-8")))


def _stem(data_dir: Path, path: Path) -> str:
    return schema.FLOW_SCHEMA if path.parent.name == "flows" and path.parent.parent == data_dir else path.stem


def _data_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.rglob("*.yml") if "schema" not in p.relative_to(data_dir).parts)


def _named_schema(path: Path) -> Path | None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    found = SCHEMA_LINE.match(first)
    return (path.parent / found.group(1)).resolve() if found else None


def _validate(data_dir: Path, path: Path, schema_doc: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema_doc)
    return [f"{path.relative_to(data_dir)}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(_as_editor_reads(path))]


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("starter") / "data"
    assert cli_main(["init", str(target)]) == 0
    return target


def test_the_schemas_are_valid_json_schemas():
    for stem, doc in schema.schemas().items():
        jsonschema.Draft202012Validator.check_schema(doc)


def test_committed_schemas_are_current():
    assert schema.stale(DATA) == [], "run: .venv/bin/tsunagu schema data"


@pytest.mark.parametrize("which", ["kamakura", "starter"])
def test_every_data_file_names_its_schema_and_validates_against_it(which, starter):
    data_dir = DATA if which == "kamakura" else starter
    files = _data_files(data_dir)
    assert len(files) >= 8
    errors = []
    for path in files:
        named = _named_schema(path)
        assert named is not None, f"{path} has no yaml-language-server line"
        assert named == (data_dir / schema.SCHEMA_DIR / f"{_stem(data_dir, path)}.json").resolve(), path
        errors += _validate(data_dir, path, json.loads(named.read_text(encoding="utf-8")))
    assert errors == []


def test_fixture_cities_validate_against_the_schema_of_their_kind():
    generated = schema.schemas()
    cities = [d for d in FIXTURES.iterdir() if d.is_dir() and (d / "site.yml").exists()]
    assert cities
    errors = []
    for city in cities:
        for path in _data_files(city):
            errors += _validate(city, path, generated[_stem(city, path)])
    assert errors == []


def test_unquoted_numbers_and_yes_no_are_accepted_as_the_loader_reads_them(tmp_path):
    """`110` (a number) and an option id `yes` (YAML 1.1: a boolean) are valid for editor and loader."""
    path = tmp_path / "flow.yml"
    path.write_text("flow: {id: f, title: t, audience: residents, start: q}\n"
                    "questions:\n- {id: q, text: 質問, options: [{id: yes, label: はい, next: o, source: x},"
                    " {id: no, label: いいえ, next: o, source: x}]}\n"
                    "outcomes:\n- {id: o, title: 結果, why: [110], source: x}\n", encoding="utf-8")
    assert _validate(tmp_path, path, schema.schemas()[schema.FLOW_SCHEMA]) == []
    # ... and a wrong shape is still refused: a list where a text is expected
    path.write_text(path.read_text(encoding="utf-8").replace("title: 結果", "title: [a, b]"), encoding="utf-8")
    assert _validate(tmp_path, path, schema.schemas()[schema.FLOW_SCHEMA]) != []
