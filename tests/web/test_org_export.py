"""The organisation-wide export: progress and time per learner and module for a period, as
French Excel opens it, in a fixed number of queries; bad dates are said in words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from learn.models import AuditEvent, Role
from learn.services.progress import log as progress_log
from tests import factories
from tests import trainer_factories as tf
from tests.conftest import sign_in
from tests.web.test_trainer_reports import csv_table


def worked(db, learner, module_id, when, seconds=120):
    progress_log(db, learner, "heartbeat", module_id, seconds=seconds, created_at=when)


@pytest.fixture
def org(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "ex", learners=2)
    a, b = world["learners"]
    a.display_name, b.display_name = "Amina", "Bruno"
    b.active = False  # left at the end of the contract: still in the export
    now = datetime.now(UTC)
    tf.progress(db, a, "ecoute-1", "mastered", active_seconds=1800)
    worked(db, a, "ecoute-1", now - timedelta(days=1), 600)
    worked(db, a, "ecoute-1", now - timedelta(days=1, minutes=5), 300)
    worked(db, a, "ecoute-2", now - timedelta(days=60))  # before the period
    worked(db, b, "es-social", now - timedelta(days=2), 240)
    other = tf.organisation_with_group(db, "ex-other", learners=1)
    worked(db, other["learners"][0], "ecoute-1", now - timedelta(days=1))
    db.commit()
    yield small_app, db, world
    db.close()


def period(days_back=10):
    today = date.today()
    return (today - timedelta(days=days_back)).isoformat(), (today + timedelta(days=1)).isoformat()


def test_the_export_holds_each_learner_and_module_of_the_period(org):
    app, db, world = org
    client = app.test_client()
    sign_in(client, world["admin"].username)
    page = client.get("/trainer/export").get_data(as_text=True)
    assert 'type="date"' in page and "Télécharger" in page
    start, end = period()
    header, rows = csv_table(client.get(f"/trainer/export.csv?start={start}&end={end}"))
    assert header[:5] == ["Apprenant", "Identifiant", "Compte ouvert", "Groupes", "Module"]
    assert [(r[0], r[4]) for r in rows][0] == ("Amina", "Écouter : niveau 1")
    assert [r[0] for r in rows] == ["Amina", "Bruno"]  # ecoute-2 was worked before the period
    amina, bruno = rows
    assert amina[2] == "oui" and bruno[2] == "non"  # a closed account stays, marked
    assert amina[3] == world["group"].name
    assert amina[7] == "Réussi" and amina[9] == "15" and amina[10] == "30"
    assert bruno[9] == "4" and bruno[7] == "Pas commencé"
    assert db.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "report.export"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("", "2026-03-01", "Indiquez le premier jour de la période."),
        ("31/02/2026", "2026-03-01", "« 31/02/2026 » n'est pas une date"),
        ("2026-03-10", "2026-03-01", "Le dernier jour est avant le premier jour."),
        ("2020-01-01", "2026-03-01", "plus de trois ans"),
    ],
)
def test_bad_dates_are_said_in_words(org, start, end, message):
    app, _db, world = org
    client = app.test_client()
    sign_in(client, world["trainer"].username)
    response = client.get(f"/trainer/export.csv?start={start}&end={end}")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert message in response.get_data(as_text=True).replace("&#39;", "'")


def test_dd_mm_yyyy_is_read_too_and_a_learner_is_refused(org):
    app, _db, world = org
    client = app.test_client()
    sign_in(client, world["trainer"].username)
    start = (date.today() - timedelta(days=3)).strftime("%d/%m/%Y")
    end = date.today().strftime("%d/%m/%Y")
    assert client.get(f"/trainer/export.csv?start={start}&end={end}").status_code == 200
    learner = app.test_client()
    sign_in(learner, world["learners"][0].username)
    assert learner.get("/trainer/export.csv?start=2026-01-01&end=2026-01-31").status_code == 403
    assert learner.get("/trainer/export").status_code == 403


def test_a_restricted_trainer_exports_only_their_groups_learners(org):
    app, db, world = org
    world["org"].restrict_trainers_to_groups = True
    outsider = factories.user(db, world["org"], Role.LEARNER, display_name="Zoé Ailleurs")
    worked(db, outsider, "ecoute-1", datetime.now(UTC) - timedelta(days=1))
    db.commit()
    client = app.test_client()
    sign_in(client, world["trainer"].username)
    start, end = period()
    _header, rows = csv_table(client.get(f"/trainer/export.csv?start={start}&end={end}"))
    assert {r[0] for r in rows} == {"Amina", "Bruno"}
    admin = app.test_client()
    sign_in(admin, world["admin"].username)
    _header, rows = csv_table(admin.get(f"/trainer/export.csv?start={start}&end={end}"))
    assert {r[0] for r in rows} == {"Amina", "Bruno", "Zoé Ailleurs"}


def test_the_export_runs_the_same_queries_for_2_or_60_learners(small_app):
    db = small_app.extensions["learn.sessions"]()
    counts = []
    start, end = period()
    for label, size in (("xs", 2), ("xl", 60)):
        world = tf.organisation_with_group(db, label, learners=size)
        for i, learner in enumerate(world["learners"]):
            tf.progress(db, learner, "ecoute-1", "in_progress")
            worked(db, learner, "ecoute-1", datetime.now(UTC) - timedelta(days=1))
            if i % 2:
                worked(db, learner, "ecoute-2", datetime.now(UTC) - timedelta(days=2))
        db.commit()
        client = small_app.test_client()
        sign_in(client, world["admin"].username)
        url = f"/trainer/export.csv?start={start}&end={end}"
        client.get(url)
        with tf.count_queries(small_app.extensions["learn.engine"]) as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert len(csv_table(response)[1]) == size + size // 2
        counts.append(len(statements))
    db.close()
    assert counts[0] == counts[1], counts
