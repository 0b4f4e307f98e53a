"""Parcours's pages against the stack's floor, side by side in one run (issue 22's targets).

In each round, on the same machine and the same database, one after the other:

- Parcours (`learn serve`: gunicorn, 2 threaded workers): a signed-in module page (a third of the
  learners opening the module's parts; it records the visit), a quiz submission (the others, each
  form sent once), the learner's dashboard, and the sign-in page (signed out);
- stack_floor.py's minimal Flask application, served the same way (2 workers with as many threads):
  its "read" page (the session cookie, one SELECT by primary key, a 20-line template) and its
  "write" page (the same, plus an UPDATE and an INSERT committed).

It prints requests/s, p50/p99, and each Parcours page's ratio to the floor page of the same round,
against the targets:

    module page >= 0.8 x floor write      quiz submission >= 0.7 x floor write
    dashboard   >= 0.4 x floor read       sign-in page    >= 0.8 x floor read

A figure from another run (or another machine) is never compared: the machine may be shared.
With several rounds, the verdict is taken on the median of the rounds' ratios.

    python benchmarks/floor_ratios.py [--duration 5] [--rounds 2] [--database-url URL]

Needs wrk (Debian: apt-get install wrk). Everything runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from learner_load import (  # noqa: E402
    LUA_QUIZ,
    LUA_READ,
    attempts_recorded,
    cookie_for,
    free_port,
    prepare,
    quiz_bodies,
    run_wrk,
    server_env,
    start_server,
    stop_server,
)
from stack_floor import FLOOR_APP, LUA_USERS, create_tables, drop_tables  # noqa: E402

TARGETS = {  # Parcours page: (floor page, least ratio)
    "module page": ("floor: write", 0.8),
    "quiz submission": ("floor: write", 0.7),
    "dashboard": ("floor: read", 0.4),
    "sign-in page": ("floor: read", 0.8),
}


def parcours_files(tmp: Path, app, variant, users, rounds: int) -> dict:
    """wrk's input files: module pages and dashboards for a third of the learners; quiz forms for
    the others, split between the rounds so that no form is sent twice."""
    readers, others = users[: len(users) // 3], users[len(users) // 3 :]
    section_ids = [s.id for s in variant.sections]
    (tmp / "read.tsv").write_text(
        "".join(
            f"{cookie_for(app, u, secrets.token_hex(20))}\t"
            f"/modules/{variant.id}/read/{section_ids[i % len(section_ids)]}\n"
            for i, u in enumerate(readers)
        )
    )
    (tmp / "dashboard.tsv").write_text(
        "".join(f"{cookie_for(app, u, secrets.token_hex(20))}\t/dashboard\n" for u in readers)
    )
    (tmp / "read.lua").write_text(LUA_READ)
    (tmp / "quiz.lua").write_text(LUA_QUIZ)
    attempts = variant.quiz.attempts if variant.quiz.mode == "assessed" else 4
    forms = 0
    for r in range(rounds):
        share = others[r::rounds]
        lines = quiz_bodies(app, variant, share, attempts or 4)
        (tmp / f"quiz-{r}.tsv").write_text("\n".join(lines) + "\n")
        forms += len(lines)
    return {"forms": forms}


def run_parcours(tmp, base, variant, duration, connections, round_no) -> dict:
    script = ["-s", str(tmp / "read.lua")]
    return {
        "module page": run_wrk(
            f"{base}/modules/{variant.id}/read/{variant.sections[0].id}",
            duration,
            connections,
            script,
            [str(tmp / "read.tsv")],
        ),
        "quiz submission": run_wrk(
            f"{base}/modules/{variant.id}/quiz",
            duration,
            connections,
            ["-s", str(tmp / "quiz.lua")],
            [str(tmp / f"quiz-{round_no}.tsv")],
        ),
        "dashboard": run_wrk(
            base + "/dashboard", duration, connections, script, [str(tmp / "dashboard.tsv")]
        ),
        "sign-in page": run_wrk(base + "/sign-in", duration, connections, []),
    }


def run_floor(tmp, base, duration, connections, cookie) -> dict:
    script = ["-s", str(tmp / "users.lua")]
    return {
        f"floor: {page}": run_wrk(base + "/", duration, connections, script, [f"/{page}/", cookie])
        for page in ("read", "write")
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--learners", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=8, help="threads per worker, both servers")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="parcours-ratios-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    secret = secrets.token_hex(32)
    env = server_env(tmp, url, secret)
    app, variant, users = prepare(env, args.learners)
    files = parcours_files(tmp, app, variant, users, args.rounds)
    create_tables(url)
    (tmp / "floorapp.py").write_text(FLOOR_APP)
    (tmp / "users.lua").write_text(LUA_USERS)
    from flask import Flask

    signer = Flask("floor")
    signer.secret_key = secret
    cookie = "session=" + signer.session_interface.get_signing_serializer(signer).dumps({"user": 1})

    cli = "from learn.cli import main; main()"
    floor_env = {"FLOOR_URL": url, "FLOOR_SECRET": secret, "FLOOR_SYNCHRONOUS": "FULL"}
    rounds = []
    quiz_requests = 0
    try:
        for round_no in range(args.rounds):
            results = {}
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            command = [sys.executable, "-c", cli, "serve", "--port", str(port), "--workers", "2"]
            command += ["--threads", str(args.threads)]
            server = start_server(command, env, tmp / "parcours.log", base)
            try:
                results.update(
                    run_parcours(tmp, base, variant, args.duration, args.connections, round_no)
                )
            finally:
                stop_server(server)
            quiz_requests += results["quiz submission"]["requests"]
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads"]
            command += [str(args.threads), "--bind", f"127.0.0.1:{port}", "--chdir", str(tmp)]
            command += ["floorapp:app"]
            server = start_server(command, floor_env, tmp / "floor.log", base)
            try:
                results.update(run_floor(tmp, base, args.duration, args.connections, cookie))
            finally:
                stop_server(server)
            rounds.append(results)
        recorded = attempts_recorded(url, variant.id, users[0].organisation_id)
    finally:
        drop_tables(url)

    db = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"gunicorn 2 workers x {args.threads} threads (both servers), wrk -t2 "
        f"-c{args.connections} -d{args.duration}s, {db}, module {variant.id}, "
        f"{args.rounds} round(s), load average {os.getloadavg()[0]:.1f} at the end"
    )
    for n, results in enumerate(rounds, 1):
        print(f"round {n}")
        print(f"  {'scenario':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
        for name, r in results.items():
            print(f"  {name:<18}{r['rps']:>9.1f}{r['p50']:>9.2f}{r['p99']:>9.2f}{r['non2xx']:>9}")
    print(f"{'ratio':<34}{'rounds':>18}{'median':>8}{'target':>8}  verdict")
    met_all = True
    for page, (floor_page, target) in TARGETS.items():
        ratios = [r[page]["rps"] / r[floor_page]["rps"] for r in rounds]
        median = statistics.median(ratios)
        met = median >= target
        met_all &= met
        shown = " ".join(f"{x:.2f}" for x in ratios)
        print(
            f"{page + ' / ' + floor_page:<34}{shown:>18}{median:>8.2f}{target:>8.2f}  "
            f"{'met' if met else 'NOT met'}"
        )
    print(
        f"quiz attempts recorded: {recorded} for {quiz_requests} submissions "
        f"({files['forms']} distinct forms prepared; a resent form records none)"
    )
    for results in rounds:
        for name, r in results.items():
            for line in r.get("refused", [])[:5]:
                print(f"{name}: refused {line}")
    errors = [
        line
        for log in ("parcours.log", "floor.log")
        if (tmp / log).exists()
        for line in (tmp / log).read_text().splitlines()
        if "error" in line.lower()
    ]
    if errors:
        print(f"server logs: {len(errors)} error lines, the first ones:")
        print("\n".join(errors[:10]))
    if os.environ.get("KEEP"):
        print(tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if met_all else 1


if __name__ == "__main__":
    sys.exit(main())
