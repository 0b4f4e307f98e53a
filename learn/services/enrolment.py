"""Bulk enrolment from a spreadsheet saved as CSV: read, check every row, preview, then create.

French spreadsheets save CSV as Windows-1252 or UTF-8 (with or without a BOM), separated by
semicolons (or commas elsewhere). Nothing is created until the whole file is valid and the
trainer confirmed the preview; the confirmation checks the rows again, since another trainer may
have taken a username in between. The new learners get printable one-time sign-in codes.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import Group, GroupMembership, Role, SignInCode, User
from learn.models.people import utcnow
from learn.services import accounts
from learn.services.errors import Forbidden
from learn.services.groups import MAX_GROUP_NAME, groups_query, require_staff
from learn.services.passwords import new_sign_in_code
from learn.services.textinput import has_control_characters

MAX_BYTES = 1_000_000
MAX_ROWS = 1_000
MAX_NAME = 120
MAX_USERNAME = 64
GROUP_SEPARATOR = "|"

# Header aliases, compared without case, accents or punctuation.
ALIASES = {
    "name": {
        "nom",
        "nom complet",
        "nom prenom",
        "prenom nom",
        "nom et prenom",
        "prenom et nom",
        "apprenant",
        "apprenante",
        "stagiaire",
        "name",
        "full name",
        "display name",
        "learner",
    },
    "first_name": {"prenom", "first name", "firstname", "given name"},
    "last_name": {"nom de famille", "last name", "lastname", "surname", "family name"},
    "username": {"identifiant", "login", "nom d utilisateur", "username", "user name", "user"},
    "group": {"groupe", "groupes", "group", "groups"},
}
_ALIAS_OF = {alias: key for key, aliases in ALIASES.items() for alias in aliases}

# One-time codes are random (about 40 bits), expire and are single use: OWASP's minimum argon2id
# setting protects them well and lets a file of a few hundred learners be confirmed in seconds.
# verify_secret reads the parameters from each hash, so sign-in needs no change.
_code_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1 is the header line, as the spreadsheet numbers it
    message: str


@dataclass(frozen=True)
class RawRow:
    row: int
    name: str
    username: str
    groups: tuple[str, ...]
    # The username was proposed by Parcours in the preview (not typed in the file): a row with
    # the same name as an earlier one still needs the trainer's confirmation.
    proposed: bool = False


@dataclass(frozen=True)
class PreviewRow:
    row: int
    name: str
    username: str
    generated: bool
    groups: tuple[str, ...]
    same_name_as: int | None = None  # the first row with the same name, if another

    @property
    def to_confirm(self) -> bool:
        """Same name as an earlier row and no username from the file: the same person twice?"""
        return self.same_name_as is not None and self.generated


@dataclass(frozen=True)
class Preview:
    rows: tuple[PreviewRow, ...]
    problems: tuple[RowProblem, ...]
    new_groups: tuple[str, ...]
    raw: tuple[RawRow, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def to_confirm(self) -> tuple[PreviewRow, ...]:
        """The rows that are created only once the trainer confirms they are other people."""
        return tuple(row for row in self.rows if row.to_confirm)


@dataclass(frozen=True)
class Card:
    name: str
    username: str
    code: str
    groups: tuple[str, ...]


# --- reading the file --------------------------------------------------------------------------


def _comparable(text: str) -> str:
    """Lower case, without accents or punctuation: « Prénom-Nom » and « prenom nom » compare
    equal (headers, and the names of two rows)."""
    text = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _not_text(data: bytes) -> str | None:
    """Why the bytes are not a CSV file, if they plainly are not."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return _(
            "This is a spreadsheet file (Excel or LibreOffice), not a CSV file. In your "
            "spreadsheet, choose “Save as”, then the type “CSV”, and send that file."
        )
    if b"\x00" in data[:65536] or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return _("This file is not a CSV file (it is not text). Send a file saved as CSV.")
    return None


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


def read_rows(data: bytes) -> tuple[list[RawRow], list[RowProblem]]:
    """The rows of a CSV file and every problem found while reading it, by row number."""
    if not data or not data.strip():
        return [], [RowProblem(1, _("The file is empty."))]
    if len(data) > MAX_BYTES:
        return [], [
            RowProblem(1, _("The file is larger than %(n)d kB: split it.", n=MAX_BYTES // 1000))
        ]
    reason = _not_text(data)
    text = None if reason else _decode(data)
    if text is None:
        return [], [RowProblem(1, reason or _("The file's characters cannot be read."))]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    records = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error:
        return [], [
            RowProblem(
                reader.line_num,
                _("This line cannot be read as CSV: check its quotation marks."),
            )
        ]
    if not any(any(cell.strip() for cell in r) for r in records):
        return [], [RowProblem(1, _("The file is empty."))]
    header_index = next(i for i, r in enumerate(records) if any(cell.strip() for cell in r))
    problems: list[RowProblem] = []
    columns = _columns(records[header_index], header_index + 1, problems)
    if problems:
        return [], problems
    rows = []
    for index in range(header_index + 1, len(records)):
        record = records[index]
        number = index + 1
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(
                RowProblem(number, _("More than %(n)d learners in one file: split it.", n=MAX_ROWS))
            )
            break
        extra = [c for c in record[len(columns) :] if c.strip()]
        if extra:
            problems.append(RowProblem(number, _("This row has more values than the header.")))
        values = {
            key: record[i].strip() for i, key in enumerate(columns) if key and i < len(record)
        }
        name = values.get("name", "")
        if "first_name" in values or "last_name" in values:
            name = " ".join(
                part
                for part in (values.get("first_name", ""), values.get("last_name", name))
                if part
            )
        groups = tuple(
            g.strip() for g in values.get("group", "").split(GROUP_SEPARATOR) if g.strip()
        )
        rows.append(RawRow(number, name, values.get("username", ""), groups))
    if not rows and not problems:
        problems.append(RowProblem(header_index + 1, _("The file has a header but no learner.")))
    return rows, problems


def _columns(header: list[str], number: int, problems: list[RowProblem]) -> list[str | None]:
    """The meaning of each column (None for an empty trailing one)."""
    columns: list[str | None] = []
    for cell in header:
        label = _comparable(cell)
        if not label:
            columns.append(None)
            continue
        key = _ALIAS_OF.get(label)
        if key is None:
            problems.append(
                RowProblem(
                    number,
                    _(
                        "Unknown column “%(label)s”. The columns are: nom (or prénom and "
                        "nom), identifiant (optional), groupe (optional).",
                        label=cell.strip()[:60],
                    ),
                )
            )
        elif key in columns:
            problems.append(
                RowProblem(number, _("The column “%(label)s” appears twice.", label=cell.strip()))
            )
        columns.append(key)
    keys = set(columns)
    if "first_name" in keys and "name" in keys and "last_name" not in keys:
        # « prénom ; nom »: here « nom » is the family name.
        columns = ["last_name" if c == "name" else c for c in columns]
        keys = set(columns)
    if not problems and not keys & {"name", "first_name", "last_name"}:
        problems.append(
            RowProblem(number, _("The first line must name the columns, with at least “nom”."))
        )
    return columns


# --- checking the rows -------------------------------------------------------------------------


def username_base(name: str) -> str:
    """A username made from a name: « Amina Diallo-Keïta » gives « amina.diallo.keita »."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    parts = [p for p in re.split(r"[^a-z0-9]+", text) if p]
    base = ".".join(parts)[:56].strip(".")
    return base if len(base) >= 2 else "apprenant"


def check_rows(db: Session, actor: User, raw: list[RawRow], default_group: Group | None) -> Preview:
    """Check every row against the rules and the database; generate missing usernames."""
    require_staff(actor)
    if actor.organisation_id is None:
        raise Forbidden()
    problems: list[RowProblem] = []
    given: dict[str, int] = {}
    for row in raw:
        if not row.name:
            problems.append(RowProblem(row.row, _("The name is missing.")))
        elif len(row.name) > MAX_NAME:
            problems.append(
                RowProblem(row.row, _("The name has more than %(n)d characters.", n=MAX_NAME))
            )
        elif has_control_characters(row.name):
            problems.append(RowProblem(row.row, _("The name holds invisible control characters.")))
        if row.username:
            name = accounts.normalise_username(row.username)
            if len(name) > MAX_USERNAME:
                problems.append(
                    RowProblem(
                        row.row,
                        _("The username has more than %(n)d characters.", n=MAX_USERNAME),
                    )
                )
            elif not accounts.USERNAME_RE.match(name):
                problems.append(
                    RowProblem(
                        row.row,
                        _(
                            "The username “%(name)s” is not valid: 3 to 64 lower-case letters, "
                            "digits, dots, dashes or underscores.",
                            name=row.username[:64],
                        ),
                    )
                )
            elif name in given:
                problems.append(
                    RowProblem(
                        row.row,
                        _(
                            "The username “%(name)s” is already on row %(other)d.",
                            name=name,
                            other=given[name],
                        ),
                    )
                )
            else:
                given[name] = row.row
    taken = accounts.unavailable_usernames(db, given)
    for name in sorted(taken, key=lambda n: given[n]):
        problems.append(RowProblem(given[name], accounts.username_unavailable(name)))
    group_names, new_groups = _check_groups(db, actor, raw, default_group, problems)
    usernames = _generate_usernames(db, raw, set(given))
    first_with_name: dict[str, int] = {}
    for row in raw:
        if row.name:
            first_with_name.setdefault(_comparable(row.name), row.row)
    rows = tuple(
        PreviewRow(
            row.row,
            row.name,
            accounts.normalise_username(row.username) or usernames.get(row.row, ""),
            not row.username or row.proposed,
            group_names.get(row.row, ()),
            _earlier(first_with_name.get(_comparable(row.name)), row.row),
        )
        for row in raw
    )
    problems.sort(key=lambda p: p.row)
    return Preview(rows, tuple(problems), tuple(new_groups), tuple(raw))


def _earlier(first: int | None, row: int) -> int | None:
    return first if first is not None and first != row else None


def _check_groups(db, actor, raw, default_group, problems):
    existing = {
        g.name.casefold(): g
        for g in db.scalars(select(Group).where(Group.organisation_id == actor.organisation_id))
    }
    visible = set(db.scalars(groups_query(actor).with_only_columns(Group.id)))
    restricted = accounts.restricted_to_groups(actor)
    if default_group is not None and default_group.archived_at is not None:
        problems.append(
            RowProblem(1, _("The group “%(name)s” is archived.", name=default_group.name))
        )
    names_by_row: dict[int, tuple[str, ...]] = {}
    new_groups: dict[str, str] = {}
    for row in raw:
        names = []
        for name in row.groups:
            if len(name) > MAX_GROUP_NAME:
                problems.append(
                    RowProblem(
                        row.row,
                        _("A group name has more than %(n)d characters.", n=MAX_GROUP_NAME),
                    )
                )
                continue
            if has_control_characters(name):
                problems.append(
                    RowProblem(row.row, _("A group name holds invisible control characters."))
                )
                continue
            group = existing.get(name.casefold())
            if group is None:
                new_groups.setdefault(name.casefold(), name)
                names.append(new_groups[name.casefold()])
            elif group.id not in visible:
                problems.append(
                    RowProblem(
                        row.row,
                        _("You cannot enrol learners in the group “%(name)s”.", name=name),
                    )
                )
            elif group.archived_at is not None:
                problems.append(
                    RowProblem(row.row, _("The group “%(name)s” is archived.", name=group.name))
                )
            else:
                names.append(group.name)
        if default_group is not None and default_group.name not in names:
            names.insert(0, default_group.name)
        if restricted and not names and not row.groups:
            problems.append(
                RowProblem(
                    row.row,
                    _("No group: choose a group for the whole file or fill the “groupe” column."),
                )
            )
        names_by_row[row.row] = tuple(dict.fromkeys(names))
    return names_by_row, list(new_groups.values())


def _generate_usernames(db: Session, raw: list[RawRow], reserved: set[str]) -> dict[int, str]:
    """A free username for every row without one, unique in the file and in the database:
    « amina.diallo », then « amina.diallo2 », « amina.diallo3 »... in the order of the rows."""
    wanted = {row.row: username_base(row.name) for row in raw if not row.username and row.name}
    bases = sorted(set(wanted.values()))
    taken: set[str] = set()
    for start in range(0, len(bases), 200):
        # Bases hold only a-z, 0-9 and dots: nothing a LIKE pattern would read as a wildcard.
        chunk = bases[start : start + 200]
        taken.update(
            db.scalars(
                select(User.username).where(or_(*(User.username.like(f"{b}%") for b in chunk)))
            )
        )
    used = taken | set(reserved) | accounts.RESERVED_USERNAMES
    chosen = {}
    for row_number in sorted(wanted):
        base = wanted[row_number]
        n = 1
        candidate = base if len(base) >= 3 else f"{base}{n}"
        while candidate in used:
            n += 1
            candidate = f"{base}{n}"
        used.add(candidate)
        chosen[row_number] = candidate
    return chosen


def propose_username(db: Session, name: str) -> str:
    """The username the import would give this name, free on the whole platform:
    « amina.diallo », or « amina.diallo2 » when that one is taken ("" for no name)."""
    name = (name or "").strip()[:MAX_NAME]
    if not name or has_control_characters(name):
        return ""
    return _generate_usernames(db, [RawRow(1, name, "", ())], set())[1]


def preview(db: Session, actor: User, data: bytes, default_group: Group | None) -> Preview:
    """Read and check a file; nothing is written."""
    raw, problems = read_rows(data)
    if not raw:
        return Preview((), tuple(problems), (), ())
    checked = check_rows(db, actor, raw, default_group)
    if not problems:
        return checked
    merged = sorted([*problems, *checked.problems], key=lambda p: p.row)
    return Preview(checked.rows, tuple(merged), checked.new_groups, checked.raw)


# --- creating the accounts ---------------------------------------------------------------------


def hash_codes(codes: list[str]) -> list[str]:
    """The hashes of one-time codes, made a few at a time (a sheet of cards in seconds)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(_code_hasher.hash, codes))


def enrol(
    db: Session,
    actor: User,
    raw: list[RawRow],
    default_group: Group | None,
    code_days: int = 14,
    same_names_confirmed: bool = False,
) -> tuple[Preview, list[Card]]:
    """Check the rows again and, when all are valid (and rows with the same name as another are
    confirmed), create the learners, their groups and their one-time codes (in the caller's
    transaction). Returns the preview and the cards to print (none when nothing was created)."""
    checked = check_rows(db, actor, raw, default_group)
    if not checked.ok or (checked.to_confirm and not same_names_confirmed):
        return checked, []
    now = utcnow()
    groups = {
        g.name: g
        for g in db.scalars(select(Group).where(Group.organisation_id == actor.organisation_id))
    }
    for name in checked.new_groups:
        group = Group(organisation_id=actor.organisation_id, name=name)
        db.add(group)
        groups[name] = group
    db.flush()
    if actor.role == Role.TRAINER:
        for name in checked.new_groups:
            db.add(GroupMembership(group_id=groups[name].id, user_id=actor.id))
    users = [
        User(
            organisation_id=actor.organisation_id,
            username=row.username,
            display_name=row.name,
            role=Role.LEARNER,
            password_hash=None,
            created_at=now,
        )
        for row in checked.rows
    ]
    db.add_all(users)
    db.flush()
    for user, row in zip(users, checked.rows, strict=True):
        for name in row.groups:
            db.add(GroupMembership(group_id=groups[name].id, user_id=user.id))
    codes = [new_sign_in_code() for _user in users]
    hashes = hash_codes(codes)
    db.add_all(
        SignInCode(
            user_id=user.id,
            code_hash=code_hash,
            created_by_id=actor.id,
            created_at=now,
            expires_at=now + timedelta(days=code_days),
        )
        for user, code_hash in zip(users, hashes, strict=True)
    )
    db.flush()
    cards = [
        Card(user.display_name, user.username, code, row.groups)
        for user, code, row in zip(users, codes, checked.rows, strict=True)
    ]
    cards.sort(key=lambda c: (c.name.casefold(), c.username))
    return checked, cards
