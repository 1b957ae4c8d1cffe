"""Easy Japanese (やさしい日本語) twins of the residents' pages: which pages have a twin, where it lives,
and which text a page shows. Pure: no MkDocs here.

The same templates render both twins from the same data (one flow, two texts): a template asks a
`Texts` for an item's text, which is the item's `easy` text on an Easy page, the plain text on the
other, and on an Easy page the plain text with a visible note where the item has no `easy` yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

PREFIX = "easy/"  # every Easy page's URL starts with this
MISSING = "この部分は、まだ、やさしい言葉で書いていません。"
SWITCH_TO_EASY = "やさしい日本語"
SWITCH_TO_PLAIN = "もとの日本語"

# For each kind of item: the plain field each easy text stands beside. An item whose `easy` is a text
# renders one field (the first); an item whose `easy` is a group of fields renders each by name.
PLAIN_OF = {"Option": "label", "SupportField": "name", "Category": "plain", "FlowStep": "plain", "GlossaryTerm": "plain",
            "NationalContact": "use", "Program": "plain"}


def easy_url(url: str) -> str:
    """The Easy twin's URL of a plain page's URL ("residents/" -> "easy/residents/", "" -> "easy/")."""
    return PREFIX + url


def plain_url(url: str) -> str:
    """The plain twin's URL of an Easy page's URL."""
    return url[len(PREFIX):] if url.startswith(PREFIX) else url


def is_easy(url: str) -> bool:
    return url.startswith(PREFIX)


@dataclass(frozen=True)
class Texts:
    """Which text of an item a page shows. easy=False: the plain texts, never a note."""

    easy: bool = False

    def at(self, url: str) -> str:
        """A link to a residents' page of the same kind as this one (an Easy page links Easy pages)."""
        return easy_url(url) if self.easy else url

    def twin(self, url: str) -> str:
        """The twin of this page, whose plain URL is url: on a plain page its Easy page, on an Easy page the plain one."""
        return url if self.easy else easy_url(url)

    def missing(self, item) -> bool:
        """An Easy page shows this item's plain text: it has no `easy` (on a plain page, never)."""
        if not self.easy or item is None:
            return False
        value = getattr(item, "easy", None)
        return not value

    def text(self, item, field: str | None = None):
        """The item's text to show: field of its `easy` group (a question's "text", an outcome's "why"),
        or its one easy text (field None: an option's label, a category's plain …)."""
        name = field or PLAIN_OF[type(item).__name__]
        if self.easy and getattr(item, "easy", None):
            value = item.easy if field is None or isinstance(item.easy, (str, list)) else getattr(item.easy, field)
            if value or field is None:
                return value
        return getattr(item, name)

    def note(self, item, inline: bool = False) -> Markup:
        """The visible note where an Easy page falls back to the plain text; nothing otherwise."""
        if not self.missing(item):
            return Markup("")
        if inline:
            return Markup('<span class="ts-easy-missing">（{}）</span>').format(MISSING)
        return Markup('<p class="ts-easy-missing">{}</p>').format(MISSING)


PLAIN = Texts(False)
EASY = Texts(True)


# ----------------------------------------------------------------------------
# Which items a resident page shows: check lists those without Easy Japanese (shape.missing_easy)
# ----------------------------------------------------------------------------


def resident_items(guide) -> list[tuple[str, tuple, str, object]]:
    """(file, path in the file, what it is, item) of every item the Easy pages show, in file order."""
    out: list[tuple[str, tuple, str, object]] = []
    for flow in guide.flows_for("residents"):
        file = f"flows/{flow.flow.id}.yml"
        out.append((file, ("flow",), f"質問の流れ「{flow.flow.title}」の名前とはじめの説明", flow.flow))
        for i, q in enumerate(flow.questions):
            out.append((file, ("questions", i), f"質問「{q.text}」", q))
            for j, o in enumerate(q.options):
                out.append((file, ("questions", i, "options", j), f"質問「{q.text}」の選択肢「{o.label}」", o))
        for i, o in enumerate(flow.outcomes):
            out.append((file, ("outcomes", i), f"結果「{o.title}」", o))
    out += [("fields.yml", ("fields", i), f"分野「{f.name}」の名前", f) for i, f in enumerate(guide.fields)]
    cats = [c for c in guide.categories if c.plain]
    out += [("agencies.yml", ("categories", guide.categories.index(c)), f"種別「{c.name}」の説明（plain）", c) for c in cats]
    first = guide.consultation_program
    if first is not None and first.plain:
        out.append(("programs.yml", ("programs", list(guide.programs).index(first)), f"事業「{first.name}」の説明（plain）", first))
    out += [("support_flow.yml", ("support_flow", "steps", i), f"支援の流れのステップ {s.number} の説明（plain）", s)
            for i, s in enumerate(guide.support_flow.steps) if s.plain]
    out += [("national.yml", ("national", i), f"全国共通の番号「{n.name}」の説明（use）", n) for i, n in enumerate(guide.national)]
    out += [("glossary.yml", ("terms", i), f"用語「{t.term}」の説明（plain）", t) for i, t in enumerate(guide.glossary)]
    return out
