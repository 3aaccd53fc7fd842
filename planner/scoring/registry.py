"""The registry of trained models: where their files live, their cards, which version
is active, and comparing two versions."""

from __future__ import annotations

import json
import os
import pandas as pd
import sqlite_utils
from pathlib import Path

from planner.audit import record
from planner.auth import User, require
from planner.db import ROOT, get_meta, set_meta, transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t


MODELS_DIR = ROOT / "models"


def models_home() -> Path:
    """Where model files live: ``$PLANNER_MODELS`` if set, else ``models/``."""
    return Path(os.environ.get("PLANNER_MODELS") or MODELS_DIR)


def card_of(db: sqlite_utils.Database, version: str) -> dict:
    row = db.execute("SELECT card FROM model_runs WHERE version = ?", [version]).fetchone()
    if row is None:
        raise PlannerError(t("model.unknown_version", DEFAULT_LANG, version=version))
    return json.loads(row[0])


def compare_versions(db: sqlite_utils.Database, new: str, old: str) -> dict:
    """What changed from ``old`` to ``new``: data size, features, and each metric."""
    a, b = card_of(db, old), card_of(db, new)
    feats = lambda c: set(c.get("features", {}).get("categorical", [])) | set(c.get("features", {}).get("numeric", []))
    metrics = []
    for block in ("cv", "time_split"):
        for name in ("roc_auc", "pr_auc", "brier", "lift_10", "lift_20"):
            va = a.get("metrics", {}).get(block, {}).get("model", {}).get(name)
            vb = b.get("metrics", {}).get(block, {}).get("model", {}).get(name)
            if va is not None or vb is not None:
                metrics.append({"validation": block, "metric": name, "old": va, "new": vb,
                                "change": (vb - va) if va is not None and vb is not None else None})
    qini = lambda c: (c.get("uplift", {}).get("learners", {}).get(c.get("uplift", {}).get("chosen"), {}) or {}).get("qini")
    return {
        "old": old, "new": new,
        "rows": (a.get("rows"), b.get("rows")),
        "positives": (a.get("positives"), b.get("positives")),
        "kind": (a.get("kind"), b.get("kind")),
        "features_added": sorted(feats(b) - feats(a)),
        "features_removed": sorted(feats(a) - feats(b)),
        "data_changed": a.get("data_hash") != b.get("data_hash"),
        "metrics": metrics,
        "qini": (qini(a), qini(b)),
    }


def list_models(db: sqlite_utils.Database) -> pd.DataFrame:
    active = get_meta(db, "active_model")
    df = pd.DataFrame(db.query("SELECT version, kind, created, rows, roc_auc FROM model_runs ORDER BY id DESC"))
    if not df.empty:
        df["active"] = df["version"] == active
    return df


def activate(db: sqlite_utils.Database, actor: User, version: str) -> None:
    """Make ``version`` the active model (managers and admins)."""
    require(actor, "admin", "manager")
    if db.execute("SELECT 1 FROM model_runs WHERE version = ?", [version]).fetchone() is None:
        raise PlannerError(t("model.unknown_version", DEFAULT_LANG, version=version))
    with transaction(db):
        before = get_meta(db, "active_model")
        set_meta(db, "active_model", version)
        record(db, actor, "model.activate", "meta", "active_model", {"active_model": before}, {"active_model": version})


def active_version(db: sqlite_utils.Database) -> str:
    version = get_meta(db, "active_model")
    if not version:
        raise PlannerError(t("model.none_active", DEFAULT_LANG))
    return version


def previous_version(db: sqlite_utils.Database, version: str) -> str | None:
    row = db.execute(
        "SELECT version FROM model_runs WHERE id < (SELECT id FROM model_runs WHERE version = ?) ORDER BY id DESC LIMIT 1",
        [version],
    ).fetchone()
    return row[0] if row else None
