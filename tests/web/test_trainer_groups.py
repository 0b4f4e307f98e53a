"""Groups, bulk enrolment and assignments through the trainer's pages."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from learn.models import Assignment, Group, GroupMembership, ModuleProgress, User
from tests import factories
from tests import trainer_factories as tf
from tests.conftest import csrf_token, sign_in


@pytest.fixture
def env(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "g", learners=2)
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    yield small_app, db, world, client
    db.close()


def post(client, url, data, page="/trainer/groups"):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def fresh(db):
    db.rollback()
    db.expire_all()
    return db


def test_create_rename_archive_and_restore_a_group(env):
    _app, db, world, client = env
    response = post(client, "/trainer/groups", {"name": "  Cuisine   avril "})
    assert response.status_code == 302
    group = fresh(db).scalar(select(Group).where(Group.name == "Cuisine avril"))
    members = set(
        db.scalars(select(GroupMembership.user_id).where(GroupMembership.group_id == group.id))
    )
    assert members == {world["trainer"].id}  # the trainer who made it follows it
    assert post(client, "/trainer/groups", {"name": "cuisine AVRIL"}).status_code == 400
    too_long = post(client, "/trainer/groups", {"name": "x" * 121})
    assert too_long.status_code == 400 and "120" in too_long.get_data(as_text=True)
    url = f"/trainer/groups/{group.id}"
    assert post(client, url + "/rename", {"name": "Cuisine mai"}).status_code == 302
    assert fresh(db).get(Group, group.id).name == "Cuisine mai"
    refused = post(client, url + "/rename", {"name": world["group"].name})
    assert refused.status_code == 400
    post(client, url + "/archive", {})
    assert fresh(db).get(Group, group.id).archived_at is not None
    listing = client.get("/trainer/groups").get_data(as_text=True)
    assert "Groupes archivés" in listing or "Archived groups" in listing
    post(client, url + "/archive", {"archived": "0"})
    assert fresh(db).get(Group, group.id).archived_at is None


def test_add_and_remove_learners_a_learner_may_be_in_several_groups(env):
    _app, db, world, client = env
    newcomer = factories.user(db, world["org"], display_name="Zoé Nouvelle")
    other = factories.group(db, world["org"], name="Autre", members=[world["trainer"]])
    db.commit()
    page = client.get(f"/trainer/groups/{other.id}?q=zoé").get_data(as_text=True)
    assert "Zoé Nouvelle" in page and world["learners"][0].display_name not in page
    for group in (world["group"], other):
        response = post(client, f"/trainer/groups/{group.id}/members", {"user_id": newcomer.id})
        assert response.status_code == 302
    groups = set(
        fresh(db).scalars(
            select(GroupMembership.group_id).where(GroupMembership.user_id == newcomer.id)
        )
    )
    assert groups == {world["group"].id, other.id}
    tf.progress(db, newcomer, "ecoute-1", "mastered")
    db.commit()
    post(client, f"/trainer/groups/{other.id}/members/{newcomer.id}/remove", {})
    assert (
        fresh(db).scalar(
            select(func.count())
            .select_from(ModuleProgress)
            .where(ModuleProgress.user_id == newcomer.id)
        )
        == 1
    )
    assert (
        post(client, f"/trainer/groups/{other.id}/members", {"user_id": "abc"}).status_code == 404
    )
    nothing = post(client, f"/trainer/groups/{other.id}/members", {})
    assert nothing.status_code == 400


def upload(client, data: bytes, group_id=None, name="eleves.csv"):
    token = csrf_token(client, "/trainer/import")
    form = {"csrf_token": token, "file": (io.BytesIO(data), name)}
    if group_id:
        form["group"] = str(group_id)
    return client.post("/trainer/import", data=form, content_type="multipart/form-data")


def test_import_preview_lists_problems_and_creates_nothing(env):
    _app, db, world, client = env
    before = db.scalar(select(func.count()).select_from(User))
    response = upload(client, "nom;identifiant\n;x\nBad;Bad Name!\nOk;\n".encode("cp1252"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r">\s*2\s*<", page) and re.search(r">\s*3\s*<", page)
    assert 'name="preview"' not in page
    assert fresh(db).scalar(select(func.count()).select_from(User)) == before
    not_csv = upload(client, b"PK\x03\x04binary", name="eleves.xlsx")
    assert not_csv.status_code == 400 and "CSV" in not_csv.get_data(as_text=True)
    no_file = client.post(
        "/trainer/import", data={"csrf_token": csrf_token(client, "/trainer/import")}
    )
    assert no_file.status_code == 400


def test_import_confirm_then_print_cards_whose_codes_sign_in(env):
    app, db, world, client = env
    data = "Prénom;Nom;Groupe\r\nAmina;Diallo;Nouveaux\r\nJean;Martin;\r\n".encode("cp1252")
    response = upload(client, data, group_id=world["group"].id)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "amina.diallo" in page and "Nouveaux" in page
    assert fresh(db).scalar(select(User).where(User.username == "amina.diallo")) is None
    token = re.search(r'name="preview" value="([^"]+)"', page).group(1)
    tampered = post(client, "/trainer/import/confirm", {"preview": token[:-4] + "abcd"})
    assert tampered.status_code == 400
    cards = post(client, "/trainer/import/confirm", {"preview": token}, page="/trainer/import")
    text = cards.get_data(as_text=True)
    assert cards.status_code == 200
    codes = dict(
        re.findall(
            r'<dd class="big">([a-z.]+)</dd>\s*<dt>[^<]+</dt>'
            r'<dd class="big code">([A-Z0-9-]+)</dd>',
            text,
        )
    )
    assert set(codes) == {"amina.diallo", "jean.martin"}
    amina = fresh(db).scalar(select(User).where(User.username == "amina.diallo"))
    groups = set(
        db.scalars(
            select(Group.name).join(GroupMembership).where(GroupMembership.user_id == amina.id)
        )
    )
    assert groups == {world["group"].name, "Nouveaux"}
    learner = app.test_client()
    assert sign_in(learner, "amina.diallo", codes["amina.diallo"]).status_code == 302
    # Confirming the same preview twice creates nothing more: the usernames are taken now.
    again = post(client, "/trainer/import/confirm", {"preview": token}, page="/trainer/import")
    assert again.status_code == 400
    assert (
        fresh(db).scalar(select(func.count()).select_from(User).where(User.username.like("amina%")))
        == 1
    )


def test_assign_a_level_to_a_group_the_learner_sees_it_and_overdue_is_flagged(env):
    app, db, world, client = env
    due = (date.today() + timedelta(days=7)).isoformat()
    response = post(
        client,
        f"/trainer/groups/{world['group'].id}/assign",
        {"target": "level:ecoute:2", "audience": "group", "due_on": due},
    )
    assert response.status_code == 302
    row = fresh(db).scalar(select(Assignment))
    assert (row.target_kind, row.target_ref, row.group_id) == (
        "level",
        "ecoute:2",
        world["group"].id,
    )
    learner = app.test_client()
    sign_in(learner, world["learners"][0].username)
    dashboard = learner.get("/dashboard").get_data(as_text=True)
    assert "Écouter : niveau 2" in dashboard or "niveau 2" in dashboard
    assert 'class="overdue"' not in dashboard
    assert learner.get("/modules/ecoute-2").status_code == 302  # open: it was assigned
    # Past due dates are refused by the form; an old assignment is flagged overdue.
    past = post(
        client,
        f"/trainer/groups/{world['group'].id}/assign",
        {"target": "module:ecoute-1", "audience": "group", "due_on": "2020-01-01"},
    )
    assert past.status_code == 400
    tf.assignment(
        fresh(db),
        world["org"],
        group=world["group"],
        ref="ecoute-1",
        due_on=date.today() - timedelta(days=1),
    )
    db.commit()
    dashboard = learner.get("/dashboard").get_data(as_text=True)
    assigned = dashboard[dashboard.index('id="assigned-title"') :]
    assert assigned.count('class="overdue"') == 1 and "En retard" in assigned


def test_assign_to_chosen_learners_with_easy_read(env):
    app, db, world, client = env
    chosen = world["learners"][1]
    response = post(
        client,
        f"/trainer/groups/{world['group'].id}/assign",
        {
            "target": "module:ecoute-1",
            "audience": "learners",
            "learner_id": str(chosen.id),
            "easy_read": "y",
        },
    )
    assert response.status_code == 302
    rows = fresh(db).scalars(select(Assignment)).all()
    assert [(r.user_id, r.easy_read) for r in rows] == [(chosen.id, True)]
    learner = app.test_client()
    sign_in(learner, chosen.username)
    start = learner.get("/modules/ecoute-1")
    page = learner.get(start.headers["Location"]).get_data(as_text=True)
    with app.test_request_context(), force_locale("fr"):
        back = gettext("Standard version")  # its English text until the catalogue has it
    assert back in page  # shown in easy-read, with a link back
    none_chosen = post(
        client,
        f"/trainer/groups/{world['group'].id}/assign",
        {"target": "module:ecoute-1", "audience": "learners"},
    )
    assert none_chosen.status_code == 400
    bad_target = post(client, f"/trainer/learners/{chosen.id}/assign", {"target": "module:nope"})
    assert bad_target.status_code == 400


def test_editing_or_removing_an_assignment_keeps_progress(env):
    _app, db, world, client = env
    learner = world["learners"][0]
    row = tf.assignment(db, world["org"], group=world["group"], ref="ecoute-1")
    tf.progress(db, learner, "ecoute-1", "mastered")
    tf.attempt(db, learner, passed=True)
    db.commit()
    row_id = row.id
    url = f"/trainer/assignments/{row_id}"
    due = (date.today() + timedelta(days=3)).isoformat()
    assert post(client, url + "/edit", {"due_on": due}, page=url + "/edit").status_code == 302
    assert fresh(db).get(Assignment, row_id).due_on.isoformat() == due
    assert post(client, url + "/delete", {}, page=url + "/edit").status_code == 302
    db = fresh(db)
    assert db.scalar(select(Assignment).where(Assignment.id == row_id)) is None
    assert (
        db.scalar(select(ModuleProgress.status).where(ModuleProgress.user_id == learner.id))
        == "mastered"
    )


def test_new_learner_can_be_put_in_a_group(env):
    _app, db, world, client = env
    response = post(
        client,
        "/trainer/learners/new",
        {
            "display_name": "Léa",
            "username": "lea.new",
            "with_code": "y",
            "group": str(world["group"].id),
        },
        page="/trainer/learners/new",
    )
    assert response.status_code == 200
    lea = fresh(db).scalar(select(User).where(User.username == "lea.new"))
    assert (
        db.scalar(select(GroupMembership.group_id).where(GroupMembership.user_id == lea.id))
        == world["group"].id
    )


def test_counts_of_learners_agree_in_number(env):
    """'1 apprenant', '2 apprenants': counts use plural forms, never '1 apprenants'."""
    _app, _db, _world, client = env
    one = upload(client, b"nom\nAmina Diallo\n").get_data(as_text=True)
    assert "Vérifiez avant de créer : 1 apprenant<" in one and "Créer cet apprenant<" in one
    two = upload(client, b"nom\nAmina Diallo\nJean Martin\n").get_data(as_text=True)
    assert "Vérifiez avant de créer : 2 apprenants<" in two and "Créer ces 2 apprenants<" in two
