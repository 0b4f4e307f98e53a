"""Matching questions: pairs `left => right`; the right sides are shown mixed."""

from __future__ import annotations

from ..model import Option
from .base import MAX_ID, GeneralFeedbackType, ids, normalize_text, option_text


class Matching(GeneralFeedbackType):
    """Pairs left => right; each left side is matched with a right side chosen in a list."""

    name = "matching"
    markers = "[=] left => right"
    template = "questions/matching.html"
    mixes_right_sides = True

    def marker_ok(self, marker: str) -> bool:
        return marker.strip() == "="

    def build(self, draft, ctx) -> list[Option]:
        options = []
        lefts: dict[str, int] = {}
        rights: dict[str, int] = {}
        for index, item in enumerate(draft.options):
            if "=>" not in item.text:
                ctx.error(item.line, "a matching line is '[=] left => right': '=>' is missing")
                continue
            left, _, right = (part.strip() for part in item.text.partition("=>"))
            if not left or not right:
                ctx.error(item.line, "a matching line needs a text on both sides of '=>'")
                continue
            for side, seen in ((left, lefts), (right, rights)):
                key = normalize_text(side)
                if key in seen:
                    ctx.error(item.line, f"'{side}' is already used on line {seen[key]}")
                seen.setdefault(key, item.line)
            item.text = left
            options.append(
                self._option(index, item, ctx, right=right, right_html=ctx.inline(right))
            )
        return options

    def answer_error(self, question, answer):
        if not isinstance(answer, dict):
            return "expected a pair for every left side"
        option_ids = ids(question)
        if set(answer) != set(option_ids):
            return f"expected a choice for each of the {len(option_ids)} left sides"
        for value in answer.values():
            if not isinstance(value, str) or value not in option_ids:
                return "unknown right side"
        return None

    def score(self, question, answer):
        right = sum(1 for left, chosen in answer.items() if left == chosen)
        correct = right == len(question.options)
        return correct, right / len(question.options), self._general(question, correct)

    def right_answer(self, question):
        return {o.id: o.id for o in question.options}

    def read_form(self, question, form, name):
        pairs = {o.id: form.get(f"{name}-{o.id}", "")[:MAX_ID] for o in question.options}
        return pairs if any(pairs.values()) else None

    def describe(self, question, answer):
        if not isinstance(answer, dict):
            return super().describe(question, answer)
        pairs = []
        for left, right in answer.items():
            right_option = question.option(right) if isinstance(right, str) else None
            right_text = (right_option.right or "") if right_option else str(right)[:MAX_ID]
            pairs.append(f"{option_text(question, left)} → {right_text}")
        return "; ".join(pairs)
