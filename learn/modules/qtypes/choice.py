"""Choice questions: single, true/false and multiple, options marked [x] or [ ]."""

from __future__ import annotations

from ..model import Option
from .base import MAX_ID, MIXED, OPTION_IDS, WRITTEN, QuestionType, id_list, one_id, option_text

MAX_CHOSEN = 30  # ids read from one multiple question's form (there are at most 26 options)


class ChoiceType(QuestionType):
    """Options marked [x] or [ ], each with its own feedback; one option is chosen."""

    markers = "[x] and [ ]"
    exact_correct: int | None = 1
    template = "questions/single.html"
    option_order = MIXED

    def marker_ok(self, marker: str) -> bool:
        return marker.strip().lower() in ("", "x")

    def build(self, draft, ctx) -> list[Option]:
        options = []
        for index, item in enumerate(draft.options):
            correct = item.marker.strip().lower() == "x"
            if not item.feedback:
                ctx.error(
                    item.line,
                    f"option {OPTION_IDS[index]} has no feedback: add an indented '> ...' line "
                    "under it that explains why",
                )
            feedback = " ".join(item.feedback).strip()
            options.append(
                Option(
                    id=OPTION_IDS[index],
                    text=item.text,
                    text_html=ctx.inline(item.text),
                    correct=correct,
                    feedback=feedback,
                    feedback_html=ctx.inline(feedback),
                    line=item.line,
                )
            )
        count = sum(o.correct for o in options)
        if self.exact_correct is not None and count != self.exact_correct and options:
            ctx.error(
                draft.line,
                f"a {self.name} question has exactly one correct option [x], not {count}",
            )
        elif count == 0 and options:
            ctx.error(draft.line, f"a {self.name} question needs at least one correct option [x]")
        return options

    def answer_error(self, question, answer):
        return one_id(question, answer)

    def score(self, question, answer):
        option = question.option(answer)
        return option.correct, float(option.correct), ((option.id, option.feedback_html),)

    def right_answer(self, question):
        return next(o.id for o in question.options if o.correct)

    def read_form(self, question, form, name):
        return form.get(name)[:MAX_ID] if form.get(name) else None

    def describe(self, question, answer):
        return option_text(question, answer)

    def wrong_parts(self, question, answer):
        option = question.option(answer) if isinstance(answer, str) else None
        return [option.text] if option and not option.correct else []

    def options_seen(self, question, options, answer):
        chosen = self._chosen(answer)
        return tuple((o.text, o.id in chosen) for o in options)

    def _chosen(self, answer) -> set:
        if isinstance(answer, str):
            return {answer}
        return set(answer) if isinstance(answer, list) else set()


class Single(ChoiceType):
    """Exactly one right option."""

    name = "single"


class TrueFalse(ChoiceType):
    """Two options, one right, always in the written order."""

    name = "truefalse"
    min_options = 2
    max_options = 2
    option_order = WRITTEN


class Multiple(ChoiceType):
    """At least one right option; partial credit."""

    name = "multiple"
    exact_correct = None
    template = "questions/multiple.html"

    def answer_error(self, question, answer):
        return id_list(question, answer)

    def score(self, question, answer):
        chosen = set(answer)
        right = {o.id for o in question.options if o.correct}
        score = max(0.0, (len(chosen & right) - len(chosen - right)) / len(right)) if right else 0.0
        feedback = tuple((o.id, o.feedback_html) for o in question.options if o.id in chosen)
        return chosen == right, score, feedback

    def right_answer(self, question):
        return [o.id for o in question.options if o.correct]

    def read_form(self, question, form, name):
        # The hidden `-present` field tells "nothing ticked" from "question not on the page".
        if name in form or f"{name}-present" in form:
            return [v[:MAX_ID] for v in form.getlist(name)][:MAX_CHOSEN]
        return None

    def describe(self, question, answer):
        if not isinstance(answer, list):
            return super().describe(question, answer)
        return "; ".join(option_text(question, a) for a in answer)

    def wrong_parts(self, question, answer):
        if not isinstance(answer, list):
            return []
        chosen = [question.option(a) for a in answer if isinstance(a, str)]
        return [o.text for o in chosen if o is not None and not o.correct]
