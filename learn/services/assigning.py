"""Assignments as a trainer makes them: a module, a skill level, a skill or a course, for a group
or for chosen learners, with an optional due date and the easy-read variant if wanted.

Editing or removing an assignment changes what is asked, never what was done: progress lives in
its own tables and no function here touches them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import Assignment, Group, GroupMembership, Role, User
from learn.models.people import utcnow
from learn.services import accounts
from learn.services.assignments import expand_target, today_for
from learn.services.errors import Invalid, NotFound
from learn.services.groups import groups_query, require_staff

LATEST_DUE_DAYS = 3 * 366


@dataclass(frozen=True)
class Target:
    kind: str
    ref: str

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.ref}"


def collation_key(text: str) -> tuple[str, str]:
    """A sort key in French order: accents and case set aside first (É beside E, not after Z),
    then the text itself to keep a stable order between « cote », « côte » and « Côte »."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )
    return (stripped.casefold(), text)


def _folded(text: str) -> str:
    return collation_key(text)[0]


def level_label(skill_title: str, level: int | str) -> str:
    """A skill level in words, the level's number first."""
    return _("Level %(n)s — %(skill)s", n=level, skill=skill_title)


def module_label(module, lang: str) -> str:
    """A module's title, with its level's number in front when it has one."""
    title = module.title(lang)
    return _("Level %(n)s — %(title)s", n=module.level, title=title) if module.level else title


@dataclass
class PickerNode:
    """One choice of the assignment picker and the finer choices under it."""

    value: str
    label: str
    modules: int  # how many modules choosing it assigns
    children: list[PickerNode] = field(default_factory=list)

    def holds(self, value: str | None) -> bool:
        """True when this choice or one under it is `value` (to open its part of the page)."""
        return value == self.value or any(child.holds(value) for child in self.children)


def _served(catalog) -> list:
    return [m for m in catalog.modules.values() if m.kind == "module" and m.valid]


def target_tree(catalog, lang: str, search: str = "") -> list[PickerNode]:
    """The picker: course → skill → level → module, each list in French alphabetical order
    (levels by number). With `search`, only the choices whose title holds each of its words, and
    what holds them; accents and case do not count."""
    wanted = _folded((search or "")[:60]).split()
    served = _served(catalog)
    by_course: dict[str, list] = {}
    for module in served:
        by_course.setdefault(module.course, []).append(module)

    def module_node(module) -> PickerNode:
        return PickerNode(f"module:{module.id}", module_label(module, lang), 1)

    def keep(node: PickerNode) -> PickerNode | None:
        label = _folded(node.label)
        if all(word in label for word in wanted):
            return node  # with everything under it
        node.children = [c for c in map(keep, node.children) if c]
        return node if node.children else None

    tree = []
    courses = {c.id: c for c in catalog.courses}
    for course_id, modules in by_course.items():
        course = courses.get(course_id)
        label = course.title.get(lang) if course else _("Other modules")
        node = PickerNode(f"course:{course_id}" if course else "", label, len(modules))
        skills: dict[str, list] = {}
        for module in modules:
            if module.skill and catalog.skill(module.skill):
                skills.setdefault(module.skill, []).append(module)
            else:
                node.children.append(module_node(module))
        for skill_id, skill_modules in skills.items():
            title = catalog.skill(skill_id).title.get(lang)
            skill_node = PickerNode(f"skill:{skill_id}", title, len(skill_modules))
            for level in sorted({m.level for m in skill_modules if m.level}):
                level_modules = [m for m in skill_modules if m.level == level]
                level_node = PickerNode(
                    f"level:{skill_id}:{level}", level_label(title, level), len(level_modules)
                )
                level_node.children = sorted(
                    map(module_node, level_modules), key=lambda n: collation_key(n.label)
                )
                skill_node.children.append(level_node)
            skill_node.children += [module_node(m) for m in skill_modules if not m.level]
            node.children.append(skill_node)
        node.children.sort(key=lambda n: (n.value.startswith("module:"), collation_key(n.label)))
        tree.append(node)
    tree.sort(key=lambda n: (not n.value, collation_key(n.label)))
    if wanted:
        tree = [n for n in map(keep, tree) if n]
    return tree


def target_values(catalog) -> set[str]:
    """Every value the picker may send."""
    values = {f"course:{c.id}" for c in catalog.courses}
    for module in _served(catalog):
        values.add(f"module:{module.id}")
        if module.skill:
            values.add(f"skill:{module.skill}")
            if module.level:
                values.add(f"level:{module.skill}:{module.level}")
    return values


def parse_target(catalog, value: str) -> Target:
    """The target a form value names, or Invalid (it must stand for at least one module)."""
    kind, _sep, ref = (value or "").partition(":")
    target = Target(kind, ref)
    if kind not in ("course", "skill", "level", "module") or not expand_target(catalog, kind, ref):
        raise Invalid(_("Choose what to assign."))
    return target


def target_label(catalog, kind: str, ref: str, lang: str) -> str:
    """What an assignment asks, in words."""
    if kind == "course":
        course = catalog.course(ref)
        return course.title.get(lang) if course else ref
    if kind == "skill":
        skill = catalog.skill(ref)
        return _("Skill: %(title)s", title=skill.title.get(lang) if skill else ref)
    if kind == "level":
        skill_id, _sep, level = ref.partition(":")
        skill = catalog.skill(skill_id)
        title = skill.title.get(lang) if skill else skill_id
        return level_label(title, level)
    module = catalog.modules.get(ref)
    return module_label(module, lang) if module else ref


def check_due(actor: User, due_on: date | None, now: datetime | None = None) -> date | None:
    """A due date from today (in the organisation's time zone) to three years ahead."""
    if due_on is None:
        return None
    today = today_for(actor, now or utcnow())
    if due_on < today:
        raise Invalid(_("The due date is already past: choose today or a later day."))
    if due_on > today + timedelta(days=LATEST_DUE_DAYS):
        raise Invalid(_("The due date is more than three years ahead."))
    return due_on


def create(
    db: Session,
    actor: User,
    catalog,
    *,
    target: str,
    group: Group | None = None,
    learner_ids: list[int] = (),
    due_on: date | None = None,
    easy_read: bool = False,
    now: datetime | None = None,
) -> list[Assignment]:
    """Assign a target to a group (one row), or to each chosen learner (a row each). The group
    and learners must be ones the actor sees (NotFound otherwise)."""
    require_staff(actor)
    parsed = parse_target(catalog, target)
    due = check_due(actor, due_on, now)
    if group is None and not learner_ids:
        raise Invalid(_("Choose the group or at least one learner."))
    rows = []
    if group is not None:
        if group.archived_at is not None:
            raise Invalid(_("This group is archived: bring it back before assigning to it."))
        rows.append(Assignment(group_id=group.id))
    else:
        wanted = {int(i) for i in learner_ids}
        learners = list(
            db.scalars(accounts.people_query(actor, Role.LEARNER).where(User.id.in_(wanted)))
        )
        if len(learners) != len(wanted):
            raise NotFound()
        rows += [Assignment(user_id=learner.id) for learner in learners]
    organisation_id = group.organisation_id if group is not None else None
    for row in rows:
        row.organisation_id = organisation_id or actor.organisation_id
        row.target_kind = parsed.kind
        row.target_ref = parsed.ref
        row.due_on = due
        row.easy_read = bool(easy_read)
        row.created_by_id = actor.id
        db.add(row)
    if group is None:
        # Platform admins have no organisation of their own: a learner's assignment is theirs.
        by_id = {a.user_id: a for a in rows}
        for learner in db.scalars(select(User).where(User.id.in_(list(by_id)))):
            by_id[learner.id].organisation_id = learner.organisation_id
    db.flush()
    return rows


def _scoped(actor: User):
    require_staff(actor)
    visible_learners = accounts.people_query(actor, Role.LEARNER).with_only_columns(User.id)
    visible_groups = groups_query(actor).with_only_columns(Group.id)
    stmt = select(Assignment).where(
        or_(Assignment.user_id.in_(visible_learners), Assignment.group_id.in_(visible_groups))
    )
    if not actor.is_platform_admin:
        stmt = stmt.where(Assignment.organisation_id == actor.organisation_id)
    return stmt


def get(db: Session, actor: User, assignment_id: int) -> Assignment:
    """An assignment of a group or learner the actor sees, or NotFound."""
    row = db.scalar(_scoped(actor).where(Assignment.id == assignment_id))
    if row is None:
        raise NotFound()
    return row


def update(
    db: Session,
    actor: User,
    assignment: Assignment,
    *,
    due_on: date | None,
    easy_read: bool,
    now: datetime | None = None,
) -> Assignment:
    """Change the due date or the easy-read choice; the target and audience stay."""
    require_staff(actor)
    if due_on != assignment.due_on:
        assignment.due_on = check_due(actor, due_on, now)
    assignment.easy_read = bool(easy_read)
    db.flush()
    return assignment


def remove(db: Session, actor: User, assignment: Assignment) -> None:
    """Delete the assignment; the learners keep all their progress."""
    require_staff(actor)
    db.delete(assignment)
    db.flush()


def for_group(db: Session, actor: User, group: Group) -> list[Assignment]:
    """The group's assignments, soonest due first (the caller scoped the group)."""
    return list(
        db.scalars(
            _scoped(actor)
            .where(Assignment.group_id == group.id)
            .order_by(Assignment.due_on.is_(None), Assignment.due_on, Assignment.id)
        )
    )


def for_learner(db: Session, actor: User, learner: User) -> list[tuple[Assignment, Group | None]]:
    """Assignments that reach a learner, directly or through a group (1 query)."""
    groups = select(GroupMembership.group_id).where(GroupMembership.user_id == learner.id)
    stmt = (
        _scoped(actor)
        .add_columns(Group)
        .outerjoin(Group, Group.id == Assignment.group_id)
        .where(or_(Assignment.user_id == learner.id, Assignment.group_id.in_(groups)))
        .order_by(Assignment.due_on.is_(None), Assignment.due_on, Assignment.id)
    )
    return [(row, group) for row, group in db.execute(stmt)]
