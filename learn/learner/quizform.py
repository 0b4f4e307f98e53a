"""The quiz form: signed tickets, rendering order, and reading answers back from a form."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from learn.modules import apply_order, question_type, shuffled_right_sides
from learn.services.quizzes import QuizTicket, attempt_seed, shown_order


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="quiz-ticket")


def sign_ticket(ticket: QuizTicket, user_id: int, module_id: str) -> str:
    """The ticket as a tamper-proof hidden-field value, bound to the learner and module."""
    return _serializer().dumps(
        [user_id, module_id, ticket.seq, ticket.started_at.isoformat(), ticket.versions]
    )


def read_ticket(value: str, user_id: int, module_id: str) -> QuizTicket | None:
    """The ticket of a submitted form, or None if it was altered or belongs elsewhere."""
    try:
        uid, mid, seq, started, versions = _serializer().loads(value or "")
        started_at = datetime.fromisoformat(started)
    except (BadSignature, ValueError, TypeError):
        return None
    if uid != user_id or mid != module_id or not isinstance(versions, dict):
        return None
    return QuizTicket(seq=int(seq), started_at=started_at, versions=versions)


def seed_for(user_id: int, module_id: str, seq: int) -> str:
    """The same order for one attempt, even in a second tab or after a reload."""
    return attempt_seed(user_id, module_id, seq)


def display_order(variant, seed: str):
    """[(question, options as shown, right sides as shown for matching)] for this attempt:
    the order that `quizzes.submit` stores with it."""
    return [
        (
            question,
            options,
            shuffled_right_sides(question, seed)
            if question_type(question).mixes_right_sides
            else None,
        )
        for question, options in apply_order(variant.questions, shown_order(variant, seed))
    ]


def answers_from_form(questions, form) -> dict:
    """Answers in the engine's shapes, each read by its question's type; anything missing stays
    missing (the engine says so)."""
    answers = {}
    for question in questions:
        answer = question_type(question).read_form(question, form, f"q-{question.id}")
        if answer is not None:
            answers[question.id] = answer
    return answers


def unanswered(questions, answers: dict) -> list[int]:
    """The page numbers (1-based, in the order shown) of the questions left without an answer:
    nothing chosen, nothing ticked or nothing typed."""
    missing = []
    for number, question in enumerate(questions, start=1):
        answer = answers.get(question.id)
        if answer is None or (isinstance(answer, str | list | dict) and not _given(answer)):
            missing.append(number)
    return missing


def _given(answer) -> bool:
    if isinstance(answer, str):
        return bool(answer.strip())
    if isinstance(answer, dict):
        return any(answer.values())
    return bool(answer)


def kept_fields(form) -> list[tuple[str, str]]:
    """The answers of a submitted quiz form, to carry in hidden fields (a confirmation page):
    every field but the token, the ticket and the confirmation itself."""
    skipped = {"csrf_token", "ticket", "confirm"}
    return [(k, v) for k, v in form.items(multi=True) if k not in skipped]


def first_input_id(question, options) -> str:
    """The id of a question's first form control, as its type's template writes it."""
    return question_type(question).first_input(question, options, f"q-{question.id}")


def unanswered_links(missing, shown) -> list[tuple[str, str]]:
    """(message, link to the first input of the item) for each item the learner left out of a
    placement questionnaire, in the order of the page."""
    anchors = [f"#pl-{item_id}-1" for item_id in missing.ratings]
    inputs = {q.id: first_input_id(q, options) for q, options, _rights in shown}
    anchors += [f"#{inputs.get(qid, 'q-' + qid)}" for qid in missing.questions]
    return list(zip(missing.messages, anchors, strict=True))
