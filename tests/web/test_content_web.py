"""Content in the app: invalid modules are not served, their errors reach the log, /healthz and
an admin page; strict mode refuses to start; edits are picked up in development; images are served
only when a module uses them."""

from __future__ import annotations

import shutil
import time

import pytest

from learn.content import ContentError
from learn.models import Role
from learn.modules import CatalogHolder
from tests import factories
from tests.conftest import FIXTURE_CONTENT, sign_in


@pytest.fixture
def broken_content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    path = root / "softskills" / "ecoute" / "level-2.fr.md"
    path.write_text(path.read_text().replace("quiz:\n", "quizz:\n", 1))
    return root


def test_invalid_module_is_not_served_and_reported(app_factory, broken_content):
    app = app_factory(LEARN_CATALOG_HOLDER=CatalogHolder(broken_content))
    health = app.test_client().get("/healthz").get_json()
    assert health["content"]["not_served"] == 1
    first = health["content"]["first_errors"][0]
    assert first["file"] == "softskills/ecoute/level-2.fr.md" and first["line"] > 1
    assert "quizz" in first["message"]
    assert str(broken_content) not in str(health)  # no server path in a public answer
    session = app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, Role.ORG_ADMIN, username="boss")
    factories.user(session, org, Role.TRAINER, username="coach")
    factories.user(session, org, Role.LEARNER, username="lea")
    session.commit()
    learner = app.test_client()
    sign_in(learner, "lea")
    assert learner.get("/modules/ecoute-2").status_code == 404
    admin = app.test_client()
    sign_in(admin, "boss")
    page = admin.get("/content-problems").get_data(as_text=True)
    assert "softskills/ecoute/level-2.fr.md" in page and "quizz" in page
    trainer = app.test_client()
    sign_in(trainer, "coach")
    assert trainer.get("/content-problems").status_code == 403


def test_strict_content_refuses_to_start(app_factory, broken_content):
    with pytest.raises(ContentError, match="learn content check"):
        app_factory(LEARN_CATALOG_HOLDER=CatalogHolder(broken_content), LEARN_STRICT_CONTENT=True)


def test_edits_are_picked_up_without_a_restart(app_factory, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    holder = CatalogHolder(root, reload=True, interval=0)
    app = app_factory(LEARN_CATALOG_HOLDER=holder)
    with app.app_context():
        from learn import content

        assert content.catalog().variant("ecoute-1").title == "Écouter : niveau 1"
        path = root / "softskills" / "ecoute" / "level-1.fr.md"
        time.sleep(0.01)
        path.write_text(path.read_text().replace("Écouter : niveau 1", "Écouter, niveau un"))
        assert content.catalog().variant("ecoute-1").title == "Écouter, niveau un"


def test_images_are_served_only_when_a_module_uses_them(app_factory, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    folder = root / "softskills" / "ecoute"
    png = (
        b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x01\\x08\\x06"
        b"\\x00\\x00\\x00\\x1f\\x15\\xc4\\x89\\x00\\x00\\x00\\rIDATx\\x9cc\\xf8\\xff\\xff?\\x00\\x05\\xfe"
        b"\\x02\\xfe\\xa7\\x35\\x81\\x84\\x00\\x00\\x00\\x00IEND\\xaeB`\\x82"
    )
    (folder / "equipe.png").write_bytes(png)
    (folder / "secret.txt").write_text("not an asset")
    for name in ("level-1.fr.md", "level-1.fr.easy.md"):
        path = folder / name
        path.write_text(
            path.read_text().replace(
                "## Les signes",
                "![Une équipe écoute la consigne](equipe.png)\\n\\n## Les signes",
                1,
            )
        )
    app = app_factory(LEARN_CATALOG_HOLDER=CatalogHolder(root))
    client = app.test_client()
    image = client.get("/content-assets/ecoute-1/equipe.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert "sandbox" in image.headers["Content-Security-Policy"]
    assert client.get("/content-assets/ecoute-1/secret.txt").status_code == 404
    assert client.get("/content-assets/ecoute-1/../../skills.yaml").status_code == 404
