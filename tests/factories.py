"""Factories for rows the tests need; passwords are hashed once per run (argon2 is slow)."""

from __future__ import annotations

import itertools
from functools import lru_cache

from learn.models import Group, GroupMembership, Organisation, Role, User
from learn.services.passwords import hash_secret

PASSWORD = "a-good-test-password"
_counter = itertools.count(1)


@lru_cache(maxsize=4)
def hashed(password: str = PASSWORD) -> str:
    return hash_secret(password)


def organisation(db, slug: str | None = None, name: str | None = None) -> Organisation:
    n = next(_counter)
    org = Organisation(slug=slug or f"org-{n}", name=name or f"Organisation {n}")
    db.add(org)
    db.flush()
    return org


def user(db, org: Organisation | None, role: str = Role.LEARNER, **fields) -> User:
    n = next(_counter)
    values = {
        "username": f"{role.replace('_', '-')}-{n}",
        "display_name": f"Person {n}",
        "role": role,
        "password_hash": hashed(),
        "organisation_id": org.id if org else None,
    }
    values.update(fields)
    person = User(**values)
    db.add(person)
    db.flush()
    return person


def group(db, org: Organisation, name: str | None = None, members=()) -> Group:
    grp = Group(organisation_id=org.id, name=name or f"Group {next(_counter)}")
    db.add(grp)
    db.flush()
    for member in members:
        db.add(GroupMembership(group_id=grp.id, user_id=member.id))
    db.flush()
    return grp


def carded_learner(db, org: Organisation, username: str, display_name: str = "Card"):
    """A learner created as a trainer does, with a printed one-time code (`.code` on the result)."""
    from learn.services import accounts

    return accounts.create_account(
        db,
        organisation=org,
        username=username,
        display_name=display_name,
        role=Role.LEARNER,
        with_code=True,
    )
