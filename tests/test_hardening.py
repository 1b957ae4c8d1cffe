"""Hardening (issue 11): no text in the data runs as script, no file exhausts the machine, no flow
explodes, no two pages share a URL, no build leaves half a site, odd files give errors.

Each finding of the robustness audit is a regression test here.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from conftest import DATA, ROOT, TINY, mkdocs_build, site_pages
from htmlread import plain
from tests_helpers import change_text, copy_tiny_with, data_files, made_from_data
from tsunagu import DataErrors, load_guide
from tsunagu.data import limits, yamlfile
from tsunagu.data import model as m
from tsunagu.data.yamlfile import read_yaml

# HTML, then Markdown and its extensions' syntax (issue 18: a link, an image from another host, a
# link to a page that does not exist, code, emphasis, an autolink, lines of their own, a Jinja
# expression, and attr_list's `{: ... }` last, where a heading would take it as its attributes).
HTML_PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
MD_PAYLOAD = ("\n\n- li\n# h ![i](https://evil.example/track.png) [n](nope.md) `c` *e* _u_ <https://evil.example/a> "
              "{{ 'tsu' ~ 'nagu-tpl' }} ](javascript:alert(2)) [x {: tabindex=0 autofocus onfocus=alert(3) }")
PAYLOAD = HTML_PAYLOAD + MD_PAYLOAD
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _errors(data: Path, hand_written=()) -> list:
    with pytest.raises(DataErrors) as info:
        load_guide(data, hand_written)
    return info.value.errors


def _keys(data: Path, hand_written=()) -> set[str]:
    return {e.key for e in _errors(data, hand_written)}


def _check(data: Path, memory: int | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    """`python3 -m tsunagu check` in a subprocess, optionally under an address-space limit."""
    def limit():
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    return subprocess.run([sys.executable, "-m", "tsunagu", "check", str(data)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=limit)


def _replace(data: Path, name: str, old: str, new: str) -> None:
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the fixture changed: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ----------------------------------------------------------------------------
# Memory and time: anchors and aliases, file size, string length, nesting
# ----------------------------------------------------------------------------

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi"))


@pytest.mark.parametrize("use", ["? *i\n: x\n", "updated: *i\n", "note: *i\n"], ids=["as-key", "as-date", "as-text"])
def test_billion_laughs_is_refused_in_seconds_under_a_memory_limit(tmp_path, use):
    data = copy_tiny_with(tmp_path, "site.yml", (TINY / "site.yml").read_text(encoding="utf-8"))
    (data / "fields.yml").write_text(LAUGHS + use, encoding="utf-8")
    start = time.monotonic()
    result = _check(data, memory=1_500_000_000, timeout=30)
    assert result.returncode == 1, result.stderr
    assert time.monotonic() - start < 20
    assert "fields.yml" in result.stderr and "Traceback" not in result.stderr
    assert ("yaml_complex_key" if use.startswith("?") else "yaml_too_large") in result.stderr


def test_an_alias_that_contains_itself_is_refused(tmp_path):
    data = copy_tiny_with(tmp_path, "fields.yml", "fields: &a\n  - *a\n")
    assert "yaml_recursive_alias" in _keys(data)


def test_ordinary_anchors_and_merge_keys_still_work(tmp_path):
    text = (TINY / "agencies.yml").read_text(encoding="utf-8")
    assert "  - id: kita-madoguchi\n" in text
    data = copy_tiny_with(tmp_path, "agencies.yml", text.replace("  - id: kita-madoguchi\n", "  - &kita\n    id: kita-madoguchi\n", 1)
                          + "extra_copy: *kita\n")
    errors = _errors(data)
    assert [e.key for e in errors] == ["extra_forbidden"]  # the alias expanded and was judged as data


def test_a_too_large_file_is_refused_before_it_is_read(tmp_path):
    data = copy_tiny_with(tmp_path, "site.yml", (TINY / "site.yml").read_text(encoding="utf-8"))
    with open(data / "cases.yml", "wb") as f:
        f.truncate(20_000_000)  # sparse: 20 MB that cost nothing to make
    start = time.monotonic()
    errors = _errors(data)
    assert time.monotonic() - start < 5
    assert [(Path(e.file).name, e.key) for e in errors] == [("cases.yml", "file_too_large")]
    assert f"{limits.FILE_BYTES:,}" in errors[0].message


def test_a_long_text_is_refused_with_its_line(tmp_path):
    data = copy_tiny_with(tmp_path, "site.yml", (TINY / "site.yml").read_text(encoding="utf-8"))
    _replace(data, "agencies.yml", "    name: 北の窓口\n", f"    name: {'あ' * (limits.TEXT_CHARS + 1)}\n")
    (err,) = _errors(data)
    assert (err.key, err.field) == ("string_too_long", "agencies[0].name")
    assert err.line == (data / "agencies.yml").read_text(encoding="utf-8").splitlines().index(
        f"    name: {'あ' * (limits.TEXT_CHARS + 1)}") + 1
    assert f"{limits.TEXT_CHARS} 文字まで" in err.message


def test_deep_nesting_is_refused(tmp_path):
    data = copy_tiny_with(tmp_path, "fields.yml", "fields: " + "[" * 5000 + "]" * 5000 + "\n")
    assert _keys(data) == {"yaml_too_deep"}


def test_a_date_field_holding_a_list_is_refused_without_printing_it(tmp_path):
    data = copy_tiny_with(tmp_path, "fields.yml", (TINY / "fields.yml").read_text(encoding="utf-8")
                          + "updated: [" + ", ".join(["2025-03"] * 5000) + "]\n")
    (err,) = _errors(data)
    assert err.key == "invalid_date" and len(err.message) < 200


# ----------------------------------------------------------------------------
# Characters: control characters, bidirectional overrides, invisible format characters
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("written,code", [(r'"北\x00の窓口"', "0000"), (r'"北\eの窓口"', "001B"), (r'"北\bの窓口"', "0008"),
                                          ('"北\u202eの窓口"', "202E"), ('"北\u200bの窓口"', "200B"),
                                          (r'"北\u2066の窓口"', "2066"), ('"\ufeff北の窓口"', "FEFF")],
                         ids=["nul", "escape", "backspace", "rlo", "zwsp", "isolate", "bom"])
def test_invisible_and_control_characters_are_refused(tmp_path, written, code):
    data = copy_tiny_with(tmp_path, "site.yml", (TINY / "site.yml").read_text(encoding="utf-8"))
    _replace(data, "agencies.yml", "    name: 北の窓口\n", f"    name: {written}\n")
    (err,) = _errors(data)
    assert (err.key, err.field) == ("bad_character", "agencies[0].name")
    assert f"U+{code}" in err.message


@pytest.mark.parametrize("text,line", [
    ("名前: 北の窓口\n説明: 相談できます\nメモ: \x07\n", 3),  # a raw control character after Japanese text
    ("名前: 北の窓口\nメモ: \"\\ud800\"\n", 2),  # half a character, written as an escape
    ("名前: 北の窓口\n\nメモ: \ud800\n", 3),  # half a character in the text itself
])
def test_a_broken_character_is_reported_on_its_own_line(text, line):
    data, (err,) = yamlfile.parse_yaml(text, "agencies.yml")
    assert data is None and (err.key, err.line) == ("bad_character", line)


def test_newlines_tabs_and_emoji_joiners_are_kept():
    phone = {"number": "03-3333-1111"}
    for label in ("一行目\n二行目", "項目\tの間", "家族 👨\u200d👩\u200d👧"):
        assert m.Phone.model_validate({**phone, "label": label}).label == label
    with pytest.raises(ValidationError):
        m.Phone.model_validate({**phone, "label": "\u200d家族"})  # a joiner that joins nothing


@pytest.mark.parametrize("email", ['"><svg/onload=alert(1)>@a.b', "a@b", "a b@c.jp", "a@-b.jp", "x@y.z<"])
def test_emails_are_validated_strictly(email):
    with pytest.raises(ValidationError):
        m.Office.model_validate({"id": "a", "name": "課", "email": email})
    assert m.Office.model_validate({"id": "a", "name": "課", "email": "f-kyosei@city.example.lg.jp"}).email


@pytest.mark.parametrize("url", ['https://a.jp/"onmouseover=alert(1)', "javascript:alert(1)", "https://a.jp/<x>",
                                 "https://a.jp/ b", "http://", "https://" + "a" * limits.URL_CHARS + ".jp/"])
def test_urls_are_validated_strictly(url):
    with pytest.raises(ValidationError):
        m.Source.model_validate({"text": "出典", "url": url})
    assert m.Source.model_validate({"text": "出典", "url": "https://www.mhlw.go.jp/kyouseisyakaiportal/?a=1#x"}).url


# ----------------------------------------------------------------------------
# Flows: bounded pages, no recursion, paths within file-system limits
# ----------------------------------------------------------------------------


def _chain_flow(k: int, options: int = 2, id_len: int = 2) -> str:
    """k questions in a chain, each with `options` answers that all lead to the next question:
    options^k paths. Option ids are padded to id_len characters."""
    def oid(i, j):
        return f"o{i}x{j}".ljust(id_len, "z")[:max(id_len, len(f"o{i}x{j}"))]
    qs = []
    for i in range(k):
        nxt = f"q{i + 1}" if i + 1 < k else "end"
        opts = "".join(f"      - {{id: {oid(i, j)}, label: 答え{j}, next: {nxt}, source: p.1}}\n" for j in range(options))
        qs.append(f"  - id: q{i}\n    text: 質問{i}\n    options:\n{opts}")
    return ("flow:\n  id: chain\n  title: 連鎖\n  audience: residents\n  start: q0\nquestions:\n" + "".join(qs)
            + "outcomes:\n  - id: end\n    title: 終わり\n    why: 理由\n    source: p.1\n    contacts: [kita-madoguchi]\n")


def test_an_exploding_flow_is_refused_by_check_naming_the_questions(tmp_path):
    data = copy_tiny_with(tmp_path, "flows/chain.yml", _chain_flow(16))
    start = time.monotonic()
    result = _check(data, memory=1_500_000_000, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert time.monotonic() - start < 30
    line = next(x for x in result.stderr.splitlines() if "flow_too_large" in x)
    assert "flows/chain.yml:" in line and f"{2 ** 17 - 1:,} ページ" in line and f"{limits.FLOW_PAGES} ページまで" in line
    assert "q15（32,768 通りの道筋で届き、選択肢 2 つ）" in line


def test_a_flow_just_within_the_page_limit_passes(tmp_path):
    k = max(i for i in range(1, 20) if 2 ** (i + 1) - 1 <= limits.FLOW_PAGES)
    data = copy_tiny_with(tmp_path, "flows/chain.yml", _chain_flow(k))
    guide = load_guide(data)
    from tsunagu.data import flows
    assert len(flows.flow_pages(next(f for f in guide.flows if f.flow.id == "chain"))) == 2 ** (k + 1) - 1


def test_a_long_chain_is_checked_without_recursion(tmp_path):
    data = copy_tiny_with(tmp_path, "flows/chain.yml", _chain_flow(1200, options=1))
    errors = _errors(data)
    assert {e.key for e in errors} == {"flow_too_large", "flow_url_too_long"}


def test_a_cycle_in_a_long_chain_is_found_without_recursion(tmp_path):
    text = _chain_flow(1100, options=1).replace("next: q1099,", "next: q0,", 1)
    data = copy_tiny_with(tmp_path, "flows/chain.yml", text)
    errors = _errors(data)
    assert {e.key for e in errors} >= {"cycle"}
    assert "q0 → q1 → q2" in next(e.message for e in errors if e.key == "cycle")


def test_generated_paths_stay_within_file_system_limits(tmp_path):
    # the audit's case: 75 questions with 60-character option ids gave "File name too long"
    data = copy_tiny_with(tmp_path, "flows/chain.yml", _chain_flow(75, options=1, id_len=60))
    (err,) = _errors(data)
    assert err.key == "flow_url_too_long" and f"{limits.URL_PATH_CHARS:,} 文字まで" in err.message


# ----------------------------------------------------------------------------
# Pages cannot collide
# ----------------------------------------------------------------------------


def _renamed(tmp_path: Path, old: str, new: str) -> Path:
    """The fictional city with one id renamed everywhere it is written."""
    import re
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    for path in data.rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"\b{re.escape(old)}\b(?!:)", new, text), encoding="utf-8")
    return data


@pytest.mark.parametrize("kind,old", [("agencies", "kita-madoguchi"), ("programs", "kyodo"), ("meetings", "machi-kaigi")])
def test_an_id_index_is_refused(tmp_path, kind, old):
    assert old in (TINY / f"{kind}.yml").read_text(encoding="utf-8"), "the fixture changed"
    data = _renamed(tmp_path, old, "index")
    errors = [e for e in _errors(data) if e.key == "reserved_id"]
    assert len(errors) == 1 and Path(errors[0].file).name == f"{kind}.yml"
    assert f"/{kind}/" in errors[0].message and "index" in errors[0].message
    with_docs = _errors(data, [f"{kind}/index.md"])
    assert any(e.key == "page_collision" and f"docs/{kind}/index.md" in e.message for e in with_docs)


def test_a_hub_id_equal_to_a_section_is_refused(tmp_path):
    data = _renamed(tmp_path, "tsunagi", "agencies")
    (err,) = _errors(data)
    assert (err.key, Path(err.file).name, err.field) == ("page_collision", "hub.yml", "hub.id")
    assert "/agencies/" in err.message


@pytest.mark.slow
def test_a_hub_id_equal_to_a_hand_written_page_stops_the_build(tmp_path):
    data = _renamed(tmp_path, "tsunagi", "residents")
    result = mkdocs_build(data, tmp_path / "site")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "hub.yml:2 hub.id:" in result.stderr and "docs/residents.md" in result.stderr
    assert not (tmp_path / "site").exists()
    # `check` knows the hand-written pages too, so staff see the same error before building
    checked = subprocess.run([sys.executable, "-m", "tsunagu", "check", str(data)], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 1 and "docs/residents.md" in checked.stderr, checked.stderr


# ----------------------------------------------------------------------------
# Odd files
# ----------------------------------------------------------------------------


def _odd(data: Path, kind: str) -> tuple[str, str]:
    """Make one odd file in a data folder; return (file name, expected key)."""
    target = data / "offices.yml"
    if kind == "folder":
        target.unlink()
        target.mkdir()
        return "offices.yml", "not_a_file"
    if kind == "symlink-loop":
        target.unlink()
        target.symlink_to("offices.yml")
        return "offices.yml", "link_loop"
    if kind == "broken-link":
        target.unlink()
        target.symlink_to("nowhere.yml")
        return "offices.yml", "broken_link"
    if kind == "endless-device":
        target.unlink()
        target.symlink_to("/dev/zero")
        return "offices.yml", "not_a_file"
    if kind == "pipe":
        target.unlink()
        os.mkfifo(target)
        return "offices.yml", "not_a_file"
    if kind == "empty":
        target.write_text("", encoding="utf-8")
        return "offices.yml", "empty_file"
    if kind == "binary":
        target.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        return "offices.yml", "binary_file"
    if kind == "not-utf8":
        target.write_bytes("offices: []\n# 鎌\n".encode("shift_jis"))
        return "offices.yml", "not_utf8"
    if kind == "flows-a-file":
        shutil.rmtree(data / "flows")
        (data / "flows").write_text("flow: x\n", encoding="utf-8")
        return "flows", "flows_not_a_folder"
    if kind == "results-a-folder":
        (data / "accessibility-results.json").mkdir()
        return "accessibility-results.json", "not_a_file"
    raise AssertionError(kind)


ODD = ["folder", "symlink-loop", "broken-link", "endless-device", "pipe", "empty", "binary", "not-utf8",
       "flows-a-file", "results-a-folder"]


@pytest.mark.parametrize("kind", ODD)
def test_an_odd_file_gives_one_clear_error(tmp_path, kind):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    name, key = _odd(data, kind)
    errors = _errors(data)
    assert [(Path(e.file).name, e.key) for e in errors if e.key == key] == [(name, key)], [e.format() for e in errors]
    assert all(e.message for e in errors)


def test_odd_files_give_no_traceback_from_the_command_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    for kind in ("symlink-loop", "flows-a-file", "results-a-folder"):
        _odd(data, kind)
    result = _check(data, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert {"link_loop", "flows_not_a_folder", "not_a_file"} <= {k for k in ("link_loop", "flows_not_a_folder", "not_a_file")
                                                                 if f"({k})" in result.stderr}


def test_unreadable_file_gives_an_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file: unreadable files cannot be made here")
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    (data / "offices.yml").chmod(0)
    assert "unreadable" in _keys(data)


# ----------------------------------------------------------------------------
# Atomic publishing: the site folder holds the previous site or the new one, never half of one
# ----------------------------------------------------------------------------


def _snapshot(site: Path) -> tuple[list[str], bytes]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")), (site / "index.html").read_bytes()


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("atomic") / "site"
    assert mkdocs_build(TINY, site).returncode == 0
    return site


@pytest.fixture
def published(good_site, tmp_path):
    """A complete site (the fictional city's) in a folder of this test's own, and its snapshot."""
    site = tmp_path / "public" / "site"
    shutil.copytree(good_site, site)
    return site, _snapshot(site)


def _leftovers(site: Path) -> list[str]:
    return [p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}.tsunagu-")]


def _staged_pages(site: Path) -> int:
    return sum(sum(1 for f in files if f.endswith(".html"))
               for d in site.parent.glob(f".{site.name}.tsunagu-new-*") for _, _, files in os.walk(d))


def _config_with(tmp_path: Path, extra: str, hook: str | None = None) -> Path:
    """mkdocs.yml with absolute paths, plus extra lines and an extra hook, written outside the project."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: docs", f"docs_dir: {ROOT / 'docs'}").replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    text = text.replace("  - hooks/tsunagu_hooks.py", f"  - {ROOT / 'hooks' / 'tsunagu_hooks.py'}")
    if hook:
        (tmp_path / "extra_hook.py").write_text(hook, encoding="utf-8")
        text = text.replace("hooks:\n", f"hooks:\n  - {tmp_path / 'extra_hook.py'}\n")
    text = text.replace("watch:\n  - data\n  - tsunagu\n", "")
    config = tmp_path / "mkdocs.yml"
    config.write_text(text + extra, encoding="utf-8")
    return config


def _build(config: Path, site: Path, **kwargs):
    env = {**os.environ, "TSUNAGU_DATA": str(TINY), "NO_MKDOCS_2_WARNING": "1"}
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)]
    return subprocess.Popen(args, cwd=config.parent, env=env, **kwargs)


SLOW_HOOK = """
import time

def on_post_page(output, page, config):
    time.sleep(0.1)  # stretch the writing of pages so that the kills fall while files are written
    return output
"""


@pytest.mark.slow
def test_a_build_killed_part_way_leaves_the_previous_site_whole(published, tmp_path):
    site, before = published
    config = _config_with(tmp_path, "", hook=SLOW_HOOK)
    pdf_work = set(Path(tempfile.gettempdir()).glob("tsunagu-booklet-*"))
    # killed while starting, then once the new site has 1, 8 and 20 of its 28 pages written
    for moment in (None, 1, 8, 20):
        proc = _build(config, site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + 120
        if moment is None:
            time.sleep(0.3)
        else:
            while _staged_pages(site) < moment and proc.poll() is None and time.monotonic() < end:
                time.sleep(0.01)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert not finished, f"the build ended before it was killed ({moment} pages): it is no longer killed part-way"
        assert moment is None or _staged_pages(site) >= moment
        assert _snapshot(site) == before, f"killed with {moment} pages written"
    # the next build clears what the killed ones left and publishes completely
    assert _leftovers(site)
    assert mkdocs_build(TINY, site).returncode == 0
    assert _snapshot(site) == before and _leftovers(site) == []
    # the killed builds' PDF printers finish on their own and remove their folders
    end = time.monotonic() + 120
    while set(Path(tempfile.gettempdir()).glob("tsunagu-booklet-*")) - pdf_work and time.monotonic() < end:
        time.sleep(0.5)
    assert set(Path(tempfile.gettempdir()).glob("tsunagu-booklet-*")) - pdf_work == set()


CRASH_HOOK = """
def on_post_page(output, page, config):
    if page.file.src_uri.startswith("programs/"):
        raise OSError(36, "File name too long")
    return output
"""


@pytest.mark.slow
@pytest.mark.parametrize("failure", ["exception-while-writing", "strict-warning-after-writing"])
def test_a_build_failing_after_writing_began_leaves_the_previous_site_whole(published, tmp_path, failure):
    site, before = published
    if failure == "exception-while-writing":
        config = _config_with(tmp_path, "", hook=CRASH_HOOK)
    else:
        config = _config_with(tmp_path, "extra_templates:\n  - no-such-template.html\n")
    result = _build(config, site, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, stderr = result.communicate(timeout=600)
    assert result.returncode != 0
    assert ("File name too long" if failure == "exception-while-writing" else "no-such-template") in stderr
    assert _snapshot(site) == before and _leftovers(site) == []


# ----------------------------------------------------------------------------
# Escaping by construction: a script in every text of the data, one build, no script anywhere
# ----------------------------------------------------------------------------


def poison(data: Path) -> int:
    """Append the payload to every string of every data file that its model accepts as text; a
    string the model refuses with it (ids, phone numbers, dates, choices, URLs) keeps its value.
    Returns how many strings carry the payload."""
    return sum(change_text(path, lambda value: value + PAYLOAD) for path in data_files(data))


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("payload")
    data = root / "data"
    shutil.copytree(DATA, data)
    assert poison(data) > 500
    assert read_yaml(data / "site.yml", "site.yml")[0]["site"]["description"].endswith(PAYLOAD)
    result = mkdocs_build(data, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


class _Syntax(HTMLParser):
    """What data text may not have become: an event handler or autofocus on any element, a link
    or source that runs script, leaves the site for another host or names a page that does not
    exist, an image, code or emphasis made from data text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.found += made_from_data(tag, attrs)
        if tag in ("img", "em"):
            self.found.append((tag, dict(attrs)))


def payload_found(poisoned_site: Path, kamakura_site: Path) -> dict:
    """What the payload became on a poisoned site's pages (each list empty when all is well), and how
    many pages show it as text. Also run on each engine's build (tests/test_engines.py)."""
    pages = sorted(poisoned_site.rglob("*.html"))
    assert len(pages) > 50
    raw, doubled, syntax, seen = [], [], {}, 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        name = page.relative_to(poisoned_site).as_posix()
        if "<script>alert(1)" in html or "<img src=x onerror" in html or "onerror=alert(1)>" in html.replace("onerror=alert(1)&gt;", ""):
            raw.append(name)
        if "&amp;lt;script" in html or "&amp;#" in html:
            doubled.append(name)
        reader = _Syntax()
        reader.feed(html)
        clean = kamakura_site / name
        code = clean.read_text(encoding="utf-8").count("<code") if clean.exists() else 0
        if reader.found or "tsunagu-tpl" in html or html.count("<code") != code:
            syntax[name] = reader.found[:3]
        seen += ESCAPED in html
    return {"raw": raw, "doubled": doubled, "syntax": syntax, "unseen": len(pages) - seen}


@pytest.mark.slow
def test_no_payload_reaches_any_page_unescaped(poisoned_site, kamakura_site):
    # raw or doubled: the payload as markup, or escaped twice; syntax: Markdown or extension syntax
    # from the data became markup; unseen: a page that does not show the payload (site name at least)
    assert payload_found(poisoned_site, kamakura_site) == {"raw": [], "doubled": [], "syntax": {}, "unseen": 0}


@pytest.mark.slow
def test_the_site_description_reaches_its_meta_tag_escaped(poisoned_site):
    html = (poisoned_site / "index.html").read_text(encoding="utf-8")
    meta = next(line for line in html.splitlines() if '<meta name="description"' in line)
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in meta and "<script>" not in meta


@pytest.mark.slow
@pytest.mark.browser
def test_a_browser_opening_every_poisoned_page_sees_no_dialog_and_asks_no_other_host(poisoned_site, browser):
    import functools
    import http.server
    import threading

    from conftest import _QuietHandler
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(poisoned_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    dialogs: list[str] = []
    context = browser.new_context()
    tab = context.new_page()
    tab.on("dialog", lambda d: (dialogs.append(f"{tab.url}: {d.message}"), d.dismiss()))
    elsewhere: list[str] = []
    context.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else elsewhere.append(r.url))
    try:
        urls = site_pages(poisoned_site)
        for url in urls:
            tab.goto(base + url, wait_until="load")
        # the search box lists results from the index, which holds the payload as text
        tab.goto(base)
        tab.locator("input[type=search]").first.fill("alert")
        tab.wait_for_timeout(800)
        results = tab.locator(".ts-search__title").count()
    finally:
        context.close()
        server.shutdown()
    assert len(urls) > 50 and dialogs == []
    assert elsewhere == []  # no image or link from the data made the browser ask another host
    assert results > 0  # the search did show poisoned titles, as text


@pytest.mark.slow
def test_the_editing_guide_states_every_limit(kamakura_site):
    import html as html_lib
    text = html_lib.unescape(plain((kamakura_site / "editing" / "index.html").read_text(encoding="utf-8")))  # as read: no ruby
    for what, limit in limits.SUMMARY:
        assert what in text and limit in text
    assert "U+202E" in text and "index" in text


def test_theme_templates_read_the_guide_escaped(kamakura):
    import jinja2

    from tsunagu.build.prepare import escaped_view
    site = kamakura.site.model_copy(update={"city": PAYLOAD})
    guide = escaped_view(kamakura.model_copy(update={"site": site}) if hasattr(kamakura, "model_copy")
                         else __import__("dataclasses").replace(kamakura, site=site))
    env = jinja2.Environment(autoescape=False)  # as MkDocs' theme environment
    out = env.from_string("{{ guide.site.city }}|{% for a in guide.agencies %}{{ a.name }}{% endfor %}|"
                          "{{ guide.agencies|length }}|{% if guide.flows %}flows{% endif %}|{{ guide.site.issued.year }}").render(guide=guide)
    assert "<script>" not in out and ESCAPED in out
    assert f"|{len(kamakura.agencies)}|flows|{kamakura.site.issued.year}" in out


def test_the_readme_states_the_limits_the_code_enforces():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Robustness"):]
    for figure in (f"{limits.FILE_BYTES:,} bytes", f"{limits.DEPTH} levels", f"{limits.NODES:,} values",
                   f"{limits.TEXT_CHARS:,} characters", f"over {limits.FLOW_PAGES} pages", f"{limits.URL_PATH_CHARS:,} characters",
                   f"over {limits.DATA_BYTES:,} bytes", f"over {limits.SITE_PAGES:,} generated pages",
                   f"last {limits.ANSWERS_SHOWN} answers", f"a path's last {limits.ANSWERS_SHOWN}"):
        assert figure in section, figure
