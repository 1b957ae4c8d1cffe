"""Opening hours as data: days of the week, opening and closing times, closed days and a note.

A place's (or a phone's) `hours` may be written three ways, all read into one OpeningHours:

    hours: 平日 8:30-17:15                       # free text, as before: kept as the note
    hours:                                       # one period
      days: [mon, tue, wed, thu, fri]
      opens: "08:30"
      closes: "17:15"
      closed: [holidays, new-year]
      new_year: {first: "12-29", last: "01-03"}
      note: …
    hours:                                       # several periods (split hours)
      periods:
        - {days: [mon, tue, wed, thu, fri], opens: "17:15", closes: "08:30"}   # closes before opens: the next morning
        - {days: [sat, sun, holidays], all_day: true}

Pages print them with format() (labels.py holds every word); the exports read the structure.
parse() reads the common free-text forms, so that `check` can say which hours could be structured.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from . import chars, labels, limits

# ----------------------------------------------------------------------------
# The shape
# ----------------------------------------------------------------------------

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holidays"]
ClosedDay = Literal["holidays", "citizens-holidays", "new-year"]

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_MONTH_DAY = re.compile(r"^(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])$")


def _time(value: object) -> str:
    """"8:30" or "08:30" (half-width or full-width digits) -> "08:30"."""
    text = unicodedata.normalize("NFKC", value) if isinstance(value, str) else value
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 8:30 as the sexagesimal number 510
        text = f"{value // 60}:{value % 60:02d}"
    found = _TIME.match(text) if isinstance(text, str) else None
    if not found:
        raise PydanticCustomError("hours_time", "時刻は 08:30 の形（24時間制、半角）で書いてください (\"{value}\")",
                                  {"value": value})
    return f"{int(found[1]):02d}:{found[2]}"


def _month_day(value: object) -> str:
    text = unicodedata.normalize("NFKC", value) if isinstance(value, str) else value
    found = _MONTH_DAY.match(text) if isinstance(text, str) else None
    if not found:
        raise PydanticCustomError("hours_date", "日付は 12-29 の形（月-日、半角）で書いてください (\"{value}\")",
                                  {"value": value})
    return f"{int(found[1]):02d}-{int(found[2]):02d}"


Time = Annotated[str, BeforeValidator(_time)]
MonthDay = Annotated[str, BeforeValidator(_month_day)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.TEXT_CHARS),
                AfterValidator(chars.visible_text)]


class _Model(BaseModel):
    # defer_build: built when first used, not on import (as model.py's models)
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Period(_Model):
    """Days with one opening and closing time (or open all day)."""

    days: list[Day] = Field(min_length=1, description=f"曜日: {labels.describe(labels.WEEKDAY)}")
    opens: Time | None = Field(None, description="開始時刻（例: \"08:30\"。引用符で囲みます）")
    closes: Time | None = Field(None, description="終了時刻（例: \"17:15\"。開始より前なら翌朝）")
    all_day: bool = Field(False, description="終日（24時間）受け付けるなら true（opens・closes は書かない）")

    @model_validator(mode="after")
    def _times(self) -> "Period":
        if self.all_day and (self.opens or self.closes):
            raise PydanticCustomError("hours_all_day", "all_day: true のときは opens・closes を書きません", {})
        if not self.all_day and bool(self.opens) != bool(self.closes):
            raise PydanticCustomError("hours_pair", "opens と closes は両方書いてください", {})
        return self

    @property
    def overnight(self) -> bool:
        return bool(self.opens and self.closes and self.closes <= self.opens)


class NewYear(_Model):
    first: MonthDay = Field(description="年末年始の休みの最初の日（例: \"12-29\"）")
    last: MonthDay = Field(description="年末年始の休みの最後の日（例: \"01-03\"）")


def _as_hours(value: object) -> object:
    """Free text is the note; a list is the periods; one period may be written at the top level."""
    if isinstance(value, str):
        return {"note": value}
    if isinstance(value, list):
        return {"periods": value}
    return value


class OpeningHours(_Model):
    """受付時間: 曜日と時刻、休み、補足。文字だけで書いたもの（例: 平日 8:30-17:15）は補足として表示します。"""

    days: list[Day] = Field(default_factory=list, description=f"曜日（一つの時間帯のとき）: {labels.describe(labels.WEEKDAY)}")
    opens: Time | None = Field(None, description="開始時刻（例: \"08:30\"）")
    closes: Time | None = Field(None, description="終了時刻（例: \"17:15\"）")
    all_day: bool = Field(False, description="終日（24時間）なら true")
    periods: list[Period] = Field(default_factory=list, description="時間帯がいくつもあるとき（曜日ごとに時刻が違うなど）の時間帯の一覧")
    closed: list[ClosedDay] = Field(default_factory=list, description=f"休み: {labels.describe(labels.CLOSED)}")
    new_year: NewYear | None = Field(None, description="年末年始の休みの期間（資料にあるときだけ）")
    note: Note | None = Field(None, description="補足（曜日・時刻で書けないこと。文字だけで書いた受付時間もここに入ります）")

    @model_validator(mode="after")
    def _shape(self) -> "OpeningHours":
        top = bool(self.days or self.opens or self.closes or self.all_day)
        if top and self.periods:
            raise PydanticCustomError("hours_both", "days・opens・closes と periods は、どちらか一方だけ書いてください", {})
        if top and not self.days:
            raise PydanticCustomError("hours_days", "曜日（days）を書いてください（例: [mon, tue, wed, thu, fri]）", {})
        if top:
            Period(days=self.days, opens=self.opens, closes=self.closes, all_day=self.all_day)
        if self.new_year and "new-year" not in self.closed:
            raise PydanticCustomError("hours_new_year", "new_year を書くときは closed に new-year も書いてください", {})
        if not (top or self.periods or self.closed or self.note):
            raise PydanticCustomError("hours_empty", "受付時間の内容を書いてください", {})
        return self

    @property
    def all_periods(self) -> list[Period]:
        if self.periods:
            return list(self.periods)
        if self.days:
            return [Period(days=self.days, opens=self.opens, closes=self.closes, all_day=self.all_day)]
        return []

    @property
    def structured(self) -> bool:
        return bool(self.all_periods or self.closed)

    def __str__(self) -> str:
        return format(self)

    @property
    def times_text(self) -> str:
        return format(self, closed=False)

    @property
    def closed_text(self) -> str:
        return closed_days(self)


# The field type for `hours` in the models: text, one period, or several
HoursField = Annotated[OpeningHours, BeforeValidator(_as_hours, json_schema_input_type=Note | OpeningHours | list[Period])]

# ----------------------------------------------------------------------------
# Printing (every word from labels.py)
# ----------------------------------------------------------------------------


def clock(value: str) -> str:
    """"08:30" -> "8:30"."""
    h, m = value.split(":")
    return f"{int(h)}:{m}"


def days_text(days: list[str]) -> str:
    """[mon..fri] -> 月〜金; [sat, sun, holidays] -> 土・日・祝日."""
    week = [d for d in WEEK if d in days]
    idx = [WEEK.index(d) for d in week]
    short = [labels.WEEKDAY[d][0] for d in week]
    if len(idx) >= 3 and idx == list(range(idx[0], idx[-1] + 1)):
        text = f"{short[0]}{labels.RANGE}{short[-1]}"
    else:
        text = labels.AND.join(short)
    if "holidays" in days:
        text = labels.AND.join(x for x in (text, labels.WEEKDAY["holidays"]) if x)
    return text


def period_text(p: Period) -> str:
    if p.all_day:
        when = labels.ALL_DAY
    elif p.opens:
        when = f"{clock(p.opens)}{labels.RANGE}{labels.NEXT_DAY if p.overnight else ''}{clock(p.closes)}"
    else:
        when = ""
    return " ".join(x for x in (days_text(p.days), when) if x)


def _closed_words(h: OpeningHours) -> list[str]:
    words = []
    for c in h.closed:
        word = labels.CLOSED[c]
        if c == "new-year" and h.new_year:
            word += f"（{_md(h.new_year.first)}{labels.RANGE}{_md(h.new_year.last)}）"
        words.append(word)
    return words


def _md(value: str) -> str:
    m, d = value.split("-")
    return f"{int(m)}月{int(d)}日"


def closed_days(h: OpeningHours) -> str:
    """The days it is closed, as a 休み line: the days of the week no period opens, then the closed days."""
    periods = h.all_periods
    open_days = {d for p in periods for d in p.days}
    week = [labels.WEEKDAY[d] for d in WEEK if periods and d not in open_days]
    return "、".join(week + _closed_words(h))


def closed_sentence(h: OpeningHours) -> str:
    """「祝日・年末年始を除く」, or "" where no closed days are given."""
    words = _closed_words(h)
    return f"{labels.AND.join(words)}{labels.EXCEPT}" if words else ""


def format(h: OpeningHours, closed: bool = True) -> str:
    """月〜金 8:30〜17:15（祝日・年末年始を除く）, then the note. closed=False leaves the closed days
    out (for a page that prints them on a line of their own)."""
    text = "、".join(period_text(p) for p in h.all_periods)
    words = _closed_words(h) if closed else []
    if words:
        text += f"（{labels.AND.join(words)}{labels.EXCEPT}）"
    return "　".join(x for x in (text, h.note) if x)


def weekday_columns(h: OpeningHours) -> tuple[str, str, str]:
    """The CSV's 利用可能曜日, 開始時間, 終了時間: filled where every period has the same times."""
    periods = h.all_periods
    times = {(p.opens, p.closes, p.all_day) for p in periods}
    if len(times) != 1:
        return "", "", ""
    opens, closes, all_day = times.pop()
    days = [d for d in (*WEEK, "holidays") if any(d in p.days for p in periods)]
    day_text = ",".join(labels.WEEKDAY[d][0] if d in WEEK else labels.WEEKDAY[d] for d in days)
    if all_day:
        return day_text, "00:00", "24:00"
    return day_text, opens or "", closes or ""


# ----------------------------------------------------------------------------
# Reading free text: the common forms, for check's hint
# ----------------------------------------------------------------------------

_KANJI_DAY = {"月": "mon", "火": "tue", "水": "wed", "木": "thu", "金": "fri", "土": "sat", "日": "sun"}
_DASH = "[~〜～ー―‐－-]"
_CLOCK = r"(午前|午後)?\s*(\d{1,2})\s*(?:時\s*(?:(\d{1,2})\s*分|(半))?|:(\d{2}))"


def _hhmm(ampm: str | None, h: str, m1: str | None, half: str | None, m2: str | None) -> str:
    hour, minute = int(h), int(m1 or m2 or (30 if half else 0))
    if ampm == "午後" and hour < 12:
        hour += 12
    return f"{hour:02d}:{minute:02d}"


def parse(text: str) -> dict | None:
    """The structured form of free-text hours in a common form (「月曜日〜金曜日 8時30分〜17時15分
    （祝日・年末年始を除く）」「平日 8:30-17:15」「午前8時30分～午後5時15分」), or None."""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", " ", s).strip()
    out: dict = {}
    # days
    days = None
    if "平日" in s:
        days = list(WEEK[:5])
    elif "毎日" in s:
        days = list(WEEK)
    else:
        found = re.search(rf"([月火水木金土日])(?:曜日?)?\s*{_DASH}\s*([月火水木金土日])(?:曜日?)?", s)
        if found:
            a, b = WEEK.index(_KANJI_DAY[found[1]]), WEEK.index(_KANJI_DAY[found[2]])
            if a < b:
                days = list(WEEK[a:b + 1])
    # times
    found = re.search(rf"{_CLOCK}\s*{_DASH}\s*(翌)?\s*{_CLOCK}", s)
    if not found:
        return None
    opens = _hhmm(*found.groups()[:5])
    closes = _hhmm(*found.groups()[6:11])
    if days:
        out["days"] = days
    out["opens"], out["closes"] = opens, closes
    closed = []
    for word, code in (("祝", "holidays"), ("国民の休日", "citizens-holidays"), ("年末年始", "new-year")):
        if word in s and (word != "祝" or "除" in s or "休" in s):
            closed.append(code)
    if closed:
        out["closed"] = closed
    return out


def suggestion(read: dict) -> str:
    """What parse() read, as a flow mapping to paste into the YAML; days left for the editor to add
    where the text names none."""
    parts = [f"days: [{', '.join(read['days'])}]" if "days" in read else "days: [曜日]",
             f'opens: "{read["opens"]}"', f'closes: "{read["closes"]}"']
    if read.get("closed"):
        parts.append(f"closed: [{', '.join(read['closed'])}]")
    return "{" + ", ".join(parts) + "}"
