"""Where a learner page's time goes, in the process (no server, no network): cProfile.

Prepares a database as learner_load.py does, then requests each page many times through Flask's
test client with a signed-in learner's cookie, and prints, per page: milliseconds per request,
SQL statements per request, the calls per request the issue names (url_for, gettext,
current_user look-ups, templates rendered) and the functions that cost the most time.

    python benchmarks/profile_pages.py [--page module|quiz|dashboard|signin|all] [--n 200]
                                       [--top 25] [--database-url URL]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from learner_load import cookie_for, prepare, quiz_bodies, server_env  # noqa: E402

NAMED = {  # what the issue counts: (file ending, function name)
    "url_for": ("flask/app.py", "url_for"),
    "gettext": ("jinja2/ext.py", "_gettext_alias"),
    "gettext in Python": ("flask_babel/__init__.py", "gettext"),
    "current_user look-ups": ("flask_login/utils.py", "_get_user"),
    "templates rendered": ("jinja2/environment.py", "render"),
}


def calls_per_request(stats: pstats.Stats, n: int) -> dict:
    found = dict.fromkeys(NAMED, 0)
    for (filename, _line, function), (_cc, calls, *_rest) in stats.stats.items():
        for label, (ending, name) in NAMED.items():
            if function == name and filename.endswith(ending):
                found[label] += calls
    return {label: count / n for label, count in found.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="all")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--top", type=int, default=25, help="0: figures only, no profile")
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave the app's objects to the collector"
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="parcours-profile-"))
    env = server_env(tmp, args.database_url)
    app, variant, users = prepare(env, max(args.n, 50))
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    statements = [0]
    event.listen(
        Engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1)
    )
    client = app.test_client(use_cookies=False)
    if not args.no_freeze:  # as learn/server.py does once the app is loaded
        import gc

        gc.freeze()
    sections = [s.id for s in variant.sections]
    quiz_lines = quiz_bodies(app, variant, users[: args.n])

    def module(i):
        cookie = cookie_for(app, users[i % len(users)], secrets.token_hex(20))
        path = f"/modules/{variant.id}/read/{sections[i % len(sections)]}"
        response = client.get(path, headers={"Cookie": cookie})
        assert response.status_code == 200, (response.status_code, response.location)

    def quiz(i):
        cookie, body = quiz_lines[i].split("\t")
        response = client.post(
            f"/modules/{variant.id}/quiz",
            data=body,
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 302, response.status_code

    def dashboard(i):
        cookie = cookie_for(app, users[i % len(users)], secrets.token_hex(20))
        response = client.get("/dashboard", headers={"Cookie": cookie})
        assert response.status_code == 200, (response.status_code, response.location)

    def signin(_i):
        response = client.get("/sign-in")
        assert response.status_code == 200, (response.status_code, response.location)

    pages = {"module": module, "quiz": quiz, "dashboard": dashboard, "signin": signin}
    chosen = pages if args.page == "all" else {args.page: pages[args.page]}
    for name, page in chosen.items():
        page(0)  # warm: templates compiled, catalog loaded
        runs = range(1, args.n + 1) if name != "quiz" else range(1, args.n // 2)
        start, cpu = time.perf_counter(), time.process_time()
        for i in runs:
            page(i)
        plain = (time.perf_counter() - start) / len(runs) * 1000
        cpu = (time.process_time() - cpu) / len(runs) * 1000
        statements[0] = 0
        if not args.top:
            print(f"== {name}: {plain:.2f} ms/request, {cpu:.2f} ms of CPU")
            continue
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        runs = range(1, args.n + 1) if name != "quiz" else range(args.n // 2, args.n)
        for i in runs:
            page(i)
        profile.disable()
        n = len(runs)
        elapsed = (time.perf_counter() - start) / n * 1000
        stats = pstats.Stats(profile)
        counts = calls_per_request(stats, n)
        print(
            f"== {name}: {plain:.2f} ms/request, {cpu:.2f} ms of CPU ({elapsed:.2f} under the "
            "profiler), "
            f"{statements[0] / n:.1f} SQL statements"
        )
        print("   " + ", ".join(f"{label} {count:.1f}" for label, count in counts.items()))
        out = io.StringIO()
        stats.stream = out
        stats.sort_stats("tottime").print_stats(args.top)
        print("\n".join(out.getvalue().splitlines()[6:]))
    shutil.rmtree(tmp, ignore_errors=True)
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
