"""Issue 18's accounts items on the trainer's side: the username proposed for one new learner,
two rows with the same name in a CSV import, an import without a file, the sign-in cards (the
site's address, a whole group's cards reprinted after a confirmation) and an observation
recorded for someone without an account."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from learn.config import ConfigError, build_config
from learn.models import AuditEvent, Observation, Role, SignInCode, User
from tests import factories
from tests import trainer_factories as tf
from tests.conftest import csrf_token, post_form, sign_in


@pytest.fixture
def env(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "c", learners=2)
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    yield small_app, db, world, client
    db.close()


def fresh(db):
    db.rollback()
    db.expire_all()
    return db


def username_value(page: str) -> str:
    return re.search(r'<input[^>]*id="username"[^>]*>', page).group(0)


# --- one new learner: the username proposed as the import does ---------------------------------


def test_a_new_learner_gets_the_imports_username_proposal_then_the_next_free_one(env):
    _app, db, world, client = env
    new = "/trainer/learners/new"
    first = post_form(client, new, {"display_name": "Amina Diallo", "with_code": "y"})
    page = first.get_data(as_text=True)
    assert first.status_code == 200
    assert 'value="amina.diallo"' in username_value(page)
    assert "Identifiant proposé : amina.diallo" in page
    assert fresh(db).scalar(select(User).where(User.display_name == "Amina Diallo")) is None
    created = post_form(
        client,
        new,
        {"display_name": "Amina Diallo", "username": "amina.diallo", "with_code": "y"},
    )
    assert created.status_code == 200 and "amina.diallo" in created.get_data(as_text=True)
    # The same name again: the next free username, as the import gives it.
    second = post_form(client, new, {"display_name": "Amina  Diallo", "with_code": "y"})
    assert 'value="amina.diallo2"' in username_value(second.get_data(as_text=True))
    # The proposal is editable: the trainer's own username is the one used.
    own = post_form(
        client, new, {"display_name": "Amina Diallo", "username": "amina.d", "with_code": "y"}
    )
    assert own.status_code == 200
    assert fresh(db).scalar(select(User.display_name).where(User.username == "amina.d"))


def test_the_proposal_keeps_no_password_and_says_so_and_a_missing_name_is_an_error(env):
    _app, _db, _world, client = env
    new = "/trainer/learners/new"
    page = post_form(
        client, new, {"display_name": "Jo Li", "password": "une phrase assez longue"}
    ).get_data(as_text=True)
    assert 'value="jo.li"' in username_value(page) and "le mot de passe n" in page
    assert "une phrase assez longue" not in page
    nameless = post_form(client, new, {"display_name": "", "with_code": "y"})
    assert nameless.status_code == 400
    assert "Saisissez le nom" in nameless.get_data(as_text=True)


def test_the_proposal_for_the_script_is_the_same_and_for_staff_only(env):
    app, db, world, client = env
    factories.user(db, world["org"], username="amina.diallo")
    db.commit()
    url = "/trainer/learners/username-proposal?name=Amina%20Dialló"
    assert client.get(url).get_json() == {"username": "amina.diallo2"}
    assert client.get("/trainer/learners/username-proposal").get_json() == {"username": ""}
    learner = app.test_client()
    sign_in(learner, world["learners"][0].username)
    assert learner.get(url).status_code == 403
    page = client.get("/trainer/learners/new").get_data(as_text=True)
    assert "js/username-proposal." in page and "<script>" not in page


# --- CSV import: the same name twice, no file ---------------------------------------------------


def upload(client, text: str, name="eleves.csv"):
    token = csrf_token(client, "/trainer/import")
    form = {"csrf_token": token, "file": (io.BytesIO(text.encode("utf-8")), name)}
    return client.post("/trainer/import", data=form, content_type="multipart/form-data")


def confirm(client, page: str, **extra):
    token = re.search(r'name="preview" value="([^"]+)"', page).group(1)
    return client.post(
        "/trainer/import/confirm",
        data={"preview": token, "csrf_token": csrf_token(client, "/trainer/import"), **extra},
    )


def count(db, like: str) -> int:
    return fresh(db).scalar(select(func.count()).select_from(User).where(User.username.like(like)))


def test_two_rows_with_the_same_name_are_flagged_and_need_a_confirmation(env):
    _app, db, _world, client = env
    preview = upload(client, "nom\nAmina Diallo\nJean Martin\namina DIALLO\n")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "même nom que la ligne 2" in page
    assert "La ligne 4 a le même nom qu" in page and 'name="same_names"' in page
    refused = confirm(client, page)
    again = refused.get_data(as_text=True)
    assert refused.status_code == 400 and count(db, "amina%") == 0
    assert "Cochez la case" in again and 'aria-invalid="true"' in again
    # The page sent back still holds a preview that the tick confirms.
    created = confirm(client, again, same_names="yes")
    assert created.status_code == 200
    assert count(db, "amina.diallo%") == 2 and count(db, "jean.martin") == 1


def test_rows_with_the_same_name_and_their_own_usernames_need_no_confirmation(env):
    _app, db, _world, client = env
    page = upload(client, "nom;identifiant\nAmina Diallo;amina.d\nAmina Diallo;amina.k\n")
    text = page.get_data(as_text=True)
    assert "même nom que la ligne 2" in text and 'name="same_names"' not in text
    assert confirm(client, text).status_code == 200
    assert count(db, "amina.%") == 2


def test_an_import_without_a_file_says_choose_a_file(env):
    _app, _db, _world, client = env
    for data in (
        {},
        {"file": (io.BytesIO(b""), "")},  # what a browser sends when no file is chosen
    ):
        response = client.post(
            "/trainer/import",
            data={"csrf_token": csrf_token(client, "/trainer/import"), **data},
            content_type="multipart/form-data",
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Choisissez un fichier." in page and "problème" not in page
    one = upload(client, "nom;identifiant\nBad;Bad Name!\n").get_data(as_text=True)
    assert "Le fichier a 1 problème." in one


# --- sign-in cards: the site's address -----------------------------------------------------------


def test_cards_print_the_requests_address_or_learn_public_url(app_factory, fixture_catalog):
    for setting, expected in ((None, "http://localhost"), ("https://parcours.example.org", None)):
        overrides = {"LEARN_CATALOG_HOLDER": fixture_catalog}
        if setting:
            overrides["LEARN_PUBLIC_URL"] = setting
        app = app_factory(**overrides)
        db = app.extensions["learn.sessions"]()
        world = tf.organisation_with_group(db, f"a{bool(setting):d}", learners=1)
        db.commit()
        client = app.test_client()
        sign_in(client, world["trainer"].username)
        learner = world["learners"][0]
        card = post_form(
            client,
            f"/trainer/learners/{learner.id}/code",
            form_page=f"/trainer/learners/{learner.id}",
        ).get_data(as_text=True)
        assert f'<dd class="address">{expected or setting}</dd>' in card
        db.close()


def test_learn_public_url_must_be_an_http_address(tmp_path):
    env = {"LEARN_ENV": "development", "LEARN_INSTANCE_PATH": str(tmp_path)}
    good = build_config({**env, "LEARN_PUBLIC_URL": "https://parcours.example.org/"})
    assert good["LEARN_PUBLIC_URL"] == "https://parcours.example.org"
    assert build_config(env)["LEARN_PUBLIC_URL"] is None
    for bad in ("parcours.example.org", "javascript:alert(1)", "https://a b"):
        with pytest.raises(ConfigError, match="LEARN_PUBLIC_URL"):
            build_config({**env, "LEARN_PUBLIC_URL": bad})


# --- sign-in cards: a whole group's, reprinted ---------------------------------------------------


def test_reprinting_a_groups_cards_asks_first_then_gives_new_codes_and_signs_them_out(env):
    app, db, world, client = env
    group = world["group"]
    url = f"/trainer/groups/{group.id}/cards"
    group_page = client.get(f"/trainer/groups/{group.id}").get_data(as_text=True)
    assert f'href="{url}"' in group_page
    first, second = world["learners"]
    learner_client = app.test_client()
    sign_in(learner_client, first.username)
    assert learner_client.get("/dashboard").status_code == 200
    old = factories.carded_learner(db, world["org"], "old.card")
    factories.group(db, world["org"], members=[old.user])
    db.commit()

    ask = client.get(url)
    text = ask.get_data(as_text=True)
    assert ask.status_code == 200
    assert "déconnecté" in text and first.display_name in text and second.display_name in text
    assert fresh(db).scalar(select(func.count()).select_from(SignInCode)) == 1  # nothing yet

    no_token = client.post(url)
    assert no_token.status_code == 400
    assert fresh(db).scalar(select(func.count()).select_from(SignInCode)) == 1

    cards = post_form(client, url)
    page = cards.get_data(as_text=True)
    assert cards.status_code == 200
    codes = dict(
        re.findall(
            r'<dd class="big">([a-z0-9.-]+)</dd>\s*<dt>[^<]+</dt><dd class="big code">'
            r"([A-Z0-9-]+)</dd>",
            page,
        )
    )
    assert set(codes) == {first.username, second.username}
    assert learner_client.get("/dashboard").status_code in (302, 401)  # signed out
    assert sign_in(app.test_client(), second.username, codes[second.username]).status_code == 302
    actions = fresh(db).execute(
        select(AuditEvent.target_user_id, AuditEvent.details).where(
            AuditEvent.action == "learner.new_code"
        )
    )
    assert sorted(actions) == sorted(
        [(first.id, {"group": group.id}), (second.id, {"group": group.id})]
    )
    # The other group's learner kept their code.
    assert sign_in(app.test_client(), "old.card", old.code).status_code == 302


def test_reprinting_is_refused_outside_ones_reach(env):
    app, db, world, client = env
    other = tf.organisation_with_group(db, "x", learners=1)
    db.commit()
    other_url = f"/trainer/groups/{other['group'].id}/cards"
    assert client.get(other_url).status_code == 404
    token = csrf_token(client, f"/trainer/groups/{world['group'].id}/cards")
    assert client.post(other_url, data={"csrf_token": token}).status_code == 404
    learner = app.test_client()
    sign_in(learner, world["learners"][0].username)
    assert learner.get(f"/trainer/groups/{world['group'].id}/cards").status_code == 403
    # A trainer limited to their own groups cannot reach another trainer's group.
    world["org"].restrict_trainers_to_groups = True
    factories.user(db, world["org"], Role.TRAINER, username="outside.coach")
    db.commit()
    outside = app.test_client()
    sign_in(outside, "outside.coach")
    assert outside.get(f"/trainer/groups/{world['group'].id}/cards").status_code == 404
    assert fresh(db).scalar(select(func.count()).select_from(SignInCode)) == 0


def test_a_group_without_learners_has_no_card_to_print(env):
    _app, db, world, client = env
    empty = factories.group(db, world["org"], members=[world["trainer"]])
    db.commit()
    url = f"/trainer/groups/{empty.id}/cards"
    assert "aucune carte" in client.get(url).get_data(as_text=True)
    response = post_form(client, url)
    assert response.status_code == 302
    assert fresh(db).scalar(select(func.count()).select_from(SignInCode)) == 0


# --- an observation recorded for someone without an account -------------------------------------


def observe(client, learner, **fields):
    url = f"/trainer/learners/{learner.id}/observations/new"
    data = {
        "csrf_token": csrf_token(client, url + "?skill=ecoute&level=2"),
        "skill": "ecoute",
        "level": "2",
        "observed_on": date.today().isoformat(),
        "situation": "Accueil des clients",
        "evidence": "A reformulé la demande.",
        "behaviour": ["0"],
        "validated": "yes",
        **fields,
    }
    return client.post(url, data=data)


def test_an_observer_without_an_account_is_typed_and_the_recorder_is_kept(env):
    app, db, world, client = env
    learner, trainer = world["learners"][0], world["trainer"]
    tf.progress(db, learner, "ecoute-1", "mastered")
    tf.progress(db, learner, "ecoute-2", "mastered")
    db.commit()
    form = client.get(
        f"/trainer/learners/{learner.id}/observations/new?skill=ecoute&level=2"
    ).get_data(as_text=True)
    assert 'list="observer-roles"' in form and "tuteur·rice en entreprise" in form
    response = observe(
        client, learner, observer_name="Paul Morel", observer_role="tuteur en entreprise"
    )
    assert response.status_code == 302
    row = fresh(db).scalar(select(Observation))
    assert (row.observer_name, row.observer_role, row.observer_id) == (
        "Paul Morel",
        "tuteur en entreprise",
        None,
    )
    assert (row.recorded_by_id, row.recorded_by_name) == (trainer.id, trainer.display_name)
    credit = f"Paul Morel (tuteur en entreprise) — saisi par {trainer.display_name}"
    page = client.get(f"/trainer/learners/{learner.id}").get_data(as_text=True)
    assert f"observé par {credit}" in page
    assert credit in page[page.index('class="table competency-grid"') :]
    learner_client = app.test_client()
    sign_in(learner_client, learner.username)
    assert credit in learner_client.get("/dashboard").get_data(as_text=True)
    record = client.get(f"/trainer/learners/{learner.id}/training-record")
    assert credit in record.get_data(as_text=True)


def test_without_an_observer_the_trainer_observed_and_a_role_needs_a_name(env):
    _app, db, world, client = env
    learner, trainer = world["learners"][0], world["trainer"]
    refused = observe(client, learner, observer_role="tuteur")
    assert refused.status_code == 400 and "nom de la personne" in refused.get_data(as_text=True)
    too_long = observe(client, learner, observer_name="x" * 121)
    assert too_long.status_code == 400
    assert fresh(db).scalar(select(Observation)) is None
    assert observe(client, learner).status_code == 302
    row = fresh(db).scalar(select(Observation))
    assert (row.observer_id, row.observer_name, row.observer_role) == (
        trainer.id,
        trainer.display_name,
        None,
    )
    assert row.recorded_by_id == trainer.id and row.credit == trainer.display_name


def test_observations_from_before_keep_their_observer_as_recorder(env):
    _app, db, world, _client = env
    learner, trainer = world["learners"][0], world["trainer"]
    row = tf.observation(db, learner, trainer, level=2)
    assert row.credit == trainer.display_name
    row.observer_role = "formateur"
    assert row.credit == f"{trainer.display_name} (formateur)"
