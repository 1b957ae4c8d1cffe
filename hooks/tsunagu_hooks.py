"""MkDocs adapter for tsunagu: prepare the site from the data once per build (or take it from the
memo of an earlier build made from the same inputs), add its pages, expose the Guide to the theme.
Thin on purpose: every decision lives in the tsunagu package, which does not import MkDocs.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

# MkDocs puts this folder on sys.path only while importing the hook: find the package beside it
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.utils import CountHandler  # noqa: E402

from tsunagu import DataErrors  # noqa: E402
from tsunagu.data.errors import NOT_BUILT  # noqa: E402
from tsunagu.site import htmlblocks, render  # noqa: E402
from tsunagu.build import cache, downloads, engines, errorpage, theme  # noqa: E402
from tsunagu.build.prepare import (SearchEntries, discard, escaped_view, finish_not_found, finish_page,  # noqa: E402
                                   page_content, prepare, staging_dir, theme_config, theme_flags)

_state: dict = {"errors": []}
log = logging.getLogger("mkdocs.plugins.tsunagu")


def on_startup(command, dirty):
    _state["command"] = command


def on_config(config):
    data_dir = theme.data_dir_of(config)
    # a build reuses what an earlier build made of the same inputs: prepared site, page steps, PDF, zip
    building = _state.get("command") in ("build", "gh-deploy")
    memo = _state["memo"] = cache.Memo(cache.folder(Path(config.config_file_path).parent),
                                       (lambda: cache.config_key(config, data_dir, Path(__file__).parent)) if building else None)
    docs = theme.hand_written(config) if memo.prepared is None else {}
    try:
        site = memo.prepared or prepare(data_dir, docs, theme.site_names(config), config.site_url or None)  # no id may take what the theme writes
        log.debug("tsunagu: the site prepared %s", "by an earlier build" if memo.prepared else "from the data")
        _state["errors"] = []
    except DataErrors as exc:
        if _state.get("command") != "serve":
            raise PluginError("\n" + exc.report() + NOT_BUILT) from None
        # Preview: the errors on the terminal and on every page, over the last good pages or, started on
        # broken data, instead of every page (it keeps running)
        _state["errors"] = [e.format() for e in exc.errors]
        print(errorpage.terminal(exc, "site" in _state), file=sys.stderr, flush=True)
        if "site" not in _state:
            _state["errors_only"] = exc.errors
            config.theme.static_templates.clear()  # Material's 404 page and the sitemap need a site
            return config
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
    _state["seen"] = {}  # each page's template syntax left, as written, for the guard
    return config


def on_serve(server, config, builder):
    server.watch(str(theme.data_dir_of(config)))  # rebuild when the data folder changes, whichever folder it is
    # until a good site is built, every address answers with the page of errors (index.html)
    server.set_app(errorpage.every_path(server.get_app(), lambda: bool(_state.get("errors_only")), server.mount_path))
    return server


def on_files(files, config):
    if _state.get("errors_only"):  # no site yet: the page of errors is the only page (and the 404 page)
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


def on_post_template(output_content, template_name, config):  # the 404 page
    return finish_not_found(output_content, _state["site"]) if template_name.endswith(".html") else output_content


def on_post_build(config):
    if _state.get("errors_only"):
        return
    staging = _state.pop("staging", None)
    config.site_dir = _state["site_dir"] if staging else config.site_dir
    # strict mode aborts after this event if anything was warned: then the new site is not published
    warned = config.strict and any(h.get_counts() for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler))
    try:
        engines.complete(Path(staging or config.site_dir), Path(config.site_dir) if staging else None, _state["site"],
                         _state.pop("search"), _state.pop("downloads"), _state["memo"], seen=_state.pop("seen"), publish=not warned)
    except engines.BuildFailed as exc:
        raise PluginError("\n" + str(exc)) from None


def on_build_error(error):
    if _state.get("downloads"):
        _state.pop("downloads").cancel()
    discard(Path(_state.pop("staging")) if _state.get("staging") else None)
