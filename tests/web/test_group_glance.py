"""A group at a glance: the group page's line per learner, in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from learn.models import Role
from tests import factories
from tests import trainer_factories as tf
from tests.conftest import sign_in
from tests.web.test_trainer_reports import screen_table


@pytest.fixture
def glance(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "gl", learners=3)
    a, b, c = world["learners"]
    a.display_name, b.display_name, c.display_name = "Amina", "Bruno", "Chloé"
    yesterday = date.today() - timedelta(days=1)
    # The group is asked the whole skill (ecoute-1, ecoute-2), ecoute-2 due yesterday; Bruno is
    # also asked the entrepreneurship module directly.
    tf.assignment(db, world["org"], group=world["group"], kind="level", ref="ecoute:1")
    tf.assignment(db, world["org"], group=world["group"], ref="ecoute-2", due_on=yesterday)
    tf.assignment(db, world["org"], learner=b, ref="es-social")
    tf.progress(db, a, "ecoute-1", "mastered")
    tf.progress(db, a, "ecoute-2", "completed")
    tf.progress(db, b, "ecoute-1", "in_progress")
    tf.help_request(db, b)
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    yield small_app, db, world, client
    db.close()


def test_one_line_per_learner_with_assigned_done_overdue_and_help(glance):
    _app, _db, world, client = glance
    page = client.get(f"/trainer/groups/{world['group'].id}").get_data(as_text=True)
    header, rows = screen_table(page, "members")
    assert header[:8] == [
        "Apprenant",
        "Assigné",
        "Fait",
        "En cours",
        "Pas commencé",
        "En retard",
        "Dernière activité",
        "Besoin d'aide",
    ]
    by_name = {row[0].split()[0]: row[1:8] for row in rows}
    today = date.today().strftime("%d/%m/%Y")
    assert by_name["Amina"][:5] == ["2", "2", "0", "0", "0"]
    assert by_name["Amina"][5] == today
    assert by_name["Bruno"][:5] == ["3", "0", "1", "2", "1"]  # ecoute-2 overdue, es-social new
    assert by_name["Bruno"][6].startswith("oui") and "aide" in by_name["Bruno"][6]
    assert by_name["Chloé"][:5] == ["2", "0", "0", "2", "1"]
    assert by_name["Chloé"][6] == "oui : en retard"
    assert by_name["Amina"][6] == "non"


def test_another_organisations_group_is_a_404(glance):
    app, db, _world, client = glance
    other = tf.organisation_with_group(db, "gl-other", learners=1)
    db.commit()
    assert client.get(f"/trainer/groups/{other['group'].id}").status_code == 404
    learner = app.test_client()
    sign_in(learner, other["learners"][0].username)
    assert learner.get(f"/trainer/groups/{other['group'].id}").status_code == 403


def test_the_group_page_runs_the_same_queries_for_3_or_60_learners(small_app):
    db = small_app.extensions["learn.sessions"]()
    counts = []
    for label, size in (("q-small", 3), ("q-big", 60)):
        world = tf.organisation_with_group(db, label, learners=size)
        tf.assignment(db, world["org"], group=world["group"], kind="skill", ref="ecoute")
        for i, learner in enumerate(world["learners"]):
            tf.progress(db, learner, "ecoute-1", "mastered" if i % 2 else "in_progress")
            if i % 3 == 0:
                tf.help_request(db, learner)
            tf.assignment(db, world["org"], learner=learner, ref="es-social")
        factories.user(db, world["org"], Role.LEARNER)  # not in the group
        db.commit()
        client = small_app.test_client()
        sign_in(client, world["trainer"].username)
        url = f"/trainer/groups/{world['group'].id}"
        client.get(url)
        with tf.count_queries(small_app.extensions["learn.engine"]) as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert len(screen_table(response.get_data(as_text=True), "members")[1]) == size
        counts.append(len(statements))
    db.close()
    assert counts[0] == counts[1], counts


# --- the matrix ----------------------------------------------------------------------------------


def test_the_matrix_opens_on_one_skill_or_course_never_the_whole_catalog(glance):
    _app, db, world, client = glance
    url = f"/trainer/groups/{world['group'].id}/matrix"
    page = client.get(url).get_data(as_text=True)
    header, rows = screen_table(page)
    # The group's first assignment is a level of « Écouter »: the matrix opens on that skill.
    assert len(header) == 3 + 3 * 2 and len(rows) == 3  # learner, username, account, modules
    assert '<option value="skill:ecoute" selected>' in page
    assert "Tous les cours" not in page and "All courses" not in page
    course = client.get(url + "?show=course:entrepreneurship").get_data(as_text=True)
    assert len(screen_table(course)[0]) == 3 + 3
    assert '<option value="course:entrepreneurship" selected>' in course
    csv_file = client.get(url + ".csv?show=course:entrepreneurship").data.decode("utf-8-sig")
    assert len(csv_file.splitlines()[0].split(";")) == 3 + 3
    unknown = client.get(url + "?show=course:nope")
    assert (
        unknown.status_code == 200
        and len(screen_table(unknown.get_data(as_text=True))[0]) == 3 + 3 * 2
    )


def test_a_group_with_nothing_assigned_opens_on_the_first_skill(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "bare", learners=1)
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    page = client.get(f"/trainer/groups/{world['group'].id}/matrix").get_data(as_text=True)
    assert '<option value="skill:ecoute" selected>' in page
    db.close()


def test_the_matrix_has_a_list_per_learner_for_phones(glance):
    _app, _db, world, client = glance
    page = client.get(f"/trainer/groups/{world['group'].id}/matrix").get_data(as_text=True)
    listing = page[page.index('<ul class="matrix-list"') :]
    assert listing.count('<h2 class="matrix-learner">') == 3
    assert "<dt>Écouter : niveau 1</dt>" in listing
    assert "Réussi — meilleur score 80 % — 10 min" in listing
