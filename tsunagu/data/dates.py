"""Year-month dates as the city writes them, shown in 和暦 and 西暦."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from pydantic_core import PydanticCustomError

from . import limits

# (first day, era name), newest first
_ERAS = [
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
]

_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")


def parse_month(value: object) -> dt.date:
    """Accept "2025-03" or "2025-03-01" (full-width digits too); return the date (day 1 if none)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) > limits.DATE_CHARS:
        # a list, a mapping or a long text is never a date: refuse it without printing it whole
        raise PydanticCustomError("invalid_date", "日付は 2025-03 または 2025-03-01 の形で書いてください", {})
    text = unicodedata.normalize("NFKC", value).strip()
    match = _PATTERN.match(text)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise PydanticCustomError("invalid_date", "日付は 2025-03 または 2025-03-01 の形で書いてください (\"{value}\")",
                              {"value": str(value)})


def wareki_month(day: dt.date) -> str:
    """令和7年3月 (元年 for the first year of an era)."""
    for start, name in _ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月"
    return f"{day.year}年{day.month}月"


def seireki_month(day: dt.date) -> str:
    return f"{day.year}年{day.month}月"
