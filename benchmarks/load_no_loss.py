"""Load without loss: 50 learners for 60 s (reading, quizzes, workshop drafts) against gunicorn,
then count in the database that every write that got a success response is stored exactly once
and that no request failed. Prints throughput, p50/p95/p99 and the counts; exits 1 on any loss.

    python benchmarks/load_no_loss.py [--users 50] [--duration 60] [--database-url URL]

Uses locust (pip install locust, or the project's `bench` extra) in a second process; everything
runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "load-test-password-2026"  # noqa: S105 (accounts made for this run only)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env: dict, users: int) -> dict:
    """Migrate, create the learners; return what the scenario needs to know."""
    os.environ.update(env)
    from sqlalchemy import insert

    from learn import create_app, migrate
    from learn.db import make_engine
    from learn.models import Organisation, User
    from learn.services.passwords import hash_secret

    engine = make_engine(env["DATABASE_URL"])
    migrate.upgrade(engine)
    engine.dispose()
    app = create_app()
    catalog = app.extensions["learn.catalog"].get()
    quiz_variant = next(
        v
        for m in catalog.modules.values()
        if m.valid
        and m.kind == "module"
        and not m.prerequisites
        and (v := catalog.variant(m.id, "fr"))
        and v.quiz
        and v.quiz.mode == "practice"
        and v.questions
        and v.questions[0].type in ("single", "truefalse")
    )
    workshop_variant = next(
        v
        for m in catalog.modules.values()
        if m.valid and not m.prerequisites and (v := catalog.variant(m.id, "fr")) and v.workshop
    )
    session = app.extensions["learn.sessions"]()
    org = Organisation(slug=f"load-{secrets.token_hex(3)}", name="Load")
    session.add(org)
    session.flush()
    prefix = f"load{org.id}-"
    hashed = hash_secret(PASSWORD)
    session.execute(
        insert(User),
        [
            {
                "organisation_id": org.id,
                "username": f"{prefix}{i}",
                "display_name": f"L{i}",
                "role": "learner",
                "password_hash": hashed,
                "must_choose_password": False,
                "active": True,
                "prefers_easy_read": False,
            }
            for i in range(1, users + 1)
        ],
    )
    session.commit()
    session.close()
    first = quiz_variant.questions[0]
    return {
        "org_id": org.id,
        "LOAD_USER_PREFIX": prefix,
        "LOAD_MODULE": quiz_variant.id,
        "LOAD_SECTIONS": ",".join(s.id for s in quiz_variant.sections[:3]),
        "LOAD_QUESTION": first.id,
        "LOAD_OPTION": first.options[0].id,
        "LOAD_WORKSHOP_MODULE": workshop_variant.id,
        "LOAD_PROMPT": workshop_variant.workshop.prompts[0].id,
    }


def percentile(times: Counter, pct: float) -> int:
    """The response time (ms, as locust rounds it) under which pct % of requests finished."""
    total = sum(times.values())
    if not total:
        return 0
    seen = 0
    for value in sorted(times):
        seen += times[value]
        if seen * 100 >= pct * total:
            return value
    return max(times)


def count_in_database(env: dict, org_id: int, acks: list[dict]) -> dict:
    """Compare what the server acknowledged with what the database holds."""
    from sqlalchemy import func, select

    from learn.db import make_engine, make_session_factory
    from learn.models import ModuleProgress, ProgressEvent, QuizAttempt, User, WorkshopAnswer

    engine = make_engine(env["DATABASE_URL"])
    session = make_session_factory(engine)()
    acked_attempts = [a["id"] for a in acks if a["kind"] == "attempt"]
    stored = Counter(
        session.scalars(select(QuizAttempt.id).where(QuizAttempt.organisation_id == org_id))
    )
    per_id = Counter(acked_attempts)
    missing_attempts = [i for i in per_id if stored.get(i) != 1]
    attempts_sum = session.scalar(
        select(func.coalesce(func.sum(ModuleProgress.attempts), 0)).where(
            ModuleProgress.organisation_id == org_id
        )
    )
    quiz_events = session.scalar(
        select(func.count())
        .select_from(ProgressEvent)
        .where(ProgressEvent.organisation_id == org_id, ProgressEvent.kind == "quiz")
    )
    last_text: dict[str, str] = {}
    saves = Counter()
    for ack in acks:
        if ack["kind"] == "workshop":
            last_text[ack["user"]] = ack["text"]
            saves[ack["user"]] += 1
    rows = dict(
        session.execute(
            select(User.username, WorkshopAnswer.answers)
            .join(WorkshopAnswer, WorkshopAnswer.user_id == User.id)
            .where(User.organisation_id == org_id)
        ).all()
    )
    lost_drafts = [u for u, text in last_text.items() if text not in (rows.get(u) or {}).values()]
    save_events = session.scalar(
        select(func.count())
        .select_from(ProgressEvent)
        .where(ProgressEvent.organisation_id == org_id, ProgressEvent.kind == "workshop_saved")
    )
    session.close()
    engine.dispose()
    return {
        "attempts acknowledged": len(acked_attempts),
        "attempts stored": sum(stored.values()),
        "acknowledged attempts not stored exactly once": len(missing_attempts),
        "attempts in progress summaries": attempts_sum,
        "quiz events": quiz_events,
        "drafts acknowledged": sum(saves.values()),
        "draft events stored": save_events,
        "learners whose last acknowledged draft is lost": len(lost_drafts),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    locust = shutil.which("locust") or str(Path(sys.executable).with_name("locust"))
    if not Path(locust).exists():
        sys.exit("locust is needed: pip install locust (or the project's bench extra)")
    tmp = Path(tempfile.mkdtemp(prefix="parcours-load-"))
    env = {
        "LEARN_ENV": "production",
        "LEARN_HTTPS": "0",
        "SECRET_KEY": secrets.token_hex(32),
        "LEARN_INSTANCE_PATH": str(tmp),
        "LEARN_LOG_LEVEL": "WARNING",
        "DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'load.sqlite3'}",
        "LEARN_CONTENT_DIR": str(ROOT / "content"),
        # One address signs in 50 learners at once: the per-address sign-in limit is for people.
        "LEARN_LOGIN_LIMIT_ADDRESS": "10000 per minute",
    }
    scenario = prepare(env, args.users)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from learn.cli import main; main()",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    ack_file = tmp / "acks.jsonl"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/ping", timeout=1)  # noqa: S310 (our own server)
                break
            except OSError:
                time.sleep(0.2)
        load_env = {
            **os.environ,
            **{k: str(v) for k, v in scenario.items() if k.startswith("LOAD_")},
            "LOAD_ACK_FILE": str(ack_file),
            "LOAD_PASSWORD": PASSWORD,
        }
        subprocess.run(
            [
                locust,
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(max(1, args.users // 5)),
                "-t",
                f"{args.duration}s",
                "--host",
                base,
                "--json-file",
                str(tmp / "stats"),  # locust adds .json
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "10",
            ],
            env=load_env,
            check=False,
            timeout=args.duration + 120,
            stdout=subprocess.DEVNULL,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    stats = json.loads((tmp / "stats.json").read_text())
    acks = (
        [json.loads(line) for line in ack_file.read_text().splitlines()]
        if ack_file.exists()
        else []
    )
    counts = count_in_database(env, scenario["org_id"], acks)
    db = "PostgreSQL" if env["DATABASE_URL"].startswith("postgresql") else "SQLite (WAL)"
    print(
        f"{args.users} learners for {args.duration} s, gunicorn with {args.workers} workers, {db}"
    )
    print(f"{'request':<34}{'count':>8}{'fail':>6}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}  (ms)")
    all_times: Counter = Counter()
    for entry in stats:
        all_times.update({int(k): v for k, v in entry["response_times"].items()})
    rows = [(e["name"], e) for e in stats]
    failed = sum(e["num_failures"] for e in stats)
    total = sum(e["num_requests"] for e in stats)
    rows.append(
        (
            "all requests",
            {"num_requests": total, "num_failures": failed, "response_times": all_times},
        )
    )
    for name, entry in rows:
        times = Counter({int(k): v for k, v in entry["response_times"].items()})
        count = entry["num_requests"]
        print(
            f"{name:<34}{count:>8}{entry['num_failures']:>6}{count / args.duration:>8.1f}"
            f"{percentile(times, 50):>7}{percentile(times, 95):>7}{percentile(times, 99):>7}"
        )
    for name, value in counts.items():
        print(f"{name:<52}{value:>8}")
    lost = (
        counts["acknowledged attempts not stored exactly once"]
        or counts["attempts stored"] != counts["attempts acknowledged"]
        or counts["attempts in progress summaries"] != counts["attempts stored"]
        or counts["quiz events"] != counts["attempts stored"]
        or counts["draft events stored"] != counts["drafts acknowledged"]
        or counts["learners whose last acknowledged draft is lost"]
    )
    print("result:", "LOSS" if lost else "no loss", "/", f"{failed} failed requests")
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if lost or failed or not acks else 0


if __name__ == "__main__":
    sys.exit(main())
