"""People: creating accounts, signing in, codes and resets — always inside an organisation."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from learn.db import fold_case
from learn.i18n import _
from learn.models import STAFF_ROLES, GroupMembership, Organisation, Role, SignInCode, User
from learn.models.people import ERASED_PREFIX, utcnow
from learn.services import sessions
from learn.services.errors import Forbidden, Invalid, NotFound
from learn.services.paging import clamp_page
from learn.services.passwords import (
    check_password_rules,
    hash_secret,
    new_sign_in_code,
    normalise_code,
    verify_secret,
)

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")
ROLE_RANK = {
    Role.LEARNER: 0,
    Role.TUTOR: 0,
    Role.TRAINER: 1,
    Role.ORG_ADMIN: 2,
    Role.PLATFORM_ADMIN: 3,
}


@dataclass(frozen=True)
class NewAccount:
    user: User
    code: str | None  # the one-time code to print, shown once and never stored in clear


def normalise_username(username: str) -> str:
    """Usernames are compared in lower case without surrounding spaces."""
    return (username or "").strip().lower()


# Names a person could take for the platform's own voice. Refused with the same words as a name
# already in use, so that the refusal does not prove that someone, somewhere, has the name.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrateur",
        "administrator",
        "anonymous",
        "anonyme",
        "formateur",
        "formatrice",
        "moderateur",
        "moderator",
        "parcours",
        "postmaster",
        "root",
        "securite",
        "security",
        "staff",
        "support",
        "system",
        "systeme",
        "trainer",
        "webmaster",
    }
)


def unavailable_usernames(db: Session, names: Iterable[str]) -> set[str]:
    """The names among these that cannot be given: in use in any organisation (sign-in is by
    username alone, so a username is unique on the whole platform), or reserved."""
    wanted = set(names)
    if not wanted:
        return set()
    used = db.scalars(select(User.username).where(User.username.in_(sorted(wanted))))
    return set(used) | (wanted & RESERVED_USERNAMES)


def username_unavailable(name: str) -> str:
    """The refusal of an unavailable username: it never says where or by whom it is used (a
    trainer must not learn who is in another organisation)."""
    return _(
        "The username “%(name)s” cannot be used. Choose another one: add the first letter "
        "of the family name, or a number.",
        name=name,
    )


def check_username(db: Session, username: str) -> str:
    """Return the normalised username or raise Invalid."""
    name = normalise_username(username)
    if not USERNAME_RE.match(name):
        raise Invalid(
            _(
                "A username has 3 to 64 characters: lower-case letters, digits, dots, dashes "
                "or underscores, starting and ending with a letter or digit."
            )
        )
    if unavailable_usernames(db, [name]):
        raise Invalid(username_unavailable(name))
    return name


def can_manage_role(actor: User, role: str) -> bool:
    """Trainers create learners and workplace tutors; organisation admins create trainers too."""
    if actor.role == Role.PLATFORM_ADMIN:
        return True
    if actor.role == Role.ORG_ADMIN:
        return role in (Role.LEARNER, Role.TUTOR, Role.TRAINER, Role.ORG_ADMIN)
    if actor.role == Role.TRAINER:
        return role in (Role.LEARNER, Role.TUTOR)
    return False


def create_account(
    db: Session,
    *,
    organisation: Organisation | None,
    username: str,
    display_name: str,
    role: str,
    password: str | None = None,
    with_code: bool = False,
    email: str | None = None,
    created_by: User | None = None,
    code_days: int = 14,
) -> NewAccount:
    """Create a user with a password, a one-time code, or both; raise Invalid on bad input."""
    if role not in {r.value for r in Role}:
        raise Invalid(_("Unknown role."))
    if created_by is not None and not can_manage_role(created_by, role):
        raise Forbidden()
    if role != Role.PLATFORM_ADMIN and organisation is None:
        raise Invalid(_("Every account except a platform admin belongs to an organisation."))
    problems = []
    name = ""
    try:
        name = check_username(db, username)
    except Invalid as exc:
        problems += exc.messages
    display = (display_name or "").strip()
    if not display or len(display) > 120:
        problems.append(_("The name shown must have 1 to 120 characters."))
    if password:
        try:
            words = [name, display]
            if organisation is not None:
                words += [organisation.name, organisation.slug]
            check_password_rules(
                password, staff=role in STAFF_ROLES or role == Role.TUTOR, personal=words
            )
        except Invalid as exc:
            problems += exc.messages
    elif not with_code:
        problems.append(_("Give a password or ask for a one-time sign-in code."))
    if problems:
        raise Invalid(*problems)
    user = User(
        organisation_id=organisation.id if organisation else None,
        username=name,
        display_name=display,
        email=(email or None),
        role=role,
        password_hash=hash_secret(password) if password else None,
    )
    db.add(user)
    db.flush()
    code = issue_code(db, user, created_by, days=code_days) if with_code else None
    return NewAccount(user=user, code=code)


def issue_code(db: Session, user: User, created_by: User | None, days: int = 14) -> str:
    """Replace the user's unused codes by a new one-time code, sign the user out everywhere,
    and return the code (once)."""
    now = utcnow()
    db.execute(
        update(SignInCode)
        .where(SignInCode.user_id == user.id, SignInCode.used_at.is_(None))
        .values(used_at=now)
    )
    code = new_sign_in_code()
    db.add(
        SignInCode(
            user_id=user.id,
            code_hash=hash_secret(code),
            created_by_id=created_by.id if created_by else None,
            expires_at=now + timedelta(days=days),
        )
    )
    sessions.end_all_sessions(db, user, now)
    db.flush()
    return code


@dataclass(frozen=True)
class SignedIn:
    user: User
    # The one-time code the user signed in with (still unused: it is spent when the password
    # is saved), or None for a password.
    code_id: int | None


class AccountClosed(Exception):
    """The right password of a closed account: the person is told so (and when), not sent to
    guess again. Only the password's owner learns it, so it tells no one else the name exists."""

    def __init__(self, closed_on):
        super().__init__("account closed")
        self.closed_on = closed_on


def authenticate(db: Session, username: str, secret: str) -> SignedIn | None:
    """Who signs in with this username and password or code, or None; one answer for any
    failure, and the same hashing work for every outcome (unknown user, wrong or right
    password, code, closed account): always two argon2 verifications, one against the password
    (or a dummy hash) and one against the newest live code (or a dummy hash). The right
    password of a closed account raises AccountClosed."""
    name = normalise_username(username)
    user = db.scalar(select(User).where(User.username == name)) if name else None
    # A closed account's password is checked to say "closed"; an erased one has none.
    known = user is not None and (user.active or user.closed_at is not None)
    code = (
        db.scalar(
            select(SignInCode)
            .where(
                SignInCode.user_id == user.id,
                SignInCode.used_at.is_(None),
                SignInCode.expires_at > utcnow(),
            )
            .order_by(SignInCode.created_at.desc(), SignInCode.id.desc())
            .limit(1)
        )
        if known
        else None
    )
    password_ok = verify_secret(user.password_hash if known else None, secret)
    code_ok = verify_secret(code.code_hash if code else None, normalise_code(secret))
    if not known:
        return None
    if not user.active:
        if password_ok or code_ok:
            raise AccountClosed(user.closed_on)
        return None
    if password_ok:
        return SignedIn(user, None)
    if code_ok:
        user.must_choose_password = True
        return SignedIn(user, code.id)
    return None


def personal_words(user: User) -> list[str]:
    """What a password of this user must not be made of: their usernames, names, organisation."""
    words = [user.username, user._display_name]
    if user.organisation is not None:
        words += [user.organisation.name, user.organisation.slug]
    return words


def check_current_password(user: User, password: str) -> bool:
    """Whether the password typed is the user's current one."""
    return verify_secret(user.password_hash, password or "")


def set_password(
    db: Session, user: User, password: str, sign_in_code_id: int | None = None
) -> None:
    """Set a new password (rules checked) and end every session of the user. With the code
    the user signed in with, that code is spent now (single use: if another request spent it
    first, Invalid)."""
    check_password_rules(password, staff=user.reads_others_data, personal=personal_words(user))
    now = utcnow()
    if sign_in_code_id is not None:
        spent = db.execute(
            update(SignInCode)
            .where(
                SignInCode.id == sign_in_code_id,
                SignInCode.user_id == user.id,
                SignInCode.used_at.is_(None),
                SignInCode.expires_at > now,
            )
            .values(used_at=now)
        )
        if spent.rowcount != 1:
            raise Invalid(
                _("This sign-in code can no longer be used. Ask your trainer for a new one.")
            )
    user.password_hash = hash_secret(password)
    user.must_choose_password = False
    sessions.end_all_sessions(db, user, now)
    db.flush()


def end_all_sessions(db: Session, user: User) -> None:
    """Sign the user out everywhere."""
    sessions.end_all_sessions(db, user)
    db.flush()


def touch(db: Session, user: User, now: datetime | None = None) -> None:
    """Record activity at most once a minute, so reads stay reads."""
    now = now or utcnow()
    if user.last_seen_at is None or now - user.last_seen_at > timedelta(minutes=1):
        user.last_seen_at = now


# --- scoped reads: the organisation boundary lives in the queries themselves ---------------------


def restricted_to_groups(actor: User) -> bool:
    """Whether the actor is a trainer whose organisation limits trainers to their own groups."""
    return (
        actor.role == Role.TRAINER
        and actor.organisation is not None
        and bool(actor.organisation.restrict_trainers_to_groups)
    )


def people_query(actor: User, *roles: str):
    """A select of users the actor may see, restricted to roles if given. A trainer of an
    organisation that restricts trainers sees only the learners of the groups they belong to."""
    stmt = select(User)
    if not actor.is_platform_admin:
        if not actor.is_staff:
            stmt = stmt.where(User.id == actor.id)
        else:
            stmt = stmt.where(User.organisation_id == actor.organisation_id)
    if restricted_to_groups(actor):
        mine = select(GroupMembership.group_id).where(GroupMembership.user_id == actor.id)
        shared = select(GroupMembership.user_id).where(GroupMembership.group_id.in_(mine))
        stmt = stmt.where(or_(User.role != Role.LEARNER, User.id.in_(shared)))
    if roles:
        stmt = stmt.where(User.role.in_(roles))
    return stmt


def get_learner(db: Session, actor: User, learner_id: int) -> User:
    """A learner the actor may see, or NotFound (another organisation's id does not leak)."""
    if not actor.is_staff:
        raise Forbidden()
    learner = db.scalar(people_query(actor, Role.LEARNER).where(User.id == learner_id))
    if learner is None:
        raise NotFound()
    return learner


LEARNERS_PER_PAGE = 50


@dataclass(frozen=True)
class LearnerPage:
    learners: list[User]
    total: int
    page: int
    pages: int


def list_learners(
    db: Session,
    actor: User,
    search: str = "",
    page: int = 1,
    per_page: int = LEARNERS_PER_PAGE,
    *,
    include_erased: bool = True,
) -> LearnerPage:
    """One page of the learners the actor may see, by name; `search` keeps those whose name or
    username contains it (any case). Two queries, whatever the number of learners."""
    if not actor.is_staff:
        raise Forbidden()
    stmt = people_query(actor, Role.LEARNER)
    if not include_erased:
        stmt = stmt.where(~User.username.startswith(ERASED_PREFIX, autoescape=True))
    words = search.strip()[:80]
    if words:
        folded = words.casefold()
        stmt = stmt.where(
            or_(
                fold_case(User.display_name).contains(folded, autoescape=True),
                fold_case(User.username).contains(folded, autoescape=True),
            )
        )
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page, pages = clamp_page(total, page, per_page)
    rows = db.scalars(
        stmt.order_by(User.display_name, User.id).limit(per_page).offset((page - 1) * per_page)
    )
    return LearnerPage(list(rows), total, page, pages)
