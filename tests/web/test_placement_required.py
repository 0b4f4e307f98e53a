"""A placement questionnaire needs every statement and every situation answered; what is left out
is listed in the error summary, each line a link to the first input of that item."""

from __future__ import annotations

import re

from learn.models import PlacementResult
from tests.conftest import csrf_token

from .test_learner import count

RATINGS = {"level-1": "4", "level-2": "4", "level-3": "4"}
HREF_RE = re.compile(r'<a href="#([\w-]+)">([^<]+)</a>')


def send(client, data):
    token = csrf_token(client, "/skills/ecoute/placement")
    return client.post("/skills/ecoute/placement", data={"csrf_token": token, **data})


def summary_links(page: str) -> list[tuple[str, str]]:
    start = page.index('class="error-summary"')
    return HREF_RE.findall(page[start : page.index("</div>", start)])


def test_a_situation_left_out_is_refused_and_linked(env):
    _app, db, client, _learner, _other = env
    response = send(client, {**RATINGS, "q-p1": "a", "q-p3": "a"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    links = summary_links(page)
    assert len(links) == 1
    target, message = links[0]
    assert message == "Répondez à la question 2."
    assert re.match(r"q-p2-[ab]$", target)
    # the link leads to the question's first input, as the page shows it
    first = re.search(r'<input type="radio" id="(q-p2-\w)"', page).group(1)
    assert target == first
    assert "les situations montrent votre niveau" in page
    assert 'value="a" checked' in page  # the answers given are kept
    assert count(db, PlacementResult) == 0


def test_an_empty_form_links_every_statement_and_question(env):
    _app, db, client, _learner, _other = env
    page = send(client, {}).get_data(as_text=True)
    links = summary_links(page)
    assert [t for t, _m in links][:3] == ["pl-level-1-1", "pl-level-2-1", "pl-level-3-1"]
    assert [m for _t, m in links][3:] == [f"Répondez à la question {n}." for n in (1, 2, 3)]
    for target, _message in links:
        assert f'id="{target}"' in page, target
    assert count(db, PlacementResult) == 0


def test_all_answered_gives_the_level(env):
    _app, db, client, _learner, _other = env
    response = send(client, {**RATINGS, "q-p1": "a", "q-p2": "a", "q-p3": "b"})
    assert response.status_code == 200
    assert "niveau de départ : 3" in response.get_data(as_text=True).lower()
    assert count(db, PlacementResult) == 1
