"""Question flows as graphs: structural checks, every path, and one page per path prefix. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from . import limits
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
    questions_left: int = 0  # at most this many questions follow this one (0 on an outcome)

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

    @property
    def answers_shown(self) -> list[tuple[int, Answer]]:
        """The answers a page lists, with their positions (for 変更): the last limits.ANSWERS_SHOWN, so a
        long chain of questions does not repeat every earlier answer on every page."""
        first = max(0, len(self.answers) - limits.ANSWERS_SHOWN)
        return [(i, self.answers[i]) for i in range(first, len(self.answers))]

    @property
    def answers_omitted(self) -> int:
        """How many earlier answers the page leaves out of its list."""
        return max(0, len(self.answers) - limits.ANSWERS_SHOWN)


def answers_url(flow: m.FlowFile, answers: tuple[Answer, ...]) -> str:
    return "/".join(["flows", flow.flow.id, *(a.option.id for a in answers)]) + "/"


def nodes(flow: m.FlowFile) -> dict[str, m.Question | m.Outcome]:
    found: dict[str, m.Question | m.Outcome] = {q.id: q for q in flow.questions}
    found.update({o.id: o for o in flow.outcomes})
    return found


def flow_pages(flow: m.FlowFile) -> list[FlowPage]:
    """Every page of a checked flow, depth first: a node reached by several paths gets a page per path.
    Walked with a stack, not recursion, so a long chain of questions cannot overflow."""
    by_id = nodes(flow)
    left = questions_after(flow)
    out: list[FlowPage] = []
    stack: list[tuple[str, tuple[Answer, ...]]] = [(flow.flow.start, ())]
    while stack:
        node_id, answers = stack.pop()
        node = by_id[node_id]
        out.append(FlowPage(flow, answers, node, left[node_id]))
        if isinstance(node, m.Question):
            stack += [(option.next, answers + (Answer(node, option),)) for option in reversed(node.options)]
    return out


def paths(flow: m.FlowFile) -> list[FlowPage]:
    """The outcome pages: one per complete path."""
    return [p for p in flow_pages(flow) if p.is_outcome]


def _options(node: m.Question | m.Outcome) -> list[m.Option]:
    return node.options if isinstance(node, m.Question) else []


def _bottom_up(flow: m.FlowFile, value) -> dict[str, int]:
    """value(options, values of the nodes they lead to) for every node of a checked flow, children
    first, with a stack: no recursion on the flow's depth."""
    by_id = nodes(flow)
    done: dict[str, int] = {}
    stack = [flow.flow.start]
    while stack:
        node_id = stack[-1]
        if node_id in done:
            stack.pop()
            continue
        options = _options(by_id[node_id])
        pending = [o.next for o in options if o.next not in done]
        if pending:
            stack += pending
            continue
        stack.pop()
        done[node_id] = value(options, [done[o.next] for o in options])
    return done


def page_count(flow: m.FlowFile) -> int:
    """The pages a checked flow generates (one per path prefix), counted without walking the paths:
    each node's pages are 1 + its options' pages."""
    return _bottom_up(flow, lambda options, below: 1 + sum(below))[flow.flow.start]


def questions_after(flow: m.FlowFile) -> dict[str, int]:
    """For each node of a checked flow, the most questions that can still follow it before an outcome
    (the longest remaining path, counted in questions; 0 for the last question and for outcomes), so a
    question page can say 「あと最大 2 問」."""
    # questions on the longest path from a node to an outcome, itself included
    depth = _bottom_up(flow, lambda options, below: 1 + max(below) if options else 0)
    return {node_id: max(0, d - 1) for node_id, d in depth.items()}


@dataclass(frozen=True)
class Branch:
    """One option of a question and the node it leads to (for the flow's overview)."""

    option: m.Option
    node: m.Question | m.Outcome

    @property
    def is_question(self) -> bool:
        return isinstance(self.node, m.Question)


def structure(flow: m.FlowFile) -> list[tuple[m.Question, list[Branch]]]:
    """Every question of a checked flow once, with where each option leads: the first question first,
    then in the order the options lead to them. Flat, so a page can show any depth without nesting
    (or recursing) as deep as the flow."""
    by_id = nodes(flow)
    out: list[tuple[m.Question, list[Branch]]] = []
    seen = {flow.flow.start}
    stack = [flow.flow.start]
    while stack:
        node = by_id[stack.pop()]
        if not isinstance(node, m.Question):
            continue
        out.append((node, [Branch(o, by_id[o.next]) for o in node.options]))
        for o in reversed(node.options):
            if o.next not in seen:
                seen.add(o.next)
                stack.append(o.next)
    return out


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
    # reachability and cycles, by depth-first search over ids (a stack, not recursion)
    state: dict[str, str] = {}
    order: list[str] = []  # nodes in post-order: every node after all the nodes it leads to
    stack: list[tuple[str, int]] = [(flow.flow.start, 0)]
    trail: list[str] = []
    state[flow.flow.start] = "open"
    while stack:
        node_id, j = stack.pop()
        node = by_id[node_id]
        options = node.options if isinstance(node, m.Question) else []
        if j == 0:
            trail.append(node_id)
        if j < len(options):
            stack.append((node_id, j + 1))
            opt = options[j]
            if state.get(opt.next) == "open":
                kind, i = seen[node_id]
                loop = " → ".join(trail[trail.index(opt.next):] + [opt.next])
                errors.append(at(kind, i, "options", j, "next").error(
                    f"質問が堂々めぐりになっています（{loop}）。結果にたどり着くようにしてください", "cycle"))
            elif opt.next not in state:
                state[opt.next] = "open"
                stack.append((opt.next, 0))
            continue
        state[node_id] = "done"
        trail.pop()
        order.append(node_id)
    for node_id, (kind, i) in seen.items():
        if node_id not in state:
            errors.append(at(kind, i, "id").error(
                f"「{node_id}」にはどの選択肢からもたどり着けません", "unreachable"))
    if errors:
        return errors
    return _size_errors(flow, by_id, order, at)


def _size_errors(flow: m.FlowFile, by_id: dict, order: list[str], at) -> list[DataError]:
    """The pages a flow will generate (one per path prefix) and its longest page path, counted
    without walking the paths, so a flow that would explode is refused before any page exists."""
    pages: dict[str, int] = {}
    longest: dict[str, int] = {}  # characters the answers below a node add to a page path
    for node_id in order:
        node = by_id[node_id]
        options = node.options if isinstance(node, m.Question) else []
        pages[node_id] = 1 + sum(pages[o.next] for o in options)
        longest[node_id] = max((len(o.id) + 1 + longest[o.next] for o in options), default=0)
    errors: list[DataError] = []
    total = pages[flow.flow.start]
    if total > limits.FLOW_PAGES:
        # how many paths reach each node, top down: a branching question reached by many paths multiplies them
        reach: dict[str, int] = {node_id: 0 for node_id in order}
        reach[flow.flow.start] = 1
        for node_id in reversed(order):
            node = by_id[node_id]
            for o in node.options if isinstance(node, m.Question) else []:
                reach[o.next] += reach[node_id]
        branching = sorted((q for q in flow.questions if len(q.options) > 1 and q.id in reach),
                           key=lambda q: -reach[q.id] * len(q.options))
        named = "、".join(f"{q.id}（{reach[q.id]:,} 通りの道筋で届き、選択肢 {len(q.options)} つ）" for q in branching[:5])
        errors.append(at("flow", "start").error(
            f"この質問の流れは {total:,} ページになり、多すぎます（{limits.FLOW_PAGES} ページまで）。"
            f"道筋を増やしている質問: {named or 'なし'}。分かれた道筋を同じ結果にまとめるか、流れを分けてください",
            "flow_too_large"))
    path_chars = len(f"flows/{flow.flow.id}/") + longest[flow.flow.start] + len("index.md")
    if path_chars > limits.URL_PATH_CHARS:
        errors.append(at("flow", "start").error(
            f"この質問の流れのいちばん長いページの URL が {path_chars:,} 文字になり、長すぎます"
            f"（{limits.URL_PATH_CHARS:,} 文字まで）。選択肢の id を短くするか、質問の数を減らしてください",
            "flow_url_too_long"))
    return errors
