"""What the stack itself allows: the floor under learner_load.py's figures.

learner_load.py compares Parcours's pages with its bare /ping route. This script runs, the same
way (gunicorn with 2 sync workers, wrk -t2 -c16 from a second process, on 127.0.0.1), a minimal
Flask application that does only what any signed-in page that records progress must do, and
nothing of Parcours (no CSRF token, no translation, no access rule, a 20-line template):

- bare: a route that returns "ok" (Flask alone);
- read: the signed session cookie, one SELECT of the user by primary key, the small template;
- write: the same, plus an UPDATE of a summary row and an INSERT of an event, committed
  (SQLite: WAL, BEGIN IMMEDIATE, synchronous=FULL, as Parcours; PostgreSQL: its defaults).

It also measures Parcours's own /ping in the same run, and prints each floor page's ratio to
both bare routes. A page that writes cannot go faster than "write" here; where "write" is
below a target ratio, no change to Parcours's pages can reach that target on this stack.

    python benchmarks/stack_floor.py [--duration 8] [--database-url postgresql+psycopg://...]
                                     [--sqlite-synchronous NORMAL]
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from learner_load import (  # noqa: E402
    free_port,
    prepare,
    run_wrk,
    server_env,
    start_server,
    stop_server,
)

FLOOR_APP = r"""
import os
import time

from flask import Flask, session
from sqlalchemy import create_engine, event, text

URL = os.environ["FLOOR_URL"]
if URL.startswith("sqlite"):
    engine = create_engine(URL, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi, _record):
        dbapi.isolation_level = None
        cursor = dbapi.cursor()
        synchronous = "synchronous=" + os.environ["FLOOR_SYNCHRONOUS"]
        for pragma in ("journal_mode=WAL", synchronous, "busy_timeout=30000"):
            cursor.execute("PRAGMA " + pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
else:
    engine = create_engine(URL, pool_pre_ping=True)

app = Flask(__name__)
app.secret_key = os.environ["FLOOR_SECRET"]
PAGE = app.jinja_env.from_string(
    "<!doctype html><html lang=fr><head><title>{{ name }}</title></head><body><main>"
    "<h1>{{ name }}</h1>{% for p in parts %}<p>{{ p }}</p>{% endfor %}</main></body></html>"
)
PARTS = ["Une phrase de texte pour la page."] * 20
USER = text("SELECT name FROM floor_users WHERE id = :id")
UPDATE = text("UPDATE floor_summary SET visits = visits + 1, at = :at WHERE user_id = :id")
EVENT = text("INSERT INTO floor_events (user_id, at) VALUES (:id, :at)")


@app.get("/ping")
def ping():
    return "ok"


@app.get("/read/<int:user_id>")
def read(user_id):
    session.get("user")
    with engine.connect() as conn:
        name = conn.execute(USER, {"id": user_id}).scalar()
    return PAGE.render(name=name, parts=PARTS)


@app.get("/write/<int:user_id>")
def write(user_id):
    session.get("user")
    with engine.begin() as conn:
        name = conn.execute(USER, {"id": user_id}).scalar()
        conn.execute(UPDATE, {"id": user_id, "at": time.time()})
        conn.execute(EVENT, {"id": user_id, "at": time.time()})
    return PAGE.render(name=name, parts=PARTS)
"""

# Each request a different user (as learner_load's learners), a session cookie on each.
LUA_USERS = r"""
counter = 0
threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
function init(args) prefix = args[1]; cookie = args[2]; counter = tonumber(id) * 100000 end
function request()
  counter = counter + 1
  return wrk.format("GET", prefix .. (counter % 4000), {["Cookie"] = cookie})
end
"""


def create_tables(url: str) -> None:
    from sqlalchemy import create_engine, text

    drop_tables(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE floor_users (id INTEGER PRIMARY KEY, name TEXT)"))
        conn.execute(
            text(
                "CREATE TABLE floor_summary (user_id INTEGER PRIMARY KEY, visits INTEGER, at FLOAT)"
            )
        )
        serial = "SERIAL" if url.startswith("postgresql") else "INTEGER"
        conn.execute(
            text(f"CREATE TABLE floor_events (id {serial} PRIMARY KEY, user_id INTEGER, at FLOAT)")
        )
        conn.execute(
            text("INSERT INTO floor_users (id, name) VALUES (:id, :name)"),
            [{"id": i, "name": f"Personne {i}"} for i in range(4000)],
        )
        conn.execute(
            text("INSERT INTO floor_summary (user_id, visits, at) VALUES (:id, 0, 0)"),
            [{"id": i} for i in range(4000)],
        )
    engine.dispose()


def drop_tables(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        for name in ("floor_events", "floor_summary", "floor_users"):
            conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--sqlite-synchronous",
        default="FULL",
        choices=("FULL", "NORMAL"),
        help="the floor app's SQLite setting (Parcours uses FULL: NORMAL may lose the last "
        "commits on a power cut)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="parcours-floor-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    secret = secrets.token_hex(32)
    results = {}
    try:
        # Parcours's own bare route, as learner_load.py measures it.
        env = server_env(tmp, url, secret)
        prepare(env, 1)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        cli = "from learn.cli import main; main()"
        command = [sys.executable, "-c", cli, "serve", "--port", str(port), "--workers", "2"]
        server = start_server(command, env, tmp / "parcours.log", base)
        try:
            results["Parcours /ping"] = run_wrk(base + "/ping", args.duration, args.connections, [])
        finally:
            stop_server(server)

        create_tables(url)
        (tmp / "floorapp.py").write_text(FLOOR_APP)
        (tmp / "users.lua").write_text(LUA_USERS)
        from flask import Flask

        signer = Flask("floor")
        signer.secret_key = secret
        cookie = "session=" + signer.session_interface.get_signing_serializer(signer).dumps(
            {"user": 1}
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(tmp),
            "floorapp:app",
        ]
        floor_env = {
            "FLOOR_URL": url,
            "FLOOR_SECRET": secret,
            "FLOOR_SYNCHRONOUS": args.sqlite_synchronous,
        }
        server = start_server(command, floor_env, tmp / "floor.log", base)
        try:
            results["floor: bare"] = run_wrk(base + "/ping", args.duration, args.connections, [])
            for page in ("read", "write"):
                results[f"floor: {page}"] = run_wrk(
                    base + "/",
                    args.duration,
                    args.connections,
                    ["-s", str(tmp / "users.lua")],
                    [f"/{page}/", cookie],
                )
        finally:
            stop_server(server)
        drop_tables(url)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    db = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    parcours = results["Parcours /ping"]["rps"]
    floor = results["floor: bare"]["rps"]
    if db == "SQLite":
        db += f" (floor app: synchronous={args.sqlite_synchronous})"
    print(f"gunicorn 2 workers, wrk -t2 -c{args.connections} -d{args.duration}s, {db}")
    header = f"{'scenario':<18}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
    print(f"{header}{'/ Parcours ping':>17}{'/ floor bare':>14}{'non-2xx':>9}")
    for name, r in results.items():
        print(
            f"{name:<18}{r['rps']:>10.1f}{r['p50']:>9.2f}{r['p99']:>9.2f}"
            f"{r['rps'] / parcours:>17.2f}{r['rps'] / floor:>14.2f}{r['non2xx']:>9}"
        )
    print("learner_load.py's targets, as ratios to Parcours's /ping: module page 0.50, quiz 0.25")
    return 0


if __name__ == "__main__":
    sys.exit(main())
