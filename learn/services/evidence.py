"""Evidence a learner hands in from their phone: what it is for (its target), who may see it,
storing it, listing it, deleting it.

A target is (kind, ref): a référentiel competence ('agent-proprete/preparer-materiel'), a
référentiel activity ('agent-proprete/preparer') or a soft-skill level 3 or 4 ('ecoute/3'),
checked by `describe_target` against the content catalogue. Who may see a learner's evidence
is decided once, in `learners_visible_to` (the seam where linked workplace tutors come in)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, false, func, literal, select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import Evidence, EvidenceBlob, Role, TutorLink, User
from learn.models.evidence import TARGET_KINDS
from learn.models.people import utcnow
from learn.services import accounts
from learn.services import evidence_files as files
from learn.services.errors import Forbidden, Invalid, NotFound
from learn.services.textinput import clean_block

MAX_NOTE = 2_000
# What one learner's files may take in the database, all together: about 250 photos, or 40
# voice notes of 5 MB. Past it, a learner deletes old pieces (or a trainer asks to raise it).
LEARNER_QUOTA_BYTES = 200 * 1024 * 1024
EVIDENCE_LEVELS = (3, 4)  # the soft-skill levels validated at work


# --- targets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A checked target and the words to show for it."""

    kind: str
    ref: str
    title: str
    context: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.ref}"


def find_referentiel(catalog, referentiel_id: str):
    """The référentiel with this id, or None. SEAM: the référentiel engine gives the catalogue
    `referentiel(id)`; a catalogue without it (before that engine) knows no référentiel, so
    competence and activity targets are refused rather than taken unchecked."""
    lookup = getattr(catalog, "referentiel", None)
    return lookup(referentiel_id) if lookup is not None else None


def find_competence(catalog, ref: str):
    """(référentiel, competence) for a ref "<référentiel>/<competence>", or (None, None)."""
    referentiel_id, _sep, competence_id = ref.partition("/")
    referentiel = find_referentiel(catalog, referentiel_id)
    competence = referentiel.competence(competence_id) if referentiel else None
    return (referentiel, competence) if competence is not None else (None, None)


def describe_target(catalog, kind: str, ref: str, lang: str) -> Target:
    """The target (kind, ref) with its title in `lang`, or Invalid."""
    unknown = Invalid(_("Choose what this evidence shows from the list."))
    if kind not in TARGET_KINDS or not isinstance(ref, str) or ref.count("/") != 1:
        raise unknown
    head, tail = ref.split("/")
    if kind == "skill_level":
        skill = catalog.skill(head)
        level = int(tail) if tail in ("3", "4") else None
        if skill is None or level is None or skill.level(level) is None:
            raise unknown
        return Target(kind, ref, skill.title.get(lang), _("Level %(n)d", n=level))
    referentiel = find_referentiel(catalog, head)
    if referentiel is None:
        raise unknown
    if kind == "competence":
        found = referentiel.competence(tail)
    else:
        found = next((a for a in referentiel.activities if a.id == tail), None)
    if found is None:
        raise unknown
    return Target(kind, ref, found.title.get(lang), referentiel.title.get(lang))


def described(catalog, items, lang: str) -> dict[int, Target]:
    """Each item's target in words, by id; a target the content no longer has shows its ref."""
    shown = {}
    for item in items:
        try:
            shown[item.id] = describe_target(catalog, item.target_kind, item.target_ref, lang)
        except Invalid:
            shown[item.id] = Target(item.target_kind, item.target_ref, item.target_ref)
    return shown


def targets(catalog, lang: str) -> list[Target]:
    """Every target a learner may choose: the soft skills' levels 3 and 4, then each
    référentiel's activities and competences."""
    found = [
        Target("skill_level", f"{s.id}/{n}", s.title.get(lang), _("Level %(n)d", n=n))
        for s in catalog.skills
        for n in EVIDENCE_LEVELS
        if s.level(n) is not None
    ]
    for referentiel in getattr(catalog, "referentiels", ()):
        title = referentiel.title.get(lang)
        for activity in referentiel.activities:
            ref = f"{referentiel.id}/{activity.id}"
            found.append(Target("activity", ref, activity.title.get(lang), title))
            found += [
                Target("competence", f"{referentiel.id}/{c.id}", c.title.get(lang), title)
                for c in activity.competences
            ]
    return found


# --- who sees what ------------------------------------------------------------------------------


def learners_visible_to(actor: User):
    """A select of the ids of the learners whose evidence the actor may see: a learner their
    own; staff the learners they may see (organisation, and groups when the organisation
    restricts trainers); a workplace tutor the learners linked to them now (this is the one
    place that decides it)."""
    if actor.role == Role.LEARNER:
        return select(literal(actor.id))
    if actor.is_staff:
        return accounts.people_query(actor, Role.LEARNER).with_only_columns(User.id)
    if actor.role == Role.TUTOR:
        return select(TutorLink.learner_id).where(
            TutorLink.tutor_id == actor.id,
            TutorLink.organisation_id == actor.organisation_id,
            TutorLink.ended_at.is_(None),
        )
    return select(User.id).where(false())


def evidence_query(actor: User):
    """A select of the evidence the actor may see (the scope is in the query itself)."""
    return select(Evidence).where(Evidence.learner_id.in_(learners_visible_to(actor)))


def can_see_evidence(db: Session, user: User, evidence: Evidence) -> bool:
    """Whether the user may see this piece of evidence (learner, their trainers, tutors)."""
    return bool(db.scalar(select(literal(evidence.learner_id).in_(learners_visible_to(user)))))


def get_evidence(db: Session, actor: User, evidence_id: int) -> Evidence:
    """A piece of evidence the actor may see, or NotFound (ids of others do not leak)."""
    found = db.scalar(evidence_query(actor).where(Evidence.id == evidence_id))
    if found is None:
        raise NotFound()
    return found


def file_of(db: Session, evidence: Evidence) -> bytes:
    """The stored bytes of a photo or a voice note (the caller found it with get_evidence)."""
    data = db.scalar(select(EvidenceBlob.data).where(EvidenceBlob.evidence_id == evidence.id))
    if data is None:
        raise NotFound()
    return data


def for_learner(db: Session, actor: User, learner: User) -> list[Evidence]:
    """The learner's evidence the actor may see, newest first."""
    return list(
        db.scalars(
            evidence_query(actor)
            .where(Evidence.learner_id == learner.id)
            .order_by(Evidence.created_at.desc(), Evidence.id.desc())
        )
    )


# --- adding and removing ------------------------------------------------------------------------


def add(
    db: Session,
    learner: User,
    catalog,
    *,
    target_kind: str,
    target_ref: str,
    note: str,
    photo: bytes | None,
    audio: bytes | None,
    lang: str,
) -> Evidence:
    """Store a learner's photo, voice note or text for a target; Invalid lists every problem
    and nothing is stored."""
    if learner.role != Role.LEARNER or learner.organisation_id is None:
        raise Forbidden()
    problems: list[str] = []
    try:
        describe_target(catalog, target_kind, target_ref, lang)
    except Invalid as exc:
        problems += exc.messages
    checked = None
    if photo and audio:
        problems.append(_("Send one photo or one voice note at a time."))
    elif photo or audio:
        try:
            checked = files.check_photo(photo) if photo else files.check_audio(audio)
        except Invalid as exc:
            problems += exc.messages
    try:
        text = clean_block(note, _("What it shows"), MAX_NOTE, required=False)
    except Invalid as exc:
        problems += exc.messages
        text = ""
    if not problems and checked is None and not text:
        problems.append(_("Add a photo, a voice note or a text."))
    if not problems and checked is not None:
        used = db.scalar(
            select(func.coalesce(func.sum(Evidence.size), 0)).where(
                Evidence.learner_id == learner.id
            )
        )
        if used + len(checked.data) > LEARNER_QUOTA_BYTES:
            problems.append(
                _(
                    "Your files take all the room kept for you (%(n)d MB). Delete photos or "
                    "voice notes you no longer need, then send this one again.",
                    n=files.megabytes(LEARNER_QUOTA_BYTES),
                )
            )
    if problems:
        raise Invalid(*problems)
    evidence = Evidence(
        organisation_id=learner.organisation_id,
        learner_id=learner.id,
        target_kind=target_kind,
        target_ref=target_ref,
        kind="text" if checked is None else ("photo" if photo else "audio"),
        note=text,
        content_type=checked.content_type if checked else None,
        size=len(checked.data) if checked else 0,
        created_at=utcnow(),
    )
    db.add(evidence)
    db.flush()
    if checked is not None:
        db.add(EvidenceBlob(evidence_id=evidence.id, data=checked.data))
        db.flush()
    return evidence


def remove(db: Session, learner: User, evidence_id: int) -> None:
    """A learner deletes a piece of their own evidence (a wrong photo), file and all; anyone
    else's id, staff included, is NotFound (staff do not delete what a learner handed in)."""
    found = db.scalar(
        select(Evidence).where(Evidence.id == evidence_id, Evidence.learner_id == learner.id)
    )
    if found is None:
        raise NotFound()
    db.execute(delete(EvidenceBlob).where(EvidenceBlob.evidence_id == found.id))
    db.delete(found)
    db.flush()


# --- export and erasure -------------------------------------------------------------------------


def file_name(evidence: Evidence) -> str:
    """The file's name in a download or an export: evidence-<id>.<extension>."""
    extension = {
        "image/jpeg": "jpg",
        "audio/mp4": "m4a",
        "audio/ogg": "ogg",
        "audio/webm": "webm",
        "audio/mpeg": "mp3",
    }.get(evidence.content_type or "", "bin")
    return f"evidence-{evidence.id}.{extension}"


def files_for_export(db: Session, learner: User) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every file the learner handed in, for the GDPR export."""
    rows = db.execute(
        select(Evidence, EvidenceBlob.data)
        .join(EvidenceBlob, EvidenceBlob.evidence_id == Evidence.id)
        .where(Evidence.learner_id == learner.id)
        .order_by(Evidence.id)
    )
    return [(file_name(evidence), data) for evidence, data in rows]


def erase_for(db: Session, learner: User) -> int:
    """Delete every piece of the learner's evidence and its file; returns how many."""
    ids = select(Evidence.id).where(Evidence.learner_id == learner.id)
    db.execute(delete(EvidenceBlob).where(EvidenceBlob.evidence_id.in_(ids)))
    return db.execute(delete(Evidence).where(Evidence.learner_id == learner.id)).rowcount
