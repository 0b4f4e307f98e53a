"""The reports' pages and their CSV exports: the file holds exactly what the page shows, as
French Excel reads it; the pages run a fixed number of SQL queries."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from learn.models import Role
from tests import factories
from tests import trainer_factories as tf
from tests.conftest import sign_in


class TableParser(HTMLParser):
    """The header and body cells of one table, as text."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.depth, self.inside = table_id, 0, False
        self.section, self.header, self.rows, self.cell = None, [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        if not self.inside:
            return
        if tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr":
            if self.section == "thead":
                self.header = []
            else:
                self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag in ("td", "th") and self.cell is not None:
            text = " ".join("".join(self.cell).split())
            (self.header if self.section == "thead" else self.rows[-1]).append(text)
            self.cell = None
        elif tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.cell is not None:
            self.cell.append(data)


def screen_table(html: str, table_id: str = "report"):
    parser = TableParser(table_id)
    parser.feed(html)
    return parser.header, parser.rows


def csv_table(response):
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM"
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return rows[0], rows[1:]


@pytest.fixture
def env(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "r", learners=3)
    a, b, _c = world["learners"]
    a.display_name = '=HYPERLINK("http://evil")'
    tf.progress(db, a, "ecoute-1", "mastered", best_score=0.666, active_seconds=750)
    tf.progress(db, b, "ecoute-1", "in_progress", active_seconds=90, failed_in_a_row=3)
    tf.progress(db, b, "es-social", "completed", active_seconds=3600)
    tf.help_request(db, a, "ecoute-1", "Je ne comprends pas")
    tf.assignment(
        db,
        world["org"],
        group=world["group"],
        ref="ecoute-2",
        due_on=date.today() - timedelta(days=1),
    )
    variant_versions = (
        small_app.extensions["learn.catalog"].get().variant("ecoute-1").question_versions
    )
    tf.attempt(
        db,
        a,
        answers={
            "q1": {"answer": "a", "correct": False, "version": variant_versions["q1"]},
            "q3": {"answer": "-1+1", "correct": False, "version": variant_versions["q3"]},
        },
    )
    tf.self_assessment(db, a)
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    yield small_app, db, world, client
    db.close()


def test_matrix_csv_matches_the_screen(env):
    _app, _db, world, client = env
    url = f"/trainer/groups/{world['group'].id}/matrix"
    header, rows = screen_table(client.get(url).get_data(as_text=True))
    file_header, file_rows = csv_table(client.get(url + ".csv"))
    assert [cell.lstrip("'") for row in file_rows for cell in row] == [
        cell for row in rows for cell in row
    ]
    assert len(file_rows) == 3 and len(file_rows[0]) == 2 + 3 * 3
    assert file_header[:2] == header[:2]
    assert all(
        label.endswith(" — " + short)
        for label, short in zip(file_header[2:], header[2:], strict=True)
    )
    first = next(r for r in file_rows if "HYPERLINK" in r[0])
    assert first[0].startswith("'=")  # formula injection neutralised in the file
    assert first[2:5] in (["Réussi", "67", "13"], ["Mastered", "67", "13"])
    # Filters apply to the file as to the page.
    header, rows = screen_table(client.get(url + "?skill=ecoute&level=1").get_data(as_text=True))
    _h, file_rows = csv_table(client.get(url + ".csv?skill=ecoute&level=1"))
    assert len(file_rows[0]) == 5 and len(rows[0]) == 5


def test_matrix_print_view(env):
    _app, _db, world, client = env
    page = client.get(f"/trainer/groups/{world['group'].id}/matrix?view=print")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'class="print-view"' in text
    assert '<nav class="workspace-nav' not in text


def test_needs_help_csv_matches_the_screen_and_gives_each_reason(env):
    _app, _db, world, client = env
    header, rows = screen_table(client.get("/trainer/needs-help").get_data(as_text=True))
    file_header, file_rows = csv_table(client.get("/trainer/needs-help.csv"))
    assert file_header == header
    assert [[c.lstrip("'") for c in r] for r in file_rows] == rows
    reasons = {(r[1], r[2]) for r in rows}
    a, b, c = world["learners"]
    assert (a.username, "Asked for help") in reasons or (
        a.username,
        "A demandé de l'aide",
    ) in reasons
    assert len({r[1] for r in rows}) == 3  # overdue for everyone, failing for b, asked for a
    assert any(r[5] == "3" for r in rows if r[1] == b.username)  # a number, unquoted
    filtered = screen_table(client.get("/trainer/needs-help?kind=failing").get_data(as_text=True))[
        1
    ]
    assert [r[1] for r in filtered] == [b.username]


def test_difficult_questions_csv_matches_the_screen(env):
    _app, _db, _world, client = env
    url = "/trainer/questions?module=ecoute-1"
    header, rows = screen_table(client.get(url).get_data(as_text=True))
    file_header, file_rows = csv_table(client.get("/trainer/questions.csv?module=ecoute-1"))
    assert file_header == header and [[c.lstrip("'") for c in r] for r in file_rows] == rows
    q1 = next(r for r in file_rows if r[0].startswith("Le chef"))
    assert q1[1:4] == ["1", "1", "100"] and q1[4] == "Vous partez tout de suite."
    q3 = next(r for r in file_rows if r[0].startswith("Quel mot"))
    assert q3[4] == "1 1"  # the normalised wrong text; a text starting with "-" would get "'"
    assert client.get("/trainer/questions?module=nope").status_code == 404


def test_learner_page_tables_and_their_csv(env):
    _app, _db, world, client = env
    learner = world["learners"][0]
    page = client.get(f"/trainer/learners/{learner.id}").get_data(as_text=True)
    assert "Je ne comprends pas" in page
    assert "Vous partez tout de suite." in page  # the attempt's answers
    for name in ("attempts", "selfchecks", "help", "activity"):
        header, rows = screen_table(page, name)
        file_header, file_rows = csv_table(
            client.get(f"/trainer/learners/{learner.id}/export/{name}.csv")
        )
        assert [[c.lstrip("'") for c in r] for r in file_rows] == rows, name
        assert file_header == header or not rows, name
    assert client.get(f"/trainer/learners/{learner.id}/export/nope.csv").status_code == 404


def test_csv_cells_are_excel_safe_numbers_stay_numbers(app):
    from learn.trainer.tables import Column, Table, csv_bytes

    table = Table([Column("Nom"), Column("Score", numeric=True), Column("Temps", numeric=True)])
    table.rows = [
        ["=1+1", 12, 2.5],
        ["+33 6", -3, None],
        ["@SUM(A1)", 0, 1.25],
        ['Léa; "Jo"', 1, 0.0],
    ]
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        text = csv_bytes(table).decode("utf-8-sig")
    assert text.splitlines() == [
        "Nom;Score;Temps",
        "'=1+1;12;2,5",
        "'+33 6;-3;",
        "'@SUM(A1);0;1,2",
        '"Léa; ""Jo""";1;0,0',
    ]


@pytest.mark.parametrize("page", ["matrix", "needs_help", "learner"])
def test_pages_run_the_same_number_of_queries_for_3_or_30_learners(small_app, page):
    db = small_app.extensions["learn.sessions"]()
    counts = []
    for label, size in (("small", 3), ("big", 30)):
        world = tf.organisation_with_group(db, label, learners=size)
        for i, learner in enumerate(world["learners"]):
            tf.progress(db, learner, "ecoute-1", ["in_progress", "mastered"][i % 2])
            tf.progress(db, learner, "es-social", "in_progress", failed_in_a_row=i % 4)
            for seq in range(1, 2 + (i if label == "big" and i < 10 else 0)):
                tf.attempt(db, learner, seq=seq)
            if i % 3 == 0:
                tf.help_request(db, learner)
        tf.assignment(
            db,
            world["org"],
            group=world["group"],
            ref="ecoute-2",
            due_on=date.today() - timedelta(days=1),
        )
        factories.user(db, world["org"], Role.LEARNER)  # not in the group
        db.commit()
        client = small_app.test_client()
        sign_in(client, world["trainer"].username)
        url = {
            "matrix": f"/trainer/groups/{world['group'].id}/matrix",
            "needs_help": "/trainer/needs-help",
            "learner": f"/trainer/learners/{world['learners'][-1].id}",
        }[page]
        client.get(url)  # the same warm-up for both
        with tf.count_queries(small_app.extensions["learn.engine"]) as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    db.close()
    assert counts[0] == counts[1], counts
