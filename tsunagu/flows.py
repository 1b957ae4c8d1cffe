"""Question flows as graphs: structural checks, every path, and one page per path prefix. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from . import model as m
from .errors import DataError
from .validate import Located

RESERVED = {"overview"}  # option ids that would collide with the flow's own pages


# ----------------------------------------------------------------------------
# Paths and pages
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    question: m.Question
    option: m.Option


@dataclass(frozen=True)
class FlowPage:
    """One page of a flow: the node reached by a sequence of answers."""

    flow: m.FlowFile
    answers: tuple[Answer, ...]
    node: m.Question | m.Outcome

    @property
    def is_outcome(self) -> bool:
        return isinstance(self.node, m.Outcome)

    @property
    def url(self) -> str:
        return answers_url(self.flow, self.answers)

    @property
    def src(self) -> str:
        return self.url + "index.md"

    def change_url(self, index: int) -> str:
        """The page of the question answered at position index (to change that answer)."""
        return answers_url(self.flow, self.answers[:index])

    @property
    def back_url(self) -> str | None:
        return self.change_url(len(self.answers) - 1) if self.answers else None


def answers_url(flow: m.FlowFile, answers: tuple[Answer, ...]) -> str:
    return "/".join(["flows", flow.flow.id, *(a.option.id for a in answers)]) + "/"


def nodes(flow: m.FlowFile) -> dict[str, m.Question | m.Outcome]:
    found: dict[str, m.Question | m.Outcome] = {q.id: q for q in flow.questions}
    found.update({o.id: o for o in flow.outcomes})
    return found


def flow_pages(flow: m.FlowFile) -> list[FlowPage]:
    """Every page of a checked flow, depth first: a node reached by several paths gets a page per path."""
    by_id = nodes(flow)
    out: list[FlowPage] = []

    def walk(node_id: str, answers: tuple[Answer, ...]) -> None:
        node = by_id[node_id]
        out.append(FlowPage(flow, answers, node))
        if isinstance(node, m.Question):
            for option in node.options:
                walk(option.next, answers + (Answer(node, option),))

    walk(flow.flow.start, ())
    return out


def paths(flow: m.FlowFile) -> list[FlowPage]:
    """The outcome pages: one per complete path."""
    return [p for p in flow_pages(flow) if p.is_outcome]


# ----------------------------------------------------------------------------
# Structural checks (errors point at the file's lines)
# ----------------------------------------------------------------------------


def check(flow: m.FlowFile, where: Located) -> list[DataError]:
    """Ids unique, every next exists, every node reachable from the start, no cycle."""
    at = lambda *path: Located(where.file, where.raw, path)  # noqa: E731
    errors: list[DataError] = []
    seen: dict[str, tuple] = {}
    for kind, items in (("questions", flow.questions), ("outcomes", flow.outcomes)):
        for i, node in enumerate(items):
            if node.id in seen:
                errors.append(at(kind, i, "id").error(
                    f"id「{node.id}」はこのファイルで二度使われています（質問と結果の id は重ならないようにしてください）",
                    "duplicate_id"))
            seen.setdefault(node.id, (kind, i))
    by_id = nodes(flow)
    if flow.flow.start not in by_id or not isinstance(by_id[flow.flow.start], m.Question):
        errors.append(at("flow", "start").error(f"最初の質問「{flow.flow.start}」が questions にありません", "unknown_start"))
        return errors
    for i, q in enumerate(flow.questions):
        option_ids: set[str] = set()
        for j, opt in enumerate(q.options):
            if opt.id in option_ids:
                errors.append(at("questions", i, "options", j, "id").error(
                    f"選択肢の id「{opt.id}」がこの質問で二度使われています", "duplicate_id"))
            if opt.id in RESERVED:
                errors.append(at("questions", i, "options", j, "id").error(
                    f"選択肢の id に「{opt.id}」は使えません（サイトのページ名と重なります）", "reserved_id"))
            option_ids.add(opt.id)
            if opt.next not in by_id:
                errors.append(at("questions", i, "options", j, "next").error(
                    f"行き先「{opt.next}」という質問も結果もありません（行き止まりになります）", "dangling_option"))
    if errors:
        return errors
    # reachability and cycles, by depth-first search over ids
    state: dict[str, str] = {}

    def visit(node_id: str, trail: list[str]) -> None:
        state[node_id] = "open"
        node = by_id[node_id]
        if isinstance(node, m.Question):
            for opt in node.options:
                if state.get(opt.next) == "open":
                    kind, i = seen[node_id]
                    j = node.options.index(opt)
                    loop = " → ".join(trail[trail.index(opt.next):] + [node_id, opt.next]) if opt.next in trail else f"{node_id} → {opt.next}"
                    errors.append(at(kind, i, "options", j, "next").error(
                        f"質問が堂々めぐりになっています（{loop}）。結果にたどり着くようにしてください", "cycle"))
                elif opt.next not in state:
                    visit(opt.next, trail + [node_id])
        state[node_id] = "done"

    visit(flow.flow.start, [])
    for node_id, (kind, i) in seen.items():
        if node_id not in state:
            errors.append(at(kind, i, "id").error(
                f"「{node_id}」にはどの選択肢からもたどり着けません", "unreachable"))
    return errors
