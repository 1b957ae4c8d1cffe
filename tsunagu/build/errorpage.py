"""The preview's page of data errors: what `mkdocs serve` shows at every address while the data
has errors and no good site has been built yet (the staff who start the preview in the morning on
data broken the evening before keep a preview, and see what to fix). Plain HTML with its style
inline, nothing fetched; no MkDocs here (the hook serves it)."""

from __future__ import annotations

from html import escape
from typing import Callable, Iterable

from ..data.chars import one_line
from ..data.errors import DataError

# ----------------------------------------------------------------------------
# The page
# ----------------------------------------------------------------------------

# Without JavaScript the page reloads itself; with it, MkDocs' livereload script (added to every
# page it serves) reloads it once the data was rebuilt, so a screen reader is not interrupted.
_REFRESH_SECONDS = 2

_STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.7; color: #1a1a1a; background: #fff;
       max-width: 48rem; margin: 0 auto; padding: 1.5rem 1rem; }
h1 { font-size: 1.6rem; line-height: 1.4; color: #8a1c1c; }
ol { padding-left: 1.5rem; }
li { margin: 0 0 1.25rem; padding: 0.75rem 1rem; border-left: 0.3rem solid #b3261e; background: #fdf3f2; }
li p { margin: 0.25rem 0; }
code { font-family: ui-monospace, monospace; font-size: 0.95em; overflow-wrap: anywhere; }
.where { font-weight: bold; }
.key { color: #4a4a4a; font-size: 0.9em; }
"""


def _hints() -> dict[str, str]:
    """Error key -> what to do, from the editing guide's catalogue (key, message, what to do)."""
    from ..data.messages import CATALOGUE
    rows = CATALOGUE.items() if isinstance(CATALOGUE, dict) else CATALOGUE
    return {row[0]: row[-1] for row in rows if isinstance(row[-1], str)}


def _item(error: DataError, hints: dict[str, str]) -> str:
    # escaped onto one line as the terminal shows it (DataError.format), then as HTML
    where = one_line(error.file) + ("" if error.line is None else f":{error.line}")
    field = f" <code>{escape(one_line(error.field))}</code>" if error.field else ""
    hint = hints.get(error.key)
    todo = f"<p>直し方: {escape(hint)}</p>" if hint else ""
    return (f'<li><p class="where"><code>{escape(where)}</code>{field}</p>'
            f"<p>{escape(one_line(error.message))}</p>{todo}"
            f'<p class="key">エラーの種類: <code>({escape(error.key)})</code></p></li>')


def html(errors: Iterable[DataError]) -> str:
    """The whole page: one h1, the errors as a list, each with file:line, field, message and what to do."""
    errors = list(errors)
    hints = _hints()
    items = "".join(_item(e, hints) for e in errors)
    count = len(errors)
    return f"""<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<noscript><meta http-equiv="refresh" content="{_REFRESH_SECONDS}"></noscript>
<title>データに {count} 件の誤りがあります（プレビュー）</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>データに {count} 件の誤りがあります</h1>
<p>誤りを直すまで、プレビューではどのページの代わりにもこの一覧を表示します。サイトはまだ作られていません。</p>
<p>下の一覧のファイルを開き、示された行を直して保存してください。直ると、このページは自動でサイトに切り替わります（開き直す必要はありません）。</p>
<h2>誤りの一覧</h2>
<ol>{items}</ol>
</main>
</body>
</html>
"""


# ----------------------------------------------------------------------------
# Serving it at every address
# ----------------------------------------------------------------------------

def terminal(exc, previous_site: bool) -> str:
    """What `mkdocs serve` prints when the data has errors: over the last good pages, or instead of every page."""
    if previous_site:
        return "\n" + exc.report() + "直すまで、前に作ったページを表示しています。"
    return "\n" + exc.report() + "直すまで、プレビューはどのページの代わりにもこの誤りの一覧を表示します（直して保存すると、サイトに切り替わります）。"


def every_path(app: Callable, active: Callable[[], bool], page_path: str, keep_prefix: str = "/livereload/") -> Callable:
    """A WSGI app that, while active() is true, answers every request with the page at page_path
    (through app, which serves it with status 200), except the livereload polling requests."""

    def wrapped(environ, start_response):
        if active() and not environ.get("PATH_INFO", "").startswith(keep_prefix):
            environ = {**environ, "PATH_INFO": page_path, "QUERY_STRING": ""}
        return app(environ, start_response)

    return wrapped
