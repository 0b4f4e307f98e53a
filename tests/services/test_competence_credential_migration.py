"""Migration 0018_competence_credentials: issued_credential.kind accepts 'competence' (and still
refuses an unknown kind) without losing a credential; going back is refused while a competence
credential exists (a signed credential is never deleted), and allowed once there is none."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from learn import migrate
from tests.services.test_observation_migration import _row
from tests.services.test_tutor_migration import _account, _downgrade, engine  # noqa: F401


def _credential(table: sa.Table, kind: str, index: int) -> dict:
    return _row(
        table, id=uuid.uuid4().hex, organisation_id=1, learner_id=7, kind=kind,
        subject_ref="essai/ecouter-client", status_index=index, status_list=1,
    )  # fmt: skip


def test_competence_credentials_arrive_and_block_the_way_back(engine):  # noqa: F811
    migrate.upgrade(engine, "0017_validation")
    meta = sa.MetaData()
    meta.reflect(engine)
    org, user, issued = (
        meta.tables["organisation"],
        meta.tables["user_account"],
        meta.tables["issued_credential"],
    )
    with engine.begin() as conn:
        conn.execute(org.insert().values(_row(org, id=1, slug="o", name="O")))
        conn.execute(user.insert().values(_account(user, id=7, username="lea", role="learner")))
        conn.execute(issued.insert().values(_credential(issued, "skill_level", 0)))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(issued.insert().values(_credential(issued, "competence", 1)))
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(issued.insert().values(_credential(issued, "competence", 1)))
        if engine.dialect.name == "sqlite":
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(issued.insert().values(_credential(issued, "diploma", 2)))
    with pytest.raises(RuntimeError, match="never deleted"):
        _downgrade(engine, "0017_validation")
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM issued_credential")).scalar() == 2
        conn.execute(sa.text("DELETE FROM issued_credential WHERE kind = 'competence'"))
    _downgrade(engine, "0017_validation")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(issued.insert().values(_credential(issued, "competence", 3)))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT kind FROM issued_credential")).scalars().all() == [
            "skill_level"
        ]
