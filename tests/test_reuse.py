"""Reuse what did not change (issue 22): a build made from the same inputs as the last one copies
the booklet's PDF and the offline zip from the cache instead of starting Chromium and the zip
process, and takes the prepared site and each page's steps from the memo instead of reading the
data and rendering the pages; a change in the data makes them all again."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT, TINY, _no_browser
from tsunagu.build import cache
from tsunagu.site import published

OLD, NEW = "03-3333-1111", "03-3999-4321"  # the first agency's phone in the fictional city, and a new one


# ----------------------------------------------------------------------------
# Builds of a copy of the fictional city, with a cache of their own and a browser that keeps a log
# ----------------------------------------------------------------------------


def _chromium() -> str:
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        _no_browser("no Chromium found: apt-get install chromium fonts-noto-cjk")
    return exe


class Project:
    def __init__(self, root: Path, browser: str | None):
        self.root, self.data, self.cache, self.log = root, root / "data", root / "cache", root / "chromium.log"
        shutil.copytree(TINY, self.data)
        self.browser = root / "chromium"
        if browser:  # every start of the browser is written to the log
            self.browser.write_text(f'#!/bin/sh\necho "$@" >> "{self.log}"\nexec "{browser}" "$@"\n', encoding="utf-8")
            self.browser.chmod(0o755)
        self.log.write_text("", encoding="utf-8")

    def build(self, site: Path) -> subprocess.CompletedProcess:
        env = {**os.environ, "TSUNAGU_DATA": str(self.data), "TSUNAGU_CACHE": str(self.cache),
               "TSUNAGU_CHROMIUM": str(self.browser), "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def starts(self) -> list[str]:
        """The browser's starts since the last call."""
        lines = self.log.read_text(encoding="utf-8").splitlines()
        self.log.write_text("", encoding="utf-8")
        return lines

    def change_phone(self) -> None:
        agencies = self.data / "agencies.yml"
        text = agencies.read_text(encoding="utf-8")
        assert text.count(OLD) == 1
        agencies.write_text(text.replace(OLD, NEW), encoding="utf-8")


def _downloads(site: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and modification time of the PDF, its print page and the zip (those present)."""
    found = {}
    for rel in (published.BOOKLET_PDF, published.BOOKLET_PAGE + "index.html", published.OFFLINE_ZIP):
        if (site / rel).is_file():
            found[rel] = ((site / rel).read_bytes(), (site / rel).stat().st_mtime_ns)
    return found


def _zip_text(site: Path) -> str:
    with zipfile.ZipFile(site / published.OFFLINE_ZIP) as zf:
        return "".join(zf.read(name).decode("utf-8") for name in zf.namelist() if name.endswith(".html"))


def _pdf_text(site: Path) -> str:
    from pypdf import PdfReader
    return "".join(page.extract_text() or "" for page in PdfReader(site / published.BOOKLET_PDF).pages)


# ----------------------------------------------------------------------------
# With Chromium: the PDF and the zip
# ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
def test_an_unchanged_build_reuses_the_pdf_and_the_zip_and_a_changed_phone_makes_both_again(tmp_path):
    project = Project(tmp_path, _chromium())
    first_site, second_site = tmp_path / "site", tmp_path / "other-site"
    project.build(first_site)
    assert any("--print-to-pdf" in line for line in project.starts())
    first = _downloads(first_site)
    assert set(first) == {published.BOOKLET_PDF, published.BOOKLET_PAGE + "index.html", published.OFFLINE_ZIP}

    # the same data into another folder: no browser, no zip process (a new zip would have a new time)
    project.build(second_site)
    assert project.starts() == []
    assert _downloads(second_site) == first
    # and into the folder of the first build, replacing it
    project.build(first_site)
    assert project.starts() == [] and _downloads(first_site) == first

    # a changed phone number: printed and zipped again, and in both
    project.change_phone()
    project.build(first_site)
    assert any("--print-to-pdf" in line for line in project.starts())
    changed = _downloads(first_site)
    assert all(changed[rel] != first[rel] for rel in first)
    assert NEW in _pdf_text(first_site) and OLD not in _pdf_text(first_site)
    assert NEW in _zip_text(first_site) and OLD not in _zip_text(first_site)
    # the cache holds one entry of each kind, the new one
    kinds = sorted(p.name.split(".")[0] for p in project.cache.iterdir() if p.name != "browser.json")
    assert kinds == ["booklet-message", "booklet-page", "build", "pdf", "zip"]


# ----------------------------------------------------------------------------
# Without Chromium: the zip alone
# ----------------------------------------------------------------------------


@pytest.mark.slow
def test_without_chromium_the_zip_is_reused_until_the_data_changes(tmp_path):
    project = Project(tmp_path, None)  # the named browser does not exist: no PDF, the print page only
    site = tmp_path / "site"
    project.build(site)
    first = _downloads(site)
    assert published.BOOKLET_PDF not in first and published.OFFLINE_ZIP in first
    project.build(tmp_path / "other-site")
    assert _downloads(tmp_path / "other-site")[published.OFFLINE_ZIP] == first[published.OFFLINE_ZIP]
    project.change_phone()
    project.build(site)
    assert _downloads(site)[published.OFFLINE_ZIP] != first[published.OFFLINE_ZIP]
    assert NEW in _zip_text(site) and OLD not in _zip_text(site)


@pytest.mark.slow
def test_a_pdf_that_failed_is_tried_again_and_the_zip_without_it_is_not_kept(tmp_path):
    project = Project(tmp_path, None)
    project.browser.write_text(f'#!/bin/sh\necho "$@" >> "{project.log}"\n'
                               'if [ "$1" = --version ]; then echo "Chromium 1.0"; else exit 3; fi\n', encoding="utf-8")
    project.browser.chmod(0o755)
    for site in (tmp_path / "site", tmp_path / "other-site"):
        result = project.build(site)
        assert "冊子の PDF は作りませんでした" in result.stderr
        assert any("--print-to-pdf" in line for line in project.starts())
        assert published.BOOKLET_PDF not in _downloads(site)
    assert _downloads(tmp_path / "site")[published.OFFLINE_ZIP] != _downloads(tmp_path / "other-site")[published.OFFLINE_ZIP]
    assert sorted(p.name.split(".")[0] for p in project.cache.iterdir()) == ["browser", "build"]


# ----------------------------------------------------------------------------
# The memo: the prepared site and each page's steps
# ----------------------------------------------------------------------------

# Counts the calls of what a build does with the data and to each page (the functions are looked
# up when called, so replacing them here counts the calls of tsunagu's hook too)
COUNTING_HOOK = """
import json, os
from pathlib import Path
import tsunagu.site.glossary, tsunagu.site.htmlblocks, tsunagu.site.htmlfix, tsunagu.site.checks, tsunagu.site.pages, tsunagu.site.search

calls = {}

def _counted(module, name):
    real = getattr(module, name)
    def counted(*args, **kwargs):
        calls[name] = calls.get(name, 0) + 1
        return real(*args, **kwargs)
    setattr(module, name, counted)

for module, name in ((tsunagu.site.checks, "load_guide"), (tsunagu.site.pages, "generated_pages"), (tsunagu.site.glossary, "link_terms"),
                     (tsunagu.site.htmlfix, "current_nav_item"), (tsunagu.site.search, "entry"), (tsunagu.site.htmlblocks, "set_aside")):
    _counted(module, name)

def on_post_build(config):
    Path(os.environ["TSUNAGU_TEST_CALLS"]).write_text(json.dumps(calls), encoding="utf-8")
"""


def _counting_config(root: Path) -> Path:
    """The project's mkdocs.yml with absolute paths and the counting hook after tsunagu's."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: docs", f"docs_dir: {ROOT / 'docs'}").replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    (root / "counting_hook.py").write_text(COUNTING_HOOK, encoding="utf-8")
    text = text.replace("  - hooks/tsunagu_hooks.py", f"  - {ROOT / 'hooks' / 'tsunagu_hooks.py'}\n  - {root / 'counting_hook.py'}")
    assert "counting_hook.py" in text
    config = root / "mkdocs.yml"
    config.write_text(text.replace("watch:\n  - data\n  - tsunagu\n", ""), encoding="utf-8")
    return config


def _counted_build(project: Project, config: Path, site: Path) -> tuple[dict[str, int], str]:
    """The calls of one build (-v: with MkDocs' debug lines) and what it said."""
    calls = project.root / "calls.json"
    env = {**os.environ, "TSUNAGU_DATA": str(project.data), "TSUNAGU_CACHE": str(project.cache),
           "TSUNAGU_CHROMIUM": str(project.browser), "NO_MKDOCS_2_WARNING": "1", "TSUNAGU_TEST_CALLS": str(calls)}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-v", "-f", str(config), "-d", str(site)],
                            cwd=project.root, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(calls.read_text(encoding="utf-8")), result.stderr


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and p.suffix in (".html", ".json", ".csv")}


def _memo_entries(project: Project) -> list[tuple[str, int]]:
    return [(p.name, p.stat().st_mtime_ns) for p in sorted(project.cache.glob("build.*"))]


@pytest.mark.slow
def test_an_unchanged_build_reads_no_data_and_redoes_no_page_step_and_a_changed_phone_does(tmp_path):
    project = Project(tmp_path, None)  # no PDF: the memo alone is under test here
    config = _counting_config(tmp_path)
    first_site, second_site = tmp_path / "site", tmp_path / "other-site"

    calls, said = _counted_build(project, config, first_site)
    assert calls["load_guide"] == 1 and calls["generated_pages"] >= 1
    pages = sum(1 for _ in first_site.rglob("*.html"))
    for step in ("link_terms", "current_nav_item", "entry", "set_aside"):
        assert calls[step] > pages // 2, step
    assert "the site prepared from the data" in said
    memo = _memo_entries(project)
    assert len(memo) == 1

    # the same inputs: no data read, no page rendered by tsunagu, no page step done again; the
    # same site, byte for byte; the memo left as it was
    calls, said = _counted_build(project, config, second_site)
    assert calls == {}
    assert "the site prepared by an earlier build" in said
    assert _pages(second_site) == _pages(first_site)
    assert _memo_entries(project) == memo

    # a changed phone number: the data read again, the page shows the new number, a new memo
    project.change_phone()
    calls, said = _counted_build(project, config, first_site)
    assert calls["load_guide"] == 1 and calls["generated_pages"] >= 1 and calls["link_terms"] > pages // 2
    page = (first_site / "agencies" / "kita-madoguchi" / "index.html").read_text(encoding="utf-8")
    assert NEW in page and OLD not in page
    assert len(_memo_entries(project)) == 1 and _memo_entries(project) != memo
    # and the build after it takes the new pages from the memo
    calls, _ = _counted_build(project, config, second_site)
    assert calls == {} and NEW in (second_site / "agencies" / "kita-madoguchi" / "index.html").read_text(encoding="utf-8")


class _Site:
    """Stands for build.Prepared in the memo's own tests (anything pickle can write)."""

    def __init__(self, name: str):
        self.name = name


def test_the_memo_gives_back_what_an_earlier_build_made_from_the_same_inputs(tmp_path):
    folder, key, called = tmp_path / "cache", ["k1"], []

    def upper(text: str, url: str) -> str:
        called.append(text)
        return text.upper() + url

    memo = cache.Memo(folder, lambda: key[0])
    assert memo.prepared is None and memo.step("upper", upper, "a", "u/") == "Au/" and called == ["a"]
    memo.keep(_Site("first"))
    memo = cache.Memo(folder, lambda: key[0])
    assert memo.prepared.name == "first"
    assert memo.step("upper", upper, "a", "u/") == "Au/" and called == ["a"]  # from the memo
    assert memo.step("upper", upper, "b", "u/") == "Bu/" and called == ["a", "b"]  # a page it has not seen
    assert memo.step("upper", upper, "a", "v/") == "Av/" and called == ["a", "b", "a"]  # nor at this address
    memo.keep(memo.prepared)
    # other inputs: nothing from the memo
    key[0] = "k2"
    memo = cache.Memo(folder, lambda: key[0])
    assert memo.prepared is None and memo.step("upper", upper, "a", "u/") == "Au/" and called[-1] == "a"
    # inputs that changed while the build ran: the memo is not kept (its key would claim older inputs)
    key[0] = "k3"
    memo.keep(_Site("changed meanwhile"))
    key[0] = "k2"
    assert cache.Memo(folder, lambda: key[0]).prepared is None
    # a preview (no key): nothing read or kept, every step done
    memo = cache.Memo(folder, None)
    assert memo.prepared is None and memo.step("upper", upper, "c", "u/") == "Cu/" and called[-1] == "c"
    memo.keep(_Site("preview"))
    assert [p.name.split(".")[1] for p in folder.glob("build.*")] == [cache.Memo(folder, lambda: "k1")._key]


def test_a_memo_that_cannot_be_read_or_that_another_user_could_have_written_is_not_used(tmp_path):
    folder = tmp_path / "cache"
    memo = cache.Memo(folder, lambda: "k")
    memo.step("s", str.upper, "a")
    memo.keep(_Site("kept"))
    (entry,) = folder.glob("build.*")
    assert entry.stat().st_mode & 0o777 == 0o600  # written for this user alone
    assert cache.Memo(folder, lambda: "k").prepared.name == "kept"
    entry.chmod(0o666)  # anyone may have changed it: not read
    assert cache.Memo(folder, lambda: "k").prepared is None
    # whole (its hash matches) but not a memo: made again, no error
    store = cache.Cache(folder)
    for data in (b"not a pickle", pickle.dumps({"something": "else"})):
        store.keep("build", memo._key, data=data)
        again = cache.Memo(folder, lambda: "k")
        assert again.prepared is None and again.step("s", str.upper, "a") == "A"


def test_the_pages_key_of_a_project_changes_with_each_of_its_inputs(tmp_path, monkeypatch):
    """mkdocs.yml, the hand-written pages, the theme's overrides, the data, the hooks and their
    folder, the settings a command line can change, and tsunagu's code and templates."""
    root = tmp_path / "project"
    for rel in ("mkdocs.yml", "docs/index.md", "overrides/main.html", "data/agencies.yml", "hooks/tsunagu_hooks.py",
                "hooks/helper.py", "extra_hook.py", "tsunagu/site/templates/page.md.j2", "tsunagu/build/prepare.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"{rel}\n", encoding="utf-8")
    monkeypatch.setattr(cache, "PACKAGE", root / "tsunagu")
    config = SimpleNamespace(config_file_path=str(root / "mkdocs.yml"), docs_dir=str(root / "docs"),
                             theme=SimpleNamespace(name="material", custom_dir=str(root / "overrides")),
                             hooks={"extra_hook": SimpleNamespace(__file__=str(root / "extra_hook.py"))},
                             use_directory_urls=True, site_url=None)

    def key() -> str:
        return cache.config_key(config, root / "data", root / "hooks")

    seen = {key()}
    assert key() in seen  # the same inputs, the same key
    for rel in ("mkdocs.yml", "docs/index.md", "overrides/main.html", "data/agencies.yml", "hooks/tsunagu_hooks.py",
                "hooks/helper.py", "extra_hook.py", "tsunagu/site/templates/page.md.j2", "tsunagu/build/prepare.py"):
        with open(root / rel, "a", encoding="utf-8") as f:
            f.write(" ")
        assert key() not in seen, rel
        seen.add(key())
    (root / "docs" / "more.md").write_text("new page\n", encoding="utf-8")
    assert key() not in seen
    seen.add(key())
    (root / "docs" / "linked").symlink_to(root / "data", target_is_directory=True)  # followed, as MkDocs does
    assert key() not in seen
    seen.add(key())
    (root / "data" / "loop").symlink_to(root / "data", target_is_directory=True)  # a loop: read once
    assert key() not in seen
    seen.add(key())
    for setting, value in (("use_directory_urls", False), ("site_url", "https://example.org/")):
        setattr(config, setting, value)
        assert key() not in seen, setting
        seen.add(key())


# ----------------------------------------------------------------------------
# The cache folder and the keys
# ----------------------------------------------------------------------------


def test_an_entry_is_found_by_its_key_and_one_is_kept_per_kind(tmp_path):
    store = cache.Cache(tmp_path / "cache")
    assert store.find("zip", "k1") is None  # no folder yet
    for key, text in (("k1", "one"), ("k2", "two")):
        (tmp_path / key).write_text(text, encoding="utf-8")
        store.keep("zip", key, tmp_path / key)
    assert store.find("zip", "k1") is None
    entry = store.find("zip", "k2")
    assert entry is not None and entry.read_text(encoding="utf-8") == "two"
    assert [p.name.split(".")[:2] for p in (tmp_path / "cache").iterdir()] == [["zip", "k2"]]
    target = tmp_path / "site" / "offline.zip"
    assert cache.copy(entry, target) and target.read_text(encoding="utf-8") == "two"


def test_a_damaged_entry_is_not_used_and_is_removed(tmp_path):
    store = cache.Cache(tmp_path / "cache")
    (tmp_path / "out").write_bytes(b"a whole zip")
    entry = store.keep("zip", "k", tmp_path / "out")
    os.unlink(tmp_path / "out")  # no longer linked to the output: damage the entry alone
    entry.write_bytes(b"a whole zi")
    assert store.find("zip", "k") is None and not entry.exists()


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    store = cache.Cache(tmp_path / "file" / "cache")  # a folder inside a file cannot be made
    assert store.keep("zip", "k", tmp_path / "file") is None and store.find("zip", "k") is None
    store.write_text("browser.json", "{}")


def test_the_pages_key_changes_with_a_byte_of_the_data_and_not_with_where_it_is(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(TINY, a)
    shutil.copytree(TINY, b)
    assert cache.pages_key({"data": a}) == cache.pages_key({"data": b})
    text = (b / "agencies.yml").read_text(encoding="utf-8")
    (b / "agencies.yml").write_text(text.replace(OLD, NEW), encoding="utf-8")
    assert cache.pages_key({"data": a}) != cache.pages_key({"data": b})
    assert cache.pages_key({"data": a}, "material True") != cache.pages_key({"data": a}, "material False")


def test_the_zip_key_changes_with_the_pdf_and_the_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764979200")  # 2025-12-06
    key = cache.zip_key("pages", "pdf")
    assert key == cache.zip_key("pages", "pdf") != cache.zip_key("pages", None) != cache.zip_key("pages", "pdf2")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1764979200 + 86400))
    assert cache.zip_key("pages", "pdf") != key


def test_the_browser_is_asked_its_version_once_per_file(tmp_path):
    log = tmp_path / "asked"
    fake = tmp_path / "chromium"
    fake.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\necho "Chromium 1.2.3"\n', encoding="utf-8")
    fake.chmod(0o755)
    store = cache.Cache(tmp_path / "cache")
    first = cache.browser_key(str(fake), store)
    assert cache.browser_key(str(fake), store) == first
    assert log.read_text(encoding="utf-8").splitlines() == ["--version"]
    fake.write_text(fake.read_text(encoding="utf-8").replace("1.2.3", "1.2.4"), encoding="utf-8")  # upgraded
    assert cache.browser_key(str(fake), store) != first
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2
