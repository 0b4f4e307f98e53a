"""The reports' pages and their CSV exports: the file holds exactly what the page shows, as
French Excel reads it; the pages run a fixed number of SQL queries."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from learn.models import Role
from learn.services import reports
from learn.services.progress import log as progress_log
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
    tf.placement(db, a, level=2)
    progress_log(db, a, "quiz", "ecoute-1", data={"attempt": 1, "score": 0.5, "passed": False})
    progress_log(db, a, "placement", data={"skill": "ecoute", "level": 2})
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
    # Learner, username, account (open, or the exit date), then 3 columns per module; the matrix
    # opens on the skill of the group's assignment (ecoute-2): its 2 modules.
    assert len(file_rows) == 3 and len(file_rows[0]) == 3 + 3 * 2
    assert file_header[:3] == header[:3]
    assert all(
        label.endswith(" — " + short)
        for label, short in zip(file_header[3:], header[3:], strict=True)
    )
    first = next(r for r in file_rows if "HYPERLINK" in r[0])
    assert first[0].startswith("'=")  # formula injection neutralised in the file
    assert first[2] in ("ouvert", "open")
    assert first[3:6] in (["Réussi", "67", "13"], ["Mastered", "67", "13"])
    # Filters apply to the file as to the page.
    header, rows = screen_table(client.get(url + "?skill=ecoute&level=1").get_data(as_text=True))
    _h, file_rows = csv_table(client.get(url + ".csv?skill=ecoute&level=1"))
    assert len(file_rows[0]) == 6 and len(rows[0]) == 6


def test_matrix_print_view(env):
    _app, _db, world, client = env
    page = client.get(f"/trainer/groups/{world['group'].id}/matrix?view=print")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'class="print-view"' in text
    assert '<nav class="workspace-nav' not in text


@pytest.mark.parametrize(
    "path", ["/trainer/needs-help", "/trainer/questions?module=ecoute-1", "MATRIX?skill=ecoute"]
)
def test_each_reports_print_view_holds_the_screens_table_without_the_workspace(env, path):
    _app, _db, world, client = env
    path = path.replace("MATRIX", f"/trainer/groups/{world['group'].id}/matrix")
    screen = client.get(path).get_data(as_text=True)
    joiner = "&" if "?" in path else "?"
    printed = client.get(path + joiner + "view=print")
    text = printed.get_data(as_text=True)
    assert printed.status_code == 200 and '<body class="print-view">' in text
    assert '<nav class="workspace-nav' not in text and "<form" not in text
    assert screen_table(text) == screen_table(screen) and screen_table(text)[1]
    assert world["org"].name in text  # whose report it is
    back = re.search(r'<nav class="no-print print-bar"[^>]*>\s*<p><a href="([^"]+)"', text)
    assert back and "view=print" not in back.group(1)
    assert screen_table(client.get(back.group(1).replace("&amp;", "&")).get_data(as_text=True)) == (
        screen_table(screen)
    )


def test_needs_help_pages_hold_50_learners_and_the_file_holds_them_all(env, monkeypatch):
    from learn.trainer import reporting

    _app, _db, world, client = env
    monkeypatch.setattr(reporting, "NEEDS_HELP_PER_PAGE", 2)
    first = client.get("/trainer/needs-help?kind=overdue").get_data(as_text=True)
    second = client.get("/trainer/needs-help?kind=overdue&page=2").get_data(as_text=True)
    beyond = client.get("/trainer/needs-help?kind=overdue&page=9").get_data(as_text=True)
    names = [[row[1] for row in screen_table(page)[1]] for page in (first, second, beyond)]
    assert len(names[0]) == 2 and len(names[1]) == 1 and names[2] == names[1]
    everyone = sorted(learner.username for learner in world["learners"])
    assert sorted(names[0] + names[1]) == everyone
    assert '?page=2&amp;kind=overdue" aria-current="page">2<' in second
    assert '?page=2&amp;kind=overdue">2<' in first
    _header, file_rows = csv_table(client.get("/trainer/needs-help.csv?kind=overdue"))
    assert sorted(row[1] for row in file_rows) == everyone
    printed = client.get("/trainer/needs-help?kind=overdue&view=print").get_data(as_text=True)
    assert sorted(row[1] for row in screen_table(printed)[1]) == everyone


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


def test_difficult_questions_list_what_learners_typed(env):
    _app, _db, _world, client = env
    page = client.get("/trainer/questions?module=ecoute-1").get_data(as_text=True)
    header, rows = screen_table(page, "typed-1")
    assert len(header) == 3 and rows == [["-1+1", "1", "non"]]  # as typed, once, not accepted
    assert "Quel mot veut dire redire avec ses mots ?" in page.split('id="typed-1"')[1]


def test_learner_page_tables_and_their_csv(env):
    _app, _db, world, client = env
    learner = world["learners"][0]
    page = client.get(f"/trainer/learners/{learner.id}").get_data(as_text=True)
    assert "Je ne comprends pas" in page
    assert "Vous partez tout de suite." in page  # the attempt's answers
    for name in ("attempts", "placements", "selfchecks", "help"):
        header, rows = screen_table(page, name)
        assert rows, name
        file_header, file_rows = csv_table(
            client.get(f"/trainer/learners/{learner.id}/export/{name}.csv")
        )
        assert [[c.lstrip("'") for c in r] for r in file_rows] == rows, name
        assert file_header == header, name
    # The activity shows as visits on screen (test_activity_timeline.py); the file holds the
    # same events, one a line.
    timeline = page[page.index('<ol class="visits">') :]
    timeline = timeline[: timeline.index("</ol>")]
    _header, file_rows = csv_table(
        client.get(f"/trainer/learners/{learner.id}/export/activity.csv")
    )
    assert file_rows and len(file_rows) == timeline.count("<li><time")
    assert client.get(f"/trainer/learners/{learner.id}/export/nope.csv").status_code == 404
    # The print view unfolds every attempt's answers (folded on screen) and keeps the tables.
    assert '<details class="attempt-answers">' in page
    printed = client.get(f"/trainer/learners/{learner.id}?view=print").get_data(as_text=True)
    assert printed.count('<details class="attempt-answers" open>') == 1
    assert '<details class="attempt-answers">' not in printed
    assert screen_table(printed, "attempts") == screen_table(page, "attempts")


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


def fill(db, catalog, label: str, learners: int, modules: int) -> dict:
    """A group of `learners` who each touched the first `modules` modules of the catalog: progress
    in every status, attempts, failures, help requests, self-assessments, worksheets,
    observations, and assignments of a module, a level, a skill and a course, some overdue."""
    world = tf.organisation_with_group(db, label, learners=learners)
    touched = reports.ordered_modules(catalog)[:modules]
    statuses = ["in_progress", "completed", "mastered"]
    for i, learner in enumerate(world["learners"]):
        for j, module in enumerate(touched):
            tf.progress(db, learner, module.id, statuses[(i + j) % 3], failed_in_a_row=(i + j) % 4)
            tf.attempt(db, learner, module_id=module.id, seq=1)
            tf.self_assessment(db, learner, module_id=module.id)
            if module.skill:
                tf.observation(db, learner, world["trainer"], skill_id=module.skill, level=3)
            if i % 3 == 0:
                tf.help_request(db, learner, module_id=module.id)
        tf.workshop(db, learner)
    late = date.today() - timedelta(days=3)
    for module in touched:
        tf.assignment(db, world["org"], group=world["group"], ref=module.id, due_on=late)
        if module.skill:
            tf.assignment(
                db, world["org"], group=world["group"], kind="skill", ref=module.skill, due_on=late
            )
            tf.assignment(
                db,
                world["org"],
                learner=world["learners"][-1],
                kind="level",
                ref=f"{module.skill}:{module.level}",
                due_on=late,
            )
    tf.assignment(db, world["org"], group=world["group"], kind="course", ref="entrepreneurship")
    factories.user(db, world["org"], Role.LEARNER)  # not in the group
    db.commit()
    return world


@pytest.mark.parametrize("page", ["matrix", "matrix_csv", "needs_help", "learner"])
def test_pages_run_the_same_number_of_queries_whatever_the_learners_and_modules(app, page):
    """2 learners on 1 module against 30 learners on 25 modules; the matrix of the small group
    shows a single module (a filter), the big one's every module of the catalog."""
    catalog = app.extensions["learn.catalog"].get()
    first = reports.ordered_modules(catalog)[0]
    db = app.extensions["learn.sessions"]()
    counts, sizes = [], []
    for label, learners, modules in (("small", 2, 1), ("big", 30, 25)):
        world = fill(db, catalog, label, learners, modules)
        group_id, learner_id = world["group"].id, world["learners"][-1].id
        only_first = f"?skill={first.skill}&level={first.level}" if label == "small" else ""
        url = {
            "matrix": f"/trainer/groups/{group_id}/matrix{only_first}",
            "matrix_csv": f"/trainer/groups/{group_id}/matrix.csv{only_first}",
            "needs_help": "/trainer/needs-help",
            "learner": f"/trainer/learners/{learner_id}",
        }[page]
        client = app.test_client()
        sign_in(client, world["trainer"].username)
        client.get(url)  # the same warm-up for both
        with tf.count_queries(app.extensions["learn.engine"]) as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
        sizes.append(len(response.data))
    db.close()
    assert sizes[1] > 2 * sizes[0], sizes  # the big page really shows more (the fixed part grew)
    assert counts[0] == counts[1], counts


def test_a_score_and_a_time_read_the_same_on_every_page_the_learners_too(small_app):
    """1 right answer of 8 is 12.5 %, and 750 s are 12.5 min: every page rounds them half up
    (Python's and Jinja's round() would show 12 on some pages and 13 on others)."""
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "round", learners=1)
    learner = world["learners"][0]
    tf.progress(db, learner, "ecoute-1", "in_progress", best_score=0.125, active_seconds=750)
    attempt = tf.attempt(db, learner, score=0.125)
    attempt.correct_count, attempt.total, attempt.duration_seconds = 1, 8, 750
    db.commit()
    staff = small_app.test_client()
    sign_in(staff, world["trainer"].username)
    matrix = screen_table(
        staff.get(f"/trainer/groups/{world['group'].id}/matrix?skill=ecoute&level=1").get_data(
            as_text=True
        )
    )[1]
    assert matrix[0][4:] == ["13", "13"]
    page = staff.get(f"/trainer/learners/{learner.id}").get_data(as_text=True)
    attempts = screen_table(page, "attempts")[1]
    assert (attempts[0][3], attempts[0][7]) == ("13", "13")
    assert re.search(r"<dd>\s*13 min\s*</dd>", page)
    assert "13 % (1 bonne réponse sur 8)" in staff.get(f"/trainer/attempts/{attempt.id}").get_data(
        as_text=True
    )
    record = staff.get(f"/trainer/learners/{learner.id}/training-record").get_data(as_text=True)
    assert re.search(r"<dd>\s*13 min\s*</dd>", record)
    assert re.search(r'<td class="num">13</td>\s*<td class="num">13</td>', record)
    own = small_app.test_client()
    sign_in(own, learner.username)
    end = own.get("/modules/ecoute-1/end").get_data(as_text=True)
    assert "meilleur score : 13 %" in end
    db.close()
