"""Access rules of the trainer's workspace, each tried by someone who should not pass: another
organisation's ids answer 404 (ids do not leak), learners get 403, anonymous visitors are sent to
sign in, and trainers limited to their groups see nothing of the other groups."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from learn.models import Organisation, Validation
from tests import trainer_factories as tf
from tests.conftest import csrf_token, sign_in

STRING_ARGS = {
    "kind": "csv",
    "name": "activity",
    "guide_key": "ecoute",
    "referentiel_id": "essai",
    "skill_id": "ecoute",
}
QUERIES = {"trainer.questions": "?module=ecoute-1", "trainer.questions_csv": "?module=ecoute-1"}


@pytest.fixture
def world(small_app):
    db = small_app.extensions["learn.sessions"]()
    a = tf.organisation_with_group(db, "a")
    b = tf.organisation_with_group(db, "b")
    for side in (a, b):
        learner = side["learners"][0]
        side["attempt"] = tf.attempt(db, learner)
        side["workshop"] = tf.workshop(db, learner)
        side["help"] = tf.help_request(db, learner)
        side["assignment"] = tf.assignment(db, side["org"], group=side["group"])
        side["tutor"] = tf.tutor(db, side["org"], side["org"].slug, [learner])
        side["validation"] = Validation(
            organisation_id=side["org"].id,
            learner_id=learner.id,
            target_kind="skill_level",
            target_ref="ecoute/3",
            decided_on=date.today(),
            decided_by_id=side["trainer"].id,
            decided_by_name="Coach",
            sources=[],
            comment="",
        )
        db.add(side["validation"])
        db.flush()
        side["ids"] = {
            "tutor_id": side["tutor"].id,
            "learner_id": learner.id,
            "user_id": learner.id,
            "group_id": side["group"].id,
            "attempt_id": side["attempt"].id,
            "answer_id": side["workshop"].id,
            "help_request_id": side["help"].id,
            "assignment_id": side["assignment"].id,
            "validation_id": side["validation"].id,
            "level": 3,
        }
    db.commit()
    yield small_app, db, a, b
    db.close()


def trainer_rules(app, method):
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if r.endpoint.startswith("trainer.") and method in r.methods
        ),
        key=lambda r: r.rule,
    )


def build(rule, ids) -> str:
    values = {}
    for arg in rule.arguments:
        if isinstance(rule._converters[arg], IntegerConverter):
            values[arg] = ids[arg]
        else:
            values[arg] = STRING_ARGS[arg]
    return rule.build(values, append_unknown=False)[1] + QUERIES.get(rule.endpoint, "")


def client_for(app, username):
    client = app.test_client()
    assert sign_in(client, username).status_code == 302
    return client


def test_every_trainer_page_opens_for_the_organisations_staff(world):
    app, _db, a, _b = world
    for who in ("trainer", "admin"):
        client = client_for(app, a[who].username)
        for rule in trainer_rules(app, "GET"):
            response = client.get(build(rule, a["ids"]))
            expected = 403 if (who, rule.endpoint) == ("trainer", "trainer.organisation") else 200
            assert response.status_code == expected, (who, rule.rule, response.status_code)


def test_another_organisations_ids_answer_404_on_every_trainer_route(world):
    app, _db, a, b = world
    for username in (a["trainer"].username, a["admin"].username):
        client = client_for(app, username)
        token = csrf_token(client, "/trainer/groups")
        checked = 0
        for method in ("GET", "POST"):
            for rule in trainer_rules(app, method):
                if not any(
                    isinstance(rule._converters[arg], IntegerConverter) for arg in rule.arguments
                ):
                    continue
                url = build(rule, b["ids"])
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data={"csrf_token": token})
                assert response.status_code == 404, (method, url, response.status_code)
                checked += 1
        assert checked >= 25


def test_mixing_an_own_group_with_another_organisations_learner_is_404(world):
    app, _db, a, b = world
    client = client_for(app, a["trainer"].username)
    token = csrf_token(client, "/trainer/groups")
    group_id = a["group"].id
    outsider = b["learners"][0].id
    assert (
        client.post(
            f"/trainer/groups/{group_id}/members", data={"csrf_token": token, "user_id": outsider}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/trainer/groups/{group_id}/members/{outsider}/remove", data={"csrf_token": token}
        ).status_code
        == 404
    )
    response = client.post(
        f"/trainer/groups/{group_id}/assign",
        data={
            "csrf_token": token,
            "target": "module:ecoute-1",
            "audience": "learners",
            "learner_id": outsider,
        },
    )
    # Refused as any learner outside the group is, without saying whether the id exists.
    assert response.status_code == 400
    assert client.get(f"/trainer/needs-help?group={b['group'].id}").status_code == 404
    assert (
        client.get(f"/trainer/questions?module=ecoute-1&group={b['group'].id}").status_code == 404
    )
    assert client.get(f"/trainer/import?group={b['group'].id}").status_code == 404
    # The learner blueprint's attempt page does not open another organisation's attempt either.
    assert client.get(f"/attempts/{b['attempt'].id}").status_code == 404


def test_a_learner_gets_403_on_every_trainer_route(world):
    app, _db, a, _b = world
    client = client_for(app, a["learners"][1].username)
    token = csrf_token(client, "/catalog")
    for method in ("GET", "POST"):
        for rule in trainer_rules(app, method):
            url = build(rule, a["ids"])
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
            assert response.status_code == 403, (method, url, response.status_code)


def test_anonymous_visitors_are_sent_to_sign_in(world):
    app, _db, a, _b = world
    client = app.test_client()
    for rule in trainer_rules(app, "GET"):
        response = client.get(build(rule, a["ids"]))
        assert response.status_code == 302, rule.rule
        assert "/sign-in" in response.headers["Location"]


@pytest.fixture
def restricted(world):
    """Organisation A restricts trainers; a second trainer follows only a second group."""
    app, db, a, b = world
    from tests import factories

    other_trainer = factories.user(db, a["org"], "trainer", username="coach-2")
    outsider = factories.user(db, a["org"], username="not-mine")
    other_group = factories.group(db, a["org"], name="Other", members=[outsider, other_trainer])
    extra = {
        # A tutor linked only to a learner of the other group.
        "tutor": tf.tutor(db, a["org"], "outsiders", [outsider]),
        "attempt": tf.attempt(db, outsider),
        "workshop": tf.workshop(db, outsider),
        "help": tf.help_request(db, outsider),
        "assignment": tf.assignment(db, a["org"], group=other_group),
    }
    org = db.get(Organisation, a["org"].id)
    org.restrict_trainers_to_groups = True
    db.commit()
    ids = {
        "tutor_id": extra["tutor"].id,
        "learner_id": outsider.id,
        "user_id": outsider.id,
        "group_id": other_group.id,
        "attempt_id": extra["attempt"].id,
        "answer_id": extra["workshop"].id,
        "help_request_id": extra["help"].id,
        "assignment_id": extra["assignment"].id,
        "validation_id": a["validation"].id,  # of a learner of A's own group: 404 by the URL
        "level": 3,
    }
    return app, db, a, outsider, other_group, ids


def test_a_restricted_trainer_sees_nothing_of_the_other_groups(restricted):
    app, _db, a, outsider, other_group, ids = restricted
    client = client_for(app, a["trainer"].username)
    token = csrf_token(client, "/trainer/groups")
    for method in ("GET", "POST"):
        for rule in trainer_rules(app, method):
            if not rule.arguments - {"name", "guide_key", "referentiel_id"}:
                continue  # pages about content, not about people
            url = build(rule, ids)
            response = (
                client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
            )
            assert response.status_code == 404, (method, url, response.status_code)
    assert client.get(f"/attempts/{ids['attempt_id']}").status_code == 404
    lists = [
        client.get(path).get_data(as_text=True)
        for path in (
            "/trainer/learners",
            "/trainer/groups",
            "/trainer/needs-help",
            "/trainer/reviews",
        )
    ]
    for page in lists:
        assert outsider.display_name not in page and other_group.name not in page
    assert a["learners"][0].display_name in lists[0]
    # Its own group still works.
    assert client.get(f"/trainer/learners/{a['learners'][0].id}").status_code == 200


def test_the_organisation_admin_still_sees_every_group_when_trainers_are_restricted(restricted):
    app, _db, a, outsider, _other_group, ids = restricted
    client = client_for(app, a["admin"].username)
    assert client.get(f"/trainer/learners/{outsider.id}").status_code == 200
    assert client.get(f"/trainer/groups/{ids['group_id']}").status_code == 200


def test_a_restricted_trainer_cannot_import_into_or_create_learners_outside_their_groups(
    restricted,
):
    app, db, a, _outsider, other_group, _ids = restricted
    client = client_for(app, a["trainer"].username)
    token = csrf_token(client, "/trainer/import")
    import io

    data = f"nom;groupe\nAmina Diallo;{other_group.name}\nJean Martin;\n".encode()
    response = client.post(
        "/trainer/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), "eleves.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Other" in page and "2" in page
    response = client.post(
        "/trainer/learners/new",
        data={
            "csrf_token": token,
            "display_name": "Lone",
            "username": "lone.wolf",
            "with_code": "y",
            "group": "",
        },
    )
    assert response.status_code == 400


def test_only_an_organisation_admin_toggles_the_restriction(world):
    app, db, a, _b = world
    trainer = client_for(app, a["trainer"].username)
    token = csrf_token(trainer, "/trainer/groups")
    assert trainer.get("/trainer/organisation").status_code == 403
    assert (
        trainer.post(
            "/trainer/organisation", data={"csrf_token": token, "restrict": "y"}
        ).status_code
        == 403
    )
    admin = client_for(app, a["admin"].username)
    token = csrf_token(admin, "/trainer/organisation")
    assert (
        admin.post("/trainer/organisation", data={"csrf_token": token, "restrict": "y"}).status_code
        == 302
    )
    db.rollback()
    db.expire_all()
    org = db.scalar(select(Organisation).where(Organisation.id == a["org"].id))
    assert org.restrict_trainers_to_groups is True
    admin.post("/trainer/organisation", data={"csrf_token": token})
    db.rollback()
    db.expire_all()
    assert db.get(Organisation, a["org"].id).restrict_trainers_to_groups is False


def test_a_learner_sees_only_their_own_reasons_and_grid(world):
    app, _db, a, _b = world
    client = client_for(app, a["learners"][1].username)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Je ne comprends pas" not in page  # the other learner's help request
    assert "vous avez demandé de l'aide" not in page.lower()
