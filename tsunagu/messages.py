"""Pydantic's validation errors, said in Japanese for the people who edit the data."""

from __future__ import annotations

from pydantic_core import ErrorDetails

# English key -> Japanese explanation; {placeholders} come from the error's context
_MESSAGES: dict[str, str] = {
    "missing": "必須の項目がありません。この項目を書いてください",
    "extra_forbidden": "知らない項目です。項目名の綴りを確認してください",
    "string_type": "文字で書いてください",
    "string_too_short": "空にはできません。内容を書いてください",
    "string_too_long": "長すぎます（{max_length} 文字まで）",
    "string_pattern_mismatch": "書き方が正しくありません",
    "list_type": "一覧で書いてください（各行を「- 」で始めます）",
    "too_short": "少なくとも {min_length} 件書いてください",
    "dict_type": "「項目名: 値」の形で書いてください",
    "model_type": "「項目名: 値」の形で書いてください",
    "model_attributes_type": "「項目名: 値」の形で書いてください",
    "int_parsing": "半角の整数で書いてください",
    "int_type": "半角の整数で書いてください",
    "greater_than_equal": "{ge} 以上の数にしてください",
    "less_than_equal": "{le} 以下の数にしてください",
    "bool_parsing": "true か false で書いてください",
    "bool_type": "true か false で書いてください",
    "literal_error": "次のどれかにしてください: {expected}",
    "date_type": "日付は 2025-03 の形で書いてください",
}

_PATTERNS = {
    "^[a-z0-9]+(?:-[a-z0-9]+)*$": "id は半角の英小文字・数字・ハイフンで書いてください（例: kita-center）",
    "^https?://\\S+$": "URL は http:// または https:// で始めてください",
    "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$": "メールアドレスの形式が正しくありません",
}


def japanese(error: ErrorDetails) -> str:
    """The Japanese sentence for one pydantic error, with the offending value where it helps."""
    key = error["type"]
    ctx = error.get("ctx") or {}
    if key == "string_pattern_mismatch":
        text = _PATTERNS.get(str(ctx.get("pattern")), _MESSAGES[key])
    elif key in _MESSAGES:
        try:
            text = _MESSAGES[key].format(**ctx)
        except (KeyError, IndexError):
            text = _MESSAGES[key]
    else:
        text = error["msg"]  # custom errors (phone, date) already speak Japanese
        return text
    value = error.get("input")
    if key not in ("missing", "extra_forbidden") and isinstance(value, (str, int)) and str(value).strip():
        shown = str(value) if len(str(value)) <= 40 else str(value)[:40] + "…"
        text += f" (\"{shown}\")"
    return text


def field_path(loc: tuple) -> str:
    """("agencies", 3, "phones", 0, "number") -> agencies[3].phones[0].number"""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
