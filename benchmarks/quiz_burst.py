"""A class sends the same assessed quiz at once: every attempt stored once, and how long each took.

30 learners of one group (the trainer assigned them an assessed quiz) have each opened the quiz
page (as the browser does: the page's form, its CSRF token and its attempt ticket); then all of
them send their answers within one second, against gunicorn with 2 workers (`learn serve`).
Afterwards the database is counted: attempts stored against forms sent, and no learner with two.

    python benchmarks/quiz_burst.py [--learners 30] [--spread 1.0] [--database-url URL]

Prints the counts and p50/p95/max latency; exits 1 when an attempt is lost or doubled, a request
fails, or p95 is 1 s or more. Everything runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import random
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from learner_load import (  # noqa: E402
    cookie_for,
    free_port,
    prepare,
    server_env,
    start_server,
    stop_server,
)


def assign_to_one_group(env: dict, users, module_id: str) -> int:
    """Put the learners in one group and assign it the module, as a trainer does; the group id."""
    from sqlalchemy import insert

    from learn.db import make_engine
    from learn.models import Assignment, Group, GroupMembership

    engine = make_engine(env["DATABASE_URL"])
    organisation_id = users[0].organisation_id
    with engine.begin() as conn:
        group_id = conn.execute(
            insert(Group).values(organisation_id=organisation_id, name="Burst").returning(Group.id)
        ).scalar_one()
        conn.execute(
            insert(GroupMembership), [{"group_id": group_id, "user_id": u.id} for u in users]
        )
        conn.execute(
            insert(Assignment).values(
                organisation_id=organisation_id,
                target_kind="module",
                target_ref=module_id,
                group_id=group_id,
            )
        )
    engine.dispose()
    return group_id


def request(port: int, method: str, path: str, headers: dict, body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Set-Cookie"), response.read().decode()
    finally:
        conn.close()


def open_quiz(port: int, path: str, cookie: str, variant) -> tuple[str, str]:
    """The quiz page as the learner's browser gets it: (cookie, form body answering it)."""
    status, set_cookie, page = request(port, "GET", path, {"Cookie": cookie})
    if status != 200:
        sys.exit(f"the quiz page answered {status}")
    if set_cookie:  # the CSRF token's secret now lives in the session cookie
        cookie = set_cookie.split(";", 1)[0]
    fields = {
        "csrf_token": html.unescape(re.search(r'name="csrf_token" value="([^"]+)"', page)[1]),
        "ticket": html.unescape(re.search(r'name="ticket" value="([^"]+)"', page)[1]),
        "confirm": "send",  # as from the confirmation page, should a question be left blank
    }
    for question in variant.questions:
        fields[f"q-{question.id}"] = question.options[0].id if question.options else "x"
    return cookie, urlencode(fields)


def stored_attempts(url: str, module_id: str, user_ids: list[int]) -> dict[int, int]:
    from sqlalchemy import func, select

    from learn.db import make_engine
    from learn.models import QuizAttempt

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(QuizAttempt.user_id, func.count())
            .where(QuizAttempt.module_id == module_id, QuizAttempt.user_id.in_(user_ids))
            .group_by(QuizAttempt.user_id)
        ).all()
    engine.dispose()
    return dict(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--spread", type=float, default=1.0, help="seconds the sends spread over")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="parcours-burst-"))
    env = server_env(tmp, args.database_url)
    app, variant, users = prepare(env, args.learners)
    if variant.quiz.mode != "assessed":
        sys.exit(f"{variant.id}: its quiz is not assessed")
    assign_to_one_group(env, users, variant.id)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cli = "from learn.cli import main; main()"
    command = [sys.executable, "-c", cli, "serve", "--port", str(port), "--workers", "2"]
    server = start_server(command, env, tmp / "server.log", base)
    path = f"/modules/{variant.id}/quiz"
    results: list[tuple[int, float]] = []
    try:
        forms = [
            open_quiz(port, path, cookie_for(app, u, secrets.token_hex(20)), variant) for u in users
        ]
        offsets = sorted(random.uniform(0, args.spread) for _ in forms)
        start = threading.Barrier(len(forms) + 1)
        lock = threading.Lock()

        def send(cookie: str, body: str, offset: float) -> None:
            start.wait()
            time.sleep(offset)
            began = time.perf_counter()
            headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
            status, _cookie, _page = request(port, "POST", path, headers, body)
            with lock:
                results.append((status, time.perf_counter() - began))

        threads = [
            threading.Thread(target=send, args=(cookie, body, offset))
            for (cookie, body), offset in zip(forms, offsets, strict=True)
        ]
        for thread in threads:
            thread.start()
        start.wait()
        burst_began = time.perf_counter()
        for thread in threads:
            thread.join()
        burst_seconds = time.perf_counter() - burst_began
    finally:
        stop_server(server)
    stored = stored_attempts(env["DATABASE_URL"], variant.id, [u.id for u in users])
    latencies = sorted(seconds * 1000 for _status, seconds in results)
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    redirected = sum(1 for status, _ in results if status == 302)
    doubled = sum(1 for count in stored.values() if count > 1)
    db = "PostgreSQL" if env["DATABASE_URL"].startswith("postgresql") else "SQLite"
    print(
        f"gunicorn 2 workers, {db}, module {variant.id} (assessed), {len(users)} learners of one "
        f"group, sends spread over {args.spread:.1f} s (all answered in {burst_seconds:.2f} s), "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"attempts sent {len(results)}, answered with the result page {redirected}, "
        f"stored {sum(stored.values())}, learners with one attempt {len(stored) - doubled}, "
        f"with two or more {doubled}"
    )
    print(
        f"latency ms: p50 {statistics.median(latencies):.0f}, p95 {p95:.0f}, "
        f"max {latencies[-1]:.0f} (target: p95 under 1000)"
    )
    errors = [
        line for line in (tmp / "server.log").read_text().splitlines() if "error" in line.lower()
    ]
    for line in errors[:10]:
        print(f"server log: {line}")
    shutil.rmtree(tmp, ignore_errors=True)
    whole = redirected == len(results) == sum(stored.values()) == len(stored) == len(users)
    return 0 if whole and p95 < 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
