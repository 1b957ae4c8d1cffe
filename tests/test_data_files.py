"""Reading the data folder's files (issue 18, item 7): the test results under the character rules,
nothing read from outside the data folder, no file's contents quoted beyond the offending line,
file names shown on one line."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT, TINY
from tsunagu import DataErrors
from tsunagu.data.errors import DataError
from tsunagu import load_guide

SECRET = "root:x:0:0:SECRET-LINE-1\ndaemon:x:1:1:SECRET-LINE-2\n"


def _tiny(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    return data


def _errors(data: Path) -> list[DataError]:
    with pytest.raises(DataErrors) as info:
        load_guide(data)
    return info.value.errors


def _check(data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tsunagu", "check", str(data)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


# ----------------------------------------------------------------------------
# accessibility-results.json: the same characters as the YAML files
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\u202e", "\u200b", "\x1b"])
def test_the_recorded_results_are_under_the_character_rules(tmp_path, char):
    data = _tiny(tmp_path)
    run = json.loads((DATA / "accessibility-results.json").read_text(encoding="utf-8"))
    run["tools"][0]["name"] = f"axe{char}core"
    run["pages"][1] = f"agencies{char}/"
    (data / "accessibility-results.json").write_text(json.dumps(run, ensure_ascii=True), encoding="utf-8")
    errors = _errors(data)
    assert {(e.key, e.field) for e in errors} == {("bad_character", "tools[0].name"), ("bad_character", "pages[1]")}
    assert all(f"U+{ord(char):04X}" in e.message and e.file.endswith("accessibility-results.json") for e in errors)


def test_the_recorded_results_as_recorded_still_load(tmp_path):
    data = _tiny(tmp_path)
    shutil.copy(DATA / "accessibility-results.json", data)
    assert load_guide(data).a11y_run is not None


# ----------------------------------------------------------------------------
# Nothing outside the data folder is read
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("link", ["flows/passwd.yml", "offices.yml", "accessibility-results.json"])
def test_a_link_to_a_file_outside_the_data_folder_is_refused_unread(tmp_path, link):
    outside = tmp_path / "outside.yml"
    outside.write_text(SECRET, encoding="utf-8")
    data = _tiny(tmp_path)
    (data / link).unlink(missing_ok=True)
    (data / link).symlink_to(outside)
    errors = _errors(data)
    assert [(Path(e.file).name, e.key) for e in errors] == [(Path(link).name, "outside_data_folder")]
    assert "データのフォルダの外" in errors[0].message
    checked = _check(data)
    assert checked.returncode == 1 and f"{Path(link).name}: " in checked.stderr
    assert "SECRET" not in checked.stderr + checked.stdout and "root:x" not in checked.stderr


def test_a_link_through_a_folder_outside_is_refused_too(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(TINY / "flows" / "simple.yml", outside / "simple.yml")
    data = _tiny(tmp_path)
    shutil.rmtree(data / "flows")
    (data / "flows").symlink_to(outside)
    assert [e.key for e in _errors(data)] == ["outside_data_folder"]


def test_links_within_the_data_folder_still_work(tmp_path):
    data = _tiny(tmp_path)
    (data / "kept").mkdir()
    (data / "offices.yml").rename(data / "kept" / "offices.yml")
    (data / "offices.yml").symlink_to(Path("kept") / "offices.yml")
    linked_folder = tmp_path / "linked"
    linked_folder.symlink_to(data)  # the data folder itself reached through a link
    assert load_guide(linked_folder).offices


# ----------------------------------------------------------------------------
# No file's contents quoted beyond the offending line
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("content", [
    SECRET.encode(),  # a text file that is not YAML mappings: one long value
    b"- " + SECRET.replace("\n", "\n- ").encode(),  # a list
    b"flow: |\n  SECRET-LINE-1\n  SECRET-LINE-2\n",  # a field's value over several lines
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR SECRET-LINE-1",  # binary
    "SECRET-LINE-1 \udcff".encode("utf-8", "surrogateescape"),  # not UTF-8
])
def test_an_error_quotes_no_file_contents_past_the_offending_line(tmp_path, content):
    data = _tiny(tmp_path)
    (data / "flows" / "odd.yml").write_bytes(content)
    errors = [e for e in _errors(data) if e.file.endswith("odd.yml")]
    assert errors
    shown = "\n".join(e.format() for e in errors)
    assert "SECRET-LINE-2" not in shown and "daemon" not in shown and "root:x" not in shown, shown


# ----------------------------------------------------------------------------
# File names on one line
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("name,escaped", [("a\nb.yml", "a\\nb.yml"), ("a\u202eb.yml", "a\\u202eb.yml"),
                                          ("a\tb.yml", "a\\tb.yml")])
def test_a_flow_file_name_is_shown_on_one_line(tmp_path, name, escaped):
    data = _tiny(tmp_path)
    (data / "flows" / name).write_text("flow: 1\n", encoding="utf-8")
    checked = _check(data)
    assert checked.returncode == 1
    lines = checked.stderr.splitlines()
    assert all(re.search(r"\([a-z_]+\)$", line) for line in lines[:-1]), lines
    assert any(f"flows/{escaped}:1 flow:" in line for line in lines), lines


def test_a_key_in_a_message_is_shown_on_one_line():
    line = DataError("data/a\nb.yml", 3, "fields[0].k\nz", "知らない項目です", "extra_forbidden").format()
    assert line == "data/a\\nb.yml:3 fields[0].k\\nz: 知らない項目です (extra_forbidden)"


@pytest.mark.skipif(sys.platform != "linux", reason="a file name that is not UTF-8 needs Linux")
def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path):
    data = _tiny(tmp_path)
    # (Python's stderr would escape it as well; the serve banner, written as UTF-8, could not hold it)
    (data / "flows" / os.fsdecode(b"\xff.yml")).write_bytes(b"flow: 1\n")
    assert "\\udcff" in DataError(str(data / "flows" / os.fsdecode(b"\xff.yml")), 1, "", "x", "k").format()
    checked = _check(data)
    assert checked.returncode == 1 and "flows/\\udcff.yml:1 flow:" in checked.stderr, checked.stderr


def test_a_key_quoted_in_a_message_keeps_the_error_on_one_line(tmp_path):
    data = _tiny(tmp_path)
    text = (data / "fields.yml").read_text(encoding="utf-8")
    (data / "fields.yml").write_text(text + '"k\\nz\\u202e": 1\n"k\\nz\\u202e": 2\n', encoding="utf-8")
    checked = _check(data)
    lines = checked.stderr.splitlines()
    assert checked.returncode == 1 and lines[-1] == f"データに {len(lines) - 1} 件の誤りがあります。", lines
    assert all(re.search(r"\([a-z_]+\)$", line) for line in lines[:-1]), lines
    assert any("同じ項目「k\\nz\\u202e」が" in line for line in lines) and "\u202e" not in checked.stderr
