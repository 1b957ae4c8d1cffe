"""MkDocs adapter for tsunagu: prepare the site from the data once per build (or take it from the
memo of an earlier build made from the same inputs), add its pages, expose the Guide to the theme.
Thin on purpose: every decision lives in the tsunagu package, which does not import MkDocs.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

# Workaround: MkDocs puts this folder on sys.path only while importing the hook; when the
# package is not pip-installed, find it beside this folder.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.utils import CountHandler  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.utils.meta import get_data  # noqa: E402

from tsunagu import DataErrors, cache, downloads, engines, errorpage, htmlblocks, htmlfix, readings, render, theme  # noqa: E402
from tsunagu.build import (SearchEntries, discard, escaped_view, finish_page, page_content, prepare, publish,  # noqa: E402
                           staging_dir, theme_config, theme_flags, write_search_index)

_state: dict = {"errors": []}
log = logging.getLogger("mkdocs.plugins.tsunagu")


def _data_dir(config) -> Path:
    return Path(config.config_file_path).parent / (os.environ.get("TSUNAGU_DATA") or config.extra.get("data_dir") or "data")


def on_startup(command, dirty):
    _state["command"] = command


def on_config(config):
    data_dir = _data_dir(config)
    # a build reuses what an earlier build made from the same inputs: the prepared site and each
    # page's steps (the memo), the PDF and the zip
    building = _state.get("command") in ("build", "gh-deploy")
    memo = _state["memo"] = cache.Memo(cache.folder(Path(config.config_file_path).parent),
                                       (lambda: cache.config_key(config, data_dir, Path(__file__).parent)) if building else None)
    docs = {p.relative_to(config.docs_dir).as_posix(): get_data(p.read_text(encoding="utf-8"))[0]
            for p in sorted(Path(config.docs_dir).rglob("*.md"))} if memo.prepared is None else {}
    try:
        site = memo.prepared or prepare(data_dir, docs, theme.site_names(config), config.site_url or None)  # no id may take what the theme writes
        log.debug("tsunagu: the site prepared %s", "by an earlier build" if memo.prepared else "from the data")
        _state["errors"] = []
    except DataErrors as exc:
        if _state.get("command") != "serve":
            raise PluginError("\n" + exc.report() + "サイトは作成していません（前に作ったサイトがあれば、そのままです）。") from None
        _state["errors"] = [e.format() for e in exc.errors]
        if "site" not in _state:
            # Preview started on broken data: it keeps running and shows the errors at every address.
            print("\n" + exc.report() + "直すまで、プレビューはどのページの代わりにもこの誤りの一覧を表示します"
                  "（直して保存すると、サイトに切り替わります）。", file=sys.stderr, flush=True)
            _state["errors_only"] = exc.errors
            config.theme.static_templates.clear()  # Material's 404 page and the sitemap need a site
            return config
        # Preview: keep showing the last good pages, with the errors on the terminal and on every page.
        print("\n" + exc.report() + "直すまで、前に作ったページを表示しています。", file=sys.stderr, flush=True)
        site = _state["site"]
    _state["site"] = site
    _state["errors_only"] = None
    # MkDocs' theme environment does not autoescape: every value from the data comes escaped.
    for key, value in theme_config(site).items():
        config[key] = value
    config.extra.update(theme_flags(site))
    if building:
        # Build beside the site folder; on_post_build swaps it in only if the build succeeded.
        _state["site_dir"] = config.site_dir
        _state["staging"] = config.site_dir = str(staging_dir(Path(config.site_dir)))
    # begun now: the PDF and the offline copy are made by other processes while the pages are built
    _state["downloads"] = downloads.Downloads(Path(config.site_dir), site.guide, preview=_state.get("command") == "serve",
                                              made_from=memo.pages, cache_dir=memo.folder)
    _state["search"] = SearchEntries(site, memo)
    _state["seen"] = {}  # each page's template syntax left, as written (engines.guard)
    return config


def on_serve(server, config, builder):
    # `mkdocs serve` rebuilds when the data folder changes, whichever folder it is
    server.watch(str(_data_dir(config)))
    # until a good site is built, every address answers with the page of errors (index.html)
    server.set_app(errorpage.every_path(server.get_app(), lambda: bool(_state.get("errors_only")), server.mount_path))
    return server


def on_files(files, config):
    if _state.get("errors_only"):
        # no site yet: the page of errors is the only page (and the 404 page, should on_serve not run)
        page = errorpage.html(_state["errors_only"])
        return Files([File.generated(config, name, content=page) for name in ("index.html", "404.html")])
    for src in _state["site"].omitted:  # a section page the data gives nothing to list
        if files.get_file_from_path(src):
            files.remove(files.get_file_from_path(src))
    for src, content in _state["site"].generated.items():
        files.append(File.generated(config, src, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    if not page.file.generated_by:
        markdown = _state["site"].docs.get(page.file.src_uri, markdown)
    # raw HTML blocks skip Markdown (its HTML parsing was most of a generated page's build time)
    aside = _state.setdefault("aside", {})[page.file.src_uri] = _state["memo"].step("aside", htmlblocks.set_aside, markdown)
    return aside.markdown


def on_page_content(html, page, config, files):
    aside = _state.get("aside", {}).pop(page.file.src_uri, None)
    if aside is not None:
        html = aside.put_back(html)
        page.present_anchor_ids = (page.present_anchor_ids or set()) | aside.anchor_ids()
    return page_content(html, page.url, _state["site"], _state["memo"])


def on_env(env, config, files):
    if _state.get("errors_only"):
        return env
    env.globals["guide"] = escaped_view(_state["site"].guide)  # theme templates do not autoescape
    env.bytecode_cache = env.bytecode_cache or render.bytecode_cache("theme")  # the theme compiled once, not per build
    return env


def on_post_page(output, page, config):
    output = finish_page(output, page.url, _state["errors"], _state["site"], _state["memo"])
    _state["seen"][page.file.dest_uri] = engines.left_syntax(page.file.dest_uri, output)
    _state["downloads"].page(page.file.dest_uri, output)
    _state["search"].page(page.file.dest_uri, output)
    return output


def on_post_template(output_content, template_name, config):
    if not template_name.endswith(".html"):
        return output_content
    return readings.annotate(htmlfix.fix_page(output_content), readings.reader_of(_state["site"].guide))  # the 404 page


def on_post_build(config):
    if _state.get("errors_only"):
        return
    write_search_index(Path(config.site_dir), _state["site"], _state.pop("search"))
    try:
        _state.pop("downloads").finish()
    except OSError as exc:  # a full disk, a folder that cannot be written: said in Japanese, nothing published
        raise PluginError(f"ダウンロード用のファイルを書けませんでした: {exc}\nサイトは公開していません（前に作ったサイトがあれば、そのままです）。") from None
    staging = _state.pop("staging", None)
    if staging is None:
        return
    config.site_dir = _state["site_dir"]
    problems = engines.guard(Path(staging), engines.expected_pages(_state["site"]), _state.pop("seen"))
    if problems:  # as on every engine: a site missing a page, or with a page half rendered, is not published
        discard(Path(staging))
        raise PluginError("\n" + str(engines.refuse(problems)))
    # strict mode aborts after this event if anything was warned: then the new site is not published
    try:
        if not (config.strict and any(h.get_counts() for h in logging.getLogger("mkdocs").handlers
                                      if isinstance(h, CountHandler))):
            publish(Path(staging), Path(config.site_dir))
            _state["memo"].keep(_state["site"])
    finally:
        discard(Path(staging))  # gone already when published


def on_build_error(error):
    if _state.get("downloads"):
        _state.pop("downloads").cancel()
    discard(Path(_state["staging"]) if _state.get("staging") else None)
    _state.pop("staging", None)
