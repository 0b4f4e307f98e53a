"""Bulk enrolment from CSV: every kind of bad row is reported with its row number, nothing is
created before confirmation, and French spreadsheets' files are read as they are saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from learn.models import Group, GroupMembership, Role, SignInCode, User
from learn.services import accounts, enrolment
from learn.services.passwords import verify_secret
from tests import factories


@pytest.fixture
def env(db):
    org = factories.organisation(db)
    trainer = factories.user(db, org, Role.TRAINER, username="coach")
    factories.user(db, org, username="taken.name")
    group = factories.group(db, org, name="Cuisine mars", members=[trainer])
    db.commit()
    return db, trainer, group  # outside a request, messages are in English


def problems(env, data: bytes, group=None):
    db, trainer, _group = env
    preview = enrolment.preview(db, trainer, data, group)
    return preview, {(p.row, p.message) for p in preview.problems}


def rows_of(preview):
    return [(r.row, r.name, r.username, r.groups) for r in preview.rows]


def test_semicolon_windows_1252_with_generated_usernames(env):
    data = (
        "Nom;Identifiant;Groupe\r\nAmina Diallo-Keïta;;Cuisine mars\r\nJérôme Œuvray;jerome.o;\r\n"
    )
    preview, found = problems(env, data.encode("cp1252"))
    assert not found
    assert rows_of(preview) == [
        (2, "Amina Diallo-Keïta", "amina.diallo.keita", ("Cuisine mars",)),
        (3, "Jérôme Œuvray", "jerome.o", ()),
    ]
    assert preview.rows[0].generated and not preview.rows[1].generated


def test_comma_utf8_with_bom_first_and_last_name_columns_and_a_new_group(env):
    data = "\ufeffprénom,nom,groupe\nAmina,Diallo,Nouveaux\nJean,Martin,Nouveaux|Cuisine mars\n"
    preview, found = problems(env, data.encode("utf-8"))
    assert not found
    assert [r.name for r in preview.rows] == ["Amina Diallo", "Jean Martin"]
    assert preview.new_groups == ("Nouveaux",)
    assert preview.rows[1].groups == ("Nouveaux", "Cuisine mars")


def test_english_headers_and_quoted_cells(env):
    data = 'name,username,group\n"Martin, Jean",jean.m,"Cuisine mars"\n'
    preview, found = problems(env, data.encode())
    assert not found and preview.rows[0].name == "Martin, Jean"


def test_generated_usernames_are_unique_in_the_file_and_the_database(env):
    data = "nom\nTaken Name\nTaken Name\nJo\n"
    preview, found = problems(env, data.encode())
    assert not found
    assert [r.username for r in preview.rows] == ["taken.name2", "taken.name3", "jo1"]


def test_each_kind_of_bad_row_is_listed_with_its_row_number(env):
    long_name = "A" * 121
    data = (
        "nom;identifiant;groupe\n"
        ";x.y.z;\n"  # 2: name missing
        f"{long_name};;\n"  # 3: name too long
        "Bad User;Bad Name!;\n"  # 4: invalid username
        "Twice One;twice;\n"  # 5: fine
        "Twice Two;twice;\n"  # 6: duplicate in the file
        "Taken;taken.name;\n"  # 7: already in the database
        f"Long;{'a' * 65};\n"  # 8: username too long
        f"Group;;{'G' * 121}\n"  # 9: group name too long
        "Extra;;;surprise\n"  # 10: more values than columns
        "Control;\u202eevil;\n"  # 11: invisible control characters in the username
    )
    preview, found = problems(env, data.encode())
    assert not preview.ok
    rows = sorted(row for row, _message in found)
    assert rows == [2, 3, 4, 6, 7, 8, 9, 10, 11]
    messages = dict(found)
    assert "row 5" in " ".join(m for _r, m in found) or "ligne 5" in " ".join(m for _r, m in found)
    assert "taken.name" in next(m for r, m in found if r == 7)
    assert len(messages) >= 9


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "empty"),
        (b"   \r\n  \r\n", "empty"),
        (b"nom;identifiant\n", "no learner"),
        (b"PK\x03\x04\x14\x00\x06\x00binary xlsx", "CSV"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "not a CSV"),
        (b"hello world, this is a letter\nDear Sir", "Unknown column"),
        (b"nom;age;ville\nAmina;30;Lyon\n", "Unknown column"),
        (b"nom;nom\nA;B\n", "twice"),
        (b'nom\n"unfinished quote\n', "quotation"),
        (b"nom\n" + b"x" * 1_000_001, "larger"),
    ],
)
def test_files_that_are_not_usable(env, data, expected):
    preview, found = problems(env, data)
    assert not preview.ok
    text = " ".join(message for _row, message in found)
    assert expected.lower() in text.lower(), text


def test_too_many_rows(env):
    data = "nom\n" + "".join(f"Learner {i}\n" for i in range(enrolment.MAX_ROWS + 5))
    preview, found = problems(env, data.encode())
    assert not preview.ok
    assert any(
        str(enrolment.MAX_ROWS) in m.replace("\u202f", "").replace(",", "") for _r, m in found
    )


def test_an_archived_group_is_refused(env):
    db, _trainer, group = env
    from learn.models.people import utcnow

    group.archived_at = utcnow()
    db.flush()
    _preview, found = problems(env, b"nom;groupe\nAmina;Cuisine mars\n")
    assert any(row == 2 and "archived" in m.lower() or "archivé" in m.lower() for row, m in found)


def test_nothing_is_created_until_enrol_and_enrol_checks_again(env):
    db, trainer, group = env
    before = db.scalar(select(func.count()).select_from(User))
    preview, found = problems(env, b"nom;identifiant\nAmina Diallo;\nJean Martin;jean.m\n")
    assert not found
    assert db.scalar(select(func.count()).select_from(User)) == before
    # Meanwhile someone takes jean.m: the confirmation refuses the whole file.
    factories.user(db, group_org(db, group), username="jean.m")
    checked, cards = enrolment.enrol(db, trainer, list(preview.raw), group)
    assert not checked.ok and cards == []
    assert db.scalar(select(func.count()).select_from(User)) == before + 1


def group_org(db, group):
    from learn.models import Organisation

    return db.get(Organisation, group.organisation_id)


def test_enrol_creates_learners_groups_memberships_and_working_codes(env):
    db, trainer, group = env
    preview, found = problems(env, b"nom;groupe\nAmina Diallo;Nouveaux\nJean Martin;\n", group)
    assert not found
    checked, cards = enrolment.enrol(db, trainer, list(preview.raw), group, code_days=3)
    assert checked.ok and len(cards) == 2
    amina = db.scalar(select(User).where(User.username == "amina.diallo"))
    assert amina.role == Role.LEARNER and amina.organisation_id == trainer.organisation_id
    new_group = db.scalar(select(Group).where(Group.name == "Nouveaux"))
    memberships = set(db.execute(select(GroupMembership.group_id, GroupMembership.user_id)).all())
    assert (group.id, amina.id) in memberships and (new_group.id, amina.id) in memberships
    assert (new_group.id, trainer.id) in memberships  # the trainer follows the group they made
    card = next(c for c in cards if c.username == "amina.diallo")
    code = db.scalar(select(SignInCode).where(SignInCode.user_id == amina.id))
    assert verify_secret(code.code_hash, card.code)
    assert accounts.authenticate(db, "amina.diallo", card.code) is not None


def test_rows_with_the_same_name_are_flagged_and_enrol_waits_for_the_confirmation(env):
    db, trainer, group = env
    before = db.scalar(select(func.count()).select_from(User))
    data = "nom;identifiant\nAmina Diallo;\nJean Martin;\nAMINA  Diallo;\nAmína Diallo;amina.k\n"
    preview, found = problems(env, data.encode())
    assert not found and preview.ok
    assert [(r.row, r.same_name_as, r.to_confirm) for r in preview.rows] == [
        (2, None, False),
        (3, None, False),
        (4, 2, True),
        (5, 2, False),  # its own username tells the two apart
    ]
    assert [r.row for r in preview.to_confirm] == [4]
    checked, cards = enrolment.enrol(db, trainer, list(preview.raw), group)
    assert checked.ok and cards == []
    assert db.scalar(select(func.count()).select_from(User)) == before
    # The usernames proposed in the preview travel as given, still marked as proposed.
    signed = [
        enrolment.RawRow(r.row, r.name, p.username, r.groups, p.generated)
        for r, p in zip(preview.raw, preview.rows, strict=True)
    ]
    again = enrolment.check_rows(db, trainer, signed, group)
    assert [r.row for r in again.to_confirm] == [4]
    checked, cards = enrolment.enrol(db, trainer, signed, group, same_names_confirmed=True)
    assert len(cards) == 4
    assert {c.username for c in cards} == {
        "amina.diallo",
        "jean.martin",
        "amina.diallo2",
        "amina.k",
    }


def test_propose_username_is_the_imports(env):
    db, _trainer, _group = env
    assert enrolment.propose_username(db, "Taken Name") == "taken.name2"
    assert enrolment.propose_username(db, "  Jérôme Œuvray ") == "jerome.oeuvray"
    assert enrolment.propose_username(db, "Jo") == "jo1"
    assert enrolment.propose_username(db, "") == ""
    assert enrolment.propose_username(db, "A\u202eB") == ""
