"""Chunked scoring: every business not yet enrolled scored with the active model in
chunks on worker threads, then swapped into ``scores`` in one transaction."""

from __future__ import annotations

import datetime as dt
import numpy as np
import os
import pandas as pd
import sqlite_utils
from dataclasses import dataclass, field
from pathlib import Path
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import Pipeline

from planner.audit import record
from planner.auth import User, require
from planner.db import get_meta, set_meta, transaction
from planner.i18n import DEFAULT_LANG, t
from planner.scoring import calibration
from planner.scoring.features import BUSINESS_COLUMNS, FeatureSpec, attribute_sql, business_rows, feature_frame, model_input
from planner.scoring.files import load_model, load_uplift
from planner.scoring.notes import uplift_note
from planner.scoring.reasons import Explainer, REASON_LANGS
from planner.scoring.registry import active_version
from planner.scoring.training import TrainResult, train
from planner.scoring.uplift import _encoder_state, predict_uplift


# --------------------------------------------------------------------------- scoring
SCORE_CHUNK = 100_000


@dataclass(frozen=True)
class ScoreRun:
    version: str
    scored: int
    with_uplift: bool
    seconds: float
    # Attribute columns the model uses that no open business has: scored as missing
    # (the trees route missing values like any other value, the explanation fills the
    # training median), and named so the person can import them or retrain.
    absent: tuple[str, ...] = ()
    card: dict | None = field(default=None, repr=False, compare=False)  # the model card scored with

    def note(self, lang: str = DEFAULT_LANG) -> str:
        """What the person should know about this run beyond the count ("" if nothing)."""
        if not self.absent:
            return ""
        return t("model.absent_columns", lang, version=self.version, columns=", ".join(self.absent))

    def uplift_note(self, lang: str = DEFAULT_LANG) -> str:
        """Why no uplift was scored and what ranks instead ("" when uplift was scored)."""
        return "" if self.with_uplift or self.card is None else uplift_note(self.card, lang)


def _attribute_present(db: sqlite_utils.Database, key: str) -> bool:
    """Whether any business not yet enrolled has a value for attribute ``key``."""
    sql, params = _attribute_sql(key)
    return bool(db.execute(f"SELECT EXISTS (SELECT 1 FROM businesses WHERE enrolled = 0 AND {sql} IS NOT NULL)", params).fetchone()[0])


def _attribute_keys(card: dict) -> list[str]:
    feats = card.get("features", {})
    base = set(BUSINESS_COLUMNS) | {"province", "business_age"}
    return [c for c in feats.get("categorical", []) + feats.get("numeric", []) if c not in base]


def _attribute_sql(key: str) -> tuple[str, list[str]]:
    return attribute_sql(key)


def _read_chunk(db: sqlite_utils.Database, attr_keys: list[str], after_rowid: int, limit: int) -> tuple[pd.DataFrame, int]:
    """Businesses not yet enrolled, as they are now (``planner.features.business_rows``)."""
    return business_rows(db, attr_keys, after_rowid, limit)


def _features_for_scoring(chunk: pd.DataFrame, reference_year: int) -> pd.DataFrame:
    """The same builder training uses, seen at this year."""
    return feature_frame(chunk, reference_year)


def scored_count(db: sqlite_utils.Database) -> int:
    """How many businesses have a stored score: the one count of ``scores`` (the pages, the
    CLI and the audit of a scoring run ask the same question)."""
    return int(db.execute("SELECT COUNT(*) FROM scores").fetchone()[0])


def scoring_workers() -> int:
    """Threads that score chunks side by side: the CPUs this process may use, at most 4."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        n = os.cpu_count() or 1
    return max(1, min(4, n))


def _one_openmp_thread() -> None:
    """Initialiser of a scoring worker thread: tree prediction in this thread uses one
    OpenMP thread (``omp_set_num_threads`` is per thread; other threads keep theirs).

    Parallelism comes from scoring chunks side by side instead. Inside one
    ``predict_proba``, every tree is an OpenMP parallel region, and a region ends only
    when all its threads have finished: when another process holds one of the cores, each
    region waits a scheduler slice for the thread that lost it. With 100,000-row chunks
    that made scoring twice as slow as one call on all rows, and 20,000-row chunks ten
    times; one thread per chunk and one chunk per core has no such wait."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="openmp")


def _shared_encoding(model, learner: dict | None):
    """One encoding pass per chunk for every pipeline that scores it.

    The propensity model holds three calibrated ``encoder -> HistGradientBoosting``
    pipelines and the uplift learner two more; fitted on parts of one table, their
    encoders normally hold the same columns and categories. Then a chunk is encoded
    once and each boosting step reads that matrix: the same operations on the same
    numbers as each pipeline encoding for itself, with one encoding pass instead of five.

    Returns ``(encoder, model_on_encoded, learner_on_encoded)``: shallow copies whose
    pipelines are replaced by their last step (the loaded objects are not changed), or
    ``(None, model, learner)`` when the encoders differ or the model is of another shape."""
    import copy

    if not isinstance(model, CalibratedClassifierCV) or not hasattr(model, "calibrated_classifiers_"):
        return None, model, learner
    pipes = [cc.estimator for cc in model.calibrated_classifiers_]
    if learner is not None:
        pipes += [v for v in learner.values() if isinstance(v, Pipeline)]
    if not all(isinstance(pp, Pipeline) and len(pp) == 2 for pp in pipes):
        return None, model, learner
    state = _encoder_state(pipes[0])
    if state is None or any(_encoder_state(pp) != state for pp in pipes[1:]):
        return None, model, learner
    fast = copy.copy(model)
    fast.calibrated_classifiers_ = []
    for cc in model.calibrated_classifiers_:
        c = copy.copy(cc)
        c.estimator = cc.estimator[-1]
        fast.calibrated_classifiers_.append(c)
    fast_learner = None if learner is None else {k: v[-1] if isinstance(v, Pipeline) else v for k, v in learner.items()}
    return pipes[0][0], fast, fast_learner


@dataclass(frozen=True)
class _ChunkScorer:
    """Scores one chunk of businesses; runs in a worker thread and touches no database."""

    card: dict
    model: object
    learner: dict | None
    explainer: Explainer | None
    spec: FeatureSpec
    year: int
    encoder: object | None = None  # see _shared_encoding: model and learner then take its output

    def __call__(self, chunk: pd.DataFrame) -> tuple[list, list, list, np.ndarray, dict[str, list[str]]]:
        frame = _features_for_scoring(chunk, self.year)
        codes, texts = np.zeros(len(frame), dtype=np.int64), {lang: [""] for lang in REASON_LANGS}
        if self.card["kind"] == "rates":
            p = self.model.predict_proba(frame)[:, 1]
            u = np.full(len(frame), np.nan)
            texts = {lang: [t("reason.rates", lang)] for lang in REASON_LANGS}
        else:
            X = model_input(frame, self.spec)
            if self.encoder is not None:
                X = self.encoder.transform(X)
            # Corrected where training found a size class off (one source of truth: the
            # stored score is what plans and projections use).
            p = calibration.apply(self.card.get("size_calibration"), frame["size_class"].to_numpy(), self.model.predict_proba(X)[:, 1])
            u = predict_uplift(self.learner, X) if self.learner is not None else np.full(len(frame), np.nan)
            u = calibration.apply_uplift((self.card.get("uplift") or {}).get("calibration"), u)
            if self.explainer:
                codes, texts = self.explainer.reason_codes(frame)
        u_list = [None if np.isnan(v) else float(v) for v in u] if np.isnan(u).any() else u.tolist()
        return frame["business_id"].tolist(), p.tolist(), u_list, codes, texts


def score_all(
    db: sqlite_utils.Database,
    actor: User,
    *,
    models_dir: Path | None = None,
    chunk_size: int = SCORE_CHUNK,
    progress=None,
    workers: int | None = None,
    lang: str = DEFAULT_LANG,
) -> ScoreRun:
    """Score every business not yet enrolled with the active model: ``p_enroll``,
    ``uplift`` (where an uplift model exists) and ``reasons``. Streams in chunks, writes
    to a staging table, and swaps it in at the end in one short transaction, so a failed
    run leaves the previous scores untouched.

    This thread reads the chunks and writes the results, in order; ``workers`` threads
    (default: ``scoring_workers()``) compute the features and predictions of up to
    ``workers + 1`` chunks at a time. Each row's scores depend only on that row, so the
    result is the same whatever the number of workers."""
    import collections
    import time
    from concurrent.futures import ThreadPoolExecutor

    require(actor, "admin", "manager")
    t0 = time.perf_counter()
    version = active_version(db)
    card, model = load_model(db, version, models_dir, lang=lang)
    learner = load_uplift(db, version, models_dir, lang=lang) if card["kind"] == "hgb" else None
    explainer = Explainer.from_json(card["explainer"]) if card.get("explainer") else None
    spec = FeatureSpec(tuple(card["features"]["categorical"]), tuple(card["features"]["numeric"]), ())
    attr_keys = _attribute_keys(card)
    absent = tuple(k for k in attr_keys if not _attribute_present(db, k))
    encoder, model, learner = _shared_encoding(model, learner) if card["kind"] == "hgb" else (None, model, learner)
    scorer = _ChunkScorer(card, model, learner, explainer, spec, dt.date.today().year, encoder)
    workers = max(1, workers or scoring_workers())
    total = db.execute("SELECT COUNT(*) FROM businesses WHERE enrolled = 0").fetchone()[0]
    # The staging tables are TEMP tables: private to this connection, written without
    # the database's write lock or its WAL, and gone if the process dies. Only the swap
    # at the end writes to the database itself. Reasons are staged as numbers into a
    # table of distinct texts (a few thousand) and joined back in the swap.
    db.execute("DROP TABLE IF EXISTS temp.scores_staging")
    db.execute("DROP TABLE IF EXISTS temp.scores_reasons")
    db.execute("CREATE TEMP TABLE scores_staging (business_id TEXT, p_enroll REAL, uplift REAL, reason INTEGER)")
    db.execute("CREATE TEMP TABLE scores_reasons (id INTEGER PRIMARY KEY, text TEXT, text_en TEXT)")
    reason_ids: dict[tuple[str, str], int] = {}
    done = 0
    stamp = dt.datetime.now().isoformat(timespec="seconds")

    def write(result) -> None:
        nonlocal done
        business_ids, p, u, codes, texts = result
        pairs = list(zip(texts["id"], texts["en"]))  # one reason in both languages
        new = [(reason_ids.setdefault(x, len(reason_ids)), *x) for x in dict.fromkeys(pairs) if x not in reason_ids]
        ids = np.array([reason_ids[x] for x in pairs], dtype=np.int64)[codes]
        with transaction(db, immediate=False):
            db.conn.executemany("INSERT INTO temp.scores_reasons (id, text, text_en) VALUES (?, ?, ?)", new)
            db.conn.executemany(
                "INSERT INTO temp.scores_staging (business_id, p_enroll, uplift, reason) VALUES (?,?,?,?)",
                zip(business_ids, p, u, ids.tolist()),
            )
        done += len(business_ids)
        if progress:
            progress(done, total)

    pool = ThreadPoolExecutor(max_workers=workers, initializer=_one_openmp_thread, thread_name_prefix="score")
    try:
        pending: collections.deque = collections.deque()
        last = 0
        while True:
            chunk, last = _read_chunk(db, attr_keys, last, chunk_size)
            if chunk.empty:
                break
            pending.append(pool.submit(scorer, chunk))
            if len(pending) > workers:  # at most workers + 1 chunks in memory
                write(pending.popleft().result())
        while pending:
            write(pending.popleft().result())
        _swap_scores(db, version, stamp, actor)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        db.execute("DROP TABLE IF EXISTS temp.scores_staging")
        db.execute("DROP TABLE IF EXISTS temp.scores_reasons")
    return ScoreRun(version, done, learner is not None, time.perf_counter() - t0, absent, card)


def _referenced_by(db: sqlite_utils.Database, table: str) -> bool:
    """Whether any table has a foreign key to ``table``."""
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    return any(
        r[0] == table
        for name in names
        for r in db.execute("SELECT \"table\" FROM pragma_foreign_key_list(?)", [name]).fetchall()
    )


def _swap_scores(db: sqlite_utils.Database, version: str, stamp: str, actor: User) -> None:
    """Replace the stored scores by the staged ones in one write transaction.

    Only businesses that still exist get a score (the join to ``businesses``). That join
    is the check the foreign key of ``scores`` makes, so the constraint is switched off
    for this one transaction where that is safe: with it on, SQLite deletes the old
    scores row by row (``scores`` is a child table) and looks up every new row's business
    a second time, which at a million rows held the write lock two to three times as long.
    It stays on when another table references ``scores`` (the DELETE must then run that
    key's actions) or a transaction is already open (the pragma does nothing inside one)."""
    conn = db.conn
    fk_on = conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    switch = fk_on and not conn.in_transaction and not _referenced_by(db, "scores")
    if switch:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with transaction(db):
            before = {"scored_version": get_meta(db, "scored_version"), "rows": scored_count(db)}
            db.execute("DELETE FROM scores")
            db.execute(
                "INSERT INTO scores (business_id, p_enroll, uplift, reasons, reasons_en, model_version, scored_at) "
                "SELECT s.business_id, s.p_enroll, s.uplift, r.text, r.text_en, ?, ? "
                "FROM temp.scores_staging s JOIN businesses b ON b.business_id = s.business_id "
                "JOIN temp.scores_reasons r ON r.id = s.reason ORDER BY s.rowid",
                [version, stamp],
            )
            set_meta(db, "scored_version", version)
            set_meta(db, "scored_at", stamp)
            after = {"scored_version": version, "rows": scored_count(db)}
            record(db, actor, "scores.refresh", "scores", version, before, after)
    finally:
        if switch:
            conn.execute("PRAGMA foreign_keys = ON")


def export_scores(db: sqlite_utils.Database) -> pd.DataFrame:
    """The stored scores as ``business_id, p_enroll, uplift, reasons`` (best first).

    ``p_enroll`` and ``uplift`` are always float columns: without an uplift model every
    uplift is missing (NaN), never a column of None that arithmetic chokes on."""
    df = pd.DataFrame(
        db.execute("SELECT business_id, p_enroll, uplift, reasons FROM scores ORDER BY COALESCE(uplift, p_enroll) DESC, business_id").fetchall(),
        columns=["business_id", "p_enroll", "uplift", "reasons"],
    )
    for c in ("p_enroll", "uplift"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df


def retrain_and_score(db: sqlite_utils.Database, actor: User, *, models_dir: Path | None = None, progress=None, lang: str = DEFAULT_LANG) -> tuple[TrainResult, ScoreRun]:
    """One step for the manager's button and the CLI: train a new version, make it
    active, and rescore every open business with it."""
    result = train(db, actor, models_dir=models_dir, lang=lang)
    run = score_all(db, actor, models_dir=models_dir, progress=progress, lang=lang)
    return result, run
