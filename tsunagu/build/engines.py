"""Three steps any site engine can sit between: generate, the engine's own build, finish.

- generate(): tsunagu writes every page as Markdown (the Guide's generated pages and the hand-written
  pages of docs/, rendered) in the `x/index.md` layout, and a config file for the engine with the
  values it takes from the data (escaped once, build.theme_config) and the theme's flags;
- the engine (MkDocs, ProperDocs or Zensical) turns the folder into HTML with the theme;
- finish(): tsunagu does to each built page what MkDocs' hook does while building (glossary terms
  linked in the content, the theme's HTML mended, readings), checks that the engine built the whole
  site (guard()), writes the search index and the downloads, removes the engine's own search files and
  publishes the folder in one step.

MkDocs and ProperDocs read mkdocs.yml's hook, which does the same in their process (the same
functions of tsunagu.build.prepare, page by page as the engine writes): `tsunagu build --engine mkdocs` is
`mkdocs build`. Zensical runs no hooks: tsunagu runs generate before it and finish after it. guard()
runs on every engine's output, so no engine can publish a half-rendered site.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..data.errors import NOT_PUBLISHED, DataErrors
from ..outputs import booklet
from . import downloads
from .cache import Memo
from .prepare import (Prepared, SearchEntries, content_region, discard, finish_not_found, finish_page, page_content,
                      prepare, staging_dir, theme_config, theme_flags, url_of, write_search_index)
from .prepare import publish as _publish

ENGINES = ("mkdocs", "properdocs", "zensical")
RUNS_HOOKS = frozenset({"mkdocs", "properdocs"})  # they read mkdocs.yml's hook: generate and finish run inside
# files an engine writes for a search of its own, which tsunagu's search replaces
ENGINE_SEARCH = ("search.json", "search/search_index.json")


class BuildFailed(Exception):
    """A build that published nothing; its message is Japanese and says what to do."""


def page_file(src: str) -> str:
    """A page's source path in the `x/index.md` layout: an engine that resolves relative links in raw
    HTML against the source file's folder (Zensical) then resolves them as the browser does."""
    if src == "index.md" or src.endswith("/index.md"):
        return src
    return src[: -len(".md")] + "/index.md"


def built_file(src: str) -> str:
    """Where a page's HTML is written (directory URLs): "a/b.md" -> "a/b/index.html"."""
    return page_file(src)[: -len(".md")] + ".html"


# ----------------------------------------------------------------------------
# generate
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    prepared: Prepared
    config_file: Path  # the engine's config, beside the pages
    site_dir: Path  # where the engine writes the site
    pages: dict[str, str]  # built file ("a/index.html") -> the page's source in the project ("docs/a.md", "generated: a.md")


def generate(project: Path, data_dir: Path | None, work: Path) -> Generated:
    """Write the site's pages and the engine's config into work (a new folder). data_dir None: the
    project's, as MkDocs' hook finds it. DataErrors as prepare()."""
    from .theme import data_dir_of, hand_written, project_config, site_names

    project, work = Path(project).resolve(), Path(work).resolve()
    config = project_config(project / "mkdocs.yml")
    docs_dir = Path(config.docs_dir)
    data_dir = Path(data_dir).resolve() if data_dir is not None else data_dir_of(config)
    bodies = hand_written(config)  # as the hook reads them (MkDocs' own front-matter reader)
    # the author's Markdown links move with the page, before the data's words are put in
    prepared = prepare(data_dir, {src: body if page_file(src) == src else _moved_links(body) for src, body in bodies.items()},
                       site_names(config), config.site_url or None)
    out = work / "docs"
    pages: dict[str, str] = {}
    for src, markdown in prepared.generated.items():
        _write(out / page_file(src), markdown)
        pages[built_file(src)] = f"generated: {src}"
    for src, body in prepared.docs.items():
        text = (docs_dir / src).read_text(encoding="utf-8")  # its front matter, as written, before the body
        _write(out / page_file(src), text[: len(text) - len(bodies[src])] + body)
        pages[built_file(src)] = f"docs/{src}"
    for path in sorted(docs_dir.rglob("*")):  # the hand-written pages' other files, as they are
        if path.is_file() and path.suffix != ".md":
            target = out / path.relative_to(docs_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    config_file = work / "mkdocs.yml"
    site_dir = work / "site"
    _write(config_file, _engine_config(project, prepared, out, site_dir))
    return Generated(prepared, config_file, site_dir, pages)


# A Markdown link or image to a file of the site: "](x.md)", "](x.md#a)", "](img/a.png)" (not "](https:…)",
# "](#a)", "](/x)"), and a reference definition "[id]: x.md"
_MD_LINK = re.compile(r"(\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?)(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^)\s>]+)", re.M)


def _moved_links(markdown: str) -> str:
    """A hand-written page moved one folder down (a.md -> a/index.md): its Markdown links, which the
    engine resolves against the source file, gain "../" so they lead where they did, and a link to a
    page follows that page into the layout too ("b.md" -> "../b/index.md")."""
    def moved(m: re.Match) -> str:
        path, hash_, fragment = m.group(2).partition("#")
        return m.group(1) + "../" + (page_file(path) if path.endswith(".md") else path) + hash_ + fragment
    return _MD_LINK.sub(moved, markdown)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _engine_config(project: Path, prepared: Prepared, docs: Path, site_dir: Path) -> str:
    """The project's mkdocs.yml for an engine that runs no hook: the same theme, Markdown extensions and
    settings (its YAML nodes kept as written, tags too), with the generated folder, the data's values
    (escaped) and the theme's flags, and without the hook and what only the hook's preview watches."""
    root = yaml.compose((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    entries = {key.value: (key, value) for key, value in root.value}

    def node(value: object) -> yaml.Node:
        return yaml.compose(yaml.safe_dump(value, allow_unicode=True), Loader=yaml.SafeLoader)

    def put(name: str, value: object) -> None:
        entries[name] = (node(name), value if isinstance(value, yaml.Node) else node(value))

    for name in ("hooks", "watch"):
        entries.pop(name, None)
    put("docs_dir", os.path.relpath(docs, site_dir.parent))  # relative: Zensical stops on absolute ones
    put("site_dir", os.path.relpath(site_dir, site_dir.parent))
    theme = entries["theme"][1]
    theme.value = [(k, v) for k, v in theme.value if k.value != "custom_dir"] + [
        (node("custom_dir"), node(str(project / _scalar(theme, "custom_dir", "overrides"))))]
    if not any(k.value == "variant" for k, _ in theme.value):
        # Zensical's look of Material for MkDocs, which the overrides are written for (Material ignores it)
        theme.value.append((node("variant"), node("classic")))
    values = theme_config(prepared)
    for name in ("site_name", "site_description", "copyright"):
        put(name, str(values[name]))
    put("nav", [{str(title): page_file(src) for title, src in item.items()} for item in values["nav"]])
    extra = entries["extra"][1] if "extra" in entries else node({})
    extra.value = [(k, v) for k, v in extra.value if k.value not in theme_flags(prepared)] + [
        (node(k), node(v)) for k, v in theme_flags(prepared).items()]
    put("extra", extra)
    if "not_in_nav" in entries:
        lines = entries["not_in_nav"][1].value.splitlines()
        put("not_in_nav", yaml.ScalarNode("tag:yaml.org,2002:str", "\n".join(_layout_pattern(line) for line in lines) + "\n", style="|"))
    root.value = list(entries.values())
    return "# Written by tsunagu (tsunagu/build/engines.py) from mkdocs.yml for an engine that runs no hook.\n" + \
        yaml.serialize(root, Dumper=yaml.SafeDumper, allow_unicode=True)


def _scalar(mapping: yaml.MappingNode, name: str, default: str) -> str:
    return next((v.value for k, v in mapping.value if k.value == name), default)


def _layout_pattern(line: str) -> str:
    """A not_in_nav pattern for the `x/index.md` layout: "/agencies/*.md" -> "/agencies/*/index.md"."""
    stripped = line.strip()
    if stripped.endswith(".md") and not stripped.endswith("index.md"):
        return line.replace(stripped, stripped[: -len(".md")] + "/index.md")
    return line


# ----------------------------------------------------------------------------
# finish, and the guard every engine's output passes
# ----------------------------------------------------------------------------

# Template syntax left in a page: an expression or a statement the engine did not render. Code and
# preformatted text are left out first (the editing guide shows 「{{ }}」 as text).
_TEMPLATE = re.compile(r"\{\{-?\s*[A-Za-z_][^{}]*\}\}|\{%-?\s*(?:if|for|set|macro|import|include|extends|block|endif|endfor)\b")
_CODE = re.compile(r"<(code|pre|script)\b.*?</\1>", re.S)


_OWN = frozenset({booklet.PAGE_FILE})  # pages tsunagu writes itself (the booklet's print page), not the engine


def left_syntax(dest: str, html: str) -> str | None:
    """A page that still holds template syntax, said in Japanese; None for a page without."""
    m = _TEMPLATE.search(_CODE.sub("", html))
    return f"{dest} にテンプレートの書き方「{m.group(0)[:40]}」がそのまま残っています。" if m else None


def guard(site_dir: Path, expected: dict[str, str], seen: dict[str, str | None] | None = None) -> list[str]:
    """What keeps a built folder from being published, in Japanese (nothing when it is whole): a page
    the Guide made that the engine did not write, a page that still holds template syntax, or a page
    count other than the Guide's. expected: built file -> where the page comes from; seen: left_syntax()
    of each page as the build wrote it (MkDocs' hook), else each page is read from site_dir."""
    site_dir = Path(site_dir)
    problems = [f"{dest}（{source}）がありません。" for dest, source in sorted(expected.items())
                if not (site_dir / dest).is_file()]
    built = sorted(rel for p in site_dir.rglob("index.html") if (rel := p.relative_to(site_dir).as_posix()) not in _OWN)
    for dest in built:
        said = seen.get(dest) if seen is not None else \
            left_syntax(dest, (site_dir / dest).read_text(encoding="utf-8", errors="replace"))
        if said:
            problems.append(said)
    extra = [dest for dest in built if dest not in expected]
    if extra or len(built) != len(expected):
        problems.append(f"ページの数が違います: データからは {len(expected)} ページ、作られたのは {len(built)} ページ"
                        + (f"（データにないページ: {'、'.join(extra[:5])}）" if extra else "") + "。")
    return problems


def expected_pages(prepared: Prepared) -> dict[str, str]:
    """The pages a site of these data has: built file -> where it comes from."""
    pages = {built_file(src): f"generated: {src}" for src in prepared.generated}
    pages.update({built_file(src): f"docs/{src}" for src in prepared.docs})
    return pages


def refuse(problems: list[str]) -> BuildFailed:
    shown = problems[:20] + ([f"ほか {len(problems) - 20} 件"] if len(problems) > 20 else [])
    return BuildFailed("作られたサイトが完全ではないので、公開しません（前に作ったサイトがあれば、そのままです）。\n"
                       + "\n".join(f"- {p}" for p in shown))


def finish(built: Path, site_dir: Path, prepared: Prepared, expected: dict[str, str], memo: Memo | None = None) -> None:
    """A site an engine built without tsunagu's hook (built), made whole and published as site_dir."""
    built, memo = Path(built), memo or Memo()
    problems = guard(built, expected)
    if problems:
        raise refuse(problems)
    for name in ENGINE_SEARCH:
        target = built / name
        if target.is_file():
            target.unlink()
    jobs = downloads.Downloads(built, prepared.guide)
    search, seen = SearchEntries(prepared, memo), {}
    try:
        for dest in sorted(expected):
            path = built / dest
            html = path.read_text(encoding="utf-8")
            region = content_region(html)
            if region is not None:
                start, end = region
                html = html[:start] + page_content(html[start:end], url_of(dest), prepared, memo) + html[end:]
            html = finish_page(html, url_of(dest), [], prepared, memo)
            path.write_text(html, encoding="utf-8")
            jobs.page(dest, html)
            search.page(dest, html)
            seen[dest] = left_syntax(dest, html)
        not_found = built / "404.html"
        if not_found.is_file():
            not_found.write_text(finish_not_found(not_found.read_text(encoding="utf-8"), prepared), encoding="utf-8")
    except BaseException:
        jobs.cancel()
        raise
    complete(built, Path(site_dir), prepared, search, jobs, memo, seen)


def complete(built: Path, site_dir: Path | None, prepared: Prepared, search: SearchEntries, jobs: downloads.Downloads,
             memo: Memo, seen: dict[str, str | None] | None = None, publish: bool = True) -> None:
    """The end of every build, on every engine (finish() and MkDocs' hook): the search index and the
    downloads written into the built folder, guard(), and the folder published as site_dir (site_dir
    None: a preview, built in place). A build that publishes nothing leaves the site folder as it was."""
    try:
        write_search_index(built, prepared, search)
        try:
            jobs.finish()
        except OSError as exc:  # a full disk, a folder that cannot be written: said in Japanese, nothing published
            raise BuildFailed(f"ダウンロード用のファイルを書けませんでした: {exc}\n{NOT_PUBLISHED}") from None
        if site_dir is None:
            return
        if problems := guard(built, expected_pages(prepared), seen):
            raise refuse(problems)
        if publish:
            _publish(built, site_dir)
            memo.keep(prepared)
    finally:
        if site_dir is not None:
            discard(built)  # gone already when published


# ----------------------------------------------------------------------------
# The one command: `tsunagu build --engine mkdocs|properdocs|zensical -d SITE_DIR`
# ----------------------------------------------------------------------------


def command(engine: str, config_file: Path, site_dir: Path | None) -> list[str]:
    """The engine's own build command. Zensical has no -d: its config says where."""
    run = [sys.executable, "-m", engine, "build", "--strict", "-f", str(config_file)]
    return run + (["-d", str(site_dir)] if site_dir is not None and engine in RUNS_HOOKS else [])


def build(project: Path, engine: str, site_dir: Path, data_dir: Path | None = None) -> None:
    """Build the site of project (its mkdocs.yml, docs/, overrides/ and data) with engine into site_dir.
    Raises BuildFailed (Japanese) or DataErrors; site_dir is replaced only by a whole site."""
    project, site_dir = Path(project).resolve(), Path(site_dir).resolve()
    if engine not in ENGINES:
        raise BuildFailed(f"エンジン「{engine}」は使えません。{'、'.join(ENGINES)} のどれかを指定してください。")
    if importlib.util.find_spec(engine) is None:
        raise BuildFailed(f"{engine} が入っていません。.venv/bin/python -m pip install -e \".[engines]\" で入れてから、もう一度実行してください。")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if data_dir is not None:
        env["TSUNAGU_DATA"] = str(Path(data_dir).resolve())
    if engine in RUNS_HOOKS:  # the hook generates, finishes, guards and publishes
        done = subprocess.run(command(engine, project / "mkdocs.yml", site_dir), cwd=project, env=env)
        if done.returncode != 0:
            raise BuildFailed(f"{engine} がサイトを作れませんでした（終了コード {done.returncode}）。上の表示を見てください。")
        return
    work = staging_dir(site_dir)  # beside the site folder: the finished site moves in with a rename
    try:
        generated = generate(project, data_dir, work / "work")
        done = subprocess.run(command(engine, generated.config_file, None), cwd=generated.config_file.parent, env=env)
        if done.returncode != 0:
            raise BuildFailed(f"{engine} がサイトを作れませんでした（終了コード {done.returncode}）。上の表示を見てください。")
        finish(generated.site_dir, site_dir, generated.prepared, generated.pages)
    finally:
        discard(work)


__all__ = ["BuildFailed", "DataErrors", "ENGINES", "Generated", "build", "finish", "generate", "guard"]
