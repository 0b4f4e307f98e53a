"""Workplace tutors: a trainer creates a tutor's account and links it to learners; a tutor sees
only the learners linked to them (live links), and assesses them at work against a competence of
a job référentiel or a level of a soft skill; the learner reads what was sent and may reply.

Every read for a tutor goes through `linked_learner`, whose query holds the live link: another
tutor's learner, a learner of another organisation or an ended link are all NotFound."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import Role, TutorLink, User, WorkplaceAssessment
from learn.models.people import utcnow
from learn.services import accounts, audit
from learn.services.assignments import today_for
from learn.services.errors import Forbidden, Invalid, NotFound
from learn.services.textinput import clean_block, clean_line

MAX_COMPANY = 200
MAX_NOTE = 4_000
MAX_PLACE = 200
MAX_REPLY = 4_000
OLDEST_DAYS = 3 * 366
TOKEN_BYTES = 24


# --- accounts and links (trainers) --------------------------------------------------------------


def require_tutor(actor: User) -> None:
    """Only a tutor of an organisation uses the tutor's pages."""
    if actor.role != Role.TUTOR or actor.organisation_id is None:
        raise Forbidden()


def create_tutor(
    db: Session,
    actor: User,
    *,
    display_name: str,
    username: str,
    company: str = "",
    code_days: int = 14,
) -> accounts.NewAccount:
    """A tutor's account with a one-time code to print (no e-mail), made as a learner's is."""
    if not actor.is_staff:
        raise Forbidden()
    problems = []
    try:
        company_name = clean_line(company, _("Host company"), MAX_COMPANY, required=False)
    except Invalid as exc:
        problems, company_name = exc.messages, ""
    try:
        created = accounts.create_account(
            db,
            organisation=actor.organisation,
            username=username,
            display_name=display_name,
            role=Role.TUTOR,
            with_code=True,
            created_by=actor,
            code_days=code_days,
        )
    except Invalid as exc:
        raise Invalid(*exc.messages, *problems) from None
    if problems:
        raise Invalid(*problems)
    created.user.company = company_name or None
    db.flush()
    return created


def _visible_learner_ids(actor: User):
    # Not correlated: the enclosing queries select users (tutors) too.
    return accounts.people_query(actor, Role.LEARNER).with_only_columns(User.id).correlate(None)


def tutors_query(actor: User):
    """A select of the tutors the staff member may see: those of their organisation; for a
    trainer limited to their groups, only the tutors linked to a learner they see, or to no
    learner yet (a tutor just created, to be linked)."""
    stmt = accounts.people_query(actor, Role.TUTOR)
    if accounts.restricted_to_groups(actor):
        visible = _visible_learner_ids(actor)
        live = select(TutorLink.tutor_id).where(TutorLink.ended_at.is_(None))
        stmt = stmt.where(
            or_(
                User.id.in_(live.where(TutorLink.learner_id.in_(visible))),
                User.id.not_in(live),
            )
        )
    return stmt


def get_tutor(db: Session, actor: User, tutor_id: int) -> User:
    """A tutor the staff member may see (tutors_query), or NotFound."""
    if not actor.is_staff:
        raise Forbidden()
    tutor = db.scalar(tutors_query(actor).where(User.id == tutor_id))
    if tutor is None:
        raise NotFound()
    return tutor


def list_tutors(db: Session, actor: User) -> list[tuple[User, list[User]]]:
    """The organisation's tutors by name, each with the linked learners the actor may see."""
    if not actor.is_staff:
        raise Forbidden()
    tutors = list(db.scalars(tutors_query(actor).order_by(User.display_name, User.id)))
    visible = _visible_learner_ids(actor)
    rows = db.execute(
        select(TutorLink.tutor_id, User)
        .join(User, User.id == TutorLink.learner_id)
        .where(
            TutorLink.tutor_id.in_([t.id for t in tutors]),
            TutorLink.ended_at.is_(None),
            User.id.in_(visible),
        )
        .order_by(User.display_name, User.id)
    ).all()
    learners: dict[int, list[User]] = {}
    for tutor_id, learner in rows:
        learners.setdefault(tutor_id, []).append(learner)
    return [(tutor, learners.get(tutor.id, [])) for tutor in tutors]


def _live_link(db: Session, tutor: User, learner_id: int) -> TutorLink | None:
    return db.scalar(
        select(TutorLink).where(
            TutorLink.tutor_id == tutor.id,
            TutorLink.learner_id == learner_id,
            TutorLink.ended_at.is_(None),
        )
    )


def link(db: Session, actor: User, tutor: User, learner_id: int) -> TutorLink:
    """Link the tutor (already scoped) to a learner the actor may see; audited."""
    learner = accounts.get_learner(db, actor, learner_id)
    if _live_link(db, tutor, learner.id) is not None:
        raise Invalid(
            _("%(learner)s is already linked to this tutor.", learner=learner.display_name)
        )
    row = TutorLink(
        organisation_id=tutor.organisation_id,
        tutor_id=tutor.id,
        learner_id=learner.id,
        created_by_id=actor.id,
        created_at=utcnow(),
    )
    db.add(row)
    db.flush()
    audit.record(db, actor, "tutor.link", target=learner, tutor=tutor.id)
    return row


def end_link(db: Session, actor: User, tutor: User, learner_id: int) -> User:
    """End the live link between the tutor and a learner the actor may see; audited."""
    learner = accounts.get_learner(db, actor, learner_id)
    row = _live_link(db, tutor, learner.id)
    if row is None:
        raise NotFound()
    row.ended_at = utcnow()
    db.flush()
    audit.record(db, actor, "tutor.unlink", target=learner, tutor=tutor.id)
    return learner


def tutors_of(db: Session, learner: User) -> list[User]:
    """The tutors linked to a learner the caller scoped, by name."""
    return list(
        db.scalars(
            select(User)
            .join(TutorLink, TutorLink.tutor_id == User.id)
            .where(TutorLink.learner_id == learner.id, TutorLink.ended_at.is_(None))
            .order_by(User.display_name, User.id)
        )
    )


# --- the tutor's own reads ----------------------------------------------------------------------


def linked_learners(db: Session, tutor: User) -> list[User]:
    """The learners linked to the tutor now, by name."""
    require_tutor(tutor)
    return list(
        db.scalars(
            select(User)
            .join(TutorLink, TutorLink.learner_id == User.id)
            .where(
                TutorLink.tutor_id == tutor.id,
                TutorLink.ended_at.is_(None),
                User.organisation_id == tutor.organisation_id,
                User.role == Role.LEARNER,
                User.active.is_(True),
            )
            .order_by(User.display_name, User.id)
        )
    )


def linked_learner(db: Session, tutor: User, learner_id: int) -> User:
    """A learner linked to the tutor now, or NotFound (another tutor's learner, another
    organisation's, an ended link)."""
    require_tutor(tutor)
    learner = db.scalar(
        select(User)
        .join(TutorLink, TutorLink.learner_id == User.id)
        .where(
            User.id == learner_id,
            TutorLink.tutor_id == tutor.id,
            TutorLink.ended_at.is_(None),
            User.organisation_id == tutor.organisation_id,
            User.role == Role.LEARNER,
            User.active.is_(True),
        )
    )
    if learner is None:
        raise NotFound()
    return learner


# --- what is assessed ---------------------------------------------------------------------------


def skill_scale() -> list[tuple[str, str]]:
    """The steps a soft-skill level is assessed on (a référentiel brings its own)."""
    return [
        ("not-yet", _("Not yet")),
        ("with-help", _("With help")),
        ("alone", _("Alone")),
        ("can-explain", _("Can explain or pass it on")),
    ]


@dataclass(frozen=True)
class Target:
    """A competence of a référentiel, or a level of a soft skill, in the tutor's language."""

    kind: str  # "competence" | "skill"
    subject: str
    criteria: tuple[tuple[str, str, bool], ...]  # (id, text, safety)
    scale: tuple[tuple[str, str], ...]  # (id, label)
    referentiel_id: str | None = None
    referentiel_version: str | None = None
    referentiel_title: str | None = None
    competence_id: str | None = None
    skill_id: str | None = None
    level: int | None = None

    def matches(self, row: WorkplaceAssessment) -> bool:
        """Whether the row is about this same competence or skill level."""
        return (row.kind, row.referentiel_id, row.competence_id, row.skill_id, row.level) == (
            self.kind,
            self.referentiel_id,
            self.competence_id,
            self.skill_id,
            self.level,
        )


def competence_target(catalog, referentiel_id: str, competence_id: str, lang: str) -> Target:
    """The competence to assess, or NotFound."""
    ref = catalog.referentiel(referentiel_id)
    competence = ref.competence(competence_id) if ref else None
    if competence is None:
        raise NotFound()
    return Target(
        kind="competence",
        subject=competence.title.get(lang),
        criteria=tuple((c.id, c.text.get(lang), c.safety) for c in competence.criteria),
        scale=tuple((s.id, s.label.get(lang)) for s in competence.scale),
        referentiel_id=ref.id,
        referentiel_version=ref.version,
        referentiel_title=ref.title.get(lang),
        competence_id=competence.id,
    )


def skill_target(catalog, skill_id: str, level: int | None, lang: str) -> Target:
    """The soft-skill level to assess, or NotFound."""
    skill = catalog.skill(skill_id)
    found = skill.level(level) if skill and level else None
    if found is None:
        raise NotFound()
    return Target(
        kind="skill",
        subject=_(
            "%(skill)s, level %(level)d: %(descriptor)s",
            skill=skill.title.get(lang),
            level=level,
            descriptor=found.descriptor.get(lang),
        ),
        criteria=tuple((str(n), text, False) for n, text in enumerate(found.behaviours_for(lang))),
        scale=tuple(skill_scale()),
        skill_id=skill.id,
        level=level,
    )


# --- assessing (tutors) -------------------------------------------------------------------------


def new_form_token() -> str:
    """The token a new assessment form carries (see WorkplaceAssessment.form_token)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def draft_for(
    db: Session, tutor: User, learner: User, target: Target
) -> WorkplaceAssessment | None:
    """The tutor's draft about this learner and target, if one was saved."""
    rows = db.scalars(
        select(WorkplaceAssessment)
        .where(
            WorkplaceAssessment.tutor_id == tutor.id,
            WorkplaceAssessment.learner_id == learner.id,
            WorkplaceAssessment.status == "draft",
        )
        .order_by(WorkplaceAssessment.updated_at.desc(), WorkplaceAssessment.id.desc())
    )
    return next((row for row in rows if target.matches(row)), None)


@dataclass(frozen=True)
class Saved:
    row: WorkplaceAssessment
    duplicate: bool  # the form had been sent already (a double click, a resent form)


def _check(target: Target, tutor: User, learner: User, values: dict, send: bool, now) -> dict:
    """The cleaned values, or Invalid with every problem (a draft only needs to be storable)."""
    problems: list[str] = []
    cleaned: dict = {}
    for key, label, cleaner, limit in (
        ("note", _("What you saw"), clean_block, MAX_NOTE),
        ("place", _("Place"), clean_line, MAX_PLACE),
    ):
        try:
            cleaned[key] = cleaner(values.get(key) or "", label, limit, required=False)
        except Invalid as exc:
            problems += exc.messages
    known = {cid: text for cid, text, _safety in target.criteria}
    ticked = list(dict.fromkeys(str(c) for c in values.get("criteria") or ()))
    if any(cid not in known for cid in ticked):
        problems.append(_("Tick only criteria from the list."))
    cleaned["criteria"] = [{"id": cid, "text": known[cid]} for cid in ticked if cid in known]
    steps = dict(target.scale)
    step = values.get("step") or ""
    if step and step not in steps:
        problems.append(_("Choose a step of the scale."))
    elif send and not step:
        problems.append(_("Choose where the learner is on the scale."))
    cleaned["step"] = (step, steps[step]) if step in steps else (None, None)
    day: date | None = values.get("assessed_on")
    today = today_for(tutor, now)
    if day is None and send:
        problems.append(_("Give the date you saw the learner at work."))
    elif day is not None and day > today:
        problems.append(_("The date cannot be in the future."))
    elif day is not None and day < today - timedelta(days=OLDEST_DAYS):
        problems.append(_("The date is more than three years ago."))
    cleaned["assessed_on"] = day
    token = values.get("form_token") or ""
    if not (10 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()):
        problems.append(_("This form is out of date: open it again from the learner's page."))
    if problems:
        raise Invalid(*problems)
    return cleaned


def save(
    db: Session,
    tutor: User,
    learner: User,
    target: Target,
    values: dict,
    *,
    send: bool,
    now: datetime | None = None,
) -> Saved:
    """Save the tutor's assessment of a linked learner (the caller scoped both) as a draft, or
    send it to the learner and the trainers. `values`: form_token, criteria (ids), step, note,
    assessed_on (a date or None), place. Invalid lists every problem and writes nothing."""
    require_tutor(tutor)
    now = now or utcnow()
    cleaned = _check(target, tutor, learner, values, send, now)
    row = db.scalar(
        select(WorkplaceAssessment).where(WorkplaceAssessment.form_token == values["form_token"])
    )
    if row is not None and (
        row.tutor_id != tutor.id or row.learner_id != learner.id or not target.matches(row)
    ):
        raise Invalid(_("This form is out of date: open it again from the learner's page."))
    if row is not None and row.status == "sent":
        return Saved(row, duplicate=True)
    if row is None:
        row = WorkplaceAssessment(
            organisation_id=learner.organisation_id,
            learner_id=learner.id,
            tutor_id=tutor.id,
            form_token=values["form_token"],
            kind=target.kind,
            referentiel_id=target.referentiel_id,
            competence_id=target.competence_id,
            skill_id=target.skill_id,
            level=target.level,
            created_at=now,
        )
        db.add(row)
    row.tutor_name = tutor.display_name
    row.referentiel_version = target.referentiel_version
    row.subject = target.subject[:300]
    row.criteria = cleaned["criteria"]
    row.scale_step_id, row.scale_step_label = cleaned["step"]
    row.note = cleaned["note"]
    row.place = cleaned["place"]
    row.assessed_on = cleaned["assessed_on"]
    row.updated_at = now
    if send:
        row.status = "sent"
        row.sent_at = now
    else:
        row.status = "draft"
    db.flush()
    return Saved(row, duplicate=False)


def _sent(learner: User):
    return (
        select(WorkplaceAssessment)
        .where(
            WorkplaceAssessment.learner_id == learner.id,
            WorkplaceAssessment.status == "sent",
        )
        .order_by(
            WorkplaceAssessment.assessed_on.desc(),
            WorkplaceAssessment.sent_at.desc(),
            WorkplaceAssessment.id.desc(),
        )
    )


def sent_by(db: Session, tutor: User, learner: User) -> list[WorkplaceAssessment]:
    """What this tutor sent about a linked learner, newest first (with the learner's replies)."""
    require_tutor(tutor)
    return list(db.scalars(_sent(learner).where(WorkplaceAssessment.tutor_id == tutor.id)))


def for_learner(db: Session, learner: User) -> list[WorkplaceAssessment]:
    """Every sent assessment of a learner the caller scoped (the learner's own page, the
    trainer's learner page), newest first."""
    return list(db.scalars(_sent(learner)))


def has_tutor_or_assessment(db: Session, learner: User) -> bool:
    """Whether the learner has a tutor at work now, or an assessment sent to them."""
    linked = select(TutorLink.id).where(
        TutorLink.learner_id == learner.id, TutorLink.ended_at.is_(None)
    )
    sent = select(WorkplaceAssessment.id).where(
        WorkplaceAssessment.learner_id == learner.id, WorkplaceAssessment.status == "sent"
    )
    return db.scalar(linked.limit(1)) is not None or db.scalar(sent.limit(1)) is not None


# --- the learner's reply ------------------------------------------------------------------------


def reply(
    db: Session, learner: User, assessment_id: int, text: str, now: datetime | None = None
) -> WorkplaceAssessment:
    """The learner answers an assessment sent to them (their answer replaces an earlier one);
    another learner's assessment, or a draft, is NotFound (to anyone who is not its learner)."""
    row = db.scalar(
        select(WorkplaceAssessment).where(
            WorkplaceAssessment.id == assessment_id,
            WorkplaceAssessment.learner_id == learner.id,
            WorkplaceAssessment.status == "sent",
        )
    )
    if row is None:
        raise NotFound()
    row.reply = clean_block(text, _("Your answer"), MAX_REPLY)
    row.replied_at = now or utcnow()
    db.flush()
    return row
