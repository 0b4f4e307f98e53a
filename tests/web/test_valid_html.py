"""Every kind of page is valid HTML by the Nu HTML Checker (vnu), the W3C's validator: about fifty
pages of the learner's, the trainer's and the admin's workspaces, in French and in English, with
their error pages and forms sent back with errors, rendered by the test client and checked in one
run of the checker (one JVM start).

The checker is the npm package vnu-jar, run with Java; `.ci/run` installs it under .ci/node.
Locally, without Java or the jar, the test is skipped with the command to install it; under
CI=true it fails instead."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests import factories, page_world
from tests.conftest import PROJECT_ROOT, csrf_token, sign_in

VNU_JAR = os.environ.get(
    "LEARN_VNU_JAR",
    str(PROJECT_ROOT / ".ci" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"),
)
INSTALL = "npm install --no-save --prefix .ci/node vnu-jar@26.9.27"


def _evidence_of(app, learner_id: int) -> int:
    from sqlalchemy import select

    from learn.models import Evidence

    db = app.extensions["learn.sessions"]()
    try:
        return db.scalar(select(Evidence.id).where(Evidence.learner_id == learner_id))
    finally:
        db.close()


def _checker() -> list[str]:
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java (Debian: `apt-get install -y default-jre-headless`)")
    if not os.path.exists(VNU_JAR):
        missing.append(f"the Nu HTML Checker at {VNU_JAR} (`{INSTALL}`, or set LEARN_VNU_JAR)")
    if missing:
        message = "HTML validity not checked: missing " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: this check may not be skipped)")
        pytest.skip(message)
    return [java, "-Xss2m", "-jar", VNU_JAR]


def _get(client, url: str, expected: int = 200, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == expected, (url, response.status_code)
    return response.get_data(as_text=True)


def _post(client, url: str, data: dict, expected: int) -> str:
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, **data})
    assert response.status_code == expected, (url, response.status_code)
    return response.get_data(as_text=True)


def rendered_pages(app) -> dict[str, str]:
    """{label: html} for a representative set of pages, each checked to be the page asked for."""
    world = page_world.build(app)
    pages: dict[str, str] = {}
    english = {"Accept-Language": "en"}

    anonymous = app.test_client()
    pages["sign-in"] = _get(anonymous, "/sign-in")
    pages["sign-in (en)"] = _get(anonymous, "/sign-in", **english)
    pages["welcome"] = _get(anonymous, "/")
    pages["reading, signed out"] = _get(anonymous, "/reading")
    pages["pictograms"] = _get(anonymous, "/pictograms")

    learner = app.test_client()
    sign_in(learner, world.learner, factories.PASSWORD)
    first_part = learner.get("/modules/ecoute-1").headers["Location"]
    for url in [
        "/dashboard",
        "/catalog",
        "/skills/ecoute",
        "/skills/ecoute/placement",
        "/skills/ecoute/placement?variant=easy",
        first_part,
        first_part + ("&" if "?" in first_part else "?") + "variant=easy",
        "/modules/ecoute-1/quiz",
        f"/modules/{page_world.RUBRIC_MODULE}/workshop",
        "/choose-password",
        "/reading",
        f"/attempts/{_learner_attempt(app, world)}",
        "/satisfaction/course/softskills",
    ]:
        pages[f"learner {url}"] = _get(learner, url)
    for url in ["/dashboard", "/skills/ecoute/placement?variant=easy", "/choose-password"]:
        pages[f"learner {url} (en)"] = _get(learner, url, **english)
    for language in ("de", "it"):  # the partners' languages: German words are long
        for url in ["/dashboard", "/modules/ecoute-1/quiz"]:
            pages[f"learner {url} ({language})"] = _get(
                learner, url, **{"Accept-Language": language}
            )
    pages["learner placement, nothing answered"] = _post(
        learner, "/skills/apprendre/placement?variant=easy", {}, 400
    )
    pages["learner catalogue search"] = _get(learner, "/catalog?q=ecoute")
    pages["learner catalogue (en)"] = _get(learner, "/catalog", **english)
    quiz = _get(learner, "/modules/es-economic/quiz")
    ticket = re.search(r'name="ticket" value="([^"]+)"', quiz).group(1)
    pages["learner assessed quiz sent with blanks"] = _post(
        learner, "/modules/es-economic/quiz", {"ticket": ticket}, 200
    )
    pages["learner evidence form, nothing sent"] = _post(
        learner, "/evidence/new", {"target": "skill_level:ecoute/3"}, 400
    )
    token = csrf_token(learner, "/evidence/new")
    sent = learner.post(
        "/evidence/new",
        data={"csrf_token": token, "target": "skill_level:ecoute/3", "note": "Au magasin"},
    )
    assert sent.status_code == 302
    for url in [
        "/evidence/",
        "/evidence/new?target=skill_level:ecoute/4",
        "/referentiels/agent-proprete",
    ]:
        pages[f"learner {url}"] = _get(learner, url)
    pages["learner 404"] = _get(learner, "/modules/nope", expected=404)
    pages["learner passport"] = _get(learner, "/passport")
    pages["learner 403"] = _get(learner, "/trainer/", expected=403)

    trainer = app.test_client()
    sign_in(trainer, world.trainer, factories.PASSWORD)
    group, sam = world.group_id, world.other_id
    for url in [
        "/trainer/",
        "/trainer/groups",
        f"/trainer/groups/{group}",
        f"/trainer/groups/{group}/matrix",
        f"/trainer/groups/{group}/matrix?skill=apprendre",
        f"/trainer/groups/{group}/assign",
        f"/trainer/groups/{group}/cards",
        f"/trainer/groups/{group}/assign?q=ecouter",
        f"/trainer/groups/{group}/matrix?show=course:entrepreneurship",
        "/trainer/export",
        "/trainer/learners",
        f"/trainer/learners/{sam}",
        f"/trainer/learners/{sam}/assign",
        f"/trainer/learners/{sam}/attestation",
        f"/trainer/learners/{sam}/observations/new?skill=apprendre&level=3",
        f"/trainer/learners/{sam}/project",
        f"/trainer/learners/{sam}/training-record",
        f"/trainer/learners/{sam}/rename",
        f"/trainer/learners/{sam}/close",
        f"/trainer/learners/{world.learner_id}/evidence",
        f"/trainer/learners/{sam}/certificate",
        f"/trainer/groups/{group}/certificates",
        f"/trainer/groups/{group}/qualiopi",
        f"/trainer/learners/{world.learner_id}/referentiels/agent-proprete",
        f"/trainer/learners/{world.learner_id}/referentiels/agent-proprete/attestation",
        f"/trainer/learners/{world.learner_id}/skills/ecoute/levels/3/validation",
        "/trainer/learners/new",
        "/trainer/import",
        "/trainer/needs-help",
        f"/trainer/questions?module={page_world.TEXT_MODULE}",
        "/trainer/reviews",
        f"/trainer/reviews/{world.review_id}",
        f"/trainer/reviews/{world.accepted_id}",
        f"/trainer/attempts/{world.attempt_id}",
        "/trainer/guides",
        "/trainer/guides/ecoute",
        "/trainer/guides/entrepreneurship",
        "/trainer/referentiels",
        "/trainer/referentiels/agent-proprete",
        "/choose-password",
    ]:
        pages[f"trainer {url}"] = _get(trainer, url)
    for url in [
        f"/trainer/reviews/{world.review_id}",
        "/trainer/guides",
        "/trainer/referentiels/agent-proprete",
        "/choose-password",
    ]:
        pages[f"trainer {url} (en)"] = _get(trainer, url, **english)
    credentials_page = f"/trainer/learners/{sam}/credentials"
    pages[f"trainer {credentials_page}"] = _get(trainer, credentials_page)
    token = csrf_token(trainer, credentials_page)
    trainer.post(
        credentials_page + "/issue",
        data={"kind": "skill_level", "ref": "apprendre:1", "csrf_token": token},
    )
    credential = f"/credentials/{_credential_of(app, sam)}"
    pages["credential, public"] = _get(anonymous, credential)
    pages["credential, public (en)"] = _get(anonymous, credential, **english)
    pages["credential, printable"] = _get(anonymous, credential + "/print")
    attestation = f"/trainer/learners/{sam}/attestation"
    pages["trainer attestation with a badge's QR code"] = _get(trainer, attestation)
    pages["trainer /trainer/transfers"] = _get(trainer, "/trainer/transfers")
    pages["trainer /trainer/imports"] = _get(trainer, "/trainer/imports")
    review = f"/trainer/reviews/{world.review_id}"
    pages["trainer review, a criterion not rated"] = _post(
        trainer, review, {"decision": "accepted", "version": "1"}, 400
    )

    pages["trainer validation, nothing ticked"] = _post(
        trainer,
        f"/trainer/learners/{world.learner_id}/skills/ecoute/levels/3/validation",
        {"decided_on": ""},
        400,
    )
    validated = _post(
        trainer,
        f"/trainer/learners/{world.learner_id}/skills/ecoute/levels/3/validation",
        {"decided_on": _today(), "source": f"evidence:{_evidence_of(app, world.learner_id)}"},
        302,
    )
    assert validated == "" or "Redirect" in validated
    pages["trainer validation in force"] = _get(
        trainer, f"/trainer/learners/{world.learner_id}/skills/ecoute/levels/3/validation"
    )
    pages["trainer close, no date nor reason"] = _post(
        trainer, f"/trainer/learners/{sam}/close", {"closed_on": "", "reason": ""}, 400
    )
    pages["trainer rename, bad username"] = _post(
        trainer, f"/trainer/learners/{sam}/rename", {"display_name": "S", "username": "x"}, 400
    )
    for url in ["/trainer/tutors", "/trainer/tutors/new", f"/trainer/tutors/{world.tutor_id}"]:
        pages[f"trainer {url}"] = _get(trainer, url)
    pages["trainer new tutor, no name"] = _post(trainer, "/trainer/tutors/new", {}, 400)
    pages["learner /workplace"] = _get(learner, "/workplace")

    tutor = app.test_client()
    sign_in(tutor, world.tutor, factories.PASSWORD)
    assess = f"/tutor/learners/{sam}/assess?referentiel=agent-proprete&competence=preparer-materiel"
    for url in [
        "/tutor/",
        f"/tutor/learners/{sam}",
        assess,
        f"/tutor/learners/{sam}/assess?skill=ecoute&level=2",
    ]:
        pages[f"tutor {url}"] = _get(tutor, url)
    pages["tutor assess (en)"] = _get(tutor, assess, **english)
    pages["tutor assess, refused"] = _post(
        tutor, assess, {"action": "send", "note": "x" * 5000, "form_token": "t" * 20}, 400
    )

    admin = app.test_client()
    sign_in(admin, world.admin, factories.PASSWORD)
    staff_id = _user_id(app, world.trainer)
    for url in ["/admin/staff", "/admin/staff/new", f"/admin/staff/{staff_id}"]:
        pages[f"admin {url}"] = _get(admin, url)
    pages["admin new staff, nothing typed"] = _post(admin, "/admin/staff/new", {}, 400)
    for url in [
        "/admin/learners",
        f"/admin/learners/{sam}",
        f"/admin/learners/{sam}/erase",
        "/admin/audit",
        "/trainer/organisation",
        "/choose-password",
    ]:
        pages[f"admin {url}"] = _get(admin, url)
    pages["admin /trainer/organisation (de)"] = _get(
        admin, "/trainer/organisation", **{"Accept-Language": "de"}
    )
    # Last: the learner's account closed (their own pages are all above).
    closing = _post(
        trainer,
        f"/trainer/learners/{world.learner_id}/close",
        {"closed_on": _today(), "reason": "lasting_job"},
        302,
    )
    assert closing == "" or "Redirect" in closing
    pages["trainer, a closed learner"] = _get(trainer, f"/trainer/learners/{world.learner_id}")
    pages["trainer, the list with a closed learner"] = _get(trainer, "/trainer/learners")
    return pages


def _today() -> str:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    return datetime.now(UTC).astimezone(ZoneInfo("Europe/Paris")).date().isoformat()


def _user_id(app, username: str) -> int:
    from sqlalchemy import select

    from learn.models import User

    db = app.extensions["learn.sessions"]()
    try:
        return db.scalar(select(User.id).where(User.username == username))
    finally:
        db.close()


def _credential_of(app, learner_id: int) -> str:
    """The id of the credential issued to a learner."""
    from sqlalchemy import select

    from learn.models import IssuedCredential

    db = app.extensions["learn.sessions"]()
    try:
        found = db.scalar(
            select(IssuedCredential.id).where(IssuedCredential.learner_id == learner_id)
        )
        assert found is not None, "the credential was not issued"
        return str(found)
    finally:
        db.close()


def _learner_attempt(app, world) -> int:
    """The learner's own attempt at the module with a text question (her corrections page)."""
    from sqlalchemy import select

    from learn.models import QuizAttempt, User

    db = app.extensions["learn.sessions"]()
    try:
        return db.scalar(
            select(QuizAttempt.id)
            .join(User, User.id == QuizAttempt.user_id)
            .where(User.username == world.learner)
            .order_by(QuizAttempt.id.desc())
        )
    finally:
        db.close()


def test_the_pages_are_valid_html(app, tmp_path):
    command = _checker()
    pages = rendered_pages(app)
    assert 45 <= len(pages) <= 120, len(pages)  # each page listed above, none twice
    labels = {}
    for n, (label, html) in enumerate(pages.items()):
        path = tmp_path / f"page-{n:02d}.html"
        path.write_text(html, encoding="utf-8")
        labels[path.name] = label
    run = subprocess.run(
        [*command, "--errors-only", "--format", "json", *sorted(map(str, tmp_path.glob("*.html")))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    report = "\n".join(
        f"{labels.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: "
        f"{m.get('message')} — {m.get('extract', '').strip()[:120]}"
        for m in errors
    )
    assert not errors, f"{len(errors)} HTML errors in {len(pages)} pages:\n{report}"


def test_without_the_checker_a_local_run_skips_and_ci_fails(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "VNU_JAR", "/nowhere/vnu.jar")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        _checker()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="npm install --no-save"):
        _checker()
