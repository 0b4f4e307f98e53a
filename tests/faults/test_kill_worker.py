"""SIGKILL in the middle of writes: gunicorn's worker killed several times while learners send
quiz attempts, then the whole server killed and started again. Afterwards the database must be
sound (SQLite: integrity and foreign-key checks; PostgreSQL: every constraint valid) and hold only
whole writes: every attempt with its progress summary and its 'quiz' event, the summaries'
attempt counts equal to the attempts, each learner's attempts numbered 1..n with no gap, and every
acknowledged attempt stored. Everything runs on 127.0.0.1, is bounded in time and stops by itself.
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import signal
import threading
import time
from collections import Counter
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select, text

from learn import create_app
from learn.db import make_engine
from learn.models import ModuleProgress, Organisation, ProgressEvent, QuizAttempt, User
from learn.services import sessions
from learn.web.signin import session_limits
from tests.conftest import FIXTURE_CONTENT
from tests.faults.harness import Server, Tally, free_port
from tests.faults.scratch import backends, scratch_database

WRITERS = 6
WORKER_KILLS = 3
MODULE = "ecoute-1"  # a practice quiz: unlimited attempts
DEADLINE_SECONDS = 150
MAX_REQUESTS_PER_WRITER = 400


def prepare(url: str, secret_key: str):
    """Learners in an organisation; an app holding the server's secret key to make their session
    cookies and quiz tickets as their browsers would hold them."""
    app = create_app(
        {
            "SECRET_KEY": secret_key,
            "DATABASE_URL": url,
            "LEARN_HTTPS": False,
            "SESSION_COOKIE_SECURE": False,
        }
    )
    session = app.extensions["learn.sessions"]()
    org = Organisation(slug=f"faults-{secrets.token_hex(3)}", name="Faults")
    session.add(org)
    session.flush()
    learners = []
    for i in range(WRITERS):
        user = User(
            organisation_id=org.id,
            username=f"writer-{i}",
            display_name=f"Writer {i}",
            role="learner",
            password_hash=None,
        )
        session.add(user)
        learners.append(user)
    session.flush()
    with app.app_context():
        for user in learners:  # a signed-in session each, as after the sign-in form
            sessions.open_session(session, user, session_limits())
    session.commit()
    session.close()
    return app, learners


class Writer:
    """One learner sending attempt after attempt; an attempt whose answer was lost is sent again
    with the same number until the server answers, so each learner's count is known exactly."""

    def __init__(self, app, user, port: int, tally: Tally, stop: threading.Event):
        from flask_wtf.csrf import generate_csrf

        self.app, self.user, self.port, self.tally, self.stop = app, user, port, tally, stop
        self.acknowledged = 0
        raw = secrets.token_hex(20)
        with app.test_request_context():
            from flask import session

            session["csrf_token"] = raw
            self.csrf = generate_csrf()
        serializer = app.session_interface.get_signing_serializer(app)
        self.serializer = serializer
        cookie = serializer.dumps(
            {"_user_id": user.get_id(), "_fresh": True, "csrf_token": raw, "_permanent": True}
        )
        self.cookie = f"{app.config['SESSION_COOKIE_NAME']}={cookie}"
        variant = app.extensions["learn.catalog"].get().variant(MODULE, "fr")
        self.versions = dict(variant.question_versions)
        self.answers = {
            f"q-{q.id}": (q.options[0].id if q.options else "x") for q in variant.questions
        }

    def body(self, seq: int) -> str:
        from learn.learner.quizform import sign_ticket
        from learn.models.people import utcnow
        from learn.services.quizzes import QuizTicket

        with self.app.app_context():
            ticket = sign_ticket(QuizTicket(seq, utcnow(), self.versions), self.user.id, MODULE)
        return urlencode({"csrf_token": self.csrf, "ticket": ticket, **self.answers})

    def send(self, seq: int) -> str:
        """'ok', 'duplicate', 'dropped', 'in_flight', 'error' or 'other:<status>'."""
        self.tally.add(attempted=1)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
            conn.request(
                "POST",
                f"/modules/{MODULE}/quiz",
                body=self.body(seq),
                headers={
                    "Cookie": self.cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept-Language": "fr",
                },
            )
            response = conn.getresponse()
            response.read()
            conn.close()
        except ConnectionRefusedError:
            return "dropped"
        except (OSError, http.client.HTTPException):
            return "in_flight"
        if response.status == 302 and "/attempts/" in (response.getheader("Location") or ""):
            return "duplicate" if self.flashed_duplicate(response) else "ok"
        if response.status >= 500:
            return "error"
        return f"other:{response.status}"

    def flashed_duplicate(self, response) -> bool:
        """The server says 'already sent' (in the session's flash) for a repeated attempt."""
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            if name == self.app.config["SESSION_COOKIE_NAME"]:
                try:
                    data = self.serializer.loads(rest.split(";", 1)[0])
                except Exception:  # noqa: BLE001 (an unreadable cookie is not a duplicate)
                    return False
                return bool(data.get("_flashes"))
        return False

    def run(self) -> None:
        sent = 0
        while not self.stop.is_set() and sent < MAX_REQUESTS_PER_WRITER:
            seq = self.acknowledged + 1
            while sent < MAX_REQUESTS_PER_WRITER:
                sent += 1
                outcome = self.send(seq)
                if outcome in ("ok", "duplicate"):
                    self.acknowledged += 1
                    self.tally.add(acknowledged=1, duplicates=int(outcome == "duplicate"))
                    break
                if outcome in ("dropped", "in_flight"):
                    self.tally.add(dropped=1, in_flight=int(outcome == "in_flight"))
                elif outcome == "error":
                    self.tally.add(server_errors=1)
                else:
                    with self.tally.lock:
                        self.tally.other[outcome] += 1
                time.sleep(0.05)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def check_database(url: str, writers: list[Writer]) -> dict:
    """The database is sound and holds whole writes only; returns figures."""
    engine = make_engine(url)
    figures = {}
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
            assert integrity == ["ok"], integrity
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            figures["integrity"] = "PRAGMA integrity_check ok, foreign_key_check empty"
        else:
            invalid = conn.execute(
                text("SELECT count(*) FROM pg_constraint WHERE NOT convalidated")
            ).scalar()
            assert invalid == 0
            orphans = conn.execute(
                text(
                    "SELECT count(*) FROM quiz_attempt a LEFT JOIN user_account u "
                    "ON u.id = a.user_id WHERE u.id IS NULL"
                )
            ).scalar()
            assert orphans == 0
            figures["integrity"] = "every constraint valid, no orphan"
        attempts = conn.execute(
            select(QuizAttempt.user_id, QuizAttempt.module_id, QuizAttempt.seq)
        ).all()
        events = conn.execute(
            select(ProgressEvent.user_id, ProgressEvent.module_id, ProgressEvent.data).where(
                ProgressEvent.kind == "quiz"
            )
        ).all()
        summaries = {
            (row.user_id, row.module_id): row.attempts
            for row in conn.execute(
                select(ModuleProgress.user_id, ModuleProgress.module_id, ModuleProgress.attempts)
            )
        }
        per_user = dict(
            conn.execute(
                select(QuizAttempt.user_id, func.count()).group_by(QuizAttempt.user_id)
            ).all()
        )
    engine.dispose()
    stored = {(a.user_id, a.module_id, a.seq) for a in attempts}
    logged = Counter((e.user_id, e.module_id, (e.data or {}).get("attempt")) for e in events)
    assert len(stored) == len(attempts)
    # Every attempt has its summary and exactly one event; no event without its attempt.
    assert all((u, m) in summaries for u, m, _s in stored)
    assert set(logged) == stored and set(logged.values()) <= {1}
    counted = Counter((u, m) for u, m, _s in stored)
    assert all(summaries[key] == n for key, n in counted.items()), "summary counts differ"
    for writer in writers:
        seqs = sorted(s for u, _m, s in stored if u == writer.user.id)
        assert seqs == list(range(1, len(seqs) + 1)), f"gap in {writer.user.username}'s attempts"
        # Every acknowledged attempt is stored, and nothing more (each number was resolved).
        assert per_user.get(writer.user.id, 0) == writer.acknowledged
    figures["stored"] = len(attempts)
    return figures


@pytest.mark.parametrize("postgres", backends())
def test_sigkill_during_writes_leaves_only_whole_writes(postgres, tmp_path, monkeypatch):
    secret_key = secrets.token_hex(32)
    monkeypatch.setenv("LEARN_ENV", "development")
    monkeypatch.setenv("LEARN_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("LEARN_CONTENT_DIR", str(FIXTURE_CONTENT))
    with scratch_database(tmp_path, postgres) as url:
        env = {
            **os.environ,
            "LEARN_ENV": "production",
            "LEARN_HTTPS": "0",
            "SECRET_KEY": secret_key,
            "DATABASE_URL": url,
            "LEARN_INSTANCE_PATH": str(tmp_path / "instance"),
            "LEARN_CONTENT_DIR": str(FIXTURE_CONTENT),
            "LEARN_LOG_LEVEL": "WARNING",
        }
        env.pop("REDIS_URL", None)
        app, learners = prepare(url, secret_key)
        port = free_port()
        server = Server(env, port, tmp_path / "server.log")
        tally, stop = Tally(), threading.Event()
        writers = [Writer(app, user, port, tally, stop) for user in learners]
        threads = [threading.Thread(target=w.run, daemon=True) for w in writers]
        started = time.monotonic()
        kills = []
        rng = random.Random(9)  # noqa: S311 (timing jitter, not security)
        try:
            server.start()
            for thread in threads:
                thread.start()
            wait_for(lambda: tally.acknowledged >= 20, 60, "the first attempts")
            for _ in range(WORKER_KILLS):
                time.sleep(rng.uniform(0.1, 0.6))  # somewhere in a stream of writes
                pid = server.worker()
                before = tally.acknowledged
                os.kill(pid, signal.SIGKILL)
                kills.append(pid)
                # gunicorn's master starts a new worker; writes resume.
                wait_for(lambda p=pid: server.worker() != p, 30, "a new worker")
                wait_for(lambda b=before: tally.acknowledged >= b + 15, 60, "writes to resume")
            # Then the whole server crashes, and is started again.
            time.sleep(rng.uniform(0.1, 0.6))
            server.kill_everything()
            server.start()
            before = tally.acknowledged
            wait_for(lambda: tally.acknowledged >= before + 20, 60, "writes after the restart")
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            server.stop()
            app.extensions["learn.engine"].dispose()
        elapsed = time.monotonic() - started
        assert elapsed < DEADLINE_SECONDS + 60
        assert not any(thread.is_alive() for thread in threads)
        assert not tally.other, tally.other
        figures = check_database(url, writers)
        assert figures["stored"] == tally.acknowledged
        assert tally.in_flight >= 1, "no request was cut by the kills: the test proved nothing"
        print(
            f"\n[{'postgresql' if postgres else 'sqlite'}] {len(kills)} workers SIGKILLed + the "
            f"server SIGKILLed and restarted in {elapsed:.1f}s; requests {tally.attempted}, "
            f"acknowledged {tally.acknowledged}, refused or cut {tally.dropped} (cut in flight "
            f"{tally.in_flight}), 5xx {tally.server_errors}, "
            f"retries that found their attempt stored {tally.duplicates}; attempts stored "
            f"{figures['stored']}; {figures['integrity']}"
        )
