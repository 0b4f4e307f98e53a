"""Migration 0009_observers: the observations recorded before it were recorded by their
observer (recorded_by is filled from the observer), and it can be undone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command

from learn import migrate
from learn.db import make_engine


def _row(table: sa.Table, **given) -> dict:
    """Values for every required column: those given, else a plain value of the column's type."""
    values = dict(given)
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        if column.server_default is not None:
            continue
        try:
            kind = column.type.python_type
        except NotImplementedError:
            kind = str
        values[column.name] = {
            bool: False,
            int: 0,
            float: 0.0,
            datetime: datetime(2026, 1, 1, tzinfo=UTC),
            date: date(2026, 1, 1),
            dict: {},
            list: [],
        }.get(kind, "x")
    return values


def test_older_observations_are_recorded_by_their_observer(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    migrate.upgrade(engine, "0008")
    meta = sa.MetaData()
    meta.reflect(engine)
    org, user, obs = (
        meta.tables["organisation"],
        meta.tables["user_account"],
        meta.tables["observation"],
    )
    with engine.begin() as conn:
        conn.execute(org.insert().values(_row(org, id=1, slug="o", name="O")))
        conn.execute(
            user.insert().values(
                _row(
                    user,
                    id=7,
                    organisation_id=1,
                    username="coach",
                    display_name="Karim",
                    role="trainer",
                )
            )
        )
        conn.execute(
            obs.insert().values(
                _row(
                    obs,
                    id=1,
                    organisation_id=1,
                    user_id=7,
                    level=3,
                    observer_id=7,
                    observer_name="Karim",
                )
            )
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT observer_role, recorded_by_id, recorded_by_name FROM observation")
        ).one()
    assert tuple(row) == (None, 7, "Karim")
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("observation")}
    assert "recorded_by_id" not in columns and "observer_name" in columns
    engine.dispose()
