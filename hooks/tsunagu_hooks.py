"""MkDocs adapter for tsunagu: load the Guide once per build, add its pages, expose it to Jinja.

Thin on purpose: every decision lives in the tsunagu package, which does not import MkDocs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Workaround: MkDocs puts this folder on sys.path only while importing the hook; when the
# package is not pip-installed, find it beside this folder.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jinja2  # noqa: E402
from markupsafe import escape  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from tsunagu import DataErrors, load_guide  # noqa: E402
from tsunagu import htmlfix, pages, render  # noqa: E402

_state: dict = {}


def _data_dir(config) -> Path:
    configured = os.environ.get("TSUNAGU_DATA") or config.extra.get("data_dir") or "data"
    return Path(config.config_file_path).parent / configured


def on_config(config):
    try:
        guide = load_guide(_data_dir(config))
    except DataErrors as exc:
        raise PluginError("\n" + exc.report() + "サイトは作成していません（前に作ったサイトはそのままです）。") from None
    env = render.make_env()
    # Render generated pages now, before MkDocs cleans the site folder, so a failure leaves it untouched.
    rendered = {spec.src: render.render_template(env, spec.template, {"guide": guide, "page_url": spec.url, **spec.context})
                for spec in pages.generated_pages(guide)}
    _state.update(guide=guide, env=env, rendered=rendered)
    # MkDocs' theme environment does not autoescape: text from the data is escaped here.
    config.site_name = str(escape(guide.site.title))
    config.site_description = guide.site.description
    config.copyright = str(escape(f"発行: {guide.site.city}{guide.publisher.department or ''}{guide.publisher.name}"))
    config.nav = [{str(escape(title)): src} for item in pages.nav(guide) for title, src in item.items()]
    return config


def on_files(files, config):
    for src, content in _state["rendered"].items():
        files.append(File.generated(config, src, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by:
        return None
    try:
        return render.render_string(_state["env"], markdown, {"guide": _state["guide"], "page_url": page.url})
    except jinja2.TemplateError as exc:
        raise PluginError(f"{page.file.src_uri}: ページのテンプレートに誤りがあります ({exc})") from None


def on_env(env, config, files):
    env.globals["guide"] = _state["guide"]
    return env


def on_post_page(output, page, config):
    return htmlfix.fix_page(output)


def on_post_template(output_content, template_name, config):
    return htmlfix.fix_page(output_content) if template_name.endswith(".html") else output_content
