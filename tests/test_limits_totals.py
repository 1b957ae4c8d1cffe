"""Issue 18, items 2 and 5: any flow within the limits builds (no recursion on its depth), and the
whole site is bounded before it is built: pages in all, bytes of all data files, answers per page."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import DATA, ROOT, TINY, mkdocs_build
from htmlread import page_of
from tsunagu import DataErrors, load_guide
from tsunagu.site import counts, pages
from tsunagu.data import flows, limits
from tsunagu.data import load as loader
from tsunagu.data import model as m


def chain(k: int, flow_id: str = "chain", audience: str = "residents") -> str:
    """k questions in a row, one option each (id "a", the shortest URL), then one outcome (a residents'
    flow's pages have Easy Japanese twins: twice the pages of a professionals' flow)."""
    qs = "".join(f"  - id: q{i}\n    text: 質問{i}\n    options:\n"
                 f"      - {{id: a, label: 答え{i}, next: {f'q{i + 1}' if i + 1 < k else 'end'}, source: 根拠{i}}}\n"
                 for i in range(k))
    return (f"flow:\n  id: {flow_id}\n  title: 連鎖\n  audience: {audience}\n  start: q0\nquestions:\n{qs}"
            "outcomes:\n  - id: end\n    title: 終わり\n    why: 理由\n    source: p.1\n    contacts: [kita-madoguchi]\n")


def tiny_with_flows(tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the fictional city with more files under flows/."""
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    for name, text in files.items():
        (data / "flows" / name).write_text(text, encoding="utf-8")
    return data


def errors_of(data: Path) -> list:
    with pytest.raises(DataErrors) as info:
        load_guide(data)
    return info.value.errors


# The longest chain within every flow limit: its pages (k + 1) and its deepest page path
LONGEST = min(limits.FLOW_PAGES - 1, (limits.URL_PATH_CHARS - len("flows/chain/") - len("index.md")) // 2)


# ----------------------------------------------------------------------------
# Item 2: a flow of any depth within the limits builds
# ----------------------------------------------------------------------------


def test_the_longest_chain_is_at_the_limits():
    """LONGEST is the chain the limits allow: one question more is refused."""
    from tsunagu.data.validate import Located
    for k, refused in ((LONGEST, False), (LONGEST + 1, True)):
        flow = m.FlowFile.model_validate(yaml.safe_load(chain(k)))
        keys = {e.key for e in flows.check(flow, Located("flows/chain.yml", None, ()))}
        assert bool(keys & {"flow_too_large", "flow_url_too_long"}) == refused, (k, keys)


def _href_target(page_url: str, href: str) -> str:
    """A relative link on the page at page_url ("flows/chain/a/") as a site URL."""
    return posixpath.normpath(posixpath.join(page_url, href)) + "/"


@pytest.mark.parametrize("k", [245, LONGEST])
def test_a_long_chain_builds_with_a_complete_overview(tmp_path, k):
    # issue 18: 245 one-option questions crashed `mkdocs build` with RecursionError in flow_overview's tree()
    data = tiny_with_flows(tmp_path, {"chain.yml": chain(k)})
    site = tmp_path / "site"
    result = mkdocs_build(data, site)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]

    overview = page_of(site, "flows/chain/overview")
    items = {e.attrs["id"]: e for e in overview.elements if e.tag == "li" and e.attrs.get("id", "").startswith("ts-node-")}
    assert list(items) == [f"ts-node-q{i}" for i in range(k)]  # every question once, in the order of the chain
    for i in range(k):
        assert f"質問{i}" in items[f"ts-node-q{i}"].text and f"答え{i}" in items[f"ts-node-q{i}"].text
    assert "結果: 終わり" in items[f"ts-node-q{k - 1}"].text
    targets = {e.attrs["href"][1:] for e in overview.links() if e.attrs["href"].startswith("#ts-node-")}
    assert targets == {f"ts-node-q{i}" for i in range(1, k)}  # every in-page link has its question
    (row,) = [e for e in overview.elements if e.tag == "tr"][1:]
    assert f"最初の {k - limits.ANSWERS_SHOWN} 件の回答は省略" in row.text and "終わり" in row.text
    assert row.text.count("→") == limits.ANSWERS_SHOWN and f"質問{k - 1} → 答え{k - 1}" in row.text

    # the outcome page lists the last answers, each 変更 link opening the question it names
    url = "flows/chain/" + "a/" * k
    outcome = page_of(site, url)
    assert "終わり" in outcome.title
    changes = [e for e in outcome.links() if "ts-change" in e.attrs.get("class", "")]
    assert len(changes) == limits.ANSWERS_SHOWN
    assert f"これより前の {k - limits.ANSWERS_SHOWN} 件の回答は" in outcome.main_text
    for link, i in zip(changes, range(k - limits.ANSWERS_SHOWN, k)):
        target = _href_target(url, link.attrs["href"])
        assert target == "flows/chain/" + "a/" * i and f"（質問{i}）" in link.text
        assert f"質問{i}" in next(e.text for e in page_of(site, target).elements if e.tag == "h1")
    start = next(e for e in outcome.links() if e.text == "最初の質問")
    assert _href_target(url, start.attrs["href"]) == "flows/chain/"

    # no page repeats more answers than that: the site grows with the chain, not with its square
    for html in (site / "flows" / "chain").rglob("index.html"):
        assert html.read_text(encoding="utf-8").count('class="ts-change"') <= limits.ANSWERS_SHOWN, html


def test_a_page_shows_the_last_answers_with_their_positions(tmp_path):
    data = tiny_with_flows(tmp_path, {"chain.yml": chain(25)})
    flow = next(f for f in load_guide(data).flows if f.flow.id == "chain")
    for fp in flows.flow_pages(flow):
        shown = fp.answers_shown
        n = len(fp.answers)
        assert [i for i, _ in shown] == list(range(max(0, n - limits.ANSWERS_SHOWN), n))
        assert all(fp.answers[i] is a for i, a in shown)
        assert fp.answers_omitted + len(shown) == n


def test_a_real_flow_shows_every_answer(kamakura):
    # the limit is far above a real city: no page of Kamakura's flows leaves an answer out
    deepest = max(len(fp.answers) for f in kamakura.flows for fp in flows.flow_pages(f))
    assert deepest * 2 <= limits.ANSWERS_SHOWN


@pytest.mark.parametrize("source", [DATA, TINY, TINY.parent / "second_city"])
def test_the_structure_names_every_question_once_with_every_option(source):
    for flow in load_guide(source).flows:
        listed = flows.structure(flow)
        assert listed[0][0].id == flow.flow.start
        assert sorted(q.id for q, _ in listed) == sorted(q.id for q in flow.questions)
        for q, branches in listed:
            assert [(b.option.id, b.node.id) for b in branches] == [(o.id, o.next) for o in q.options]


# Functions that call themselves on something other than the data's depth: a pattern of the code's own
# (load._raw_values) and the editor schema made from the models (schema._as_loader_reads).
RECURSION_ALLOWED = {("load.py", "_raw_values"), ("schema.py", "_as_loader_reads")}


def test_no_code_recursion_on_the_data():
    import ast
    found = set()
    for py in sorted((ROOT / "tsunagu").rglob("*.py")) + sorted((ROOT / "hooks").glob("*.py")):
        for fn in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any(isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == fn.name
                       for c in ast.walk(fn)):
                    found.add((py.name, fn.name))
    assert found <= RECURSION_ALLOWED, found - RECURSION_ALLOWED


def test_no_template_macro_calls_itself():
    # flow_overview.md.j2's tree() did, once per level of a flow: 245 questions in a row overflowed the stack
    import jinja2
    from jinja2 import nodes
    env = jinja2.Environment()
    templates = sorted((ROOT / "tsunagu" / "site" / "templates").glob("*.j2")) + sorted((ROOT / "overrides").rglob("*.html"))
    for path in templates + sorted((ROOT / "docs").rglob("*.md")):
        tree = env.parse(path.read_text(encoding="utf-8"))
        assert not any(loop.recursive for loop in tree.find_all(nodes.For)), path
        for macro in tree.find_all(nodes.Macro):
            called = {c.node.name for c in macro.find_all(nodes.Call) if isinstance(c.node, nodes.Name)}
            assert macro.name not in called, f"{path.name}: macro {macro.name} calls itself"


# ----------------------------------------------------------------------------
# Item 5: pages in all
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("source", [DATA, TINY, TINY.parent / "second_city"])
def test_pages_are_counted_as_the_build_makes_them(source, tmp_path):
    guide = load_guide(source)
    assert counts.page_total(guide) == len(pages.generated_pages(guide))
    for flow in guide.flows:
        assert flows.page_count(flow) == len(flows.flow_pages(flow))


def test_pages_of_a_branching_flow_are_counted_as_made(tmp_path):
    # paths that meet again: the count multiplies, as the pages do
    text = chain(6).replace("      - {id: a, label: 答え2,", "      - {id: b, label: 別2, next: q3, source: x}\n"
                                                              "      - {id: a, label: 答え2,", 1)
    guide = load_guide(tiny_with_flows(tmp_path, {"chain.yml": text}))
    flow = next(f for f in guide.flows if f.flow.id == "chain")
    assert flows.page_count(flow) == len(flows.flow_pages(flow)) == 3 + 2 * 4  # q0-q2 once, q3-q5 and the outcome twice
    assert counts.page_total(guide) == len(pages.generated_pages(guide))


def _filling(base: int, target: int) -> dict[str, str]:
    """Chain flows that bring a site of `base` pages to `target` pages (each professionals' chain of k:
    k + 2 pages)."""
    files: dict[str, str] = {}
    left = target - base
    while left:
        k = min(LONGEST, left - 2)
        assert k >= 1
        files[f"c{len(files)}.yml"] = chain(k, f"c{len(files)}", "professionals")
        left -= k + 2
    return files


@pytest.mark.parametrize("extra", [0, 1])
def test_the_site_is_refused_one_page_over_the_limit(tmp_path, extra):
    base = counts.page_total(load_guide(TINY))
    data = tiny_with_flows(tmp_path, _filling(base, limits.SITE_PAGES + extra))
    if not extra:
        assert len(pages.generated_pages(load_guide(data))) == limits.SITE_PAGES
        return
    (err,) = errors_of(data)
    assert err.key == "site_too_large" and err.file.endswith("data")
    assert f"{limits.SITE_PAGES + 1:,} ページ" in err.message and f"{limits.SITE_PAGES:,} ページまで" in err.message
    assert f"data/flows/c0.yml（{LONGEST + 2} ページ）" in err.message  # the largest flows named, with their pages


def binary(k: int, flow_id: str) -> str:
    """k questions in a row with two options each, both leading on: 2^(k+1) - 1 pages."""
    qs = "".join(f"  - id: q{i}\n    text: 質問{i}\n    options:\n" + "".join(
        f"      - {{id: {o}, label: 答え{o}, next: {f'q{i + 1}' if i + 1 < k else 'end'}, source: x}}\n" for o in "ab")
        for i in range(k))
    return (f"flow:\n  id: {flow_id}\n  title: 分かれ道\n  audience: residents\n  start: q0\nquestions:\n{qs}"
            "outcomes:\n  - id: end\n    title: 終わり\n    why: 理由\n    source: p.1\n    contacts: [kita-madoguchi]\n")


def test_many_flow_files_are_refused_before_any_flow_page_is_made(tmp_path, monkeypatch):
    # issue 18: 40 flow files of 2.8 KB, each within its own limit, built 18,752 pages (447 MB)
    files = {f"f{i}.yml": binary(7, f"f{i}") for i in range(40)}
    data = tiny_with_flows(tmp_path, files)

    def made(*_):
        raise AssertionError("a flow's pages were made before the site's pages were counted")
    monkeypatch.setattr(flows, "flow_pages", made)
    (err,) = errors_of(data)
    assert err.key == "site_too_large"
    assert f"質問の流れ {41} 個" in err.message and "使わない質問の流れのファイルを消す" in err.message


# ----------------------------------------------------------------------------
# Item 5: bytes of all data files
# ----------------------------------------------------------------------------


def _data_bytes(data: Path) -> int:
    names = [f"{stem}.yml" for stem in m.FILES] + [loader.RESULTS_FILE]
    names += [f"flows/{p.name}" for p in (data / "flows").glob("*.yml")]
    return sum((data / n).stat().st_size for n in names if (data / n).is_file())


def _comment_files(total: int) -> dict[str, str]:
    """Flow files of YAML comments only (read as nothing at all) holding `total` bytes together."""
    files: dict[str, str] = {}
    while total:
        size = min(total, limits.FILE_BYTES)
        files[f"notes{len(files)}.yml"] = ("#" * 99 + "\n") * (size // 100) + "#" * (size % 100)
        total -= size
    return files


@pytest.mark.parametrize("extra", [0, 1])
def test_the_data_is_refused_one_byte_over_the_limit_before_any_file_is_parsed(tmp_path, monkeypatch, extra):
    data = tiny_with_flows(tmp_path, {})
    for name, text in _comment_files(limits.DATA_BYTES + extra - _data_bytes(data)).items():
        (data / "flows" / name).write_text(text, encoding="utf-8")
    assert _data_bytes(data) == limits.DATA_BYTES + extra
    if not extra:
        load_guide(data)
        return

    def parsed(*_):
        raise AssertionError("a file was parsed before the data's size was checked")
    monkeypatch.setattr(loader, "read_yaml", parsed)
    (err,) = errors_of(data)
    assert err.key == "data_too_large" and err.file.endswith("data")
    assert f"{limits.DATA_BYTES + 1:,} バイト" in err.message and f"{limits.DATA_BYTES:,} バイトまで" in err.message
    assert f"data/flows/notes0.yml（{limits.FILE_BYTES:,} バイト）" in err.message


def test_a_file_over_its_own_limit_is_reported_alone(tmp_path):
    """A file too large to read is not added to the total: it has its own error, and nothing more."""
    data = tiny_with_flows(tmp_path, {"huge.yml": "#" * (limits.DATA_BYTES + 1)})
    (err,) = errors_of(data)
    assert err.key == "file_too_large" and err.file.endswith("huge.yml")


def test_a_link_out_of_the_data_folder_is_not_counted(tmp_path):
    """The reader refuses such a link without reading it; the total neither counts nor names its size."""
    data = tiny_with_flows(tmp_path, {})
    for name, text in _comment_files(limits.DATA_BYTES - _data_bytes(data)).items():
        (data / "flows" / name).write_text(text, encoding="utf-8")
    outside = tmp_path / "outside.yml"
    outside.write_text("#" * 1000, encoding="utf-8")
    (data / "flows" / "link.yml").symlink_to(outside)
    try:
        load_guide(data)
    except DataErrors as info:
        assert "data_too_large" not in {e.key for e in info.errors}


# ----------------------------------------------------------------------------
# The limits are far above a real city
# ----------------------------------------------------------------------------


def test_kamakura_is_far_inside_the_totals(kamakura):
    assert counts.page_total(kamakura) * 10 < limits.SITE_PAGES
    assert _data_bytes(DATA) * 10 < limits.DATA_BYTES
