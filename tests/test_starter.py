"""The starter (`tsunagu init`) builds a site with no holes, and data of an earlier shape is loud.

Issue 21, parts 4 and 7: a heading over nothing (「まず相談したいとき」 with no `role: consultation`,
「こんな家族の例があります」 with `cases: []`), 「第第1章章」, a sentence that starts with 「（」 where an
optional value was missing. `check` names every section the site leaves out (tsunagu.site.shape), and the
pages leave those sections out instead of printing a heading with nothing under it."""

from __future__ import annotations

import dataclasses
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DATA, built_site, mkdocs_build
from tsunagu import load_guide
from tsunagu.site import shape
from tsunagu.cli import main

WARNING = "注意:"

# ----------------------------------------------------------------------------
# Reading the built pages: what an empty section, a doubled word or a bracket-first sentence looks like
# ----------------------------------------------------------------------------

BLOCKS = {"p", "li", "dt", "dd", "td", "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section",
          "ul", "ol", "dl", "table", "tr", "br", "summary", "details", "figcaption"}


class _Main(HTMLParser):
    """The article's text as events: ("h", level, text) for a heading, ("text", text) for anything else
    shown; its lines (one per block element); empty lists. The update-date line is left out: a
    heading followed only by it is still empty."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.skip = 0  # inside <script>, <style> or the update-date line
        self.heading: list | None = None
        self.events: list[tuple] = []
        self.lines: list[str] = [""]
        self.lists: list[list] = []  # open lists: [tag, items seen]
        self.empty_lists: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if tag in ("script", "style") or "ts-updated" in (attrs.get("class") or "").split():
            self.skip += 1
            self.open.append(tag + "#skip")
            return
        if tag not in ("br", "img", "input", "meta", "link", "hr", "wbr"):
            self.open.append(tag)
        if re.fullmatch(r"h[1-6]", tag) and not self.skip:
            self.heading = [int(tag[1]), ""]
        if tag in ("ul", "ol", "dl"):
            self.lists.append([tag, 0])
        if tag in ("li", "dt", "dd") and self.lists:
            self.lists[-1][1] += 1
        if tag in BLOCKS:
            self.lines.append("")

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if not self.depth:
            return
        while self.open:
            top = self.open.pop()
            if top.endswith("#skip"):
                self.skip -= 1
            if top.split("#")[0] == tag:
                break
        if self.heading and tag == f"h{self.heading[0]}":
            self.events.append(("h", self.heading[0], self.heading[1].replace("¶", "").strip()))
            self.heading = None
        if tag in ("ul", "ol", "dl") and self.lists:
            kind, items = self.lists.pop()
            if not items:
                self.empty_lists.append(kind)
        if tag in BLOCKS:
            self.lines.append("")

    def handle_data(self, data):
        if not self.depth or self.skip:
            return
        if self.heading is not None:
            self.heading[1] += data
        elif data.strip():
            self.events.append(("text", data))
        self.lines[-1] += data


def read_main(path: Path) -> _Main:
    reader = _Main()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def empty_headings(events: list[tuple]) -> list[str]:
    """Headings h2-h4 with no text before the next heading of the same or a higher level."""
    found = []
    for i, ev in enumerate(events):
        if ev[0] != "h" or not 2 <= ev[1] <= 4:
            continue
        content = False
        for later in events[i + 1:]:
            if later[0] == "h" and later[1] <= ev[1]:
                break
            if later[0] == "text":
                content = True
                break
        if not content:
            found.append(f"h{ev[1]} {ev[2]}")
    return found


# 第第 / 章章, a word of two or more kanji or katakana written twice in a row, 。。 or 、、
DOUBLED = re.compile(r"第第|章章|([一-龯々ァ-ヶー]{2,})[ \u3000]?\1|([。、])\2")


def doubled_words(text: str) -> list[str]:
    return [m.group(0) for m in DOUBLED.finditer(text)]


def bracket_first_sentences(lines: list[str]) -> list[str]:
    """Sentences (a block's text, or what follows a 。) that start with 「（」 or 「(」: a value was missing before them."""
    found = []
    for line in lines:
        for sentence in re.split(r"(?<=。)", line):
            s = sentence.strip()
            if s.startswith(("（", "(")):
                found.append(s[:40])
    return found


def problems(site: Path) -> dict[str, list[str]]:
    """Every page of a built site with what is wrong in its main text."""
    out = {}
    for html in sorted(site.rglob("*.html")):
        page = read_main(html)
        text = "\n".join(page.lines)  # one line per block: a heading and the paragraph under it are not one word
        found = ([f"empty heading: {h}" for h in empty_headings(page.events)]
                 + [f"empty list: <{k}>" for k in page.empty_lists]
                 + [f"doubled: {w}" for w in doubled_words(text)]
                 + [f"starts with a bracket: {s}" for s in bracket_first_sentences(page.lines)])
        if found:
            out[html.relative_to(site).as_posix()] = found
    return out


def headings(site: Path, url: str) -> list[str]:
    return [ev[2] for ev in read_main(site / url / "index.html").events if ev[0] == "h"]


# ----------------------------------------------------------------------------
# The scanner finds each kind of hole (a test that cannot fail is a defect)
# ----------------------------------------------------------------------------


def _page(tmp_path: Path, article: str) -> Path:
    path = tmp_path / "page.html"
    path.write_text(f"<html><body><article>{article}</article></body></html>", encoding="utf-8")
    return path


def test_the_scanner_finds_each_kind_of_hole(tmp_path):
    page = read_main(_page(tmp_path, "<h1>第第1章章 題</h1><h2>事例</h2><ul>\n</ul><h2>相談先</h2><p>電話</p>"
                                     "<p>課</p><dl>\n</dl><dl><dt>電話</dt><dd>03</dd></dl>"
                                     "<h2>あと</h2><h3>中</h3><p>本文</p><h2>空</h2>"
                                     "<p class=\"ts-updated\">内容の更新: 令和7年4月</p>"))
    assert empty_headings(page.events) == ["h2 事例", "h2 空"]  # 「あと」 has a subsection with text
    assert page.empty_lists == ["ul", "dl"]
    assert doubled_words("第第1章章 相談先相談先 相談先 相談先。。") == ["第第", "章章", "相談先相談先", "相談先 相談先", "。。"]
    assert doubled_words("いろいろな相談先と、それぞれの窓口") == []
    assert bracket_first_sentences(["（令和7年4月発行）をもとにしています。", "冊子（p.20）です。(注) あり"]) == [
        "（令和7年4月発行）をもとにしています。", "(注) あり"]
    assert bracket_first_sentences(["鎌倉市の冊子（令和7年4月発行）をもとにしています。"]) == []


# ----------------------------------------------------------------------------
# The starter: no holes
# ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("starter") / "data"
    assert main(["init", str(data)]) == 0
    return data


@pytest.fixture(scope="module")
def starter_site(starter, tmp_path_factory) -> Path:
    return built_site(tmp_path_factory, starter, "starter-site")


def test_check_on_the_starter_prints_no_warning(starter, capsys):
    assert main(["check", str(starter)]) == 0
    out = capsys.readouterr().out
    assert "誤りはありません" in out and WARNING not in out, out
    assert shape.holes(load_guide(starter)) == []


@pytest.mark.slow
def test_the_starter_site_has_no_empty_section_doubled_word_or_bracket_first_sentence(starter_site):
    assert problems(starter_site) == {}


@pytest.mark.slow
def test_the_starter_chapter_reads_dai_1_sho_and_the_home_page_names_its_source_plainly(starter, starter_site):
    guide = load_guide(starter)
    chapter = guide.chapters[0]
    assert headings(starter_site, f"about/{chapter.id}")[0] == f"第1章 {chapter.title}"
    assert guide.site.source is None  # the starter leaves `source` out: the sentence must read without it
    home = read_main(starter_site / "index.html")
    assert any(line.strip().endswith("発行の資料をもとにしています。") for line in home.lines)


def test_the_starter_data_files_explain_themselves_in_japanese():
    """Comments in the starter's data files are read by city staff: Japanese, and the optional files say so."""
    from tsunagu.cli import STARTER
    for path in sorted(STARTER.rglob("*.yml")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            comment = line.split("#", 1)[1] if "#" in line else ""
            if not comment or comment.startswith(" yaml-language-server"):
                continue
            words = re.sub(r"[a-z_]+:|\[[^\]]*\]|[a-z0-9-]+(?:\.yml|/)?|\"[^\"]*\"", "", comment)
            assert not re.search(r"[A-Za-z]{4,}\s+[A-Za-z]{3,}", words), f"{path.name}:{n} English comment: {line}"
    site = (STARTER / "site.yml").read_text(encoding="utf-8")
    assert "なくてもよいもの" in site and "accessibility.yml" in site


# ----------------------------------------------------------------------------
# Every hole at once: check warns about each, and the built site prints none of them
# ----------------------------------------------------------------------------


def _edit(data: Path, name: str, old: str, new: str) -> None:
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def holey(starter, tmp_path_factory) -> Path:
    """The starter with every section emptied that a build can show at once."""
    data = tmp_path_factory.mktemp("holey") / "data"
    shutil.copytree(starter, data)
    _edit(data, "programs.yml", "    role: consultation", "    # role: consultation")
    _edit(data, "programs.yml", "      - hub: true", "      - service: 調整")  # the hub carries nothing; a provider names no one
    # no programme with closure criteria; targets with a title only
    text, n = re.subn(r"    closure:.*\n(?:      .*\n)+", "    targets:\n      title: 対象となる方\n",
                      (data / "programs.yml").read_text(encoding="utf-8"))
    assert n == 1
    (data / "programs.yml").write_text(text, encoding="utf-8")
    # 110 and 119 written as lines that are not for emergencies
    text, n = re.subn(r"(?m)^    source: national\n", "    source: national\n    emergency: false\n",
                      (data / "national.yml").read_text(encoding="utf-8"))
    assert n == 2
    (data / "national.yml").write_text(text, encoding="utf-8")
    _edit(data, "narrative.yml", "          - ○○市の資料の文を、ここに書き写します。\n",
          "          - ○○市の資料の文を、ここに書き写します。\n      - heading: 見出しだけの節\n"
          "    show: [household_problems, cycle, case_overviews]\n")
    # the chapter's parts and the hub's when_to_consult with a title and nothing else
    with (data / "narrative.yml").open("a", encoding="utf-8") as f:
        f.write("household_problems:\n  title: 世帯の問題\ncycle:\n  title: 循環\n")
    with (data / "hub.yml").open("a", encoding="utf-8") as f:
        f.write("  when_to_consult:\n    title: 相談するとき\n    body: []\n")
    (data / "cases.yml").write_text("cases:\n  - id: example\n    title: ○○の世帯\n    steps:\n"
                                    "      - text: 地域包括支援センターに相談がありました。\n", encoding="utf-8")
    _edit(data, "offices.yml", "offices:\n", "offices:\n  - id: madoguchi\n    name: 窓口課\n")
    _edit(data, "flows/where-to-consult.yml", "    contacts: [hokatsu]",
          "    first_door:\n      office: madoguchi\n      source: 資料のページ\n    contacts: [hokatsu]")
    return data


@pytest.fixture(scope="module")
def holey_site(holey, tmp_path_factory) -> Path:
    return built_site(tmp_path_factory, holey, "holey-site")


def test_check_warns_about_every_hole_with_its_file_and_what_to_write(holey, capsys):
    assert main(["check", str(holey)]) == 0  # warnings, not errors
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if WARNING in line]
    expected = [  # (file, words the warning must contain)
        ("programs.yml", "role: consultation"),
        ("national.yml", "110番"),
        ("programs.yml", "hub: true"),
        ("programs.yml", "closure"),
        ("programs.yml", "providers の 1 番目"),
        ("narrative.yml", "見出しだけの節"),
        ("programs.yml", "targets"),
        ("narrative.yml", "household_problems"),
        ("narrative.yml", "cycle"),
        ("hub.yml", "when_to_consult"),
        ("cases.yml", "case_overviews"),
        ("cases.yml", "世帯の状況"),
        ("offices.yml", "窓口課"),
    ]
    assert len(lines) == len(expected), out
    for file, words in expected:
        assert any(line.startswith(f"{holey}/{file}: {WARNING}") and words in line and "直し方:" in line
                   for line in lines), (file, words, out)
    assert "まず相談したいとき" in out  # the warning names the section a reader misses


@pytest.mark.slow
def test_the_site_of_holey_data_leaves_each_empty_section_out(holey, holey_site):
    assert problems(holey_site) == {}
    guide = load_guide(holey)
    assert "まず相談したいとき" not in headings(holey_site, "")
    assert "相談先は、まるごと話を聞きます" not in headings(holey_site, "residents")
    assert "終結の基準" not in headings(holey_site, "professionals")
    assert "担っている事業" not in headings(holey_site, guide.hub.id)
    assert "相談するとき" not in headings(holey_site, guide.hub.id) + headings(holey_site, "professionals")
    assert not {"対象となる方", "担っている機関"} & set(headings(holey_site, "programs/multi-agency"))
    assert "世帯の状況" not in headings(holey_site, "cases/example")
    chapter = headings(holey_site, f"about/{guide.chapters[0].id}")
    assert not {"見出しだけの節", "複雑化・複合化した問題を抱える世帯とは", "世帯の問題", "循環"} & set(chapter)
    outcome = headings(holey_site, "flows/where-to-consult/elderly")
    assert "窓口課" not in " ".join(outcome) and "相談先" in outcome  # not 「ほかの相談先」 under no first door


def _with(guide, **changes):
    """A Guide with some of its parts replaced (its look-up maps built afresh)."""
    return dataclasses.replace(guide, _index={}, **changes)


def test_a_meeting_group_without_meetings_and_an_outcome_note_shown_nowhere_are_holes(starter):
    import tsunagu.data.model as m
    guide = load_guide(starter)
    assert shape.holes(guide) == []
    group = m.MeetingGroup(id="empty", title="空のまとまり")
    found = shape.holes(_with(guide, meeting_groups=guide.meeting_groups + (group,)))
    assert [(h.file, "空のまとまり" in h.why, "group: empty" in h.fix) for h in found] == [("meetings.yml", True, True)]
    flow = guide.flows[0]
    noted = flow.model_copy(update={"flow": flow.flow.model_copy(update={"outcome_note": "どんなことでも聞きます。"})})
    assert shape.holes(_with(guide, flows=(noted,))) == []  # its outcomes list the consultation programme's doors
    # outcomes that name only the hub: no door of the consultation programme, so the note shows nowhere
    elsewhere = noted.model_copy(update={"outcomes": [o.model_copy(update={"contacts": [guide.hub.id]}) if o.contacts else o
                                                      for o in noted.outcomes]})
    found = shape.holes(_with(guide, flows=(elsewhere,)))
    assert [h.file for h in found] == [f"flows/{flow.flow.id}.yml"] and "outcome_note" in found[0].left_out


# ----------------------------------------------------------------------------
# Kamakura: no warning today, and its data of the previous shape is loud
# ----------------------------------------------------------------------------


def test_check_on_kamakura_prints_no_warning(capsys):
    assert main(["check", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert WARNING not in out and "書かれていないので" not in out, out


@pytest.fixture(scope="module")
def old_shape(tmp_path_factory) -> Path:
    """Kamakura's data as it was written before `role: consultation` (the first programme was taken)."""
    data = tmp_path_factory.mktemp("old-shape") / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("schema"))
    text = (data / "programs.yml").read_text(encoding="utf-8")
    assert text.count("role: consultation") == 1
    (data / "programs.yml").write_text(re.sub(r"\n *role: consultation[^\n]*", "", text), encoding="utf-8")
    return data


def test_check_on_old_shape_data_warns_where_and_what_to_write(old_shape, capsys):
    assert main(["check", str(old_shape)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if WARNING in line]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{old_shape}/programs.yml: {WARNING}")
    for words in ("まず相談したいとき", "相談先は、まるごと話を聞きます", "role: consultation", "直し方:"):
        assert words in lines[0]


@pytest.mark.slow
def test_the_old_shape_site_leaves_the_consultation_sections_out(old_shape, tmp_path):
    site = tmp_path / "site"
    result = mkdocs_build(old_shape, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "まず相談したいとき" not in headings(site, "")
    assert "相談先は、まるごと話を聞きます" not in headings(site, "residents")
    for url in ("", "residents"):
        assert empty_headings(read_main(site / url / "index.html").events) == [], url
    assert "相談先と電話番号" in headings(site, "residents")  # the rest of the page is still there


# ----------------------------------------------------------------------------
# The editing guide tells staff each shape change and how to write a glossary term
# ----------------------------------------------------------------------------


def _guide_section(title: str) -> str:
    text = (DATA.parent / "docs" / "editing.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def test_the_editing_guide_lists_each_shape_change_with_the_old_and_the_new_form():
    section = _guide_section("データの形が変わったとき")
    for field in ("role: consultation", "first_door", "place", "cite", "outcome_note", "emergency: false",
                  "offices:", "stated_count", "line:", "general:", "number: \"1\""):
        assert field in section, field
    assert section.count("<tr><td>") >= 10  # one row per change: file, old form, new form, what happens
    assert "注意" in section and "tsunagu check" in section


def test_the_editing_guide_says_how_to_add_a_glossary_term():
    section = _guide_section("用語集の言葉を足す")
    for field in ("glossary.yml", "term:", "plain:", "definition:", "general:", "also:", "link: false"):
        assert field in section, field


@pytest.mark.slow
def test_kamakura_keeps_every_section_and_has_no_empty_one(kamakura_site, kamakura):
    g = kamakura
    expected = {
        "": ["まず相談したいとき", "このサイトについて"],
        "residents": ["相談先は、まるごと話を聞きます", "こんな家族の例があります"],
        "professionals": ["終結の基準", "事例", g.hub.when_to_consult.title, g.hub.application.title],
        g.hub.id: ["担っている事業", g.hub.when_to_consult.title],
        f"about/{g.chapters[0].id}": [g.household_problems.title, "複雑化・複合化した問題を抱える世帯とは"],
        f"about/{g.chapters[1].id}": [g.cycle.title],
        **{f"cases/{c.id}": ["世帯の状況"] for c in g.cases},
        **{f"programs/{p.id}": [p.targets.title] for p in g.programs if p.targets},
    }
    for url, titles in expected.items():
        shown = headings(kamakura_site, url)
        assert set(titles) <= set(shown), (url, set(titles) - set(shown))
    assert headings(kamakura_site, f"about/{g.chapters[0].id}")[0] == f"第{g.chapters[0].number}章 {g.chapters[0].title}"
    for html in kamakura_site.rglob("*.html"):
        page = read_main(html)
        assert empty_headings(page.events) == [] and page.empty_lists == [], html.relative_to(kamakura_site)
    home = "\n".join(read_main(kamakura_site / "index.html").lines)
    assert f"{g.site.source}（" in home and "をもとにしています。" in home
