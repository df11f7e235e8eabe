"""Shared fixtures: the examples folder, the shared data, and a fresh PostgreSQL database per test."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    if not EXAMPLES.is_dir():
        pytest.skip(f"examples folder {EXAMPLES} is absent")
    return EXAMPLES


@pytest.fixture(scope="session")
def shared_data() -> Path:
    from storyline.bench.common import shared_data as find

    root = find()
    if root is None:
        pytest.skip("../shared/data is absent (set STORYLINE_SHARED_DATA to run this test)")
    return root


@pytest.fixture
def pg_url():
    """A URL to a freshly created, uniquely named PostgreSQL database, dropped afterwards.

    Needs $STORYLINE_TEST_PG (an admin URL; `eval "$(bash scripts/pg.sh)"` sets it, as scripts/test.sh does).
    """
    base = os.environ.get("STORYLINE_TEST_PG")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("STORYLINE_TEST_PG is not set under CI: scripts/test.sh must start PostgreSQL")
        pytest.skip("STORYLINE_TEST_PG is not set: start a server with `eval \"$(bash scripts/pg.sh)\"`")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from storyline.store.store import normalize_url

    admin_url = make_url(normalize_url(base))
    name = f"storyline_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # server down: say so rather than erroring obscurely
        admin.dispose()
        pytest.fail(f"cannot create a test database on {admin_url.render_as_string()}: {exc}")
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
