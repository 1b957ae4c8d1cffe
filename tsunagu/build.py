"""Everything a site build needs from a data folder, prepared before anything is written.

The MkDocs hook calls prepare() once per build: a data or template error raises here, before
MkDocs cleans the site folder, so a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import pages, render, search
from .errors import DataError, DataErrors
from .guide import Guide
from .load import load_guide


@dataclass(frozen=True)
class Prepared:
    guide: Guide
    generated: dict[str, str]  # src path -> Markdown of each generated page
    docs: dict[str, str]  # src path -> Markdown of each hand-written page, rendered
    nav: list
    site_name: str
    copyright: str
    search_excluded: frozenset[str]


def prepare(data_dir: Path, docs: dict[str, str]) -> Prepared:
    """docs: src path -> Markdown body (front matter removed) of the hand-written pages."""
    guide = load_guide(data_dir)
    env = render.make_env()
    generated = {spec.src: render.render_template(env, spec.template, {"guide": guide, "page_url": spec.url, **spec.context})
                 for spec in pages.generated_pages(guide)}
    rendered, errors = {}, []
    for src, body in docs.items():
        try:
            rendered[src] = render.render_string(env, body, {"guide": guide, "page_url": pages.PageSpec(src, "").url})
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None)
            errors.append(DataError(f"docs/{src}", line, "", f"ページのテンプレートに誤りがあります ({exc})", "template_error"))
    if errors:
        raise DataErrors(errors)
    publisher = guide.publisher
    return Prepared(
        guide=guide, generated=generated, docs=rendered, nav=pages.nav(guide), site_name=guide.site.title,
        copyright=f"発行: {guide.site.city}{publisher.department or ''}{publisher.name}",
        search_excluded=frozenset(pages.search_excluded(guide)),
    )


def write_search_index(site_dir: Path, prepared: Prepared) -> Path:
    """After the build: the search index of every built page the search should find."""
    found = []
    for html in sorted(site_dir.rglob("*.html")):
        rel = html.relative_to(site_dir).as_posix()
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        if url not in prepared.search_excluded:
            found.append((url, html.read_text(encoding="utf-8")))
    index = search.build_index(found, prepared.guide.search_terms)
    target = site_dir / pages.SEARCH_INDEX
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return target
