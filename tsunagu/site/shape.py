"""Sections the site would build empty, found from the Guide before anything is built.

Data written for an earlier shape of the files (no programme with `role: consultation`, an outcome
naming a city section in `contacts` instead of `first_door`, ...) still passes the checks, and the
pages that read the newer field used to print a heading with nothing under it. Each conditional
section of the hand-written pages (docs/*.md) and the templates is listed here with the data it needs:
the pages leave a section out when its data is missing, and `tsunagu check` says which, in which file,
and what to write. Pure: reads the Guide only.

Two kinds:
- `holes`: a section a city's site is expected to have (its data is missing or has an old shape);
  `check` prints each as a warning (注意).
- `left_out`: parts a city may leave out on purpose (optional files such as cases.yml); `check`
  names them on one line, so staff know the site has no such page or section and where to add it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data import model as m
from ..data.guide import Guide

# ----------------------------------------------------------------------------
# What a hole is
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Hole:
    """A section the site leaves out because its data is missing: what is left out, why, what to write."""

    file: str  # data file to edit, relative to the data folder ("programs.yml", "flows/x.yml")
    left_out: str  # the sections left out, as a reader of the site finds them
    why: str  # what the data lacks
    fix: str  # what to write, concretely

    def line(self, data_dir: str = "") -> str:
        """One warning line for `check`: file first, as errors are."""
        where = f"{data_dir.rstrip('/')}/{self.file}" if data_dir else self.file
        return f"{where}: 注意: {self.why}。そのため、{self.left_out}を載せていません。直し方: {self.fix}"


@dataclass(frozen=True)
class LeftOut:
    """An optional part the city has not written: the site simply has no such page or section."""

    file: str
    what: str  # 「事例」


# ----------------------------------------------------------------------------
# The holes, one function per kind of section
# ----------------------------------------------------------------------------


def _consultation(guide: Guide) -> list[Hole]:
    """docs/index.md 「まず相談したいとき」, docs/residents.md 「相談先は、まるごと話を聞きます」,
    docs/agencies/index.md's lead, and every flow's outcome_note read the consultation programme."""
    if guide.consultation_program is not None:
        return []
    notes = [f.flow.id for f in guide.flows if f.flow.outcome_note]
    also = "、質問の流れの結果に添える言葉（outcome_note）" if notes else ""
    return [Hole(
        "programs.yml",
        f"ホームの「まず相談したいとき」、「お住まいの方へ」の「相談先は、まるごと話を聞きます」、相談先一覧のはじめの説明{also}",
        "住民の最初の相談を受ける事業（role: consultation）がありません",
        "programs.yml で、住民の最初の相談を受ける事業（例: 包括的相談支援事業）の「- id: …」の次の行に、"
        "同じ字下げで「role: consultation」と書いてください（以前は、一番目の事業をそう扱っていました）")]


def _emergency(guide: Guide) -> list[Hole]:
    """The 「今すぐ命や体が危ないときは」 line of the home, residents and directory pages."""
    if guide.emergency_numbers:
        return []
    why = ("全国共通の番号（national.yml）に、今すぐ命や体が危ないときの番号（110番・119番）がありません"
           if not guide.national else
           "全国共通の番号（national.yml）が、どれも emergency: false になっています")
    return [Hole(
        "national.yml", "ホーム・「お住まいの方へ」・相談先一覧の「今すぐ命や体が危ないときは」の行", why,
        "national.yml に、110番（警察）と119番（消防・救急）を書いてください（tsunagu init で書き出される見本の "
        "national.yml と同じ書き方です）。emergency: false は、189 のような相談の番号にだけ書きます")]


def _hub_programs(guide: Guide) -> list[Hole]:
    """The hub page's 「担っている事業」."""
    if guide.hub_programs():
        return []
    return [Hole(
        "programs.yml", f"{guide.hub.name}のページの「担っている事業」",
        f"{guide.hub.name}（hub.yml）が担う事業がありません",
        "programs.yml で、多機関協働事業者が担う事業（例: 多機関協働事業）の providers に「- hub: true」を書いてください")]


def _closure(guide: Guide) -> list[Hole]:
    """The 「終結の基準」 section of the professionals page and the 「終結の基準」 page (left out: pages.omitted_docs)."""
    if guide.closure_programs():
        return []
    return [Hole(
        "programs.yml", "「支援者の方へ」の「終結の基準」と「終結の基準」のページ",
        "どの事業にも、終結の基準（closure）がありません",
        "programs.yml で、終結の基準が資料にある事業に「closure:」を書き、その下に summary（一覧表の言葉）と "
        "text（事業のページの言葉）を書いてください")]


def _meeting_groups(guide: Guide) -> list[Hole]:
    """docs/meetings/index.md and the booklet: one heading per group, with its meetings under it."""
    return [Hole(
        "meetings.yml", f"「支援会議」のページの「{g.title}」の一覧",
        f"会議のまとまり「{g.title}」（{g.id}）に、会議が一つもありません",
        f"meetings.yml で、このまとまりの会議に「group: {g.id}」と書くか、groups からこのまとまりを消してください")
        for g in guide.meeting_groups if not guide.meetings_in(g.id)]


def _providers(guide: Guide) -> list[Hole]:
    """A programme page's provider tables (and the booklet's list): a provider naming no one would be 「0 カ所」."""
    return [Hole(
        "programs.yml", f"事業「{p.name}」のページと冊子の、{i + 1} 番目の担い手",
        f"事業「{p.name}」の providers の {i + 1} 番目に、相談先も種別も担当課も書かれていません",
        "その担い手に categories（種別の id）・agencies（相談先の id）・offices（担当課の id）のどれかを書くか、"
        "多機関協働事業者が担うなら「hub: true」と書いてください")
        for p in guide.programs for i, pr in enumerate(p.providers)
        if not (pr.hub or pr.categories or pr.agencies or pr.offices)]


def _bare_headings(sections: list[m.Section]) -> list[str]:
    """Headings of sections with no text of their own and no untitled section after them to continue them."""
    bare = []
    for i, s in enumerate(sections):
        follows = sections[i + 1] if i + 1 < len(sections) else None
        if s.heading and not (s.body or s.items) and (follows is None or follows.heading):
            bare.append(s.heading)
    return bare


def _sections(guide: Guide) -> list[Hole]:
    """Chapter pages and programme pages: a section's heading with neither body nor items."""
    fix = "その節に body（段落）か items（箇条書き）を書くか、見出し（heading）を消してください"
    holes = [Hole("narrative.yml", f"章「{c.title}」のページの見出し「{h}」", f"章「{c.title}」の節「{h}」に、本文がありません", fix)
             for c in guide.chapters for h in _bare_headings(c.sections)]
    holes += [Hole("programs.yml", f"事業「{p.name}」のページの見出し「{h}」", f"事業「{p.name}」の節「{h}」に、本文がありません", fix)
              for p in guide.programs for h in _bare_headings(p.sections)]
    return holes


def _targets(guide: Guide) -> list[Hole]:
    """A programme page's targets: its title is a heading over lead, items_title, items and more."""
    return [Hole(
        "programs.yml", f"事業「{p.name}」のページの「{p.targets.title}」",
        f"事業「{p.name}」の targets に、見出し（title）のほかに何も書かれていません",
        "targets に lead（導入の文）か items（対象となる人の例）を書くか、targets を消してください")
        for p in guide.programs
        if p.targets and not (p.targets.lead or p.targets.items_title or p.targets.items or p.targets.more)]


def _chapter_parts(guide: Guide) -> list[Hole]:
    """What a chapter's `show` asks for: each part is printed only when its data exists."""
    holes = []
    for c in guide.chapters:
        for part in c.show:
            if part == "household_problems" and not _has_household_problems(guide):
                holes.append(Hole(
                    "narrative.yml", f"章「{c.title}」のページの、世帯の問題の図（household_problems）",
                    f"章「{c.title}」の show に household_problems がありますが、narrative.yml の household_problems に中身（lead・center・items）がありません",
                    "narrative.yml に household_problems（title と、lead・center・items）を書くか、章の show から household_problems を消してください"))
            elif part == "cycle" and not _has_cycle(guide):
                holes.append(Hole(
                    "narrative.yml", f"章「{c.title}」のページの、相談対応と地域づくりの循環（cycle）",
                    f"章「{c.title}」の show に cycle がありますが、narrative.yml の cycle に中身（steps・consultation・community）がありません",
                    "narrative.yml に cycle（title と steps）を書くか、章の show から cycle を消してください"))
            elif part == "case_overviews" and not any(cs.overview for cs in guide.cases):
                holes.append(Hole(
                    "cases.yml", f"章「{c.title}」のページの「複雑化・複合化した問題を抱える世帯とは」",
                    f"章「{c.title}」の show に case_overviews がありますが、overview（第1章の事例紹介）のある事例がありません",
                    "cases.yml の事例に overview（members・situation・problems）を書くか、章の show から case_overviews を消してください"))
    return holes


def _has_household_problems(guide: Guide) -> bool:
    hp = guide.household_problems
    return bool(hp and (hp.lead or hp.center or hp.items or hp.hard_situations))


def _has_cycle(guide: Guide) -> bool:
    cy = guide.cycle
    return bool(cy and (cy.steps or cy.consultation or cy.community))


def _hub_texts(guide: Guide) -> list[Hole]:
    """The hub page's and the professionals page's when_to_consult and application: a title over body."""
    return [Hole(
        "hub.yml", f"{guide.hub.name}のページと「支援者の方へ」の「{part.title}」",
        f"hub.yml の {key} に、見出し（title）のほかに本文（body）がありません",
        f"{key} の body に段落を書くか、{key} を消してください")
        for key, part in (("when_to_consult", guide.hub.when_to_consult), ("application", guide.hub.application))
        if part is not None and not part.body]


def _case_households(guide: Guide) -> list[Hole]:
    """A case page's 「世帯の状況」: household and members."""
    return [Hole(
        "cases.yml", f"事例「{c.title}」のページの「世帯の状況」",
        f"事例「{c.title}」に、household（世帯の状況）も members（世帯の構成）もありません",
        "その事例に household（例: ３人世帯）か members（続柄 role と状況 description）を書いてください")
        for c in guide.cases if not (c.household or c.members)]


def _first_doors(guide: Guide) -> list[Hole]:
    """A flow outcome's first door: a heading naming a city section, then its phone and e-mail."""
    holes = []
    for f in guide.flows:
        for o in f.outcomes:
            if o.first_door is None:
                continue
            office = guide.office(o.first_door.office)
            if not (office.phones or office.email):
                holes.append(Hole(
                    "offices.yml", f"質問の流れ「{f.flow.title}」の結果「{o.title}」の、まず電話するところ（{office.name}）",
                    f"結果「{o.title}」の first_door の担当課「{office.name}」（{office.id}）に、電話番号もメールもありません",
                    f"offices.yml で、担当課「{office.name}」に phones（電話番号）を書いてください"))
    return holes


def _outcome_notes(guide: Guide) -> list[Hole]:
    """A flow's outcome_note is shown only on outcomes that list a door of the consultation programme."""
    if guide.consultation_program is None:
        return []  # said once, by _consultation
    return [Hole(
        f"flows/{f.flow.id}.yml", f"質問の流れ「{f.flow.title}」の結果に添える言葉（outcome_note）",
        "outcome_note は、住民の最初の相談を受ける事業（role: consultation）の相談先を contacts に書いた結果にだけ表示します。"
        "この流れには、そういう結果がありません",
        f"その事業の相談先か種別の id（例: {_door_example(guide)}）を、当てはまる結果の contacts に書くか、outcome_note を消してください")
        for f in guide.flows if f.flow.outcome_note
        and not any(guide.names_consultation_door(o.contacts) for o in f.outcomes)]


def _door_example(guide: Guide) -> str:
    program = guide.consultation_program
    for pr in program.providers if program else ():
        if pr.categories or pr.agencies:
            return (pr.categories or pr.agencies)[0]
    return "相談先の id"


def _free_hours(guide: Guide) -> list[Hole]:
    """Hours written as text only in a form hours.parse() reads: the exports' day and time fields
    (CSV 利用可能曜日・開始時間・終了時間, HSDS schedules, schema.org openingHoursSpecification) stay empty."""
    from ..data import hours
    places = [("agencies.yml", a) for a in guide.agencies] + [("hub.yml", guide.hub)]
    found = []
    for file, place in places:
        owners = [(place.name, place.hours)] + [(f"{place.name}の電話 {p.label or p.display}", p.hours) for p in place.phones]
        for who, h in owners:
            read = hours.parse(h.note) if h is not None and not h.structured and h.note else None
            if read:
                found.append(Hole(file, "オープンデータの曜日と時刻の欄（CSV の利用可能曜日・開始時間・終了時間、HSDS の schedules、"
                                        "schema.org の openingHoursSpecification）",
                                  f"{who}の受付時間「{h.note}」は文字だけで書かれています",
                                  f"曜日と時刻で書けます（例: hours: {hours.suggestion(read)}）。"
                                  "書き表せないことは note: に残します"))
    return found


HOLE_FINDERS = (_consultation, _emergency, _hub_programs, _closure, _meeting_groups, _providers, _sections,
                _targets, _chapter_parts, _hub_texts, _case_households, _first_doors, _outcome_notes,
                _free_hours)


def holes(guide: Guide) -> list[Hole]:
    """Every section the site would build empty, in the order the finders are listed."""
    return [h for find in HOLE_FINDERS for h in find(guide)]


# ----------------------------------------------------------------------------
# Words the pages print that nothing can read: their ふりがな is missing or a guess
# ----------------------------------------------------------------------------


def unread(guide: Guide, texts) -> list:
    """Kanji words in texts ((file, line, text): the data's and the hand-written pages') that no reading
    of the data covers and the analyser could not read or only guessed (proper names): staff add them
    to readings.yml. Each word once, at its first place (readings.Unread)."""
    from ..data import readings
    return readings.unread_places(texts, readings.reader_of(guide))


def unread_line(word, data_dir: str = "") -> str:
    """One warning line for `check`, file and line first as errors are."""
    where = f"{word.file}:{word.line}" if word.line else word.file
    readings_file = f"{data_dir.rstrip('/')}/readings.yml" if data_dir else "readings.yml"
    more = f"。ほかに {word.count - 1} か所" if word.count > 1 else ""
    if word.reading:
        said = f"「{word.surface}」の読みは、コンピューターの推測（{word.reading}）です{more}"
        example = f"{word.surface}: {word.reading}"
    else:
        said = f"「{word.surface}」の読みがわかりません{more}"
        example = f"{word.surface}: よみ"
    return f"{where}: 注意: {said}。{readings_file} に「{example}」のように正しい読みを書き足してください (unread_word)"


# ----------------------------------------------------------------------------
# Residents' texts with no Easy Japanese (やさしい日本語): their Easy page shows the plain text with a note
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NoEasy:
    file: str  # "flows/where-to-consult.yml"
    line: int | None
    what: str  # 「質問「…」」

    def line_text(self, data_dir: str = "") -> str:
        """One warning line for `check`, file and line first as errors are."""
        where = f"{data_dir.rstrip('/')}/{self.file}" if data_dir else self.file
        where += f":{self.line}" if self.line else ""
        return (f"{where}: 注意: {self.what}に、やさしい日本語（easy）がありません。やさしい日本語のページには、"
                f"もとの文と「この部分は、まだ、やさしい言葉で書いていません。」を表示します。easy: を書き足してください (no_easy_japanese)")


def missing_easy(guide: Guide, data_dir=None) -> list[NoEasy]:
    """Every item the Easy Japanese pages show that has no `easy` text (tsunagu.site.easy.resident_items),
    with its line when the data folder is given."""
    from pathlib import Path

    from . import easy
    from ..data.yamlfile import line_of, read_yaml
    raw: dict[str, object] = {}
    out = []
    for file, path, what, item in easy.resident_items(guide):
        if getattr(item, "easy", None):
            continue
        line = None
        if data_dir is not None:
            if file not in raw:
                target = Path(data_dir) / file
                raw[file] = read_yaml(target, file)[0] if target.is_file() else None
            if raw[file] is not None:
                line = line_of(raw[file], path)
        out.append(NoEasy(file, line, what))
    return out


# ----------------------------------------------------------------------------
# Optional parts a city has not written
# ----------------------------------------------------------------------------


def left_out(guide: Guide) -> list[LeftOut]:
    """Optional files (or parts) that are empty: the site has no page or section for them, by design."""
    parts = [
        (not guide.flows, "flows/", "質問で相談先を探すページ"),
        (not guide.cases, "cases.yml", "事例"),
        (not guide.chapters, "narrative.yml", "資料の章"),
        (not guide.glossary, "glossary.yml", "用語集"),
        (guide.accessibility is None, "accessibility.yml", "ウェブアクセシビリティ方針"),
    ]
    return [LeftOut(file, what) for empty, file, what in parts if empty]


def left_out_line(parts: list[LeftOut]) -> str:
    """One line for `check` naming the optional parts not written (no warning: they may be left out)."""
    named = "、".join(f"{p.what}（{p.file}）" for p in parts)
    return f"書かれていないので載せていない部分（なくてもかまいません）: {named}"
