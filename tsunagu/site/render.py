"""Jinja rendering of page content (Markdown with HTML blocks), shared by generated and hand-written pages.

Autoescape is on: text from the data is always shown as text, never as markup.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..data import dates, labels, limits, messages
from . import diagrams
from .escaping import text_escape  # noqa: F401  (the environment's finalize; tests call render.text_escape)

# ----------------------------------------------------------------------------
# Filters
# ----------------------------------------------------------------------------

def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for site paths, without its abspath/getcwd calls (4 % of a 100x build)."""
    parts, base = [p for p in path.split("/") if p not in ("", ".")], [p for p in start.split("/") if p not in ("", ".")]
    if ".." in parts or ".." in base:
        return posixpath.relpath(path, start)
    common = 0
    while common < min(len(parts), len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


def relative_url(target: str, from_url: str) -> str:
    """The link from a page at from_url ("agencies/x/") to target ("programs/y/" or "agencies/#id")."""
    path, _, fragment = target.partition("#")
    base = posixpath.dirname(from_url.rstrip("/") + "/x") if from_url else ""
    rel = _relpath(path or ".", base or ".") if path else ""
    if path.endswith("/") and rel != "." and not rel.endswith("/"):
        rel += "/"
    if rel == ".":
        rel = "./"
    return rel + (f"#{fragment}" if fragment else "")


@jinja2.pass_context
def url(ctx: jinja2.runtime.Context, target: str) -> Markup:
    """A link made by the code from ids (ASCII slugs): HTML-escaped, not written as references."""
    return escape(relative_url(target, ctx.get("page_url", "")))


# ----------------------------------------------------------------------------
# Environment
# ----------------------------------------------------------------------------


def bytecode_cache(kind: str = "pages") -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds (Jinja's own per-user folder, keyed by each template's
    source, so an edited template is compiled again): compiling them took 0.3 s of every build.
    Compiled code also depends on its environment's settings (finalize, autoescape), which the key
    does not cover: each environment ("pages", "theme") and each version of this module keeps its own."""
    digest = hashlib.sha256(Path(__file__).read_bytes() + (Path(__file__).parent / "escaping.py").read_bytes()).hexdigest()[:12]
    try:
        return jinja2.FileSystemBytecodeCache(pattern=f"__tsunagu_{kind}_{digest}_%s.cache")
    except (OSError, RuntimeError):
        return None


class _PageSources(jinja2.BaseLoader):
    """Hand-written pages by name ("docs/<path>"), so that their compiled form is kept between
    builds like the templates' (compiling them anew took a tenth of a small city's preparing)."""

    def __init__(self):
        self.sources: dict[str, str] = {}

    def get_source(self, environment, name):
        if name not in self.sources:
            raise jinja2.TemplateNotFound(name)
        source = self.sources[name]
        return source, None, lambda: self.sources.get(name) == source


def _finalize(value: Any) -> Any:
    """Every `{{ value }}` of page content goes through text_escape; None prints nothing (as Jinja's
    own default does not: it prints "None", which no page should show)."""
    if value is None:
        return ""
    return text_escape(value)


def make_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader("tsunagu.site", "templates"), _PageSources()]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache(),
        finalize=_finalize,
    )
    env.filters["wareki"] = dates.wareki_month
    env.filters["seireki"] = dates.seireki_month
    env.globals["url"] = url
    env.globals["error_catalogue"] = messages.CATALOGUE
    env.globals["data_limits"] = limits.SUMMARY
    env.globals["labels"] = labels  # one label for one coded value or field (labels.py)
    env.globals["diagrams"] = diagrams  # figures drawn from the data (inline SVG, escaped there)
    return env


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    return env.get_template(name).render(**context)


def render_string(env: jinja2.Environment, source: str, context: dict, name: str | None = None) -> str:
    """A hand-written page: its Markdown may use the macros as `t.<name>` and the Guide as `guide`.
    name ("docs/<path>"): the page's own name, under which its compiled form is kept."""
    header = '{% import "macros.md.j2" as t with context %}'
    if name is None:
        return env.from_string(header + source).render(**context)
    pages = env.loader.loaders[-1]  # type: ignore[union-attr]
    pages.sources[name] = header + source
    return env.get_template(name).render(**context)
