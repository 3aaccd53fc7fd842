"""Shared fixtures: a small demo database built once per session and copied per test."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.db import connect  # noqa: E402
from planner.demo import create_demo  # noqa: E402
from planner.reference import load_reference  # noqa: E402

DEMO_BUSINESSES = 3000


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = connect(path)
    create_demo(db, businesses=DEMO_BUSINESSES)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a database file through SQLite's online backup."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def copy_scored(scored: tuple[Path, Path], folder: Path, name: str = "scored.db") -> tuple[Path, Path]:
    """A private copy of the scored demo database and its model files in ``folder``."""
    path, models = scored
    shutil.copytree(models, folder / "models")
    return copy_db(path, folder / name), folder / "models"


@pytest.fixture
def demo_db_path(demo_db_file, tmp_path) -> Path:
    """A private copy of the demo database (tests may write to it)."""
    return copy_db(demo_db_file, tmp_path / "planner.db")


@pytest.fixture
def demo_db(demo_db_path):
    db = connect(demo_db_path)
    yield db
    db.conn.close()


@pytest.fixture
def ref_db(tmp_path):
    """A database with only the reference data."""
    db = connect(tmp_path / "ref.db")
    load_reference(db)
    yield db
    db.conn.close()


@pytest.fixture(scope="session")
def scored_db_file(demo_db_file, tmp_path_factory):
    """The demo database with a trained model and scores (models in their own folder)."""
    from planner import scoring

    folder = tmp_path_factory.mktemp("scored")
    path = copy_db(demo_db_file, folder / "scored.db")
    models = folder / "models"
    db = connect(path)
    from planner.auth import system_user

    scoring.retrain_and_score(db, system_user(), models_dir=models)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path, models


@pytest.fixture
def scored_copy(scored_db_file, tmp_path, monkeypatch) -> Path:
    """A private copy of the scored demo database that the app (PLANNER_DB,
    PLANNER_MODELS) will open; returns the database path."""
    path, models = copy_scored(scored_db_file, tmp_path)
    monkeypatch.setenv("PLANNER_DB", str(path))
    monkeypatch.setenv("PLANNER_MODELS", str(models))
    return path


PAST_START = __import__("datetime").date(2026, 10, 5)  # a Monday, before the tests' today


@pytest.fixture(scope="session")
def published_file(scored_db_file, tmp_path_factory):
    """The scored demo with a published four-week Sumatera Selatan plan in the past (so
    its events can be reported); returns (path, plan_id, models folder)."""
    import datetime as dt

    from planner import auth, plans
    from planner import scheduling as sch

    path = copy_db(scored_db_file[0], tmp_path_factory.mktemp("published") / "published.db")
    db = connect(path)
    manager = auth.User("manajer", "manager", (), "Manajer")
    rules = sch.Rules(start=PAST_START, end=PAST_START + dt.timedelta(days=27), provinces=("16",), budget=80_000_000, time_limit=10)
    plan_id = plans.create_plan(db, manager, "Sumsel Oktober", rules)
    plans.solve_plan(db, manager, plan_id)
    plans.publish_plan(db, manager, plan_id, seed=1)  # the control group held back is the same in every run
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path, plan_id, scored_db_file[1]
