"""The end-of-course questionnaire (optional, every answer optional) and a group's Qualiopi
evidence, where no name appears next to a satisfaction answer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from learn.models import SatisfactionResponse
from tests import trainer_factories as tf
from tests.conftest import post_form, sign_in


@pytest.fixture
def env(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "s", learners=3)
    db.commit()
    yield small_app, db, world
    db.close()


def client_of(app, user):
    client = app.test_client()
    sign_in(client, user.username)
    return client


def responses(db):
    db.rollback()
    rows = list(db.scalars(select(SatisfactionResponse).order_by(SatisfactionResponse.id)))
    db.rollback()
    return rows


def test_the_questionnaire_is_short_and_every_answer_optional(env):
    app, db, world = env
    learner = world["learners"][0]
    client = client_of(app, learner)
    url = "/satisfaction/course/softskills"
    page = client.get(url).get_data(as_text=True)
    assert page.count('type="radio"') == 5 * 4 and 'name="comment"' in page
    assert post_form(client, url, {}).status_code == 302  # nothing answered: still fine
    [row] = responses(db)
    assert row.ratings == {} and row.comment == ""
    post_form(client, url, {"useful": "4", "easy": "2", "helped": "9", "comment": "Très bien"})
    [row] = responses(db)  # the second sending replaces the first
    assert row.ratings == {"useful": 4, "easy": 2} and row.comment == "Très bien"
    assert row.subject == "course:softskills"


def test_unknown_subjects_and_staff_are_refused(env):
    app, _db, world = env
    learner = client_of(app, world["learners"][0])
    assert learner.get("/satisfaction/course/nope").status_code == 404
    assert learner.get("/satisfaction/assignment/999").status_code == 404
    assert learner.get("/satisfaction/assignment/x").status_code == 404
    assert learner.get("/satisfaction/other/1").status_code == 404
    assert (
        client_of(app, world["trainer"]).get("/satisfaction/course/softskills").status_code == 403
    )


def test_an_assignment_of_the_learner_s_group_may_be_rated_not_another(env):
    app, db, world = env
    mine = tf.assignment(db, world["org"], group=world["group"])
    other = tf.organisation_with_group(db, "t", learners=1)
    theirs = tf.assignment(db, other["org"], group=other["group"])
    db.commit()
    learner = client_of(app, world["learners"][0])
    assert learner.get(f"/satisfaction/assignment/{mine.id}").status_code == 200
    assert learner.get(f"/satisfaction/assignment/{theirs.id}").status_code == 404


def test_the_last_module_of_a_course_offers_the_questionnaire(env, fixture_catalog):
    from learn.learner.views import last_of_course

    app, db, world = env
    catalog = fixture_catalog.get()
    modules = [m for m in catalog.course_modules("softskills") if m.kind == "module"]
    assert last_of_course(catalog, modules[-1]) and not last_of_course(catalog, modules[0])
    learner = world["learners"][0]
    for module in modules[:-1]:
        tf.progress(db, learner, module.id, "mastered")
    db.commit()
    client = client_of(app, learner)
    first = client.get(f"/modules/{modules[0].id}/end").get_data(as_text=True)
    assert "/satisfaction/course/softskills" not in first
    last = client.get(f"/modules/{modules[-1].id}/end")
    assert last.status_code == 200
    assert "/satisfaction/course/softskills" in last.get_data(as_text=True)


def test_the_qualiopi_page_counts_answers_without_names(env):
    app, db, world = env
    for learner, useful, comment in zip(
        world["learners"], ("4", "3", "1"), ("Super", "", "Trop long"), strict=True
    ):
        post_form(
            client_of(app, learner),
            "/satisfaction/course/softskills",
            {"useful": useful, "comment": comment},
        )
    tf.placement(db, world["learners"][0], "ecoute", 2)
    db.commit()
    trainer = client_of(app, world["trainer"])
    page = trainer.get(f"/trainer/groups/{world['group'].id}/qualiopi")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    satisfaction_part = text[text.index("indicateur 30") :]
    assert "Super" in satisfaction_part and "Trop long" in satisfaction_part
    for learner in world["learners"]:
        assert learner.display_name not in satisfaction_part
    assert "67" in satisfaction_part  # 2 of 3 satisfied with "useful"
    pdf = trainer.get(f"/trainer/groups/{world['group'].id}/qualiopi.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert f"/trainer/groups/{world['group'].id}/qualiopi" in trainer.get(
        f"/trainer/groups/{world['group'].id}"
    ).get_data(as_text=True)


def test_the_qualiopi_page_is_refused_outside(env):
    app, db, world = env
    other = tf.organisation_with_group(db, "u", learners=1)
    db.commit()
    stranger = client_of(app, other["trainer"])
    assert stranger.get(f"/trainer/groups/{world['group'].id}/qualiopi").status_code == 404
    assert stranger.get(f"/trainer/groups/{world['group'].id}/qualiopi.pdf").status_code == 404
    pupil = client_of(app, world["learners"][0])
    assert pupil.get(f"/trainer/groups/{world['group'].id}/qualiopi").status_code == 403


def test_a_finished_assignment_offers_the_questionnaire_until_answered(env):
    app, db, world = env
    learner = world["learners"][0]
    done = tf.assignment(db, world["org"], group=world["group"], ref="ecoute-1")
    pending = tf.assignment(db, world["org"], learner=learner, ref="ecoute-2")
    other = tf.organisation_with_group(db, "o", learners=1)
    theirs = tf.assignment(db, other["org"], group=other["group"], ref="ecoute-1")
    tf.progress(db, learner, "ecoute-1", "mastered")
    tf.progress(db, learner, "ecoute-2", "in_progress")
    db.commit()
    client = client_of(app, learner)
    page = client.get("/dashboard").get_data(as_text=True)
    assert f"/satisfaction/assignment/{done.id}" in page
    assert f"/satisfaction/assignment/{pending.id}" not in page  # not finished
    assert f"/satisfaction/assignment/{theirs.id}" not in page
    end = client.get("/modules/ecoute-1/end").get_data(as_text=True)
    assert f"/satisfaction/assignment/{done.id}" in end
    assert "/satisfaction/assignment/" not in client.get("/modules/ecoute-2/end").get_data(
        as_text=True
    )
    # Another learner of the group has not finished: nothing offered.
    classmate = client_of(app, world["learners"][1]).get("/dashboard").get_data(as_text=True)
    assert "/satisfaction/assignment/" not in classmate
    # Once answered (even with no answer at all: every question is optional), not offered again.
    post_form(client, f"/satisfaction/assignment/{done.id}", {})
    assert f"/satisfaction/assignment/{done.id}" not in client.get("/dashboard").get_data(
        as_text=True
    )


def test_the_qualiopi_report_counts_each_course_and_assignment_apart(env):
    app, db, world = env
    task = tf.assignment(db, world["org"], group=world["group"], ref="ecoute-1")
    db.commit()
    first, second, third = world["learners"]
    post_form(client_of(app, first), "/satisfaction/course/softskills", {"useful": "4"})
    post_form(client_of(app, second), "/satisfaction/course/softskills", {"useful": "4"})
    post_form(client_of(app, third), f"/satisfaction/assignment/{task.id}", {"useful": "1"})
    trainer = client_of(app, world["trainer"])
    text = trainer.get(f"/trainer/groups/{world['group'].id}/qualiopi").get_data(as_text=True)
    part = text[text.index("indicateur 30") :]
    course = part[part.index("Parcours :") : part.index("Demande :")]
    assignment = part[part.index("Demande :") :]
    assert "2 réponses" in course and "100" in course  # both satisfied, apart from the other
    assert "1 réponse" in assignment and "Écouter" in assignment
    assert "100" not in assignment.split("</table>")[0]
    for learner in world["learners"]:
        assert learner.display_name not in part
