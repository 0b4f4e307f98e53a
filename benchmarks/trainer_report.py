"""Benchmark: the trainer's reports on a large organisation.

Generates (bulk inserts) an organisation of 5,000 learners in groups of 500 with realistic progress
over the whole shipped catalog — each learner somewhere along several skills' levels and, for some,
the entrepreneurship course; mastered, read and started modules with time, scores, attempts and
failures — plus help requests and group assignments with due dates. Then times, each run in a
fresh database session as a request would:

  matrix          the group × module matrix of one group of 500 learners × every module (the
                  service: its queries and the cells), the figure the target applies to
  matrix CSV      the same, turned into the CSV file French Excel opens
  matrix page     the HTML page (50 learners a page × every module) through the app
  needs help      the needs-help list of that group, and of the whole organisation
  home page count how many learners of the whole organisation need help, as the workspace's home
                  page shows it (checked against the length of the whole organisation's list)

and prints p50/p95 in milliseconds. Target: matrix p95 under 200 ms, on SQLite and PostgreSQL.

    python benchmarks/trainer_report.py [--database-url URL] [--learners 5000]
        [--group-size 500] [--repeat 40] [--seed 7]

Without --database-url it uses a new SQLite file in a temporary folder. A PostgreSQL database is
migrated, then gets a new organisation of its own (the tables may hold other data; nothing is
deleted).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STATUS_WEIGHTS = (("mastered", 0.6), ("completed", 0.15), ("in_progress", 0.25))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def build_app(url: str):
    os.environ.setdefault("LEARN_ENV", "development")
    os.environ.setdefault("LEARN_INSTANCE_PATH", tempfile.mkdtemp(prefix="parcours-bench-"))
    from learn import create_app, migrate
    from learn.db import make_engine

    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(32),
            "LEARN_HTTPS": False,
            "SESSION_COOKIE_SECURE": False,
            "LEARN_LOG_LEVEL": "WARNING",
        }
    )


def generate(app, learners: int, group_size: int, seed: int) -> dict:
    """Bulk-insert the organisation; returns ids and row counts."""
    from sqlalchemy import insert, select

    from learn.models import (
        Assignment,
        Group,
        GroupMembership,
        HelpRequest,
        ModuleProgress,
        Organisation,
        User,
    )
    from learn.services.passwords import hash_secret

    rng = random.Random(seed)
    catalog = app.extensions["learn.catalog"].get()
    skills = {}
    for module in catalog.modules.values():
        if module.kind == "module" and module.valid and module.skill:
            skills.setdefault(module.skill, []).append(module)
    ladders = [sorted(ms, key=lambda m: m.level or 0) for ms in skills.values()]
    course = [
        m
        for c in catalog.courses
        if c.id == "entrepreneurship"
        for m in catalog.course_modules(c.id)
    ]
    now = datetime.now(UTC)
    session = app.extensions["learn.sessions"]()
    org = Organisation(
        slug=f"bench-{secrets.token_hex(4)}", name="Chantier d'insertion (banc d'essai)"
    )
    session.add(org)
    session.flush()
    trainer = User(
        organisation_id=org.id,
        username=f"bench-coach-{org.id}",
        display_name="Formateur banc d'essai",
        role="trainer",
        password_hash=hash_secret(secrets.token_hex(16)),
    )
    session.add(trainer)
    session.flush()
    first_names = [
        "Amina",
        "Jean",
        "Lucia",
        "Moussa",
        "Léa",
        "Karim",
        "Sofia",
        "Yann",
        "Inès",
        "Tom",
    ]
    last_names = ["Diallo", "Martin", "Pereira", "Keïta", "Bernard", "Nguyen", "Haddad", "Petit"]
    people = [
        {
            "organisation_id": org.id,
            "username": f"b{org.id}-{i:05d}",
            "display_name": f"{rng.choice(first_names)} {rng.choice(last_names)} {i}",
            "role": "learner",
            "password_hash": None,
            "must_choose_password": False,
            "active": True,
            "prefers_easy_read": rng.random() < 0.2,
            "created_at": now - timedelta(days=rng.randint(1, 200)),
            "last_seen_at": now - timedelta(days=rng.randint(0, 40)),
        }
        for i in range(learners)
    ]
    session.execute(insert(User), people)
    learner_ids = list(
        session.scalars(
            select(User.id)
            .where(User.organisation_id == org.id, User.role == "learner")
            .order_by(User.id)
        )
    )
    groups = []
    for g in range(0, len(learner_ids), group_size):
        group = Group(organisation_id=org.id, name=f"Groupe {g // group_size + 1}")
        session.add(group)
        session.flush()
        groups.append(group.id)
        members = [
            {"group_id": group.id, "user_id": uid} for uid in learner_ids[g : g + group_size]
        ]
        members.append({"group_id": group.id, "user_id": trainer.id})
        session.execute(insert(GroupMembership), members)
        ladder = rng.choice(ladders)
        for level_module in ladder[:2]:
            session.add(
                Assignment(
                    organisation_id=org.id,
                    target_kind="module",
                    target_ref=level_module.id,
                    group_id=group.id,
                    due_on=date.today() + timedelta(days=rng.randint(-10, 30)),
                    created_by_id=trainer.id,
                )
            )
    progress_rows, help_rows = [], []
    for uid in learner_ids:
        started: list = []
        for ladder in rng.sample(ladders, rng.randint(2, min(12, len(ladders)))):
            started += ladder[: rng.randint(1, len(ladder))]
        if course and rng.random() < 0.3:
            started += course[: rng.randint(1, len(course))]
        for index, module in enumerate(started):
            status = rng.choices([s for s, _w in STATUS_WEIGHTS], [w for _s, w in STATUS_WEIGHTS])[
                0
            ]
            failed = rng.choice([0, 0, 0, 1, 2, 3, 4]) if status != "mastered" else 0
            attempts = (1 if status == "mastered" else 0) + failed + rng.randint(0, 1)
            first_visit = now - timedelta(days=rng.randint(1, 120), minutes=index)
            last_visit = first_visit + timedelta(hours=rng.randint(0, 200))
            progress_rows.append(
                {
                    "user_id": uid,
                    "module_id": module.id,
                    "organisation_id": org.id,
                    "status": status,
                    "sections_seen": [],
                    "active_seconds": rng.randint(60, 3600),
                    "attempts": attempts,
                    "failed_in_a_row": failed,
                    "best_score": round(rng.uniform(0.3, 1.0), 2) if attempts else None,
                    "first_visit_at": first_visit,
                    "last_visit_at": min(last_visit, now),
                    "completed_at": last_visit if status != "in_progress" else None,
                    "mastered_at": last_visit if status == "mastered" else None,
                }
            )
        if rng.random() < 0.03:
            help_rows.append(
                {
                    "user_id": uid,
                    "organisation_id": org.id,
                    "module_id": started[-1].id if started else None,
                    "message": "Je bloque sur le quiz.",
                    "created_at": now - timedelta(days=rng.randint(0, 10)),
                }
            )
    for start in range(0, len(progress_rows), 10_000):
        session.execute(insert(ModuleProgress), progress_rows[start : start + 10_000])
    if help_rows:
        session.execute(insert(HelpRequest), help_rows)
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load: statistics (and the visibility map) for
        # the planner. Without them it guesses, and may scan the whole table.
        with session.get_bind().connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    result = {
        "organisation_id": org.id,
        "trainer_id": trainer.id,
        "group_id": groups[0],
        "groups": len(groups),
        "progress_rows": len(progress_rows),
        "help_requests": len(help_rows),
        "modules": sum(1 for m in catalog.modules.values() if m.kind == "module" and m.valid),
    }
    session.close()
    return result


def timed(repeat: int, call) -> list[float]:
    call()  # warm caches (catalog, compiled statements, connection pool)
    figures = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        figures.append((time.perf_counter() - started) * 1000)
    return figures


def run(app, ids: dict, repeat: int) -> dict[str, list[float]]:
    from learn.models import User
    from learn.services import help_count, needs_help, reports
    from learn.services import sessions as signed_in_sessions
    from learn.trainer import report_tables
    from learn.trainer.tables import csv_bytes
    from learn.web.signin import session_limits

    catalog = app.extensions["learn.catalog"].get()
    sessions = app.extensions["learn.sessions"]
    group_id = ids["group_id"]

    def in_session(work):
        def call():
            db = sessions()
            try:
                trainer = db.get(User, ids["trainer_id"])
                return work(db, trainer)
            finally:
                db.rollback()
                db.close()

        return call

    def matrix(db, trainer):
        result = reports.group_matrix(
            db, trainer, catalog, group_id, reports.MatrixFilters(), page=None
        )
        assert len(result.learners) > 0 and len(result.module_ids) == ids["modules"]
        return result

    def matrix_csv(db, trainer):
        with app.test_request_context(headers={"Accept-Language": "fr"}):
            table = report_tables.matrix_table(matrix(db, trainer), catalog, "fr")
            return csv_bytes(table)

    figures = {}
    figures["matrix (500 learners x all modules)"] = timed(repeat, in_session(matrix))
    figures["matrix CSV export"] = timed(max(5, repeat // 4), in_session(matrix_csv))
    figures["needs help, one group (500)"] = timed(
        repeat,
        in_session(lambda db, t: needs_help.needs_help_list(db, t, catalog, group_id=group_id)),
    )
    figures["needs help, organisation (5,000)"] = timed(
        max(5, repeat // 4), in_session(lambda db, t: needs_help.needs_help_list(db, t, catalog))
    )
    figures["needs help, home page count (5,000)"] = timed(
        repeat, in_session(lambda db, t: help_count.needs_help_count(db, t, catalog))
    )
    now = datetime.now(UTC)
    listed = in_session(lambda db, t: len(needs_help.needs_help_list(db, t, catalog, now=now)))()
    counted = in_session(lambda db, t: help_count.needs_help_count(db, t, catalog, now=now))()
    assert counted == listed, (counted, listed)
    client = app.test_client()
    db = sessions()
    trainer = db.get(User, ids["trainer_id"])
    with app.app_context():
        signed_in_sessions.open_session(db, trainer, session_limits())  # as after sign-in
    db.commit()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = trainer.get_id()
        flask_session["_fresh"] = True
    db.close()
    url = f"/trainer/groups/{group_id}/matrix"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    figures["matrix page (HTML, 50 learners x all modules)"] = timed(max(5, repeat // 2), page)
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--group-size", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    url = (
        args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='parcours-bench-')}/bench.sqlite3"
    )
    app = build_app(url)
    started = time.perf_counter()
    ids = generate(app, args.learners, args.group_size, args.seed)
    engine_name = app.extensions["learn.engine"].dialect.name
    print(
        f"{engine_name}: {args.learners} learners in {ids['groups']} groups, "
        f"{ids['progress_rows']} module_progress rows, {ids['help_requests']} help requests, "
        f"{ids['modules']} modules (generated in {time.perf_counter() - started:.1f} s)"
    )
    figures = run(app, ids, args.repeat)
    print(f"{'report':50} {'runs':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values in figures.items():
        print(
            f"{name:50} {len(values):5d} {statistics.median(values):8.1f} "
            f"{percentile(values, 0.95):8.1f}"
        )
    p95 = percentile(figures["matrix (500 learners x all modules)"], 0.95)
    verdict = "meets" if p95 < 200 else "MISSES"
    print(f"matrix p95 {p95:.1f} ms: {verdict} the 200 ms target")
    app.extensions["learn.engine"].dispose()
    return 0 if p95 < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
