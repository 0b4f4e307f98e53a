"""Password and one-time code hashing (argon2id), and the password rules."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from learn.services.errors import Invalid

_hasher = PasswordHasher()
# Verified against when the user does not exist, so both answers take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

STAFF_MIN_LENGTH = 12
LEARNER_MIN_LENGTH = 8
MAX_LENGTH = 256
# No 0/O, 1/I/L: codes are read from paper by people who may confuse them.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def hash_secret(secret: str) -> str:
    """Hash a password or code with argon2id."""
    return _hasher.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    """Check a secret against its hash, spending the same time when there is no hash."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


def check_password_rules(password: str, *, staff: bool, username: str = "") -> None:
    """Raise Invalid with every broken rule of a new password."""
    from flask_babel import lazy_gettext as _l

    problems = []
    minimum = STAFF_MIN_LENGTH if staff else LEARNER_MIN_LENGTH
    if len(password) < minimum:
        problems.append(str(_l("The password needs at least %(n)d characters.", n=minimum)))
    if len(password) > MAX_LENGTH:
        problems.append(str(_l("The password can have at most %(n)d characters.", n=MAX_LENGTH)))
    lowered = password.lower()
    if lowered in _common_passwords() or (username and lowered == username.lower()):
        problems.append(str(_l("This password is too easy to guess: choose another one.")))
    if problems:
        raise Invalid(*problems)


def new_sign_in_code() -> str:
    """A printable code such as 'KX7P-3MQR' (about 40 bits of chance)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_code(text: str) -> str:
    """Accept a code typed with lower case, spaces or without the dash."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == 8 else cleaned
