"""Demo data: one organisation, its staff, a group of learners. Running it twice changes nothing
but the passwords, which are set to the one given."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.models import Group, GroupMembership, Organisation, Role, User
from learn.modules import question_type
from learn.services import accounts
from learn.services.passwords import hash_secret

DEMO_ORG = ("demo", "Chantier d'insertion démo")
DEMO_GROUP = "Groupe démo"
DEMO_PEOPLE = [
    ("demo-admin", "Nadia Admin", Role.ORG_ADMIN),
    ("demo-trainer", "Karim Formateur", Role.TRAINER),
    ("demo-learner", "Amina Diallo", Role.LEARNER),
    ("demo-learner2", "Jean Martin", Role.LEARNER),
    ("demo-learner3", "Lucia Pereira", Role.LEARNER),
]


def load(db: Session, password: str, catalog=None) -> list[tuple[str, str]]:
    """Create what is missing, set every demo password, give the learners some progress on the
    catalog's first modules (once); return (username, role) pairs."""
    slug, name = DEMO_ORG
    org = db.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        org = Organisation(slug=slug, name=name, timezone="Europe/Paris")
        db.add(org)
        db.flush()
    hashed = None
    people: dict[str, User] = {}
    for username, display, role in DEMO_PEOPLE:
        user = db.scalar(select(User).where(User.username == username))
        if user is None:
            created = accounts.create_account(
                db,
                organisation=org,
                username=username,
                display_name=display,
                role=role,
                password=password,
            )
            user = created.user
        else:
            # Checked once with the rules, then reused: hashing is deliberately slow.
            if hashed is None:
                from learn.services.passwords import check_password_rules

                check_password_rules(password, staff=True, personal=[username, display])
                hashed = hash_secret(password)
            user.password_hash = hashed
            user.must_choose_password = False
        people[username] = user
    group = db.scalar(
        select(Group).where(Group.organisation_id == org.id, Group.name == DEMO_GROUP)
    )
    if group is None:
        # Funded by an OPCO, so the certificates of completion name a funder (docs/funders.md).
        group = Group(organisation_id=org.id, name=DEMO_GROUP, funding="opco")
        db.add(group)
        db.flush()
    members = set(
        db.scalars(select(GroupMembership.user_id).where(GroupMembership.group_id == group.id))
    )
    for username, _display, role in DEMO_PEOPLE:
        if role in (Role.LEARNER, Role.TRAINER) and people[username].id not in members:
            db.add(GroupMembership(group_id=group.id, user_id=people[username].id))
    db.flush()
    if catalog is not None:
        _some_progress(db, catalog, people)
    return [(username, str(role)) for username, _display, role in DEMO_PEOPLE]


def _some_progress(db: Session, catalog, people: dict[str, User]) -> None:
    """Demo-learner has read half of a module; demo-learner2 has mastered one. Only once."""
    from learn.models import ModuleProgress
    from learn.services import progress, quizzes

    learners = [people["demo-learner"], people["demo-learner2"]]
    if db.scalar(
        select(ModuleProgress.user_id)
        .where(ModuleProgress.user_id.in_([u.id for u in learners]))
        .limit(1)
    ):
        return
    first = next(
        (m for m in catalog.modules.values() if m.valid and m.kind == "module" and m.level == 1),
        None,
    )
    variant = catalog.variant(first.id, "fr", "standard") if first else None
    if variant is None or not variant.sections:
        return
    progress.record_visit(db, learners[0], variant, variant.sections[0].id)
    for section in variant.sections:
        progress.record_visit(db, learners[1], variant, section.id)
    if variant.quiz and variant.questions:
        answers = {q.id: question_type(q).right_answer(q) for q in variant.questions}
        ticket = quizzes.open_ticket(db, learners[1], variant)
        quizzes.submit(db, learners[1], variant, ticket, answers)
