"""Benchmark: a group's certificats de réalisation (docs/funders.md).

Builds, in a new SQLite file (or --database-url, migrated; nothing is deleted), an organisation
with a group of N learners (default 30) on the fixture content, each with two modules done, a quiz
attempt, a placement, an observation, a worksheet and an answered help request. Then requests,
signed in as the group's trainer, the group's certificates page, CSV and PDF, and the Qualiopi
page, and prints for each the time (best and median of --repeat runs) and the number of SQL
statements. Speed is measured here, never asserted in a test.

    python benchmarks/certificates.py [--database-url URL] [--learners 30] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="parcours-bench-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    os.environ.setdefault("LEARN_ENV", "development")
    os.environ.setdefault("LEARN_INSTANCE_PATH", folder + "/instance")

    from learn import create_app, migrate
    from learn.db import make_engine
    from learn.modules import CatalogHolder
    from tests import trainer_factories as tf
    from tests.conftest import FIXTURE_CONTENT, make_config, sign_in
    from tests.web.test_funders_queries import _filled_group

    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = create_app(
        make_config(
            url,
            Path(folder),
            LEARN_CATALOG_HOLDER=CatalogHolder(FIXTURE_CONTENT, reload=False),
            TESTING=False,
            LEARN_LOG_LEVEL="WARNING",
        )
    )
    db = app.extensions["learn.sessions"]()
    label = f"bench{time.time_ns() % 10**9}"
    world = _filled_group(db, label, args.learners)
    group_id, trainer = world["group"].id, world["trainer"].username
    db.close()
    client = app.test_client()
    sign_in(client, trainer)
    engine = app.extensions["learn.engine"]
    print(f"{args.learners} learners, {url.split(':')[0]}")
    for page in ("certificates", "certificates.csv", "certificates.pdf", "qualiopi"):
        path = f"/trainer/groups/{group_id}/{page}"
        client.get(path)  # warm: templates, fonts
        times = []
        for _ in range(args.repeat):
            with tf.count_queries(engine) as statements:
                began = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - began)
            assert response.status_code == 200, (path, response.status_code)
        print(
            f"{page:18} best {min(times):6.2f} s  median {statistics.median(times):6.2f} s  "
            f"{len(statements):4} queries  {len(response.data) // 1024} kB"
        )


if __name__ == "__main__":
    main()
