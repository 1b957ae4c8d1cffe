"""What city staff rely on: editor schemas, the check and init commands, the editing guide, update dates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import DATA, ROOT, TINY, mkdocs_build
from htmlread import page_of, plain
from tsunagu import load_guide
from tsunagu.data import messages, schema
from tsunagu.cli import main
from tsunagu.data.dates import seireki_month, wareki_month


def test_editor_schemas_are_up_to_date():
    assert schema.stale(DATA) == [], "run: python3 -m tsunagu schema data"


@pytest.mark.parametrize("path", sorted(DATA.rglob("*.yml")), ids=lambda p: p.relative_to(DATA).as_posix())
def test_every_data_file_names_its_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert m, f"{path.name} must start with its yaml-language-server line"
    assert (path.parent / m.group(1)).resolve().exists()


def test_schema_descriptions_are_japanese():
    text = (DATA / "schema" / "agencies.json").read_text(encoding="utf-8")
    assert "電話番号" in text and "相談先の名前" in text


def test_every_error_key_the_code_can_raise_is_explained_in_the_guide():
    keys = {k for k, _, _ in messages.CATALOGUE}
    package = ROOT / "tsunagu"
    raised = set()
    call = re.compile(r'(?:\.error\(|DataError\()((?:[^"]|"[^"]*"){0,300}?),\s*"([a-z_]+)"\)', re.S)
    for py in package.rglob("*.py"):
        text = py.read_text(encoding="utf-8")
        raised |= {m.group(2) for m in call.finditer(text)}
        raised |= set(re.findall(r'PydanticCustomError\(\s*"([a-z_]+)"', text))
    assert {"invalid_phone", "unknown_id", "cycle", "yaml_syntax"} <= raised  # the scan finds them
    assert raised <= keys, raised - keys


def test_init_writes_a_starter_that_checks_clean(tmp_path, capsys):
    target = tmp_path / "newcity"
    assert main(["init", str(target)]) == 0
    assert (target / "site.yml").exists() and (target / "schema" / "site.json").exists()
    assert "誤りはありません" in capsys.readouterr().out
    assert main(["init", str(target)]) == 2  # never overwrites


@pytest.mark.slow
def test_starter_builds_as_is(tmp_path):
    target = tmp_path / "newcity"
    assert main(["init", str(target)]) == 0
    result = mkdocs_build(target, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "flows" / "where-to-consult" / "elderly" / "index.html").exists()


@pytest.mark.slow
def test_pages_show_when_their_content_was_updated(kamakura_site):
    guide = load_guide(DATA)
    for url, sources in [("agencies", ("agencies", "offices", "hub")),
                         ("flows/where-to-consult", ("flows/where-to-consult",))]:
        day = guide.last_updated(*sources)
        text = page_of(kamakura_site, url).main_text
        assert f"{wareki_month(day)}（{seireki_month(day)}）" in text, url
    assert guide.last_updated("flows/where-to-consult") != guide.site.updated  # a file's own date wins


@pytest.mark.slow
def test_editing_guide_lists_every_error(kamakura_site):
    text = page_of(kamakura_site, "editing").main_text
    for key, says, _ in messages.CATALOGUE:
        assert key in text and says in text


def test_updated_is_validated_as_a_date(tmp_path):
    import shutil

    from tsunagu import DataErrors
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    site = data / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("updated: 2024-04-15", "updated: 2024-13"), "utf-8")
    with pytest.raises(DataErrors) as info:
        load_guide(data)
    assert [e.key for e in info.value.errors] == ["invalid_date"]
    assert info.value.errors[0].field == "site.updated"


def test_last_updated_is_the_latest_date_of_the_files_a_page_draws_on_an_undated_file_the_sites():
    import dataclasses
    import datetime as dt
    guide = load_guide(DATA)
    dated = dataclasses.replace(guide, updated={"a": dt.date(2026, 11, 1), "b": dt.date(2025, 1, 1)})
    site = dataclasses.replace(dated, site=guide.site.model_copy(update={"updated": dt.date(2025, 6, 1)}))
    assert site.last_updated("a", "b") == dt.date(2026, 11, 1)
    assert site.last_updated("b") == dt.date(2025, 1, 1)
    assert site.last_updated("b", "undated") == dt.date(2025, 6, 1)  # the undated file counts as the site's date
    assert site.last_updated() == dt.date(2025, 6, 1)


@pytest.mark.slow
def test_every_page_of_kamakura_shows_one_update_date(kamakura_site):
    """Issue 19: meeting pages said 令和7年3月 beside pages saying 令和8年11月 (meetings.yml gave no date and
    the rule skipped it). Every Kamakura data file a page draws on now gives its date, so every page
    that shows one shows the same."""
    import re
    shown = {}
    for html in kamakura_site.rglob("index.html"):
        m = re.search(r'class="ts-updated">内容の更新: <time datetime="([0-9-]+)"', plain(html.read_text(encoding="utf-8")))
        if m:
            shown.setdefault(m[1], []).append(html.parent.relative_to(kamakura_site).as_posix())
    assert len(shown) == 1, {day: urls[:5] for day, urls in shown.items()}
    assert any(u.startswith("meetings/") for u in next(iter(shown.values())))
