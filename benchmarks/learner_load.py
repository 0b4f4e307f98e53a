"""Learner pages under load: gunicorn (2 workers) driven by wrk from a second process.

Measures, in one run: the bare /ping route, a signed-in module page (which records progress; a
third of the learners each open a part of the module), and a quiz submission (the others, a new
attempt each time). Prints requests/s, p50/p99 and each page's ratio to the bare route.
Targets: module page >= 0.5 x bare, quiz submission >= 0.25 x bare.

    python benchmarks/learner_load.py [--duration 10] [--connections 16] [--database-url URL]

Each quiz form is sent once: the script prints how many attempts were recorded for how many
submissions, and the title of any refused page. (gunicorn closes each connection; when wrk loses a
request while reconnecting, that learner's next form is out of date and the app answers 409,
recording nothing, as it would for a real learner.)

Needs wrk (Debian: apt-get install wrk). Sessions and quiz tickets are made with the server's own
secret key (as a browser would hold them after signing in), so the measured requests are only
the pages themselves. Everything runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# wrk scripts: each reads "cookie<TAB>value" lines (a path or a form body) and sends one line a
# request. thread:set gives each thread a global "id" (0, 1): each takes every other line, so no
# line is sent twice (a local "id" would hide it and both threads would send the same lines).
# A refused request (4xx, 5xx) is reported with its page's title.
LUA_LINES = r"""
local tuples, n, index = {}, 0, 0
threads = 0
all_threads = {}
function setup(thread)
  thread:set("id", threads); threads = threads + 1; table.insert(all_threads, thread)
end
function init(args)
  for line in io.lines(args[1]) do
    local cookie, value = line:match("([^\t]*)\t(.*)")
    n = n + 1; tuples[n] = {cookie, value}
  end
  index = tonumber(id) - 2  -- next_line adds 2 first: thread 0 starts at line 0
end
function next_line()
  index = index + 2
  return tuples[(index % n) + 1]
end
refused = ""
function response(status, headers, body)
  if status >= 400 then
    refused = refused .. status .. " " .. (body:match("<h1>(.-)</h1>") or "") .. "\n"
  end
end
function done(summary, latency, requests)
  for _, thread in ipairs(all_threads) do io.stderr:write(thread:get("refused")) end
end
"""
LUA_READ = (
    LUA_LINES
    + r"""
function request()
  local t = next_line()
  return wrk.format("GET", t[2], {["Cookie"] = t[1]})
end
"""
)
LUA_QUIZ = (
    LUA_LINES
    + r"""
function request()
  local t = next_line()
  return wrk.format("POST", wrk.path, {["Cookie"] = t[1],
    ["Content-Type"] = "application/x-www-form-urlencoded"}, t[2])
end
"""
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(argv: list[str], env: dict, log: Path, base: str) -> subprocess.Popen:
    """Start a server process (its errors in `log`) and wait until base/ping answers."""
    server = subprocess.Popen(
        argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log.open("w")
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/ping", timeout=1)  # noqa: S310 (our own server)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit(f"the server did not start; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def server_env(tmp: Path, database_url: str = "", secret: str | None = None) -> dict:
    """The environment of a benchmark's Parcours: production settings, the run's own instance
    folder, its database (a SQLite file there unless database_url) and the shipped content."""
    return {
        "LEARN_ENV": "production",
        "LEARN_HTTPS": "0",
        "SECRET_KEY": secret or secrets.token_hex(32),
        "LEARN_INSTANCE_PATH": str(tmp),
        "LEARN_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
        "LEARN_CONTENT_DIR": str(ROOT / "content"),
    }


def prepare(env: dict, learners: int):
    """Migrate, create an organisation and its learners; return (app, module variant, users)."""
    os.environ.update(env)
    from sqlalchemy import insert

    from learn import create_app, migrate
    from learn.db import make_engine
    from learn.models import Organisation, User
    from learn.services import sessions
    from learn.services.passwords import hash_secret
    from learn.web.signin import session_limits

    engine = make_engine(env["DATABASE_URL"])
    migrate.upgrade(engine)
    app = create_app()
    catalog = app.extensions["learn.catalog"].get()
    module = next(
        m
        for m in catalog.modules.values()
        if m.valid
        and m.kind == "module"
        and not m.prerequisites
        and (v := catalog.variant(m.id, "fr"))
        and v.quiz
        and v.questions
        and v.sections
    )
    variant = catalog.variant(module.id, "fr")
    session = app.extensions["learn.sessions"]()
    org = Organisation(slug=f"bench-{secrets.token_hex(3)}", name="Bench")
    session.add(org)
    session.flush()
    password_hash = hash_secret("bench-password-1234")
    rows = [
        {
            "organisation_id": org.id,
            "username": f"bench-{org.id}-{i}",
            "display_name": f"L {i}",
            "role": "learner",
            "password_hash": password_hash,
            "must_choose_password": False,
            "active": True,
            "prefers_easy_read": False,
        }
        for i in range(learners)
    ]
    session.execute(insert(User), rows)
    session.commit()
    users = session.query(User).filter(User.organisation_id == org.id).all()
    with app.app_context():
        for user in users:  # a signed-in session each, as after the sign-in form
            sessions.open_session(session, user, session_limits())
    session.commit()
    session.close()
    engine.dispose()
    return app, variant, users


def cookie_for(app, user, csrf: str) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps(
        {"_user_id": user.get_id(), "_fresh": True, "csrf_token": csrf, "_permanent": True}
    )
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def quiz_bodies(app, variant, users, rounds: int = 1) -> list[str]:
    """(cookie, form body) lines: every learner's attempt 1, then every learner's attempt 2, and
    so on, so that each POST records a new attempt (none is a resent form)."""
    from urllib.parse import urlencode

    from flask_wtf.csrf import generate_csrf

    from learn.learner.quizform import sign_ticket
    from learn.models.people import utcnow
    from learn.services.quizzes import QuizTicket

    lines = []
    for seq, user in ((seq, user) for seq in range(1, rounds + 1) for user in users):
        raw = secrets.token_hex(20)
        with app.test_request_context():
            from flask import session

            session["csrf_token"] = raw
            token = generate_csrf()
            ticket = QuizTicket(seq, utcnow(), dict(variant.question_versions))
            signed = sign_ticket(ticket, user.id, variant.id)
        # Every question answered by its first option (a typed answer: "x"); "send" as from
        # the confirmation page, so that an assessed attempt left partly blank is recorded too.
        fields = {"csrf_token": token, "ticket": signed, "confirm": "send"}
        for question in variant.questions:
            fields[f"q-{question.id}"] = question.options[0].id if question.options else "x"
        body = urlencode(fields)
        lines.append(f"{cookie_for(app, user, raw)}\t{body}")
    return lines


def attempts_recorded(url: str, module_id: str, organisation_id: int) -> int:
    from sqlalchemy import func, select

    from learn.db import make_engine
    from learn.models import QuizAttempt

    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.scalar(
            select(func.count())
            .select_from(QuizAttempt)
            .where(
                QuizAttempt.module_id == module_id,
                QuizAttempt.organisation_id == organisation_id,
            )
        )
    engine.dispose()
    return found


def run_wrk(url: str, duration: int, connections: int, extra: list[str], script_args=()) -> dict:
    tail = ["--", *script_args] if script_args else []
    run = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *extra, url, *tail],
        capture_output=True,
        text=True,
        check=True,
    )
    out = run.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(name):
        match = re.search(rf"\s{name}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": rps,
        "p50": pct("50"),
        "p99": pct("99"),
        "non2xx": int(errors.group(1)) if errors else 0,
        "refused": [line for line in run.stderr.splitlines() if line.strip()],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--learners", type=int, default=4000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="parcours-bench-"))
    env = server_env(tmp, args.database_url)
    app, variant, users = prepare(env, args.learners)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cli = "from learn.cli import main; main()"
    command = [sys.executable, "-c", cli, "serve", "--port", str(port), "--workers", "2"]
    server = start_server(command, env, tmp / "server.log", base)
    try:
        # Readers: each learner opens the module's parts in turn, as learners do (one learner
        # reloading one page would measure that learner's row lock, not a class reading).
        reads = tmp / "read.tsv"
        reads.write_text(
            "".join(
                f"{cookie_for(app, user, secrets.token_hex(20))}\t"
                f"/modules/{variant.id}/read/{variant.sections[i % len(variant.sections)].id}\n"
                for i, user in enumerate(users[: len(users) // 3])
            )
        )
        read_script = tmp / "read.lua"
        read_script.write_text(LUA_READ)
        tuples = tmp / "quiz.tsv"
        rounds = variant.quiz.attempts if variant.quiz.mode == "assessed" else 4
        quiz_lines = quiz_bodies(app, variant, users[len(users) // 3 :], rounds or 4)
        tuples.write_text("\n".join(quiz_lines) + "\n")
        script = tmp / "quiz.lua"
        script.write_text(LUA_QUIZ)
        results = {
            "bare route /ping": run_wrk(base + "/ping", args.duration, args.connections, []),
            "module page": run_wrk(
                f"{base}/modules/{variant.id}/read/{variant.sections[0].id}",
                args.duration,
                args.connections,
                ["-s", str(read_script)],
                [str(reads)],
            ),
            "quiz submission": run_wrk(
                f"{base}/modules/{variant.id}/quiz",
                args.duration,
                args.connections,
                ["-s", str(script)],
                [str(tuples)],
            ),
        }
    finally:
        stop_server(server)
    bare = results["bare route /ping"]["rps"]
    db = "PostgreSQL" if env["DATABASE_URL"].startswith("postgresql") else "SQLite"
    print(
        f"gunicorn 2 workers, wrk -t2 -c{args.connections} -d{args.duration}s, {db}, "
        f"module {variant.id}"
    )
    print(f"{'scenario':<20}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'ratio':>8}{'non-2xx':>9}")
    for name, r in results.items():
        print(
            f"{name:<20}{r['rps']:>10.1f}{r['p50']:>10.2f}{r['p99']:>10.2f}"
            f"{r['rps'] / bare:>8.2f}{r['non2xx']:>9}"
        )
    print("targets: module page >= 0.50, quiz submission >= 0.25")
    recorded = attempts_recorded(env["DATABASE_URL"], variant.id, users[0].organisation_id)
    if results["quiz submission"]["requests"] > len(quiz_lines):
        print("warning: more submissions than forms; resent forms made part of the figure")
    print(
        f"quiz attempts recorded: {recorded} for {results['quiz submission']['requests']} "
        f"submissions ({len(quiz_lines)} distinct forms prepared; a resent form records none)"
    )
    for name, r in results.items():
        for line in r.get("refused", []):
            print(f"{name}: refused {line}")
    errors = [
        line for line in (tmp / "server.log").read_text().splitlines() if "error" in line.lower()
    ]
    if errors:
        print(f"server log: {len(errors)} error lines, the first ones:")
        print("\n".join(errors[:10]))
    if os.environ.get("KEEP"):
        print(tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
