"""Words and formats as a trainer and an admin read them: French plurals (« 1 problème »),
elisions before a name (« Fiche d'Amina », « atteste qu'Amina »), the audit log as sentences in
the organisation's time zone, and downloads whose names keep their accents."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from sqlalchemy import select

from learn.models import AuditEvent
from learn.services import audit
from learn.web.downloads import content_disposition
from tests import trainer_factories as tf
from tests.conftest import csrf_token, sign_in


@pytest.fixture
def env(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "w", learners=2)
    world["learners"][0].display_name = "Amina Diallo"
    world["learners"][1].display_name = "Marie Dupont"
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    yield small_app, db, world, client
    db.close()


def text(response) -> str:
    """The page's text as read (entities decoded, tags and runs of spaces collapsed)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(True))))


def test_a_file_with_one_problem_says_one_problem(env):
    _app, _db, _world, client = env
    form = {
        "csrf_token": csrf_token(client, "/trainer/import"),
        "file": (io.BytesIO(b"nom;identifiant\nOk;Bad Name!\n"), "eleves.csv"),
    }
    page = text(client.post("/trainer/import", data=form, content_type="multipart/form-data"))
    assert "Le fichier a 1 problème. Rien n'a été créé." in page
    assert "1 problèmes" not in page


def test_one_worksheet_to_review_is_singular_and_its_page_elides_de(env):
    _app, db, world, client = env
    amina, marie = world["learners"]
    answer = tf.workshop(db, amina)
    db.commit()
    home = text(client.get("/trainer/"))
    assert "fiche attend votre relecture." in home and "fiches attendent" not in home
    queue = text(client.get("/trainer/reviews"))
    assert "1 fiche attend votre relecture" in queue
    assert "Fiche d'Amina Diallo" in text(client.get(f"/trainer/reviews/{answer.id}"))
    other = tf.workshop(db, marie, module_id="es-social", ws="ws-social")
    db.commit()
    assert "Fiche de Marie Dupont" in text(client.get(f"/trainer/reviews/{other.id}"))
    english = client.get(f"/trainer/reviews/{answer.id}", headers={"Accept-Language": "en"})
    assert "Worksheet of Amina Diallo" in text(english)


def test_the_attestation_says_qu_before_a_vowel(env):
    _app, _db, world, client = env
    amina = world["learners"][0]
    page = text(client.get(f"/trainer/learners/{amina.id}/attestation"))
    assert "atteste qu'Amina Diallo a montré" in page and "que Amina" not in page


def test_the_audit_log_reads_as_sentences_in_the_organisations_time_zone(env):
    app, db, world, _client = env
    amina = world["learners"][0]
    trainer, admin = world["trainer"], world["admin"]
    trainer.display_name = "Karim Benali"
    audit.record(db, trainer, "report.export", report="matrix", group_id=world["group"].id)
    audit.record(db, trainer, "learner.view", target=amina, page="record")
    audit.record(db, admin, "learner.export", target=amina, records={"quiz_attempt": 1})
    for event in db.scalars(select(AuditEvent)):
        event.created_at = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 2 July 00:30 in Paris
    db.commit()
    client = app.test_client()
    sign_in(client, admin.username)
    page = text(client.get("/admin/audit"))
    assert "Karim Benali a exporté le rapport du groupe" in page
    assert "Karim Benali a ouvert le relevé de formation d'Amina Diallo" in page
    assert "a exporté les données d'Amina Diallo" in page
    assert page.count("02/07/2026 00:30") == 3 and "UTC" not in page
    assert "report.export" not in page and "learner.view" not in page
    assert "report: matrix" not in page and "page: record" not in page  # said in the sentence
    english = text(client.get("/admin/audit", headers={"Accept-Language": "en"}))
    assert "Karim Benali exported the group report" in english
    assert "opened the training record of Amina Diallo" in english
    assert "02/07/2026, 00:30" in english  # day first, 24-hour clock


def test_a_download_keeps_the_accents_of_its_name(env):
    _app, db, world, client = env
    world["group"].name = "Été à Noël"
    db.commit()
    response = client.get(f"/trainer/groups/{world['group'].id}/matrix.csv")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition == (
        'attachment; filename="progression-Ete-a-Noel.csv"; '
        "filename*=UTF-8''" + quote("progression-Été à Noël.csv", safe="")
    )
    assert response.data.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("export.csv", 'attachment; filename="export.csv"'),
        (
            "Fiche élève.csv",
            'attachment; filename="Fiche-eleve.csv"; '
            "filename*=UTF-8''Fiche%20%C3%A9l%C3%A8ve.csv",
        ),
        ('a"b\r\n/..\\c.zip', 'attachment; filename="a-b-..-c.zip"'),
        (
            "数据.csv",
            "attachment; filename=\"export.csv\"; filename*=UTF-8''%E6%95%B0%E6%8D%AE.csv",
        ),
        ("", 'attachment; filename="export"'),
    ],
)
def test_content_disposition_has_an_ascii_name_and_the_real_one(name, header):
    assert content_disposition(name) == header
