"""A learner's data: export of everything held, erasure that keeps anonymous statistics,
retention of inactive accounts — by organisation admins only, each in the audit log."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from learn import cli
from learn.db import Base
from learn.models import (
    Assignment,
    AuditEvent,
    Evidence,
    EvidenceBlob,
    GroupMembership,
    HelpRequest,
    ModuleProgress,
    Observation,
    PlacementResult,
    ProgressEvent,
    QuizAttempt,
    Role,
    SelfAssessment,
    SignInCode,
    User,
    UserSession,
    WorkshopAnswer,
)
from learn.services import privacy
from learn.services.passwords import hash_secret
from tests import evidence_files, factories
from tests.conftest import post_form, sign_in

WORKSHOP_TEXT = '=HYPERLINK("http://evil") Mon projet: une épicerie solidaire à Roubaix'
HELP_TEXT = "Je ne comprends pas la question 2, mon fils est malade"
REVIEW_TEXT = "Très bon travail, Amina, pense à la partie budget"
EVIDENCE_TEXT = "A accueilli un client mécontent calmement au magasin"
QUIZ_TEXT = "ma réponse libre très personnelle"
HANDED_IN_TEXT = "Photo du chariot préparé chez Mme Martin, rue des Lilas"
PHOTO = evidence_files.photo()


def rich_learner(db, org, username="amina", trainer=None) -> User:
    """A learner with a row in every table that can hold something about them."""
    learner = factories.user(db, org, username=username, display_name="Amina Diallo")
    learner.email = "amina@example.org"
    learner.reading_preferences = {"size": "large", "font": "dyslexia"}
    learner.prefers_easy_read = True
    learner.last_seen_at = datetime.now(UTC)
    factories.group(db, org, name="Groupe du mardi", members=[learner])
    now = datetime.now(UTC)
    db.add_all(
        [
            SignInCode(user_id=learner.id, code_hash=hash_secret("ABCD-EFGH"), expires_at=now),
            ModuleProgress(
                user_id=learner.id,
                module_id="ecoute-1",
                organisation_id=org.id,
                status="mastered",
                sections_seen=["travail"],
                attempts=1,
                best_score=1.0,
            ),
            QuizAttempt(
                user_id=learner.id,
                organisation_id=org.id,
                module_id="ecoute-1",
                seq=1,
                mode="practice",
                lang="fr",
                variant="standard",
                content_version="v1",
                started_at=now,
                duration_seconds=40,
                score=1.0,
                correct_count=2,
                total=2,
                passed=True,
                answers={
                    "q1": {"answer": "b", "correct": True, "score": 1.0, "version": "f1"},
                    "q2": {"answer": QUIZ_TEXT, "correct": True, "score": 1.0, "version": "f2"},
                },
            ),
            ProgressEvent(
                user_id=learner.id,
                organisation_id=org.id,
                module_id="ecoute-1",
                kind="quiz",
                data={"attempt": 1, "score": 1.0, "passed": True},
            ),
            WorkshopAnswer(
                user_id=learner.id,
                organisation_id=org.id,
                module_id="social",
                workshop_id="projet",
                answers={"p1": WORKSHOP_TEXT},
                status="accepted",
                version=1,
                review_comment=REVIEW_TEXT,
                reviewer_id=trainer.id if trainer else None,
            ),
            SelfAssessment(
                user_id=learner.id, organisation_id=org.id, module_id="ecoute-1", ratings={"o1": 3}
            ),
            PlacementResult(
                user_id=learner.id,
                organisation_id=org.id,
                skill_id="ecoute",
                ratings={"s1": 2},
                answers={"p1": "a"},
                recommended_level=2,
                content_version="v1",
            ),
            HelpRequest(
                user_id=learner.id, organisation_id=org.id, module_id="ecoute-1", message=HELP_TEXT
            ),
            Assignment(
                organisation_id=org.id,
                target_kind="module",
                target_ref="ecoute-2",
                user_id=learner.id,
            ),
            Observation(
                organisation_id=org.id,
                user_id=learner.id,
                skill_id="ecoute",
                level=2,
                observed_on=date.today(),
                situation="Au magasin, le samedi",
                evidence=EVIDENCE_TEXT,
                behaviours=["Reformule la demande"],
                validated=True,
                observer_id=trainer.id if trainer else None,
                observer_name="Karim Formateur",
            ),
        ]
    )
    db.flush()
    photo = Evidence(
        organisation_id=org.id,
        learner_id=learner.id,
        target_kind="skill_level",
        target_ref="ecoute/3",
        kind="photo",
        note=HANDED_IN_TEXT,
        content_type="image/jpeg",
        size=len(PHOTO),
    )
    db.add(photo)
    db.flush()
    db.add(EvidenceBlob(evidence_id=photo.id, data=PHOTO))
    db.flush()
    return learner


@pytest.fixture
def world(db):
    org = factories.organisation(db, name="Chantier A")
    admin = factories.user(db, org, Role.ORG_ADMIN, username="nadia.admin")
    trainer = factories.user(db, org, Role.TRAINER, username="karim.trainer")
    learner = rich_learner(db, org, trainer=trainer)
    other_org = factories.organisation(db, name="Chantier B")
    outsider = factories.user(db, other_org, username="outsider")
    db.commit()
    return {"org": org, "admin": admin, "trainer": trainer, "learner": learner, "out": outsider}


def export_zip(client, learner_id: int) -> zipfile.ZipFile:
    response = post_form(
        client,
        f"/admin/learners/{learner_id}/export",
        form_page=f"/admin/learners/{learner_id}",
    )
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_export_holds_everything_but_secrets(app, client, db, world):
    learner = world["learner"]
    assert sign_in(app.test_client(), "amina").status_code == 302  # a session row of hers
    sign_in(client, "nadia.admin")
    archive = export_zip(client, learner.id)
    names = set(archive.namelist())
    assert {"README.txt", "learner.json", "account.csv", "groups.csv"} <= names
    for table in (
        "progress_event",
        "module_progress",
        "quiz_attempt",
        "workshop_answer",
        "self_assessment",
        "placement_result",
        "help_request",
        "observation",
        "sign_in_code",
        "assignment",
        "group_membership",
        "evidence",
    ):
        assert f"{table}.csv" in names, table
    # The photos and voice notes handed in, as files beside the rows that say what they show.
    photo_id = db.scalar(select(Evidence.id).where(Evidence.learner_id == learner.id))
    assert archive.read(f"evidence/evidence-{photo_id}.jpg") == PHOTO
    document = json.loads(archive.read("learner.json"))
    assert document["account"]["username"] == "amina"
    assert document["account"]["email"] == "amina@example.org"
    assert document["account"]["reading_preferences"] == {"size": "large", "font": "dyslexia"}
    assert document["groups"][0]["name"] == "Groupe du mardi"
    records = document["records"]
    assert records["quiz_attempt"][0]["answers"]["q2"]["answer"] == QUIZ_TEXT
    assert records["workshop_answer"][0]["answers"]["p1"] == WORKSHOP_TEXT
    assert records["workshop_answer"][0]["review_comment"] == REVIEW_TEXT
    assert records["help_request"][0]["message"] == HELP_TEXT
    assert records["observation"][0]["evidence"] == EVIDENCE_TEXT
    assert records["evidence"][0]["note"] == HANDED_IN_TEXT
    assert records["placement_result"][0]["recommended_level"] == 2
    assert records["module_progress"][0]["status"] == "mastered"
    # No secret in any file: password hash, session token, code hash.
    db.refresh(learner)
    texts = sorted(name for name in names if not name.startswith("evidence/"))
    everything = b"".join(archive.read(name) for name in texts).decode()
    code_hash = db.scalar(select(SignInCode.code_hash).where(SignInCode.user_id == learner.id))
    session_hashes = db.scalars(
        select(UserSession.token_hash).where(UserSession.user_id == learner.id)
    ).all()
    assert session_hashes
    for secret in (learner.password_hash, *session_hashes, code_hash):
        assert secret not in everything
    assert "password_hash" not in everything and "token_hash" not in everything
    # The export itself is in the audit log, with counts only.
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "learner.export"))
    assert event.actor_id == world["admin"].id and event.target_user_id == learner.id
    assert event.details["records"]["quiz_attempt"] == 1
    assert QUIZ_TEXT not in json.dumps(event.details)


def read_csv(archive: zipfile.ZipFile, name: str) -> list[dict]:
    """A CSV file of the export as French Excel reads it: a BOM, then cells between `;`."""
    data = archive.read(name)
    assert data.startswith(b"\xef\xbb\xbf"), name
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_export_csv_is_safe_in_a_spreadsheet(client, world):
    sign_in(client, "nadia.admin")
    archive = export_zip(client, world["learner"].id)
    rows = read_csv(archive, "workshop_answer.csv")
    assert json.loads(rows[0]["Réponses"])["p1"] == WORKSHOP_TEXT
    account = read_csv(archive, "account.csv")
    assert account[0]["Identifiant"] == "amina"
    assert privacy._cell("=1+1") == "'=1+1"
    assert privacy._cell("-3") == "-3" and privacy._cell(-3) == "-3"
    assert privacy._cell("@SUM(A1)") == "'@SUM(A1)"
    assert privacy._cell({"a": "=x"}) == '{"a": "=x"}'


@pytest.mark.parametrize("username", ["karim.trainer", "amina"])
def test_only_admins_export_or_erase(client, world, username):
    learner = world["learner"]
    sign_in(client, username)
    for path in ("/admin/learners", f"/admin/learners/{learner.id}", "/admin/audit"):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/admin/learners/{learner.id}/erase").status_code == 403
    # With a valid CSRF token, so that the refusal is the role's, not the token's.
    form_page = "/dashboard" if username == "amina" else "/trainer/learners"
    export = post_form(client, f"/admin/learners/{learner.id}/export", form_page=form_page)
    assert export.status_code == 403


def test_another_organisations_learner_is_not_found(client, db, world):
    outsider = world["out"]
    sign_in(client, "nadia.admin")
    assert client.get(f"/admin/learners/{outsider.id}").status_code == 404
    assert client.get(f"/admin/learners/{outsider.id}/erase").status_code == 404
    response = post_form(
        client, f"/admin/learners/{outsider.id}/export", form_page="/admin/learners"
    )
    assert response.status_code == 404
    response = post_form(
        client,
        f"/admin/learners/{outsider.id}/erase",
        {"confirm": "outsider"},
        form_page="/admin/learners",
    )
    assert response.status_code == 404
    fresh(db)
    assert count(db, AuditEvent) == 0  # nothing was done, nothing recorded


def fresh(db) -> None:
    """See what the requests and commands committed: a new snapshot, nothing cached."""
    db.rollback()
    db.expire_all()


def count(db, model, **where):
    stmt = select(func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.scalar(stmt)


def test_erasure_needs_the_username_typed(client, db, world):
    learner = world["learner"]
    sign_in(client, "nadia.admin")
    page = client.get(f"/admin/learners/{learner.id}/erase")
    assert page.status_code == 200 and "amina" in page.get_data(as_text=True)
    wrong = post_form(client, f"/admin/learners/{learner.id}/erase", {"confirm": "someone"})
    assert wrong.status_code == 400
    fresh(db)
    assert db.get(User, learner.id).username == "amina"
    assert count(db, AuditEvent, action="learner.erase") == 0


def test_erasure_anonymises_and_keeps_statistics(app, client, db, world):
    learner = world["learner"]
    learner_client = app.test_client()
    assert sign_in(learner_client, "amina").status_code == 302
    assert learner_client.get("/dashboard").status_code == 200
    sign_in(client, "nadia.admin")
    done = post_form(client, f"/admin/learners/{learner.id}/erase", {"confirm": " Amina "})
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/learners")
    fresh(db)
    erased = db.get(User, learner.id)
    assert privacy.is_erased(erased)
    assert "amina" not in erased.username and "Amina" not in erased.display_name
    assert erased.email is None and erased.password_hash is None
    assert erased.reading_preferences is None and not erased.prefers_easy_read
    assert not erased.active
    # Sessions ended; the old credentials open nothing.
    assert learner_client.get("/dashboard").status_code == 302
    assert sign_in(app.test_client(), "amina").status_code == 400
    # Free text gone, identity links gone.
    workshop = db.scalar(select(WorkshopAnswer).where(WorkshopAnswer.user_id == learner.id))
    assert workshop.answers == {} and workshop.review_comment is None
    assert workshop.status == "accepted"  # the statistic stays
    assert db.scalar(select(HelpRequest.message).where(HelpRequest.user_id == learner.id)) == ""
    observation = db.scalar(select(Observation).where(Observation.user_id == learner.id))
    assert observation.evidence == "" and observation.situation == ""
    assert observation.level == 2 and observation.validated
    attempt = db.scalar(select(QuizAttempt).where(QuizAttempt.user_id == learner.id))
    assert attempt.score == 1.0 and attempt.passed
    assert all("answer" not in item for item in attempt.answers.values())
    assert attempt.answers["q1"]["correct"] is True
    placement = db.scalar(select(PlacementResult).where(PlacementResult.user_id == learner.id))
    assert placement.answers == {} and placement.recommended_level == 2
    for model in (SignInCode, GroupMembership, Assignment):
        assert count(db, model, user_id=learner.id) == 0, model
    # What the learner handed in is gone, files and all.
    assert count(db, Evidence, learner_id=learner.id) == 0
    assert db.scalar(select(func.count()).select_from(EvidenceBlob)) == 0
    for model in (ModuleProgress, ProgressEvent, SelfAssessment, QuizAttempt):
        assert count(db, model, user_id=learner.id) == 1, model
    # The erasure is in the log, without anything that names the learner.
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "learner.erase"))
    assert event.details["reason"] == "request" and event.target_user_id == learner.id
    assert "amina" not in json.dumps(event.details).lower()
    # Nothing about the learner shows in the admin's pages any more.
    listing = client.get("/admin/learners").get_data(as_text=True)
    assert "Amina" not in listing and "amina" not in listing
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "Amina" not in log and "amina" not in log
    # Twice is refused.
    again = client.get(f"/admin/learners/{learner.id}/erase")
    assert again.status_code == 302


def test_every_table_about_people_has_an_erasure_rule():
    """A new table that references an account must say what erasure does to it."""
    missing = [
        table.name
        for table in Base.metadata.sorted_tables
        if table.name != "user_account"
        and any(
            fk.column.table.name == "user_account"
            for column in table.columns
            for fk in column.foreign_keys
        )
        and table.name not in privacy.ERASURE
    ]
    assert missing == [], f"add these tables to learn/services/privacy.py ERASURE: {missing}"


def test_retention_lists_then_erases_inactive_learners(app_factory, db, monkeypatch, tmp_path):
    org = factories.organisation(db)
    long_ago = datetime.now(UTC) - timedelta(days=1000)
    sleeper = factories.user(db, org, username="sleeper", created_at=long_ago)
    sleeper.last_seen_at = long_ago
    # Old account, but a recent event: active.
    busy = factories.user(db, org, username="busy", created_at=long_ago)
    db.add(ProgressEvent(user_id=busy.id, organisation_id=org.id, kind="visit"))
    factories.user(db, org, username="newcomer")
    staff = factories.user(db, org, Role.TRAINER, username="old.trainer", created_at=long_ago)
    db.commit()
    monkeypatch.setenv("DATABASE_URL", str(db.get_bind().url.render_as_string(False)))
    monkeypatch.setenv("LEARN_ENV", "development")
    monkeypatch.setenv("LEARN_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("LEARN_RETENTION_DAYS", "730")
    runner = CliRunner()

    dry = runner.invoke(cli.main, ["privacy", "retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "sleeper" in dry.output and "busy" not in dry.output
    assert "newcomer" not in dry.output and "old.trainer" not in dry.output
    assert "1 learner(s)" in dry.output
    fresh(db)
    assert db.get(User, sleeper.id).username == "sleeper"
    assert count(db, AuditEvent) == 0

    real = runner.invoke(cli.main, ["privacy", "retention"])
    assert real.exit_code == 0, real.output
    assert "1 learner(s)" in real.output and "sleeper" not in real.output
    fresh(db)
    assert privacy.is_erased(db.get(User, sleeper.id))
    assert db.get(User, busy.id).username == "busy"
    assert db.get(User, staff.id).username == "old.trainer"
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "learner.erase"))
    assert event.actor_id is None and event.details["reason"] == "retention"
    # Once erased, not listed again.
    again = runner.invoke(cli.main, ["privacy", "retention", "--dry-run"])
    assert "0 learner(s)" in again.output
    off = runner.invoke(cli.main, ["privacy", "retention", "--days", "0"])
    assert off.exit_code == 0 and "off" in off.output


@pytest.mark.parametrize(
    ("language", "username", "last_seen", "is_open", "file_name"),
    [
        ("fr", "Identifiant", "Dernière visite", "Compte ouvert", "Données Parcours d'Amina"),
        ("en", "Username", "Last seen", "Account open", "Parcours data of Amina"),
    ],
)
def test_export_csv_opens_in_french_excel_in_the_readers_language_and_time_zone(
    app, db, world, language, username, last_seen, is_open, file_name
):
    learner = world["learner"]
    learner.last_seen_at = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 2 July, 00:30 in Paris
    db.commit()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    sign_in(client, "nadia.admin")
    response = post_form(
        client, f"/admin/learners/{learner.id}/export", form_page=f"/admin/learners/{learner.id}"
    )
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    account = read_csv(archive, "account.csv")[0]
    assert account[username] == "amina"
    assert account[last_seen] == ("02/07/2026 00:30" if language == "fr" else "02/07/2026, 00:30")
    assert account[is_open] == ("oui" if language == "fr" else "yes")
    name = "Nom" if language == "fr" else "Name"
    assert read_csv(archive, "groups.csv")[0][name] == "Groupe du mardi"
    # The file is named after the learner, accents kept (RFC 5987), with an ASCII fallback.
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''" + quote(file_name, safe="") in disposition
    assert 'filename="' in disposition and disposition.split('"')[1].isascii()
    assert b"\xef\xbb\xbf" not in archive.read("learner.json")  # the JSON stays plain, in UTC
    assert json.loads(archive.read("learner.json"))["account"]["last_seen_at"].startswith(
        "2026-07-01T22:30"
    )


def test_every_exported_column_has_a_header_in_french_and_english():
    from learn.i18n import _catalogue
    from learn.services.privacy_columns import COLUMN_LABELS

    exported = {
        column.name
        for table, _columns in privacy._tables_about_people()
        for column in table.columns
        if column.name not in privacy.SECRET_COLUMNS
    } | {*privacy.ACCOUNT_FIELDS, "id", "name", "added_at"}
    missing = sorted(exported - set(COLUMN_LABELS))
    assert missing == [], f"add a header to learn/services/privacy_columns.py for: {missing}"
    french = _catalogue("fr")._catalog
    untranslated = sorted(
        name for name, label in COLUMN_LABELS.items() if not french.get(label._args[0])
    )
    assert untranslated == []
