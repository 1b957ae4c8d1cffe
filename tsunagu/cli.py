"""Command line: `.venv/bin/tsunagu check [DATA_DIR]` (or `python -m tsunagu check`)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .data import schema
from .data.errors import NOT_BUILT, DataErrors
from .data.load import page_texts
from .site import reserved
from .site.checks import load_guide
from .site.reserved import SiteNames

STARTER = Path(__file__).parent / "starter"

USAGE_ERROR = 2


def _project() -> Path | None:
    """The project being checked: the one in the current folder, else the one beside this package."""
    for base in (Path.cwd(), Path(__file__).resolve().parent.parent):
        if (base / "mkdocs.yml").is_file() and (base / "docs").is_dir():
            return base
    return None


def hand_written_pages() -> list[str]:
    """The hand-written pages (docs/*.md) of the site being checked. A generated page may not take their URLs."""
    base = _project()
    return [] if base is None else sorted(p.relative_to(base / "docs").as_posix() for p in (base / "docs").rglob("*.md"))


def site_names() -> SiteNames:
    """What the project's build and theme write besides the pages, and their element ids."""
    base = _project()
    if base is None:
        return reserved.own()
    from .build.theme import project_site_names
    return project_site_names(base / "mkdocs.yml")


def check(data_dir: str) -> int:
    try:
        guide = load_guide(data_dir, hand_written=hand_written_pages(), site=site_names())
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(f"{data_dir}: 誤りはありません（事業 {len(guide.programs)}・支援会議 {len(guide.meetings)}・"
          f"相談先 {len(guide.agencies)}・事例 {len(guide.cases)}）")
    # Sections the site would build empty (data of an earlier shape, a part not written): warnings, not errors
    from .site import shape
    holes = shape.holes(guide)
    if holes:
        print(f"注意が {len(holes)} 件あります。サイトは作れますが、次の部分は中身がないので載せません:")
        for hole in holes:
            print(hole.line(data_dir))
    # Words on the pages with no reading, or only the analyser's guess at a name: warnings too
    words = shape.unread(guide, page_texts(data_dir) + hand_written_texts())
    if words:
        print(f"読みのわからない言葉が {len(words)} 件あります。サイトは作れますが、ふりがなが付かないか、"
              "推測の読みが付きます:")
        for word in words:
            print(shape.unread_line(word, data_dir))
    # Residents' texts without Easy Japanese: their Easy page shows the plain text with a note
    no_easy = shape.missing_easy(guide, data_dir)
    if no_easy:
        print(f"やさしい日本語（easy）のない文が {len(no_easy)} 件あります。サイトは作れますが、やさしい日本語のページには、もとの文を表示します:")
        for item in no_easy:
            print(item.line_text(data_dir))
    optional = shape.left_out(guide)
    if optional:
        print(shape.left_out_line(optional))
    return 0


def hand_written_texts() -> list[tuple[str, int, str]]:
    """(docs/<page>.md, line, text) of every line of the hand-written pages of the site being checked."""
    base = _project()
    if base is None:
        return []
    out = []
    for path in sorted((base / "docs").rglob("*.md")):
        shown = f"docs/{path.relative_to(base / 'docs').as_posix()}"
        out += [(shown, n, line) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
    return out


def write_schemas(data_dir: str) -> int:
    if not Path(data_dir).is_dir():
        print(f"{data_dir}: データのフォルダが見つかりません", file=sys.stderr)
        return USAGE_ERROR
    for path in schema.write(Path(data_dir)):
        print(f"書き出しました: {path}")
    return 0


def init(target: str) -> int:
    """A minimal valid data folder for a fictional city, with comments saying what to fill in."""
    folder = Path(target)
    if folder.exists() and any(folder.iterdir()):
        print(f"{target}: 空でないフォルダには書き出せません。新しいフォルダ名を指定してください", file=sys.stderr)
        return USAGE_ERROR
    shutil.copytree(STARTER, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    schema.write(folder)
    print(f"{target} に見本のデータを書き出しました。○○ の部分と例の電話番号を書き換えてから、"
          f".venv/bin/tsunagu check {target} で確かめてください。")
    return check(target)


def offline_zip(site_dir: str, target: str) -> int:
    """The offline copy of a built site (the build also writes it as offline.zip)."""
    from .outputs.offline import write_zip
    folder = Path(site_dir)
    if not (folder / "index.html").is_file():
        print(f"{site_dir}: 作ったサイトのフォルダ（index.html のあるフォルダ）を指定してください", file=sys.stderr)
        return USAGE_ERROR
    out = Path(target)
    if out.parent and not out.parent.is_dir():
        print(f"{target}: 書き出す先のフォルダがありません", file=sys.stderr)
        return USAGE_ERROR
    write_zip(folder, out)
    print(f"オフライン版を書き出しました: {out}（展開して index.html を開くと、ネットワークなしで使えます）")
    return 0


def booklet_pdf(data_dir: str, target: str, print_shop: bool = False) -> int:
    """The booklet's PDF from a data folder (the build writes the reading edition as booklet.pdf);
    print_shop: every chapter on a right-hand page, the page count a multiple of 4."""
    import tempfile
    from .outputs import booklet
    try:
        guide = load_guide(data_dir, hand_written=hand_written_pages(), site=site_names())
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    out = Path(target)
    if not out.parent.is_dir():
        print(f"{target}: 書き出す先のフォルダがありません", file=sys.stderr)
        return USAGE_ERROR
    with tempfile.TemporaryDirectory(prefix="tsunagu-booklet-") as work:
        message = booklet.write_pdf(booklet.write_page(Path(work), guide), out, print_shop=print_shop)
    if not out.exists():  # (the print page was only this command's own, in a temporary folder)
        print(message.replace(booklet.PAGE_IS_THERE, "").strip(), file=sys.stderr)
        return 1
    if message:
        print(message, file=sys.stderr)
    from pypdf import PdfReader
    edition = "、印刷所向け: 章は右ページから始まり、ページ数は 4 の倍数" if print_shop else ""
    print(f"冊子の PDF を書き出しました: {out}（{len(PdfReader(str(out)).pages)} ページ{edition}）")
    return 0


def build(engine: str, site_dir: str, data_dir: str | None) -> int:
    """`tsunagu build --engine E -d SITE_DIR`: the project in the current folder (else beside this package)."""
    from .build import engines

    base = _project()
    if base is None:
        print("mkdocs.yml と docs/ のあるフォルダで実行してください。", file=sys.stderr)
        return USAGE_ERROR
    if engine not in engines.ENGINES:
        print(f"エンジン「{engine}」は使えません。{'、'.join(engines.ENGINES)} のどれかを指定してください。", file=sys.stderr)
        return USAGE_ERROR
    try:
        engines.build(base, engine, Path(site_dir), Path(data_dir) if data_dir else None)
    except DataErrors as exc:
        print(exc.report() + NOT_BUILT, file=sys.stderr)
        return 1
    except engines.BuildFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"サイトを作りました（{engine}）: {site_dir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tsunagu", description="tsunagu のデータを扱うコマンド")
    sub = parser.add_subparsers(dest="command")
    p_check = sub.add_parser("check", help="データを検査し、誤りをすべて表示します")
    p_check.add_argument("data_dir", nargs="?", default="data", help="データのフォルダ（既定: data）")
    p_schema = sub.add_parser("schema", help="エディタ用の JSON スキーマを DATA_DIR/schema/ に書き出します")
    p_schema.add_argument("data_dir", nargs="?", default="data")
    p_init = sub.add_parser("init", help="別の市のための見本データを新しいフォルダに書き出します")
    p_init.add_argument("dir", help="書き出すフォルダ（新しいフォルダ）")
    p_offline = sub.add_parser("offline", help="作ったサイトのオフライン版（zip）を書き出します")
    p_offline.add_argument("site_dir", help="作ったサイトのフォルダ（例: site）")
    p_offline.add_argument("zip", help="書き出す zip ファイル（例: offline.zip）")
    p_booklet = sub.add_parser("booklet", help="データから冊子の PDF を書き出します")
    p_booklet.add_argument("--print-shop", action="store_true",
                           help="印刷所向け: 章を右ページ（奇数ページ）から始め、ページ数を 4 の倍数にします（白紙のページを入れます）")
    p_booklet.add_argument("data_dir", help="データのフォルダ（例: data）")
    p_booklet.add_argument("pdf", help="書き出す PDF ファイル（例: booklet.pdf）")
    p_build = sub.add_parser("build", help="サイトを作ります（データ → ページ → エンジン → 仕上げ → 公開）")
    p_build.add_argument("--engine", default="mkdocs", help="サイトを作るエンジン: mkdocs（既定）、properdocs、zensical")
    p_build.add_argument("-d", "--site-dir", default="site", help="作ったサイトを置くフォルダ（既定: site）")
    p_build.add_argument("--data", default=None, help="データのフォルダ（既定: mkdocs.yml の extra.data_dir、または TSUNAGU_DATA）")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return USAGE_ERROR if exc.code else 0
    if args.command == "check":
        return check(args.data_dir)
    if args.command == "build":
        return build(args.engine, args.site_dir, args.data)
    if args.command == "schema":
        return write_schemas(args.data_dir)
    if args.command == "init":
        return init(args.dir)
    if args.command == "offline":
        return offline_zip(args.site_dir, args.zip)
    if args.command == "booklet":
        return booklet_pdf(args.data_dir, args.pdf, args.print_shop)
    parser.print_help(sys.stderr)
    return USAGE_ERROR


def run() -> None:
    """The `tsunagu` command (a console script in the project's .venv/bin)."""
    sys.exit(main())
