"""Accessibility test results: the success criteria, how a recorded run is summarised per criterion.

The criteria are those of JIS X 8341-3:2016 (= WCAG 2.0) levels A and AA, and the criteria WCAG 2.1
and 2.2 added at those levels. Automated tools judge only some of them; the rest need a person.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from . import chars

# ----------------------------------------------------------------------------
# Success criteria: (number, level, Japanese name, where it comes from)
# ----------------------------------------------------------------------------

JIS = "JIS X 8341-3:2016"
CRITERIA: list[tuple[str, str, str, str]] = [
    ("1.1.1", "A", "非テキストコンテンツ", JIS),
    ("1.2.1", "A", "音声のみ及び映像のみ（収録済み）", JIS),
    ("1.2.2", "A", "キャプション（収録済み）", JIS),
    ("1.2.3", "A", "音声解説、又はメディアに対する代替（収録済み）", JIS),
    ("1.2.4", "AA", "キャプション（ライブ）", JIS),
    ("1.2.5", "AA", "音声解説（収録済み）", JIS),
    ("1.3.1", "A", "情報及び関係性", JIS),
    ("1.3.2", "A", "意味のある順序", JIS),
    ("1.3.3", "A", "感覚的な特徴", JIS),
    ("1.3.4", "AA", "表示の向き", "WCAG 2.1"),
    ("1.3.5", "AA", "入力目的の特定", "WCAG 2.1"),
    ("1.4.1", "A", "色の使用", JIS),
    ("1.4.2", "A", "音声の制御", JIS),
    ("1.4.3", "AA", "コントラスト（最低限レベル）", JIS),
    ("1.4.4", "AA", "テキストのサイズ変更", JIS),
    ("1.4.5", "AA", "文字画像", JIS),
    ("1.4.10", "AA", "リフロー", "WCAG 2.1"),
    ("1.4.11", "AA", "非テキストのコントラスト", "WCAG 2.1"),
    ("1.4.12", "AA", "テキストの間隔", "WCAG 2.1"),
    ("1.4.13", "AA", "ホバー又はフォーカスで表示されるコンテンツ", "WCAG 2.1"),
    ("2.1.1", "A", "キーボード", JIS),
    ("2.1.2", "A", "キーボードトラップなし", JIS),
    ("2.1.4", "A", "文字キーのショートカット", "WCAG 2.1"),
    ("2.2.1", "A", "タイミング調整可能", JIS),
    ("2.2.2", "A", "一時停止、停止及び非表示", JIS),
    ("2.3.1", "A", "3回の閃光、又は閾値以下", JIS),
    ("2.4.1", "A", "ブロックスキップ", JIS),
    ("2.4.2", "A", "ページタイトル", JIS),
    ("2.4.3", "A", "フォーカス順序", JIS),
    ("2.4.4", "A", "リンクの目的（コンテキスト内）", JIS),
    ("2.4.5", "AA", "複数の手段", JIS),
    ("2.4.6", "AA", "見出し及びラベル", JIS),
    ("2.4.7", "AA", "フォーカスの可視化", JIS),
    ("2.4.11", "AA", "フォーカスが隠されない（最低限）", "WCAG 2.2"),
    ("2.5.1", "A", "ポインタのジェスチャ", "WCAG 2.1"),
    ("2.5.2", "A", "ポインタのキャンセル", "WCAG 2.1"),
    ("2.5.3", "A", "ラベルを含む名前", "WCAG 2.1"),
    ("2.5.4", "A", "動きによる起動", "WCAG 2.1"),
    ("2.5.7", "AA", "ドラッグ動作", "WCAG 2.2"),
    ("2.5.8", "AA", "ターゲットのサイズ（最低限）", "WCAG 2.2"),
    ("3.1.1", "A", "ページの言語", JIS),
    ("3.1.2", "AA", "一部分の言語", JIS),
    ("3.2.1", "A", "フォーカス時", JIS),
    ("3.2.2", "A", "入力時", JIS),
    ("3.2.3", "AA", "一貫したナビゲーション", JIS),
    ("3.2.4", "AA", "一貫した識別性", JIS),
    ("3.2.6", "A", "一貫したヘルプ", "WCAG 2.2"),
    ("3.3.1", "A", "エラーの特定", JIS),
    ("3.3.2", "A", "ラベル又は説明", JIS),
    ("3.3.3", "AA", "エラー修正の提案", JIS),
    ("3.3.4", "AA", "エラー回避（法的、金融及びデータ）", JIS),
    ("3.3.7", "A", "冗長な入力", "WCAG 2.2"),
    ("3.3.8", "AA", "アクセシブルな認証（最低限）", "WCAG 2.2"),
    ("4.1.1", "A", "構文解析", JIS),
    ("4.1.2", "A", "名前（name）、役割（role）及び値（value）", JIS),
    ("4.1.3", "AA", "ステータスメッセージ", "WCAG 2.1"),
]

Status = Literal["fail", "pass", "review", "not_applicable", "not_tested"]
STATUS_JA = {
    "fail": "不適合あり",
    "pass": "自動試験で問題なし",
    "review": "人による確認が必要",
    "not_applicable": "該当なし（自動判定）",
    "not_tested": "自動試験の対象外（人による確認が必要）",
}
_ORDER = ["fail", "pass", "review", "not_applicable"]


def criterion_of_tag(tag: str) -> str | None:
    """axe tag "wcag143" -> "1.4.3"; "wcag2411" -> "2.4.11"; other tags -> None."""
    m = re.fullmatch(r"wcag(\d)(\d)(\d+)", tag)
    return f"{m[1]}.{m[2]}.{m[3]}" if m else None


# ----------------------------------------------------------------------------
# A recorded run
# ----------------------------------------------------------------------------


# Text of a recorded run reaches the site's pages like the data's: under the same character rules.
Visible = Annotated[str, AfterValidator(chars.visible_text)]


class Tool(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Visible
    version: Visible
    checks: Visible = Field(description="何を調べたか")


class CriterionResult(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    status: Status
    checked_by: list[Visible] = Field(default_factory=list, description="判定した道具・試験")
    violations: int = 0


class Run(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    date: Visible = Field(description="試験日（YYYY-MM-DD）")
    tools: list[Tool]
    pages: list[Visible] = Field(description="試験したページの URL")
    violations: int = Field(description="違反の合計")
    criteria: dict[Visible, CriterionResult]


def combine(statuses: list[str]) -> str:
    """A criterion's status over many pages and rules: any fail wins, then pass, then review."""
    for status in _ORDER:
        if status in statuses:
            return status
    return "not_tested"


def summarise_axe(per_page: list[dict]) -> dict[str, list[str]]:
    """axe results of many pages -> criterion -> list of statuses seen."""
    seen: dict[str, list[str]] = {}
    kinds = {"violations": "fail", "passes": "pass", "incomplete": "review", "inapplicable": "not_applicable"}
    for result in per_page:
        for kind, status in kinds.items():
            for rule in result.get(kind, []):
                for tag in rule.get("tags", []):
                    crit = criterion_of_tag(tag)
                    if crit:
                        seen.setdefault(crit, []).append(status)
    return seen


def counts(run: Run) -> list[tuple[str, int]]:
    """How many of the listed criteria have each status in a run (unlisted ones are not tested)."""
    tally: dict[str, int] = {}
    for num, *_ in CRITERIA:
        status = run.criteria[num].status if num in run.criteria else "not_tested"
        tally[status] = tally.get(status, 0) + 1
    return [(s, tally[s]) for s in STATUS_JA if s in tally]
