"""Bad data stops the build with a Japanese message naming file, line and field; never a traceback;
the site built before stays as it was."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import TINY, mkdocs_build
from tsunagu import DataErrors, load_guide


@dataclass(frozen=True)
class Mistake:
    name: str
    file: str
    old: str  # text in the valid fixture
    new: str  # what the mistaken edit writes
    key: str  # expected English key
    at: str  # text on the line the message must point at (in the edited file)
    field: str  # expected field path ("" for file-level errors)
    words: str  # part of the expected Japanese message


MISTAKES = [
    Mistake("yaml_syntax", "agencies.yml", "    name: 北の窓口\n", '    name: "北の窓口\n',
            "yaml_syntax", '    name: "北の窓口\n', "name", "引用符「\"」が閉じていません"),
    Mistake("wrong_type", "programs.yml", "    number: 1\n", "    number: いち\n",
            "int_parsing", "number: いち", "programs[0].number", "整数"),
    Mistake("missing_field", "agencies.yml", "    name: 南の窓口\n", "",
            "missing", "- id: minami-madoguchi", "agencies[1].name", "必須の項目"),
    Mistake("unknown_id", "meetings.yml", "reviews: [kyodo]", "reviews: [kyoudo]",
            "unknown_id", "reviews: [kyoudo]", "meetings[0].reviews[0]", "「kyoudo」が見つかりません"),
    Mistake("duplicate_id", "agencies.yml", "  - id: minami-madoguchi", "  - id: kita-madoguchi",
            "duplicate_id", "  - id: kita-madoguchi\n    name: 南の窓口", "agencies[1].id", "でも使われています"),
    Mistake("malformed_phone", "agencies.yml", '"03-3333-1111"', '"03-3333-11OO"',
            "invalid_phone", "03-3333-11OO", "agencies[0].phones[0].number", "電話番号の形式"),
    Mistake("duplicate_key", "hub.yml", "  role: 多機関協働事業者\n", "  role: 多機関協働事業者\n  name: もう一つ\n",
            "duplicate_key", "  name: もう一つ", "name", "同じ項目"),
    Mistake("misspelt_field", "agencies.yml", "    hours: 平日", "    hour: 平日",
            "extra_forbidden", "    hour: 平日", "agencies[1].hour", "知らない項目"),
]


def _line_of(text: str, snippet: str) -> int:
    index = text.index(snippet)
    # a multi-line snippet points at its first line
    return text.count("\n", 0, index) + 1


def _apply(mistake: Mistake, folder: Path) -> tuple[Path, int]:
    shutil.copytree(TINY, folder)
    path = folder / mistake.file
    text = path.read_text(encoding="utf-8")
    assert mistake.old in text, "the fixture changed: update the mistake table"
    text = text.replace(mistake.old, mistake.new, 1)
    path.write_text(text, encoding="utf-8")
    return path, _line_of(text, mistake.at)


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_loader_reports_file_line_field_and_key(mistake, tmp_path):
    path, line = _apply(mistake, tmp_path / "data")
    with pytest.raises(DataErrors) as info:
        load_guide(tmp_path / "data")
    found = [e for e in info.value.errors if e.key == mistake.key]
    assert found, info.value.report()
    err = found[0]
    assert Path(err.file).name == mistake.file
    assert err.line == line, info.value.report()
    assert err.field == mistake.field
    assert mistake.words in err.message


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_one_mistake_is_one_error(mistake, tmp_path):
    _apply(mistake, tmp_path / "data")
    with pytest.raises(DataErrors) as info:
        load_guide(tmp_path / "data")
    assert len(info.value.errors) == 1, info.value.report()


@pytest.mark.slow
@pytest.mark.parametrize("mistake", MISTAKES[:6], ids=lambda m: m.name)
def test_build_stops_cleanly_and_keeps_the_previous_site(mistake, tmp_path):
    path, line = _apply(mistake, tmp_path / "data")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    result = mkdocs_build(tmp_path / "data", site)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert f"{mistake.file}:{line}" in output
    assert f"({mistake.key})" in output
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]


def test_all_errors_are_reported_at_once(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(TINY, folder)
    agencies = folder / "agencies.yml"
    agencies.write_text(agencies.read_text(encoding="utf-8")
                        .replace('"03-3333-1111"', '"03-3333-11OO"')
                        .replace('"03-3333-3333"', '"0333"'), encoding="utf-8")
    meetings = folder / "meetings.yml"
    meetings.write_text(meetings.read_text(encoding="utf-8").replace("in_charge: tsunagi", "in_charge: tsunagu"),
                        encoding="utf-8")
    with pytest.raises(DataErrors) as info:
        load_guide(folder)
    keys = sorted(e.key for e in info.value.errors)
    assert keys == ["invalid_phone", "invalid_phone", "unknown_id"]
    assert info.value.report().splitlines()[-1] == "データに 3 件の誤りがあります。"


def test_check_command_exit_codes(tmp_path, capsys):
    from tsunagu.cli import main
    assert main(["check", str(TINY)]) == 0
    assert main(["check", str(tmp_path / "nowhere")]) == 1
    assert "データのフォルダが見つかりません" in capsys.readouterr().err
    assert main(["no-such-command"]) == 2
