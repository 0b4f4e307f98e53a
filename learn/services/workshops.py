"""Workshops: free-text worksheets saved as drafts, submitted, reviewed by a trainer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import User, WorkshopAnswer
from learn.models.people import utcnow
from learn.services import progress as progress_service
from learn.services.errors import Invalid
from learn.services.textinput import has_control_characters

MAX_ANSWER_CHARS = 20_000
EDITABLE = ("draft", "needs_revision")


def get_answer(db: Session, user: User, workshop_id: str) -> WorkshopAnswer | None:
    """The learner's worksheet for this workshop, if started."""
    return db.scalar(
        select(WorkshopAnswer).where(
            WorkshopAnswer.user_id == user.id, WorkshopAnswer.workshop_id == workshop_id
        )
    )


def clean_answers(workshop, submitted: dict[str, str]) -> dict[str, str]:
    """Keep the prompts' answers whole; refuse (never cut) an answer that is too long."""
    answers, too_long, unprintable = {}, [], []
    for prompt in workshop.prompts:
        text = (submitted.get(prompt.id) or "").replace("\r\n", "\n")
        if len(text) > MAX_ANSWER_CHARS:
            too_long.append(prompt.text)
        if has_control_characters(text, multiline=True):
            unprintable.append(prompt.text)
        answers[prompt.id] = text
    if too_long or unprintable:
        raise Invalid(
            *[
                _(
                    "Your answer to “%(prompt)s” has more than %(n)d characters. Shorten it: "
                    "nothing was saved, your text is still in the box.",
                    prompt=p,
                    n=MAX_ANSWER_CHARS,
                )
                for p in too_long
            ],
            *[
                _(
                    "Your answer to “%(prompt)s” held invisible characters (often copied from "
                    "another program). Nothing was saved: they are taken out of the box below, "
                    "check your text and send it again.",
                    prompt=p,
                )
                for p in unprintable
            ],
        )
    return answers


def save(
    db: Session, user: User, variant, submitted: dict[str, str], *, submit: bool = False
) -> WorkshopAnswer:
    """Save the worksheet as a draft, or submit it for review."""
    workshop = variant.workshop
    answers = clean_answers(workshop, submitted)
    row = get_answer(db, user, workshop.id)
    if row is not None and row.status not in EDITABLE:
        raise Invalid(_("This worksheet was sent for review: it can no longer be changed."))
    if submit and not any(text.strip() for text in answers.values()):
        raise Invalid(_("Answer at least one question before sending the worksheet."))
    now = utcnow()
    if row is None:
        row = WorkshopAnswer(
            user_id=user.id,
            organisation_id=user.organisation_id,
            module_id=variant.id,
            workshop_id=workshop.id,
            answers={},
            status="draft",
            version=0,
        )
        db.add(row)
    # Answers to prompts of other languages or variants share ids; keep any we do not show.
    row.answers = {**(row.answers or {}), **answers}
    row.updated_at = now
    row.content_version = variant.version
    if submit:
        row.status = "submitted"
        row.version = (row.version or 0) + 1
        row.submitted_at = now
    progress_service.log(
        db,
        user,
        "workshop_submitted" if submit else "workshop_saved",
        variant.id,
        variant=variant.variant,
        content_version=variant.version,
        data={"workshop": workshop.id, "version": row.version},
        created_at=now,
    )
    db.flush()
    return row
