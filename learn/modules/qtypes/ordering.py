"""Ordering questions: steps written in the right order, shown mixed."""

from __future__ import annotations

from ..model import Option
from .base import MAX_ID, MIXED_AWAY, GeneralFeedbackType, id_list, option_text


class Ordering(GeneralFeedbackType):
    """Steps written in the right order, shown mixed; partial credit per step in place."""

    name = "ordering"
    markers = "[1], [2], [3]..."
    template = "questions/ordering.html"
    option_order = MIXED_AWAY

    def marker_ok(self, marker: str) -> bool:
        return marker.strip().isdigit()

    def build(self, draft, ctx) -> list[Option]:
        options = []
        for index, item in enumerate(draft.options):
            number = int(item.marker.strip())
            if number != index + 1:
                ctx.error(
                    item.line,
                    f"the steps are numbered 1, 2, 3... in the right order: [{index + 1}] was "
                    f"expected here, not [{number}]",
                )
            options.append(self._option(index, item, ctx, position=index + 1))
        return options

    def answer_error(self, question, answer):
        if not isinstance(answer, list | tuple):
            return "expected a list of the steps, in order"
        problem = id_list(question, answer)
        if problem is None and len(answer) != len(question.options):
            return f"expected all {len(question.options)} steps in an order"
        return problem

    def score(self, question, answer):
        right = sum(
            1 for place, oid in enumerate(answer, 1) if question.option(oid).position == place
        )
        correct = right == len(question.options)
        return correct, right / len(question.options), self._general(question, correct)

    def right_answer(self, question):
        return [o.id for o in sorted(question.options, key=lambda o: o.position or 0)]

    def read_form(self, question, form, name):
        places = range(1, len(question.options) + 1)
        order = [form.get(f"{name}-{place}", "")[:MAX_ID] for place in places]
        return order if any(order) else None

    def first_input(self, question, options, name):
        return f"{name}-1"

    def describe(self, question, answer):
        if not isinstance(answer, list):
            return super().describe(question, answer)
        return " → ".join(option_text(question, a) for a in answer)
