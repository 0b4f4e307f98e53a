"""Password and one-time code hashing (argon2id), and the password rules."""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from learn.i18n import _l
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
    """The 30,000 most common passwords of zxcvbn's list (Dropbox's password-strength library,
    MIT licence; drawn from leaked-password corpora), plus French ones it lacks, shipped in
    common_passwords.txt."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    path = Path(__file__).with_name("common_passwords.txt")
    ours = (line.strip().lower() for line in path.read_text().splitlines() if line.strip())
    return frozenset(FREQUENCY_LISTS["passwords"]).union(ours)


def _plain(text: str) -> str:
    """Lower case, accents and everything but letters and digits removed ("Léa-2!" -> "lea2")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def _core(password: str) -> str:
    """The password without the digits and signs around it ("Chocolat2026!" -> "chocolat")."""
    return password.lower().strip(string.digits + string.punctuation + " ")


# Letters written as digits or signs ("Ch0c0lat", "P@rcours"): the first variations anyone who
# guesses passwords tries, so the rules below also read them as the letters they stand for.
_AS_LETTERS = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s", "7": "t"}
)


def _as_letters(text: str) -> str:
    """The text with digits and signs that stand for letters read as those letters."""
    return text.translate(_AS_LETTERS)


# Every site's name is the first guess of anyone who tries passwords on it.
SITE_WORDS = ("parcours",)


def _is_personal(password: str, personal: Iterable[str]) -> bool:
    """Whether the password is little more than the user's own words (name, username,
    organisation, the site's name) with digits and signs: fewer than 4 letters left."""
    parts = set()
    for word in (*personal, *SITE_WORDS):
        parts.add(_plain(word or ""))
        parts.update(_plain(piece) for piece in re.split(r"[\W_]+", word or ""))
    left = _plain(password)
    for part in sorted((p for p in parts if len(p) >= 3), key=len, reverse=True):
        left = left.replace(part, "")
    return len(left.strip(string.digits)) < 4


def check_password_rules(
    password: str, *, staff: bool, personal: Iterable[str] = (), username: str = ""
) -> None:
    """Raise Invalid with every broken rule of a new password, each said in plain words.
    `personal`: the user's username, name and organisation, which a password must not be."""
    problems = []
    minimum = STAFF_MIN_LENGTH if staff else LEARNER_MIN_LENGTH
    if len(password) < minimum:
        problems.append(str(_l("The password needs at least %(n)d characters.", n=minimum)))
    if len(password) > MAX_LENGTH:
        problems.append(str(_l("The password can have at most %(n)d characters.", n=MAX_LENGTH)))
    lowered, core = password.lower(), _core(password)
    # Each form of the password the rules read: as typed, without the digits and signs around
    # it, and with letters written as digits or signs read as letters (only ever refuses more).
    forms = {lowered, core, _as_letters(core), _core(_as_letters(lowered))}
    if forms & _common_passwords():
        problems.append(
            str(_l("Many people use this password, so it is easy to guess: choose another one."))
        )
    elif not core:
        problems.append(
            str(_l("A password of numbers or signs only is easy to guess: add some words."))
        )
    elif len(set(lowered)) < 4:
        problems.append(str(_l("This password repeats the same few letters: it is easy to guess.")))
    elif any(
        _is_personal(form, [*personal, username])
        for form in (password, _as_letters(core), _as_letters(lowered))
    ):
        problems.append(
            str(
                _l(
                    "This password is made of your name, your username or the name of your "
                    "organisation: anyone who knows you could guess it. Choose another one."
                )
            )
        )
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
