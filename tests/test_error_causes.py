"""One slip, one error (issue 21, "errors by cause"): each slip a person editing the data makes gives
exactly one error, at the line of the slip, in Japanese saying what to type. Every test runs the real
loader on a copy of a data folder with one slip written into it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import DATA, TINY
from tsunagu import DataErrors, load_guide


def _slip(src: Path, folder: Path, file: str, old: str, new: str) -> str:
    """Copy src to folder, replace old by new (once) in file; the edited file's text."""
    shutil.copytree(src, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"the data changed: update this test ({old!r})"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def _line(text: str, snippet: str) -> int:
    return text.count("\n", 0, text.index(snippet)) + 1


def _errors(folder: Path) -> list:
    with pytest.raises(DataErrors) as info:
        load_guide(folder)
    return info.value.errors


def _one(folder: Path):
    errors = _errors(folder)
    assert len(errors) == 1, "\n".join(e.format() for e in errors)
    return errors[0]


# ----------------------------------------------------------------------------
# Ids: a slip where an id is defined is reported there, once
# ----------------------------------------------------------------------------


def test_category_id_misspelt_where_defined_is_one_error_at_the_definition(tmp_path):
    text = _slip(DATA, tmp_path / "d", "agencies.yml", "  - id: chiiki-hokatsu\n", "  - id: chiiki-hokatsuu\n")
    err = _one(tmp_path / "d")
    assert Path(err.file).name == "agencies.yml"
    assert err.line == _line(text, "  - id: chiiki-hokatsuu\n")
    assert err.key == "misspelt_id" and err.field == "categories[0].id"
    assert "種別の id「chiiki-hokatsuu」はどこからも使われていません" in err.message
    assert "よく似た「chiiki-hokatsu」を使っています" in err.message
    folded = int(re.search(r"ほか (\d+) か所", err.message).group(1))
    assert folded >= 20  # every reference to the right spelling, counted here instead of reported


def test_office_id_misspelt_where_defined_is_one_error_at_the_definition(tmp_path):
    text = _slip(DATA, tmp_path / "d", "offices.yml", "  - id: kodomo-katei-sodanka\n", "  - id: kodomo-katei-sodankaa\n")
    err = _one(tmp_path / "d")
    assert Path(err.file).name == "offices.yml"
    assert err.line == _line(text, "  - id: kodomo-katei-sodankaa\n")
    assert err.key == "misspelt_id"
    assert "「kodomo-katei-sodanka」" in err.message and "ほか" in err.message


def test_agency_id_misspelt_where_defined_and_used_once_names_both_places(tmp_path):
    # One use and one unused definition: either line may hold the slip. One error, at the use (the
    # usual edit), naming the definition's line.
    text = _slip(DATA, tmp_path / "d", "agencies.yml", "  - id: kirakira\n", "  - id: kirakiraa\n")
    err = _one(tmp_path / "d")
    assert Path(err.file).name == "programs.yml" and err.key == "unknown_id"
    assert err.line == _line((tmp_path / "d" / "programs.yml").read_text(encoding="utf-8"), "agencies: [kirakira]")
    assert f"もしかして「kirakiraa」？（{err.file.replace('programs.yml', 'agencies.yml')}:{_line(text, '  - id: kirakiraa')}" in err.message


def test_programme_without_id_is_one_error_counting_the_references(tmp_path):
    text = _slip(DATA, tmp_path / "d", "programs.yml", "  - id: outreach\n    ", "  - ")
    err = _one(tmp_path / "d")
    assert Path(err.file).name == "programs.yml"
    assert err.key == "missing" and err.field.endswith(".id")
    assert err.message.startswith("必須の項目がありません")
    assert "見つからない事業の id「outreach」を使っています" in err.message
    assert "「id: outreach」と書いてください" in err.message
    item = int(re.match(r"programs\[(\d+)\]", err.field).group(1))
    starts = [n for n, line in enumerate(text.split("\n"), 1) if line.startswith("  - ")]
    assert err.line == starts[item]


def test_unknown_id_with_no_unused_definition_suggests_the_nearest_ids(tmp_path):
    text = _slip(DATA, tmp_path / "d", "flows/where-to-consult.yml", "    contacts: [chiiki-hokatsu]\n",
                 "    contacts: [chiiki-hokatu]\n")
    err = _one(tmp_path / "d")
    assert err.key == "unknown_id" and err.line == _line(text, "contacts: [chiiki-hokatu]")
    assert "「chiiki-hokatu」が見つかりません。もしかして「chiiki-hokatsu」" in err.message


def test_an_id_changed_to_another_items_id_is_one_error_counting_the_references(tmp_path):
    text = _slip(DATA, tmp_path / "d", "programs.yml", "  - id: outreach\n", "  - id: comprehensive-consultation\n")
    err = _one(tmp_path / "d")
    assert err.key == "duplicate_id" and Path(err.file).name == "programs.yml"
    lines = [n for n, line in enumerate(text.split("\n"), 1) if line == "  - id: comprehensive-consultation"]
    assert err.line == lines[1]  # the second item with that id: the one whose id changed
    assert "見つからない事業の id「outreach」を使っています" in err.message


def test_errors_at_definitions_come_before_unknown_references(tmp_path):
    # programs.yml sorts after cases.yml, where the unknown reference is
    _slip(DATA, tmp_path / "d", "programs.yml", "    number: 2\n", "    number: に\n")
    cases = tmp_path / "d" / "cases.yml"
    cases.write_text(cases.read_text(encoding="utf-8").replace("programs: [outreach]", "programs: [zzz-nothing-like-it]", 1),
                     encoding="utf-8")
    errors = _errors(tmp_path / "d")
    assert [(Path(e.file).name, e.key) for e in errors] == [("programs.yml", "int_parsing"), ("cases.yml", "unknown_id")]
    assert [e.format() for e in _errors(tmp_path / "d")] == [e.format() for e in errors]  # the same order every run


# ----------------------------------------------------------------------------
# Japanese-keyboard slips in YAML
# ----------------------------------------------------------------------------

KEYBOARD = [
    # name, old, new, key, words
    ("tab_indent", "    name: 北の窓口\n", "\tname: 北の窓口\n", "yaml_tab", "行頭にタブがあります"),
    ("fullwidth_indent", "    name: 北の窓口\n", "　　name: 北の窓口\n", "yaml_fullwidth_space",
     "行頭の全角スペースを半角スペースにしてください"),
    ("fullwidth_in_indent", "    name: 北の窓口\n", "   　name: 北の窓口\n", "yaml_fullwidth_space",
     "行頭の全角スペースを半角スペースにしてください"),
    ("fullwidth_after_colon", "    name: 北の窓口\n", "    name:　北の窓口\n", "yaml_fullwidth_space",
     "「name:」の後の全角スペースを半角スペースにしてください"),
    ("fullwidth_colon", "    name: 北の窓口\n", "    name：北の窓口\n", "yaml_fullwidth_colon",
     "全角の「：」を半角の「:」にしてください"),
    ("fullwidth_colon_space", "    name: 北の窓口\n", "    name： 北の窓口\n", "yaml_fullwidth_colon",
     "全角の「：」を半角の「:」にしてください"),
    # YAML reads these as text or as a key: found by the model
    ("fullwidth_before_key", "    name: 北の窓口\n", "    　name: 北の窓口\n", "yaml_fullwidth_space",
     "行頭の全角スペースを半角スペースにしてください"),
    ("fullwidth_after_key", "    name: 北の窓口\n", "    name　: 北の窓口\n", "yaml_fullwidth_space",
     "項目名の前後の全角スペースを消してください"),
    ("fullwidth_colon_in_item", '      - number: "03-3333-1111"\n', '      - number："03-3333-1111"\n',
     "yaml_fullwidth_colon", "全角の「：」を半角の「:」にしてください"),
]


@pytest.mark.parametrize("case", KEYBOARD, ids=lambda c: c[0])
def test_japanese_keyboard_slip_is_one_error_at_its_own_line(case, tmp_path):
    name, old, new, key, words = case
    text = _slip(TINY, tmp_path / "d", "agencies.yml", old, new)
    err = _one(tmp_path / "d")
    assert err.key == key and words in err.message
    assert err.line == _line(text, new)
    if "：" in new or ":　" in new:
        assert err.field.split(".")[-1].split("[")[0] in ("name", "phones")  # the key, or the list it breaks
    assert not re.match(r"[ -~]", err.message)  # Japanese first; no parser English in front


# ----------------------------------------------------------------------------
# Values and keys
# ----------------------------------------------------------------------------


def test_empty_required_value_says_it_is_empty(tmp_path):
    text = _slip(TINY, tmp_path / "d", "agencies.yml", "    name: 北の窓口\n", "    name:\n")
    err = _one(tmp_path / "d")
    assert err.key == "empty_value" and err.field == "agencies[0].name"
    assert err.line == _line(text, "    name:\n")
    assert err.message.startswith("空です。") and "値を書いてください" in err.message
    assert "文字で書いてください" not in err.message


def test_empty_optional_list_says_it_may_be_deleted(tmp_path):
    text = _slip(TINY, tmp_path / "d", "agencies.yml", "    hours: 平日 9時〜17時\n", "    areas:\n")
    err = _one(tmp_path / "d")
    assert err.key == "empty_value" and err.line == _line(text, "    areas:\n")
    assert "使わないならこの行を消してください" in err.message


def test_empty_required_list_says_how_to_write_a_list(tmp_path):
    text = _slip(TINY, tmp_path / "d", "agencies.yml", '    phones:\n      - number: "03-3333-1111"\n', "    phones:\n")
    err = _one(tmp_path / "d")
    assert err.key == "empty_value" and err.field == "agencies[0].phones" and err.line == _line(text, "    phones:\n")
    assert err.message == "空です。次の行から字下げして「- 」で始め、一覧を書いてください"


def test_whole_file_written_with_a_fullwidth_colon_is_one_error(tmp_path):
    shutil.copytree(TINY, tmp_path / "d")
    (tmp_path / "d" / "hub.yml").write_text("hub：つなぎ\n", encoding="utf-8")
    err = _one(tmp_path / "d")  # and no unknown hub id where other files name the hub
    assert Path(err.file).name == "hub.yml" and err.key == "yaml_fullwidth_colon"
    assert "全角の「：」を半角の「:」にしてください" in err.message


def test_empty_hub_is_one_error_not_one_more_per_reference_to_the_hub(tmp_path):
    shutil.copytree(TINY, tmp_path / "d")
    (tmp_path / "d" / "hub.yml").write_text("hub:\n", encoding="utf-8")
    err = _one(tmp_path / "d")
    assert Path(err.file).name == "hub.yml" and err.key == "empty_value" and err.line == 1


def test_misspelt_optional_key_suggests_the_key(tmp_path):
    text = _slip(TINY, tmp_path / "d", "agencies.yml", "    hours: 平日 9時〜17時\n", "    adress: 鎌倉\n")
    err = _one(tmp_path / "d")
    assert err.key == "extra_forbidden" and err.line == _line(text, "    adress:")
    assert "もしかして address" in err.message


@pytest.mark.parametrize("key", ["area", "arias"])
def test_key_near_areas_suggests_areas(key, tmp_path):
    # area is a key of its own (a sentence); a list under it, or a misspelt key, means areas
    text = _slip(TINY, tmp_path / "d", "agencies.yml", "    hours: 平日 9時〜17時\n", f"    {key}:\n      - name: 西町\n")
    err = _one(tmp_path / "d")
    assert err.line == _line(text, f"    {key}:\n") and err.field == f"agencies[1].{key}"
    assert "もしかして areas？" in err.message and "「areas」" in err.message


def test_misspelt_required_key_is_one_error_at_the_misspelt_key(tmp_path):
    old = '    category: madoguchi\n    phones:\n      - number: "03-3333-1111"'
    text = _slip(TINY, tmp_path / "d", "agencies.yml", old, old.replace("phones:", "phone:"))
    err = _one(tmp_path / "d")
    assert err.key == "extra_forbidden" and err.field == "agencies[0].phone"
    assert err.line == _line(text, "    phone:\n")
    assert "もしかして phones" in err.message


def test_list_of_plain_names_is_one_error_saying_how_to_write_each_item(tmp_path):
    text = _slip(TINY, tmp_path / "d", "agencies.yml", "    hours: 平日 9時〜17時\n", "    areas: [西町, 夕日ヶ丘]\n")
    err = _one(tmp_path / "d")
    assert err.key == "item_needs_key" and err.line == _line(text, "    areas: [西町")
    assert "「- name: 西町」" in err.message and "2 件" in err.message


def test_duplicate_area_is_reported_with_the_files_other_errors(tmp_path):
    old = "  - id: minami-madoguchi\n"
    new = "    areas: [{name: 西町}]\n  - id: minami-madoguchi\n    areas: [{name: 西町}]\n    fax: 12\n"
    text = _slip(TINY, tmp_path / "d", "agencies.yml", old, new)
    errors = _errors(tmp_path / "d")
    assert sorted(e.key for e in errors) == ["duplicate_area", "invalid_phone"]
    area = next(e for e in errors if e.key == "duplicate_area")
    assert area.line == _line(text, "  - id: minami-madoguchi\n    areas:") + 1
    assert "「西町」" in area.message and "北の窓口" in area.message


# ----------------------------------------------------------------------------
# The check command: the same one error, no traceback
# ----------------------------------------------------------------------------


def test_check_command_prints_the_one_error(tmp_path, capsys):
    from tsunagu.cli import main
    text = _slip(DATA, tmp_path / "d", "agencies.yml", "  - id: chiiki-hokatsu\n", "  - id: chiiki-hokatsuu\n")
    assert main(["check", str(tmp_path / "d")]) == 1
    out = capsys.readouterr()
    output = out.out + out.err
    assert "Traceback" not in output
    assert f"agencies.yml:{_line(text, '  - id: chiiki-hokatsuu')} categories[0].id:" in output
    assert "(misspelt_id)" in output and "(unknown_id)" not in output and "(empty_category)" not in output
    assert "データに 1 件の誤りがあります。" in output
