"""Evidence from the learner's phone through the pages: each good format stored, each bad file
refused with a message and nothing stored, the files served only to the people entitled and
never as a page."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image
from sqlalchemy import func, select

from learn.evidence.views import FILE_CSP
from learn.models import AuditEvent, Evidence, EvidenceBlob, Role
from tests import evidence_files as make
from tests import factories
from tests.conftest import csrf_token, sign_in

TARGET = "skill_level:ecoute/3"


@pytest.fixture
def world(small_app):
    db = small_app.extensions["learn.sessions"]()
    org = factories.organisation(db)
    lea = factories.user(db, org, username="lea")
    other = factories.user(db, org, username="other")
    trainer = factories.user(db, org, Role.TRAINER, username="trainer")
    outside_org = factories.organisation(db)
    factories.user(db, outside_org, Role.TRAINER, username="outsider")
    db.commit()
    yield {"app": small_app, "db": db, "org": org, "lea": lea, "other": other, "trainer": trainer}
    db.close()


def client_for(app, username: str):
    client = app.test_client()
    assert sign_in(client, username).status_code == 302
    return client


def send(client, target=TARGET, note="", **files):
    """Post the evidence form as a browser does (multipart), files as (bytes, name)."""
    data = {"csrf_token": csrf_token(client, "/evidence/new"), "target": target, "note": note}
    for field, (content, name) in files.items():
        data[field] = (io.BytesIO(content), name)
    return client.post("/evidence/new", data=data, content_type="multipart/form-data")


def stored(db) -> tuple[int, int]:
    db.rollback()
    return (
        db.scalar(select(func.count()).select_from(Evidence)),
        db.scalar(select(func.count()).select_from(EvidenceBlob)),
    )


def test_the_form_offers_camera_gallery_and_voice_note_and_says_the_limits(world):
    client = client_for(world["app"], "lea")
    response = client.get("/evidence/new")
    page = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert 'capture="environment"' in page and 'name="photo_file"' in page
    assert 'accept="audio/*"' in page
    assert "8 Mo" in page and "5 Mo" in page  # French first
    assert 'value="skill_level:ecoute/3"' in page and 'value="skill_level:ecoute/1"' not in page
    # The recorder (a static script) may use the microphone on this page, and on no other.
    assert 'src="/static/js/voice-recorder.' in page and "data-recorder" in page
    assert "microphone=(self)" in response.headers["Permissions-Policy"]
    assert "microphone=()" in client.get("/evidence/").headers["Permissions-Policy"]


def test_a_photo_with_gps_is_stored_and_served_without_any_metadata(world):
    client = client_for(world["app"], "lea")
    sent = make.photo_with_gps()
    response = send(client, note="Le chariot prêt", photo=(sent, "IMG_0001.jpg"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/evidence/")
    db = world["db"]
    assert stored(db) == (1, 1)
    row = db.scalar(select(Evidence))
    assert (row.kind, row.target_kind, row.target_ref) == ("photo", "skill_level", "ecoute/3")
    blob = db.scalar(select(EvidenceBlob.data))
    assert b"Exif" not in blob and b"PhoneMaker" not in blob
    served = client.get(f"/evidence/{row.id}/file")
    assert served.status_code == 200 and served.data == blob
    assert served.mimetype == "image/jpeg"
    assert served.headers["Content-Disposition"] == f'inline; filename="evidence-{row.id}.jpg"'
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Security-Policy"] == FILE_CSP
    cache = served.headers["Cache-Control"]
    assert "private" in cache and "no-store" in cache and "public" not in cache
    with Image.open(io.BytesIO(served.data)) as image:
        assert not image.getexif() and max(image.size) == 1600
    listing = client.get("/evidence/").get_data(as_text=True)
    assert f'src="/evidence/{row.id}/file"' in listing and "Le chariot prêt" in listing


@pytest.mark.parametrize(
    ("field", "content", "name", "kind", "content_type"),
    [
        ("photo_file", make.photo("PNG"), "plan.png", "photo", "image/jpeg"),
        ("photo", make.photo("WEBP"), "cam.webp", "photo", "image/jpeg"),
        ("audio", make.m4a(), "note.m4a", "audio", "audio/mp4"),
        ("audio", make.ogg_opus(), "note.opus", "audio", "audio/ogg"),
        ("audio", make.webm(), "blob", "audio", "audio/webm"),
        ("audio", make.mp3(), "note.mp3", "audio", "audio/mpeg"),
    ],
)
def test_each_good_format_is_stored(world, field, content, name, kind, content_type):
    client = client_for(world["app"], "lea")
    assert send(client, **{field: (content, name)}).status_code == 302
    row = world["db"].scalar(select(Evidence))
    assert (row.kind, row.content_type) == (kind, content_type)


def test_a_voice_note_is_a_download_that_a_player_can_seek(world):
    client = client_for(world["app"], "lea")
    sent = make.m4a()
    send(client, audio=(sent, "note.m4a"))
    row = world["db"].scalar(select(Evidence))
    whole = client.get(f"/evidence/{row.id}/file")
    assert whole.headers["Content-Disposition"].startswith("attachment;")
    assert whole.headers["Content-Security-Policy"] == FILE_CSP and whole.data == sent
    part = client.get(f"/evidence/{row.id}/file", headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.data == sent[:10]
    page = client.get("/evidence/").get_data(as_text=True)
    assert f'<audio controls preload="none" src="/evidence/{row.id}/file">' in page


def test_a_text_alone_is_evidence(world):
    client = client_for(world["app"], "lea")
    assert send(client, note="J'ai expliqué la consigne au nouveau.").status_code == 302
    assert stored(world["db"]) == (1, 0)


@pytest.mark.parametrize(
    ("files", "target", "message"),
    [
        ({"photo": (make.renamed_executable(), "photo.jpg")}, TARGET, "pas une photo"),
        ({"photo": (make.elf(), "photo.png")}, TARGET, "pas une photo"),
        ({"photo": (make.truncated_jpeg(), "photo.jpg")}, TARGET, "pas une photo"),
        ({"photo": (make.html(), "photo.jpg")}, TARGET, "pas une photo"),
        ({"photo": (make.png_bomb(), "bomb.png")}, TARGET, "trop de pixels"),
        ({"audio": (make.renamed_executable(), "note.m4a")}, TARGET, "pas une note vocale"),
        ({"audio": (make.html(), "note.ogg")}, TARGET, "pas une note vocale"),
        ({"audio": (make.photo(), "note.mp3")}, TARGET, "pas une note vocale"),
        (
            {"photo": (make.photo(), "a.jpg"), "audio": (make.m4a(), "b.m4a")},
            TARGET,
            "une à la fois",
        ),
        ({}, TARGET, "Ajoutez une photo"),
        ({"photo": (make.photo(), "a.jpg")}, "skill_level:ecoute/1", "dans la liste"),
        ({"photo": (make.photo(), "a.jpg")}, "competence:agent-proprete/x", "dans la liste"),
        ({"photo": (make.photo(), "a.jpg")}, "nothing", "dans la liste"),
    ],
)
def test_each_bad_file_is_refused_with_a_message_and_nothing_is_stored(
    world, files, target, message
):
    client = client_for(world["app"], "lea")
    response = send(client, target=target, **files)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored(world["db"]) == (0, 0)


def test_a_photo_past_its_limit_is_refused_with_the_limit_said(world):
    client = client_for(world["app"], "lea")
    response = send(client, photo=(b"\xff\xd8\xff" + b"\0" * (8 * 1024 * 1024), "big.jpg"))
    assert response.status_code == 400 and "8 Mo" in response.get_data(as_text=True)
    assert stored(world["db"]) == (0, 0)


def test_a_3_mb_photo_passes_though_other_forms_stop_at_2_mb(world):
    client = client_for(world["app"], "lea")
    noise = Image.frombytes("RGB", (1100, 1000), os.urandom(1100 * 1000 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert out.tell() > 3 * 1024 * 1024
    assert send(client, photo=(out.getvalue(), "noise.png")).status_code == 302
    token = csrf_token(client, "/evidence/new")
    elsewhere = client.post(
        "/modules/ecoute-1/help", data={"csrf_token": token, "message": "x" * (3 * 1024 * 1024)}
    )
    assert elsewhere.status_code == 413


def test_a_50_mb_upload_is_a_413_page_and_stores_nothing(world):
    client = client_for(world["app"], "lea")
    response = send(client, photo=(b"\xff\xd8\xff" + os.urandom(50 * 1024 * 1024), "huge.jpg"))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Trop volumineux" in page or "trop volumineux" in page
    assert stored(world["db"]) == (0, 0)


def test_a_polyglot_is_stored_as_the_image_alone(world):
    client = client_for(world["app"], "lea")
    assert send(client, photo=(make.jpeg_with_zip(), "polyglot.jpg")).status_code == 302
    blob = world["db"].scalar(select(EvidenceBlob.data))
    assert b"PK\x05\x06" not in blob and b"<script" not in blob


def evidence_of_lea(world) -> int:
    client = client_for(world["app"], "lea")
    assert send(client, photo=(make.photo(), "a.jpg")).status_code == 302
    return world["db"].scalar(select(Evidence.id))


def test_only_the_learner_and_their_trainers_get_the_file(world):
    app = world["app"]
    evidence_id = evidence_of_lea(world)
    url = f"/evidence/{evidence_id}/file"
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
    assert client_for(app, "other").get(url).status_code == 404
    assert client_for(app, "outsider").get(url).status_code == 404
    assert client_for(app, "trainer").get(url).status_code == 200
    assert client_for(app, "lea").get(url).status_code == 200


def test_a_trainer_limited_to_their_groups_sees_only_their_learners_evidence(world):
    app, db = world["app"], world["db"]
    evidence_id = evidence_of_lea(world)
    world["org"].restrict_trainers_to_groups = True
    factories.group(db, world["org"], members=[world["trainer"], world["other"]])
    db.commit()
    trainer = client_for(app, "trainer")
    assert trainer.get(f"/evidence/{evidence_id}/file").status_code == 404
    assert trainer.get(f"/trainer/learners/{world['lea'].id}/evidence").status_code == 404


def test_the_trainer_reads_a_learners_evidence_and_it_is_audited(world):
    app, db = world["app"], world["db"]
    evidence_id = evidence_of_lea(world)
    url = f"/trainer/learners/{world['lea'].id}/evidence"
    page = client_for(app, "trainer").get(url)
    assert page.status_code == 200
    assert f'src="/evidence/{evidence_id}/file"' in page.get_data(as_text=True)
    db.rollback()
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "learner.view"))
    assert event.details["page"] == "evidence" and event.target_user_id == world["lea"].id
    assert client_for(app, "outsider").get(url).status_code == 404
    assert client_for(app, "other").get(url).status_code == 403


def test_a_learner_deletes_their_own_evidence_and_no_one_elses(world):
    app = world["app"]
    evidence_id = evidence_of_lea(world)
    other = client_for(app, "other")
    token = csrf_token(other, "/evidence/")
    assert (
        other.post(f"/evidence/{evidence_id}/delete", data={"csrf_token": token}).status_code == 404
    )
    assert stored(world["db"]) == (1, 1)
    lea = client_for(app, "lea")
    token = csrf_token(lea, "/evidence/")
    assert (
        lea.post(f"/evidence/{evidence_id}/delete", data={"csrf_token": token}).status_code == 302
    )
    assert stored(world["db"]) == (0, 0)


def test_staff_have_no_evidence_form_of_their_own(world):
    trainer = client_for(world["app"], "trainer")
    assert trainer.get("/evidence/new").status_code == 302
    assert trainer.get("/evidence/").status_code == 302


def test_the_skill_page_links_levels_3_and_4_to_the_form(world):
    page = client_for(world["app"], "lea").get("/skills/ecoute").get_data(as_text=True)
    assert "/evidence/new?target=skill_level:ecoute/3" in page
    assert "/evidence/new?target=skill_level:ecoute/4" in page


def test_the_dashboard_leads_to_the_evidence(world):
    page = client_for(world["app"], "lea").get("/dashboard").get_data(as_text=True)
    assert 'href="/evidence/new"' in page and 'href="/evidence/"' in page
