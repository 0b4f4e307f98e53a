"""The learner's activity on the trainer's page: module and part titles, one visit at a time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from learn.services.learner_record import visits
from learn.services.progress import log as progress_log
from tests import trainer_factories as tf
from tests.conftest import sign_in


def test_a_visit_is_events_less_than_30_minutes_apart():
    class Event:
        def __init__(self, minute, id_):
            self.created_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + timedelta(minutes=minute)
            self.id = id_

    events = [Event(m, i) for i, m in enumerate([0, 10, 39, 69, 200])]
    found = visits(events)
    assert [[e.id for e in v.events] for v in found] == [[4], [3], [2, 1, 0]]
    assert found[2].minutes == 39


def test_the_timeline_shows_titles_grouped_per_visit(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "tl", learners=1)
    learner = world["learners"][0]
    start = datetime.now(UTC) - timedelta(days=1)
    for minutes, section in ((0, "travail"), (6, "signes")):
        progress_log(
            db,
            learner,
            "visit",
            "ecoute-1",
            section_id=section,
            variant="standard",
            created_at=start + timedelta(minutes=minutes),
        )
    progress_log(
        db,
        learner,
        "quiz",
        "ecoute-1",
        data={"attempt": 1, "score": 1.0, "passed": True},
        created_at=start + timedelta(hours=3),
    )
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    page = client.get(f"/trainer/learners/{learner.id}").get_data(as_text=True)
    timeline = page[page.index('<ol class="visits">') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert timeline.count('<li class="visit">') == 2
    first, second = timeline.split('<li class="visit">')[1:]
    assert "Quiz" in first and "essai 1" in first
    assert "Écouter au travail" in second and "Les signes de l&#39;écoute" in second
    assert "<strong>Écouter : niveau 1</strong>" in second
    assert re.search(r"— 2 activités", second)
    assert ">travail<" not in timeline and "— signes<" not in timeline  # no raw part ids
    # The CSV file names the part too.
    csv_file = client.get(f"/trainer/learners/{learner.id}/export/activity.csv")
    assert "Écouter au travail" in csv_file.data.decode("utf-8-sig")
    db.close()
