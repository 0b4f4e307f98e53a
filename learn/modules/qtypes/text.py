"""Short text answers: the learner types a few words, compared with the accepted answers
(`[accept] ...` lines) without case, accents, punctuation or extra spaces."""

from __future__ import annotations

from ..model import Option
from .base import MAX_TEXT_ANSWER, GeneralFeedbackType, normalize_text

MAX_LISTED = 80  # a typed answer is listed for trainers up to this length


class Text(GeneralFeedbackType):
    """A free answer compared with the accepted ones; trainers read the list of what was typed."""

    name = "text"
    markers = "[accept] an accepted answer"
    min_options = 1
    template = "questions/text.html"

    def marker_ok(self, marker: str) -> bool:
        return marker.strip() == "accept"

    def build(self, draft, ctx) -> list[Option]:
        for item in draft.options:
            if not normalize_text(item.text):
                ctx.error(item.line, "this accepted answer is empty once punctuation is ignored")
        return []

    def accepted_answers(self, draft):
        return tuple(item.text for item in draft.options)

    def answer_error(self, question, answer):
        if not isinstance(answer, str):
            return "expected a text"
        if len(answer) > MAX_TEXT_ANSWER:
            return f"the answer is longer than {MAX_TEXT_ANSWER} characters"
        return None

    def score(self, question, answer):
        correct = normalize_text(answer) in {normalize_text(a) for a in question.accept}
        return correct, float(correct), self._general(question, correct)

    def right_answer(self, question):
        return question.accept[0] if question.accept else ""

    def read_form(self, question, form, name):
        # One character over the limit is kept so that `answer_error` refuses it with a message.
        return form.get(name)[: MAX_TEXT_ANSWER + 1] if name in form else None

    def first_input(self, question, options, name):
        return name

    def wrong_parts(self, question, answer):
        if isinstance(answer, str) and answer.strip():
            return [normalize_text(answer)[:MAX_LISTED]]
        return []

    def typed_text(self, answer):
        if isinstance(answer, str) and answer.strip():
            return " ".join(answer.split())[:MAX_LISTED]
        return None
