"""What the theme writes into the site folder and which element ids it uses, read from MkDocs'
config: the one module of the package that touches MkDocs (imported lazily, by the hook and by
`python -m tsunagu check`), so that load/validate/pages/flows stay free of it.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from ..site.reserved import SiteNames, own, template_ids, with_theme

# MkDocs writes a gzipped copy of this static template beside it (mkdocs/commands/build.py)
_GZIPPED = "sitemap.xml"


def site_names(config) -> SiteNames:
    """From a loaded MkDocs config: the theme's static files, its static templates (404.html,
    sitemap.xml), the files of docs/ that are not pages, and the ids in the theme's templates
    (Material's and the overrides')."""
    files: dict[str, str] = {}
    ids: dict[str, str] = {}
    for top in _theme_static_tops(config):
        files.setdefault(top, "テーマのファイル")
    for name in config.theme.static_templates:
        files[name] = "テーマのページ"
        if name == _GZIPPED:
            files[name + ".gz"] = "テーマのページ"
    docs = Path(config.docs_dir)
    for path in sorted(docs.rglob("*")):
        if path.is_file() and path.suffix != ".md":
            files[path.relative_to(docs).as_posix()] = f"手書きのページのファイル（docs/{path.relative_to(docs).as_posix()}）"
    for folder in config.theme.dirs:
        templates = [Path(root, n) for root, _, names in _walk(folder) for n in names if n.endswith(".html")]
        ids.update({k: v for k, v in template_ids(sorted(templates), "テーマ").items() if k not in ids})
    return with_theme(files, ids)


def _walk(folder: str):
    """os.walk without hidden folders (Material's .icons: thousands of SVG files MkDocs never copies)."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        yield root, dirs, names


def _theme_static_tops(config) -> set[str]:
    """The top-level names ("assets/" for a folder) of the theme files MkDocs copies into the site:
    the filter of mkdocs.structure.files.Files.add_files_from_theme, without walking hidden folders
    (asking MkDocs itself walks them and took longer than loading a small city)."""
    from mkdocs import utils

    patterns = [".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml", "locales/*",
                *(f"*{x}" for x in utils.markdown_extensions), *config.theme.static_templates]
    tops: set[str] = set()
    for folder in config.theme.dirs:
        for root, _, names in _walk(folder):
            for name in names:
                rel = Path(root, name).relative_to(folder).as_posix()
                if not any(fnmatch.fnmatch(rel.lower(), p) for p in patterns):
                    top, _, rest = rel.partition("/")
                    tops.add(top + "/" if rest else top)
    return tops


def data_dir_of(config) -> Path:
    """The data folder a project builds: TSUNAGU_DATA, else mkdocs.yml's extra.data_dir, else data/."""
    return Path(config.config_file_path).parent / (os.environ.get("TSUNAGU_DATA") or config.extra.get("data_dir") or "data")


def hand_written(config) -> dict[str, str]:
    """The hand-written pages of docs/ (src path -> Markdown body, front matter removed, as MkDocs reads it)."""
    from mkdocs.utils.meta import get_data

    docs = Path(config.docs_dir)
    return {p.relative_to(docs).as_posix(): get_data(p.read_text(encoding="utf-8"))[0] for p in sorted(docs.rglob("*.md"))}


def project_config(config_file: Path):
    """A project's mkdocs.yml as MkDocs reads it (the theme's folders, docs_dir, site_url)."""
    from mkdocs.config import load_config

    return load_config(str(config_file))


def project_site_names(config_file: Path) -> SiteNames:
    """site_names() of a project's mkdocs.yml, for `check`; only tsunagu's own names where the
    config cannot be read (the build reads it, and checks again)."""
    try:
        from mkdocs.config import load_config

        return site_names(load_config(str(config_file)))
    except Exception:  # noqa: BLE001  (any failure here leaves the build's own check)
        return own()
