"""Groups of learners: create, rename, archive, members; and the organisation's choice to limit
trainers to their own groups. A learner may be in several groups; a trainer who belongs to a
group follows it (and, when the organisation restricts trainers, sees only those learners)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import Group, GroupMembership, Organisation, Role, User
from learn.models.people import utcnow
from learn.services import accounts
from learn.services.errors import Forbidden, Invalid, NotFound
from learn.services.textinput import clean_line, has_control_characters

MAX_GROUP_NAME = 120


@dataclass(frozen=True)
class GroupSummary:
    group: Group
    learners: int
    mine: bool


def require_staff(actor: User) -> None:
    """Only staff use the trainer's workspace."""
    if not actor.is_staff:
        raise Forbidden()


def my_group_ids(actor: User):
    """A select of the ids of the groups the actor belongs to."""
    return select(GroupMembership.group_id).where(GroupMembership.user_id == actor.id)


def groups_query(actor: User):
    """A select of the groups the actor may see: their organisation's, or only their own when
    the organisation restricts trainers to their groups."""
    require_staff(actor)
    stmt = select(Group)
    if not actor.is_platform_admin:
        stmt = stmt.where(Group.organisation_id == actor.organisation_id)
    if accounts.restricted_to_groups(actor):
        stmt = stmt.where(Group.id.in_(my_group_ids(actor)))
    return stmt


def get_group(db: Session, actor: User, group_id: int) -> Group:
    """A group the actor may see, or NotFound (another organisation's id does not leak)."""
    group = db.scalar(groups_query(actor).where(Group.id == group_id))
    if group is None:
        raise NotFound()
    return group


def list_groups(db: Session, actor: User, archived: bool = False) -> list[GroupSummary]:
    """The actor's visible groups (active, or archived) with their number of learners (1 query)."""
    learners = (
        select(GroupMembership.group_id, func.count().label("n"))
        .join(User, User.id == GroupMembership.user_id)
        .where(User.role == Role.LEARNER, User.active.is_(True))
        .group_by(GroupMembership.group_id)
        .subquery()
    )
    mine = my_group_ids(actor).subquery()
    stmt = (
        groups_query(actor)
        .add_columns(func.coalesce(learners.c.n, 0), mine.c.group_id.is_not(None))
        .outerjoin(learners, learners.c.group_id == Group.id)
        .outerjoin(mine, mine.c.group_id == Group.id)
        .where(Group.archived_at.is_not(None) if archived else Group.archived_at.is_(None))
        .order_by(func.lower(Group.name))
    )
    return [GroupSummary(g, int(n), bool(m)) for g, n, m in db.execute(stmt)]


def _organisation_id(actor: User) -> int:
    if actor.organisation_id is None:
        raise Forbidden()
    return actor.organisation_id


def _check_name(db: Session, organisation_id: int, name: str, exclude: int | None = None) -> str:
    name = clean_line(name, _("Group name"), MAX_GROUP_NAME)
    stmt = select(Group.id).where(
        Group.organisation_id == organisation_id, func.lower(Group.name) == name.lower()
    )
    if exclude is not None:
        stmt = stmt.where(Group.id != exclude)
    if db.scalar(stmt) is not None:
        raise Invalid(_("A group of your organisation is already called “%(name)s”.", name=name))
    return name


def create_group(db: Session, actor: User, name: str) -> Group:
    """A new group of the actor's organisation; a trainer who creates it belongs to it."""
    require_staff(actor)
    organisation_id = _organisation_id(actor)
    group = Group(organisation_id=organisation_id, name=_check_name(db, organisation_id, name))
    db.add(group)
    db.flush()
    if actor.role == Role.TRAINER:
        db.add(GroupMembership(group_id=group.id, user_id=actor.id))
        db.flush()
    return group


def rename_group(db: Session, actor: User, group: Group, name: str) -> None:
    """Give the group a new name, unique in its organisation."""
    require_staff(actor)
    group.name = _check_name(db, group.organisation_id, name, exclude=group.id)
    db.flush()


def set_archived(db: Session, actor: User, group: Group, archived: bool) -> None:
    """Archive a group (its assignments stop applying; nothing is deleted) or bring it back."""
    require_staff(actor)
    group.archived_at = utcnow() if archived else None
    db.flush()


def members(db: Session, actor: User, group: Group) -> list[User]:
    """The learners of a group, by name (1 query)."""
    return list(
        db.scalars(
            accounts.people_query(actor, Role.LEARNER)
            .join(GroupMembership, GroupMembership.user_id == User.id)
            .where(GroupMembership.group_id == group.id)
            .order_by(func.lower(User.display_name), User.id)
        )
    )


def trainers(db: Session, group: Group) -> list[User]:
    """The staff who belong to the group."""
    return list(
        db.scalars(
            select(User)
            .join(GroupMembership, GroupMembership.user_id == User.id)
            .where(GroupMembership.group_id == group.id, User.role != Role.LEARNER)
            .order_by(func.lower(User.display_name))
        )
    )


def can_add_trainers(actor: User) -> bool:
    """Organisation admins put trainers in groups; trainers join the groups they create."""
    return actor.role in (Role.ORG_ADMIN, Role.PLATFORM_ADMIN)


def addable_people(
    db: Session, actor: User, group: Group, search: str = "", limit: int = 100
) -> list[User]:
    """Active learners (and, for admins, trainers) of the organisation not yet in the group,
    whose name or username contains `search`; at most `limit`, by name."""
    roles = (Role.LEARNER, Role.TRAINER) if can_add_trainers(actor) else (Role.LEARNER,)
    inside = select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)
    stmt = accounts.people_query(actor, *roles).where(
        User.organisation_id == group.organisation_id,
        User.active.is_(True),
        User.id.not_in(inside),
    )
    words = " ".join((search or "").split())[:60].lower()
    if words and not has_control_characters(words):
        pattern = "%" + words.replace("\\", "").replace("%", "").replace("_", "") + "%"
        stmt = stmt.where(
            or_(func.lower(User.display_name).like(pattern), User.username.like(pattern))
        )
    stmt = stmt.order_by(User.role, func.lower(User.display_name), User.id).limit(limit)
    return list(db.scalars(stmt))


def add_people(db: Session, actor: User, group: Group, user_ids: list[int]) -> int:
    """Put people in the group; every id must be one the actor may add, else NotFound."""
    require_staff(actor)
    wanted = {int(i) for i in user_ids}
    if not wanted:
        raise Invalid(_("Choose at least one person to add."))
    roles = (Role.LEARNER, Role.TRAINER) if can_add_trainers(actor) else (Role.LEARNER,)
    found = set(
        db.scalars(
            accounts.people_query(actor, *roles)
            .with_only_columns(User.id)
            .where(User.id.in_(wanted), User.organisation_id == group.organisation_id)
        )
    )
    if found != wanted:
        raise NotFound()
    inside = set(
        db.scalars(
            select(GroupMembership.user_id).where(
                GroupMembership.group_id == group.id, GroupMembership.user_id.in_(wanted)
            )
        )
    )
    for user_id in sorted(wanted - inside):
        db.add(GroupMembership(group_id=group.id, user_id=user_id))
    db.flush()
    return len(wanted - inside)


def remove_person(db: Session, actor: User, group: Group, user_id: int) -> User:
    """Take a learner (or, for admins, a trainer) out of the group; their progress stays."""
    require_staff(actor)
    roles = (Role.LEARNER, Role.TRAINER) if can_add_trainers(actor) else (Role.LEARNER,)
    person = db.scalar(
        accounts.people_query(actor, *roles)
        .join(GroupMembership, GroupMembership.user_id == User.id)
        .where(User.id == user_id, GroupMembership.group_id == group.id)
    )
    if person is None:
        raise NotFound()
    db.execute(
        delete(GroupMembership).where(
            GroupMembership.group_id == group.id, GroupMembership.user_id == person.id
        )
    )
    db.flush()
    return person


def check_group_for_new_learner(actor: User, group: Group | None) -> None:
    """A trainer limited to their groups must put a new learner in one, or lose sight of them."""
    if group is None and accounts.restricted_to_groups(actor):
        raise Invalid(_("Choose a group: you follow only the learners of your groups."))
    if group is not None and group.archived_at is not None:
        raise Invalid(_("This group is archived: choose another one."))


def place_new_learner(db: Session, actor: User, group: Group | None, learner: User) -> None:
    """Put a learner the actor has just created in one of the actor's groups."""
    if group is not None:
        db.add(GroupMembership(group_id=group.id, user_id=learner.id))
        db.flush()


def groups_of(db: Session, learner: User) -> list[Group]:
    """The groups a learner belongs to, active first."""
    return list(
        db.scalars(
            select(Group)
            .join(GroupMembership, GroupMembership.group_id == Group.id)
            .where(GroupMembership.user_id == learner.id)
            .order_by(Group.archived_at.is_not(None), func.lower(Group.name))
        )
    )


def set_trainer_restriction(db: Session, actor: User, restricted: bool) -> Organisation:
    """An organisation admin decides whether trainers see only their own groups."""
    if actor.role != Role.ORG_ADMIN or actor.organisation is None:
        raise Forbidden()
    actor.organisation.restrict_trainers_to_groups = bool(restricted)
    db.flush()
    return actor.organisation
