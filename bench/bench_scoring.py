"""Benchmark: ``planner.scoring.score_all`` over a database of a million businesses.

Targets (issue "Enrolment scoring"): scoring every not-enrolled business end to end
(read with SQLite ``json_extract``, features, ``predict_proba``, uplift, reasons, write to
the staging table, swap) takes at most 3 x the bare ``predict_proba`` of the propensity
model on the same feature matrix, and its peak memory stays under 2 GB.

    python bench/bench_scoring.py                    # 1,000,000 businesses
    python bench/bench_scoring.py --rows 100000 --repeat 1
    python bench/bench_scoring.py --profile          # cProfile one score_all run too

Preparation runs in a child process, so its memory does not count: the demo world
(``create_demo(db, businesses=N)``) is built once into ``bench/out/scoring_<rows>.db``
and reused (``--rebuild`` makes it again); a model is trained on its contact history with
``train`` into ``bench/out/scoring_models_<rows>/`` and reused while it is the database's
active model (``--retrain`` trains again).

Measured in this process, in this order:

1. ``score_all(db, models_dir=...)`` end to end once, after a warm-up read of the
   businesses table so the file is in the page cache; peak memory is this process's
   ``ru_maxrss`` right after it (interpreter, imports, model files and scoring; nothing
   else has run yet). This first run also pays the one-off import of skops;
2. the feature matrix of every not-enrolled business, built once in memory (read,
   ``_features_for_scoring``, ``model_input``; not timed); then ``--repeat`` rounds of
   the bare ``model.predict_proba(X)`` of the propensity model (only the call is timed)
   followed by ``score_all`` end to end. Alternating the two means load from other
   processes on the machine hits both alike. The bare output is compared with the
   stored ``p_enroll``;
3. for the breakdown only: the uplift prediction and ``Explainer.reasons`` on the same rows.

The ratio is median(score_all) / median(predict_proba). ``--save-scores`` /
``--compare-scores`` keep the scores table as a pickle and check a later run wrote
exactly the same rows (to show an optimisation changed no result).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import subprocess
import sys
import time
from pathlib import Path

from _common import OUT, ROOT, machine, maxrss_mib, median, print_machine, remove_db, vm_hwm_mib

E2E_FACTOR = 3.0
MEMORY_LIMIT_MIB = 2048


def db_path(rows: int) -> Path:
    return OUT / f"scoring_{rows}.db"


def models_path(rows: int) -> Path:
    return OUT / f"scoring_models_{rows}"


# --------------------------------------------------------------------------- preparation (child)
def prepare(rows: int, rebuild: bool, retrain: bool, folds: int) -> dict:
    """Build the demo database and train a model if needed. Runs in a child process."""
    from planner.db import connect, get_meta
    from planner.demo import create_demo
    from planner.auth import system_user
    from planner.scoring import recorded_files, train

    path, models = db_path(rows), models_path(rows)
    out: dict = {}
    if rebuild or not path.exists():
        remove_db(path)
        db = connect(path)
        t0 = time.perf_counter()
        s = create_demo(db, businesses=rows)
        out["build_seconds"] = time.perf_counter() - t0
        print(f"built {path} in {out['build_seconds']:.1f} s: {s.businesses:,} businesses, {s.contacts:,} contacts")
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.close()
        retrain = True
    db = connect(path)
    active = get_meta(db, "active_model")
    # A version trained before model files were hashed cannot be loaded: train again.
    if retrain or not active or not (models / f"{active}.json").exists() or recorded_files(db, active) is None:
        t0 = time.perf_counter()
        result = train(db, system_user(), models_dir=models, folds=folds)
        out["train_seconds"] = time.perf_counter() - t0
        out["train_peak_rss_mib"] = maxrss_mib()
        print(f"trained in {out['train_seconds']:.1f} s (peak RSS {out['train_peak_rss_mib']:,.0f} MiB): {result.message}")
        active = result.version
    else:
        print(f"reusing {path} and model {active}")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    out["version"] = active
    return out


# --------------------------------------------------------------------------- measurement
def scores_frame(db):
    import pandas as pd

    return pd.DataFrame(
        db.execute("SELECT business_id, p_enroll, uplift, reasons, model_version FROM scores ORDER BY business_id").fetchall(),
        columns=["business_id", "p_enroll", "uplift", "reasons", "model_version"],
    )


def digest(df) -> str:
    h = hashlib.sha256()
    for col in ("business_id", "p_enroll", "uplift", "reasons"):
        h.update(df[col].astype(str).str.cat(sep="\x1f").encode())
    return h.hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="demo businesses (at most 1,000,000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed score_all runs (median)")
    ap.add_argument("--chunk-size", type=int, default=None, help="score_all chunk size (default: SCORE_CHUNK)")
    ap.add_argument("--folds", type=int, default=5, help="folds for train when a model is trained")
    ap.add_argument("--rebuild", action="store_true", help="build the demo database again (and retrain)")
    ap.add_argument("--retrain", action="store_true", help="train a new model even if one is cached")
    ap.add_argument("--profile", action="store_true", help="cProfile one more score_all run into bench/out/scoring.prof")
    ap.add_argument("--save-scores", type=Path, help="pickle the scores table written by score_all")
    ap.add_argument("--compare-scores", type=Path, help="check the scores table equals this pickle")
    ap.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    if args.prepare_only:
        info = prepare(args.rows, args.rebuild, args.retrain, args.folds)
        (OUT / f"bench_scoring_prepare_{args.rows}.json").write_text(json.dumps(info, indent=1))
        return 0

    import sklearn

    info = machine()
    info["scikit-learn"] = sklearn.__version__
    print("machine:")
    print_machine(info)
    command = f"python bench/bench_scoring.py {' '.join(sys.argv[1:])}".rstrip()
    print(f"command: {command}")

    child = [sys.executable, str(Path(__file__).resolve()), "--prepare-only", "--rows", str(args.rows), "--folds", str(args.folds)]
    child += ["--rebuild"] * args.rebuild + ["--retrain"] * args.retrain
    subprocess.run(child, check=True, cwd=ROOT)
    prep = json.loads((OUT / f"bench_scoring_prepare_{args.rows}.json").read_text())

    import numpy as np

    from planner import scoring
    from planner.auth import system_user
    from planner.db import connect
    from planner.scoring.uplift import predict_uplift

    path, models = db_path(args.rows), models_path(args.rows)
    db = connect(path)
    counts = {
        "businesses": db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0],
        "not_enrolled": db.execute("SELECT COUNT(*) FROM businesses WHERE enrolled = 0").fetchone()[0],
        "contacts": db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0],
    }
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    db.execute("SELECT COUNT(*), SUM(LENGTH(attributes)) FROM businesses").fetchone()  # warm the page cache
    chunk = args.chunk_size or scoring.SCORE_CHUNK
    rss_start = maxrss_mib()

    def loadavg() -> float:
        return float(Path("/proc/loadavg").read_text().split()[0])

    # 1. end to end, first run alone: its peak memory is the process's peak so far
    t0 = time.perf_counter()
    run = scoring.score_all(db, system_user(), models_dir=models, chunk_size=chunk)
    first_run = time.perf_counter() - t0
    peak = maxrss_mib()
    hwm = vm_hwm_mib()
    print(f"  score_all first run: {first_run:.2f} s (imports skops), {run.scored:,} scored, uplift {run.with_uplift}; peak RSS {peak:,.0f} MiB", flush=True)
    scores = scores_frame(db)
    scores_digest = digest(scores)

    # 2. the feature matrix, built once and not timed; then bare predict_proba and
    # score_all alternate, so a neighbour's load on the machine hits both alike
    version = run.version
    card, model = scoring.load_model(db, version, models)
    learner = scoring.load_uplift(db, version, models)
    explainer = scoring.Explainer.from_json(card["explainer"]) if card.get("explainer") else None
    spec = scoring.FeatureSpec(tuple(card["features"]["categorical"]), tuple(card["features"]["numeric"]), ())
    t0 = time.perf_counter()
    raw, _ = scoring.batch._read_chunk(db, scoring.batch._attribute_keys(card), 0, counts["not_enrolled"] + 1)
    frame = scoring.batch._features_for_scoring(raw, time.localtime().tm_year)
    X = scoring.model_input(frame, spec)
    build_s = time.perf_counter() - t0
    e2e, bare, loads = [], [], []
    for i in range(args.repeat):
        t0 = time.perf_counter()
        p = model.predict_proba(X)[:, 1]
        bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        scoring.score_all(db, system_user(), models_dir=models, chunk_size=chunk)
        e2e.append(time.perf_counter() - t0)
        loads.append(loadavg())
        print(f"  round {i + 1}: predict_proba {bare[-1]:.2f} s, score_all {e2e[-1]:.2f} s (load {loads[-1]:.2f})", flush=True)
    same = bool(len(p) == len(scores) and np.array_equal(frame["business_id"].to_numpy(dtype=object), scores["business_id"].to_numpy(dtype=object)))
    max_diff = float(np.max(np.abs(p - scores["p_enroll"].to_numpy()))) if same else float("nan")

    # 3. breakdown (same rows, one call each)
    t0 = time.perf_counter()
    if learner is not None:
        predict_uplift(learner, X)
    uplift_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    if explainer is not None:
        explainer.reasons(frame)
    reasons_s = time.perf_counter() - t0

    e2e_m, bare_m = median(e2e), median(bare)
    ratio = e2e_m / bare_m
    ratio_min = min(e2e) / min(bare)
    res = {
        "machine": info,
        "command": command,
        "rows": counts,
        "prepare": prep,
        "model": {"version": version, "uplift": learner["kind"] if learner else None,
                  "propensity_trees": [int(c.estimator[-1].n_iter_) for c in model.calibrated_classifiers_] if hasattr(model, "calibrated_classifiers_") else None},
        "chunk_size": chunk,
        "score_all_first_run_seconds": first_run,
        "score_all_seconds": e2e,
        "loadavg_after_rounds": loads,
        "score_all_median": e2e_m,
        "score_all_rows_per_s": counts["not_enrolled"] / e2e_m,
        "peak_rss_mib_after_score_all": peak,
        "vm_hwm_mib_after_score_all": hwm,
        "rss_before_score_all_mib": rss_start,
        "feature_matrix_build_seconds": build_s,
        "bare_predict_proba_seconds": bare,
        "bare_predict_proba_median": bare_m,
        "bare_matches_stored_p_enroll": same and max_diff < 1e-12,
        "bare_vs_stored_max_abs_diff": max_diff,
        "uplift_predict_seconds": uplift_s,
        "reasons_seconds": reasons_s,
        "ratio": ratio,
        "ratio_of_minimums": ratio_min,
        "scores_digest": scores_digest,
        "pass_ratio": ratio <= E2E_FACTOR,
        "pass_memory": peak < MEMORY_LIMIT_MIB,
    }
    print(f"\nscore_all end to end: median {e2e_m:.2f} s over {len(e2e)} ({counts['not_enrolled'] / e2e_m:,.0f} rows/s), chunk {chunk:,}")
    print(f"peak RSS after the first score_all: {peak:,.0f} MiB (before: {rss_start:,.0f} MiB) -> {'PASS' if res['pass_memory'] else 'FAIL'} (< {MEMORY_LIMIT_MIB} MiB)")
    print(f"feature matrix of {len(X):,} rows built in {build_s:.2f} s (not timed below)")
    print(f"bare predict_proba: median {bare_m:.2f} s over {len(bare)} (min {min(bare):.2f}); score_all min {min(e2e):.2f} s; same rows and values as stored: {res['bare_matches_stored_p_enroll']} (max diff {max_diff:.2g})")
    print(f"breakdown on the same rows: uplift ({res['model']['uplift']}) {uplift_s:.2f} s, reasons {reasons_s:.2f} s")
    print(f"ratio score_all / predict_proba = {ratio:.2f} (medians; minimums {ratio_min:.2f}) -> {'PASS' if res['pass_ratio'] else 'FAIL'} (<= {E2E_FACTOR})")
    print(f"scores digest {scores_digest[:16]}")

    if args.save_scores:
        scores.to_pickle(args.save_scores)
    if args.compare_scores:
        import pandas as pd

        old = pd.read_pickle(args.compare_scores)
        cols = ["business_id", "p_enroll", "uplift", "reasons"]
        equal = old[cols].reset_index(drop=True).equals(scores[cols].reset_index(drop=True))
        res["same_scores_as"] = {"file": str(args.compare_scores), "equal": bool(equal)}
        print(f"scores identical to {args.compare_scores}: {equal}")

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        scoring.score_all(db, system_user(), models_dir=models, chunk_size=chunk)
        prof.disable()
        prof.dump_stats(OUT / "scoring.prof")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)

    (OUT / f"bench_scoring_{args.rows}.json").write_text(json.dumps(res, indent=1, default=float), encoding="utf-8")
    return 0 if res["pass_ratio"] and res["pass_memory"] else 1


if __name__ == "__main__":
    sys.exit(main())
