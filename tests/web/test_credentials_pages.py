"""The credentials' pages: public page and JSON, QR code, print, issuer profile, status list;
the trainer's issuing and revoking; the learner's passport; and who may not."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from learn.credentials import integrity, multikey, statuslist, verification
from learn.models import IssuedCredential
from tests import trainer_factories as tf
from tests.conftest import csrf_token, sign_in


@pytest.fixture
def world(app):
    db = app.extensions["learn.sessions"]()
    a = tf.organisation_with_group(db, "a", learners=2)
    b = tf.organisation_with_group(db, "b", learners=1)
    tf.progress(db, a["learners"][0], "ecoute-1", "mastered")
    tf.progress(db, b["learners"][0], "ecoute-1", "mastered")
    db.commit()
    yield app, db, a, b
    db.close()


def client_for(app, user):
    client = app.test_client()
    assert sign_in(client, user.username).status_code == 302
    return client


def issue(client, learner, ref="ecoute:1"):
    page = f"/trainer/learners/{learner.id}/credentials"
    token = csrf_token(client, page)
    return client.post(
        f"{page}/issue", data={"kind": "skill_level", "ref": ref, "csrf_token": token}
    )


def issued(db, learner) -> IssuedCredential:
    db.rollback()  # a new snapshot: what the requests committed since
    return db.scalar(select(IssuedCredential).where(IssuedCredential.learner_id == learner.id))


def test_a_trainer_issues_from_the_learners_page_and_anyone_checks_it(world):
    app, db, a, _b = world
    trainer = client_for(app, a["trainer"])
    learner = a["learners"][0]
    page = trainer.get(f"/trainer/learners/{learner.id}/credentials").get_data(as_text=True)
    assert "Issue the credential" in page or "Délivrer" in page
    response = issue(trainer, learner)
    assert response.status_code == 302
    row = issued(db, learner)
    assert row is not None and row.issued_by == a["trainer"].id
    public = app.test_client()  # nobody signed in
    html = public.get(f"/credentials/{row.id}").get_data(as_text=True)
    assert learner.display_name not in html
    assert "Organisation a" in html
    assert "verdict-valid" in html
    as_json = public.get(f"/credentials/{row.id}", headers={"Accept": "application/ld+json"})
    assert as_json.mimetype == "application/ld+json" and "Accept" in as_json.headers["Vary"]
    assert as_json.get_json() == row.document
    download = public.get(f"/credentials/{row.id}.json")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert json.loads(download.data) == row.document


def test_the_public_page_speaks_french_and_english(world):
    app, db, a, _b = world
    issue(client_for(app, a["trainer"]), a["learners"][0])
    row = issued(db, a["learners"][0])
    fr = app.test_client().get(f"/credentials/{row.id}", headers={"Accept-Language": "fr"})
    en = app.test_client().get(f"/credentials/{row.id}", headers={"Accept-Language": "en"})
    assert "Is it genuine?" in en.get_data(as_text=True)
    assert "Is it genuine?" not in fr.get_data(as_text=True)


def test_the_issuer_profile_and_the_status_list_verify_the_credential_offline(world):
    app, db, a, _b = world
    issue(client_for(app, a["trainer"]), a["learners"][0])
    row = issued(db, a["learners"][0])
    public = app.test_client()
    profile = public.get("/issuers/org-a")
    assert profile.mimetype == "application/ld+json"
    keys = {
        m["id"]: multikey.public_key_from_multibase(m["publicKeyMultibase"])
        for m in profile.get_json()["verificationMethod"]
    }
    url, index = statuslist.read_entry(row.document)
    listed = public.get(url.replace("http://localhost", "")).get_json()
    assert verification.status_from_list(listed, url, index, keys.get) is False
    verdict = verification.check(row.document, keys.get, lambda u, i: False)
    assert verdict.valid


def test_revoking_is_reported_on_the_page_and_in_the_status_list(world):
    app, db, a, _b = world
    trainer = client_for(app, a["trainer"])
    issue(trainer, a["learners"][0])
    row = issued(db, a["learners"][0])
    page = f"/trainer/learners/{a['learners'][0].id}/credentials"
    refused = trainer.post(
        f"/trainer/credentials/{row.id}/revoke", data={"csrf_token": csrf_token(trainer, page)}
    )
    assert refused.status_code == 302 and issued(db, a["learners"][0]).revoked_at is None
    trainer.post(
        f"/trainer/credentials/{row.id}/revoke",
        data={"reason": "issued_in_error", "csrf_token": csrf_token(trainer, page)},
    )
    assert issued(db, a["learners"][0]).revoked_at is not None
    html = app.test_client().get(f"/credentials/{row.id}").get_data(as_text=True)
    assert "verdict-invalid" in html
    url, index = statuslist.read_entry(row.document)
    listed = app.test_client().get(url.replace("http://localhost", "")).get_json()
    assert statuslist.bit_is_set(listed["credentialSubject"]["encodedList"], index)


def test_another_organisations_trainer_is_refused_everywhere(world):
    app, db, a, b = world
    issue(client_for(app, a["trainer"]), a["learners"][0])
    row = issued(db, a["learners"][0])
    outsider = client_for(app, b["trainer"])
    assert outsider.get(f"/trainer/learners/{a['learners'][0].id}/credentials").status_code == 404
    token = csrf_token(outsider, f"/trainer/learners/{b['learners'][0].id}/credentials")
    assert (
        outsider.post(
            f"/trainer/learners/{a['learners'][0].id}/credentials/issue",
            data={"kind": "skill_level", "ref": "ecoute:1", "csrf_token": token},
        ).status_code
        == 404
    )
    assert (
        outsider.post(
            f"/trainer/credentials/{row.id}/revoke",
            data={"reason": "issued_in_error", "csrf_token": token},
        ).status_code
        == 404
    )
    assert issued(db, a["learners"][0]).revoked_at is None


def test_a_learner_cannot_issue_or_revoke(world):
    app, db, a, _b = world
    issue(client_for(app, a["trainer"]), a["learners"][0])
    row = issued(db, a["learners"][0])
    learner = client_for(app, a["learners"][0])
    token = csrf_token(learner, "/passport")
    assert learner.get(f"/trainer/learners/{a['learners'][0].id}/credentials").status_code == 403
    response = learner.post(
        f"/trainer/credentials/{row.id}/revoke",
        data={"reason": "issued_in_error", "csrf_token": token},
    )
    assert response.status_code == 403


def test_the_passport_lists_downloads_zips_and_prints_only_ones_own(world):
    app, db, a, _b = world
    issue(client_for(app, a["trainer"]), a["learners"][0])
    row = issued(db, a["learners"][0])
    owner = client_for(app, a["learners"][0])
    page = owner.get("/passport").get_data(as_text=True)
    assert f"/credentials/{row.id}" in page
    archive = zipfile.ZipFile(io.BytesIO(owner.get("/passport/credentials.zip").data))
    (name,) = archive.namelist()
    assert json.loads(archive.read(name)) == row.document
    printed = owner.get("/passport/print").get_data(as_text=True)
    assert printed.count('class="credential-sheet"') == 1 and "qr.svg" in printed
    other = client_for(app, a["learners"][1])
    assert f"/credentials/{row.id}" not in other.get("/passport").get_data(as_text=True)
    assert zipfile.ZipFile(io.BytesIO(other.get("/passport/credentials.zip").data)).namelist() == []
    assert app.test_client().get("/passport").status_code == 302  # to sign in
    assert client_for(app, a["trainer"]).get("/passport").status_code == 403


def test_the_learner_chooses_to_show_their_name(world):
    app, db, a, _b = world
    owner = client_for(app, a["learners"][0])
    owner.post(
        "/passport/name", data={"show_name": "y", "csrf_token": csrf_token(owner, "/passport")}
    )
    issue(client_for(app, a["trainer"]), a["learners"][0])
    row = issued(db, a["learners"][0])
    html = app.test_client().get(f"/credentials/{row.id}").get_data(as_text=True)
    assert a["learners"][0].display_name in html


def test_an_employer_checks_the_name_without_seeing_it(world):
    app, db, a, _b = world
    issue(client_for(app, a["trainer"]), a["learners"][0])
    row = issued(db, a["learners"][0])
    public = app.test_client()
    path = f"/credentials/{row.id}"
    token = csrf_token(public, path)
    yes = public.post(
        f"{path}/check-name", data={"name": " learner A 0 ", "csrf_token": token}
    ).get_data(as_text=True)
    assert "message-success" in yes
    no = public.post(f"{path}/check-name", data={"name": "Someone", "csrf_token": token})
    assert "message-error" in no.get_data(as_text=True)
    empty = public.post(f"{path}/check-name", data={"name": "", "csrf_token": token})
    assert empty.status_code == 400


def test_the_qr_code_is_an_svg_of_the_page_address(world):
    app, db, a, _b = world
    issue(client_for(app, a["trainer"]), a["learners"][0])
    row = issued(db, a["learners"][0])
    response = app.test_client().get(f"/credentials/{row.id}/qr.svg")
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data
    assert b"http" not in response.data.split(b">", 1)[1].replace(b"http://www.w3.org", b"")
    printed = app.test_client().get(f"/credentials/{row.id}/print").get_data(as_text=True)
    assert f"/credentials/{row.id}" in printed


@pytest.mark.parametrize(
    "path",
    [
        "/credentials/not-a-uuid",
        "/credentials/00000000-0000-0000-0000-000000000000",
        "/credentials/00000000-0000-0000-0000-000000000000.json",
        "/credentials/x/qr.svg",
        "/credentials/x/print",
        "/credentials/status/org-a/1",  # nothing issued yet
        "/credentials/status/org-a/abc",
        "/credentials/status/nope/1",
        "/issuers/nope",
    ],
)
def test_unknown_ids_are_404_never_500(world, path):
    app, *_ = world
    assert app.test_client().get(path).status_code == 404


def test_a_credential_issued_here_keeps_verifying_after_a_rotation(world):
    from learn.services import issuers

    app, db, a, _b = world
    issue(client_for(app, a["trainer"]), a["learners"][0])
    row = issued(db, a["learners"][0])
    store = issuers.key_store(app.config["LEARN_PATHS"].instance)
    issuers.rotate_key(db, None, a["org"], store)
    db.commit()
    html = app.test_client().get(f"/credentials/{row.id}").get_data(as_text=True)
    assert "verdict-valid" in html
    profile = app.test_client().get("/issuers/org-a").get_json()
    assert len(profile["verificationMethod"]) == 2
    listed = app.test_client().get("/credentials/status/org-a/1").get_json()
    integrity.verify(
        listed,
        lambda m: next(
            multikey.public_key_from_multibase(v["publicKeyMultibase"])
            for v in profile["verificationMethod"]
            if v["id"] == m
        ),
    )


def pdf_words(app, row_id) -> str:
    """The words laid out in a credential's PDF (WeasyPrint's boxes, before the file)."""
    from learn.badges import views
    from learn.services import pdf
    from learn.web.transactions import db

    with app.test_request_context():
        row = db().get(IssuedCredential, row_id)
        pages = pdf.layout(views.pdf_html(row), views.pdf_stylesheet()).pages
        return " ".join(
            box.text
            for page in pages
            for box in page._page_box.descendants()
            if getattr(box, "text", None)
        )


def test_each_credential_is_a_pdf_with_its_qr_code_and_says_when_revoked(world):
    app, db, a, _b = world
    trainer = client_for(app, a["trainer"])
    learner = a["learners"][0]
    issue(trainer, learner)
    row = issued(db, learner)
    response = app.test_client().get(f"/credentials/{row.id}.pdf")  # public, like the print view
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.content_type == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    with app.test_request_context():
        from learn.badges import views

        html = views.pdf_html(db.get(IssuedCredential, row.id))
    assert "<svg" in html and "qr.svg" not in html and "<link" not in html
    words = " ".join(pdf_words(app, row.id).split())
    assert f"/credentials/{row.id}" in words.replace(" ", "")
    assert learner.display_name not in words
    assert "Révoqué" not in words and "Revoked" not in words
    passport = client_for(app, learner).get("/passport").get_data(as_text=True)
    assert f"/credentials/{row.id}.pdf" in passport
    printed = app.test_client().get(f"/credentials/{row.id}/print").get_data(as_text=True)
    assert f"/credentials/{row.id}.pdf" in printed
    page = f"/trainer/learners/{learner.id}/credentials"
    trainer.post(
        f"/trainer/credentials/{row.id}/revoke",
        data={"reason": "issued_in_error", "csrf_token": csrf_token(trainer, page)},
    )
    db.rollback()
    words = " ".join(pdf_words(app, row.id).split())
    assert "Revoked by the issuer" in words or "Révoqué" in words
    assert app.test_client().get(f"/credentials/{row.id}.pdf").data.startswith(b"%PDF")


@pytest.mark.parametrize(
    "path", ["/credentials/00000000-0000-0000-0000-000000000000.pdf", "/credentials/x.pdf"]
)
def test_an_unknown_credentials_pdf_is_404(world, path):
    app, *_ = world
    assert app.test_client().get(path).status_code == 404


def test_the_skills_attestation_prints_a_qr_code_only_for_a_credential_in_force(world):
    app, db, a, _b = world
    trainer = client_for(app, a["trainer"])
    learner = a["learners"][0]
    page = f"/trainer/learners/{learner.id}/attestation"
    before = trainer.get(page).get_data(as_text=True)
    assert "/credentials/" not in before and "<svg" not in before
    issue(trainer, learner)
    row = issued(db, learner)
    after = trainer.get(page).get_data(as_text=True)
    assert f"http://localhost/credentials/{row.id}" in after and "<svg" in after
    assert "qr.svg" not in after  # inlined: no request for an image
    trainer.post(
        f"/trainer/credentials/{row.id}/revoke",
        data={
            "reason": "issued_in_error",
            "csrf_token": csrf_token(trainer, f"/trainer/learners/{learner.id}/credentials"),
        },
    )
    revoked = trainer.get(page).get_data(as_text=True)
    assert "/credentials/" not in revoked and "<svg" not in revoked


def test_a_validation_finds_the_credential_of_the_same_target():
    from learn.services import credentials

    issued = {("skill_level", "ecoute:2"): "row"}
    assert credentials.credential_for_target(issued, "skill_level", "ecoute/2") == "row"
    assert credentials.credential_for_target(issued, "skill_level", "ecoute/1") is None
    assert credentials.credential_for_target(issued, "competence", "ref/c1") is None
