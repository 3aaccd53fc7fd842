"""Businesses from many sources, then the whole model path: property-based and by hand.

Businesses arrive from files with different extra columns: some with none, some with
columns blank on part of the rows, some with the same column as numbers in one file and
as text in another, as CSV or XLSX. Contacts for them follow; then ``train``,
``score_all``, a short schedule solve and an export of targets must all work: no
exception for valid files, and only a PlannerError (with nothing written) for a file that
is wrong."""

import datetime as dt
import io
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import exports, plans, scoring
from planner import scheduling as sch
from planner.auth import system_user
from planner.db import connect
from planner.demo import create_demo
from planner.errors import PlannerError
from planner.imports import ImportFailed, import_file
from tests.conftest import copy_db

ADMIN = system_user()
# Each example trains real models (about 4 s of CPU): 8 keep the test under a minute on
# two shared cores.
SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PROVINCES = ("16", "63")  # the demo world's staffed provinces
START = dt.date(2027, 1, 4)  # a Monday


@pytest.fixture(scope="module")
def small_world(tmp_path_factory):
    """A small demo world (partners, staff, potentials, 600 businesses with contacts),
    built once; every example works on its own copy."""
    path = tmp_path_factory.mktemp("fuzzworld") / "world.db"
    db = connect(path)
    create_demo(db, businesses=600)
    regencies = [r[0] for r in db.execute(
        "SELECT DISTINCT p.regency_code FROM partners p JOIN regencies r ON r.code = p.regency_code "
        "WHERE r.province_code IN (?, ?) ORDER BY 1", list(PROVINCES)).fetchall()]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path, regencies


# Extra columns a source may bring: (name, kind). The kinds: numbers, decimals, codes
# with a leading zero (phones: text), a few categories, free text, and numbers with
# the odd word in them (stored as text by the file that has the word).
EXTRAS = [
    ("owner_age", "int"),
    ("distance_km", "float"),
    ("phone", "code"),
    ("channel_pref", "category"),
    ("catatan", "text"),
    ("omzet", "mixed"),
    ("jarak (km)", "float"),
    ("umur_ü", "int"),
    ('kode "lama"', "category"),
    ("rowid", "int"),
]
FILL = st.sampled_from(["full", "partly blank", "mostly blank", "blank"])


def _column(kind: str, n: int, rng: np.random.Generator) -> list[str]:
    if kind == "int":
        return [str(v) for v in rng.integers(18, 75, n)]
    if kind == "float":
        return [f"{v:.2f}" for v in rng.random(n) * 40]
    if kind == "code":
        return [f"0812{v:07d}" for v in rng.integers(0, 10**7, n)]
    if kind == "category":
        return list(rng.choice(["wa", "telepon", "kunjungan", "surel"], n))
    if kind == "text":
        return [f"catatan {v}" for v in rng.integers(0, 10**6, n)]
    # mixed: numbers, and in some files a word among them
    vals = [str(v) for v in rng.integers(1, 500, n)]
    if rng.random() < 0.5:
        vals[0] = "tidak tahu"
    return vals


@st.composite
def business_file(draw, prefix: str, regencies: list[str]):
    """One source's businesses: the documented columns plus its own extras."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(60, 130))
    frame = pd.DataFrame({
        "business_id": [f"{prefix}-{i:04d}" for i in range(n)],
        "name": [f"Usaha {prefix} {i}" for i in range(n)],
        "regency_code": rng.choice(regencies, n),
        "sector": rng.choice(list("CGIS"), n),
        "size_class": rng.choice(["mikro", "kecil", "menengah"], n, p=[0.7, 0.2, 0.1]),
        "workers": rng.integers(1, 40, n),
        "founded_year": rng.integers(1985, 2025, n),
        "has_nib": rng.integers(0, 2, n),
        "kur_recipient": rng.integers(0, 2, n),
        "coop_member": rng.integers(0, 2, n),
        "digital_payments": rng.integers(0, 2, n),
        "enrolled": 0,
    }).astype(str)
    extras = draw(st.lists(st.sampled_from(EXTRAS), unique=True, max_size=4))
    for name, kind in extras:
        values = _column(kind, n, rng)
        fill = draw(FILL)
        share = {"full": 0.0, "partly blank": 0.3, "mostly blank": 0.95, "blank": 1.0}[fill]
        blank = rng.random(n) < share
        frame[name] = [("" if b else v) for v, b in zip(values, blank)]
    fmt = draw(st.sampled_from(["csv", "xlsx"]))
    return frame, fmt


def as_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """The file a person would upload: CSV through pandas, XLSX through openpyxl."""
    if fmt == "csv":
        return frame.to_csv(index=False).encode("utf-8")
    buf = io.BytesIO()
    frame.to_excel(buf, index=False, engine="openpyxl")
    return buf.getvalue()


def contacts_for(ids: list[str], *, mixed: bool, seed: int) -> pd.DataFrame:
    """One contact per business, both outcomes; with ``mixed`` about half not invited
    (so the uplift model has both arms)."""
    rng = np.random.default_rng(seed)
    n = len(ids)
    invited = (rng.random(n) < 0.5).astype(int) if mixed else np.ones(n, dtype=int)
    enrolled = (rng.random(n) < np.where(invited == 1, 0.35, 0.15)).astype(int)
    invited[:4], enrolled[:4] = [1, 1, 0, 0], [1, 0, 1, 0]  # both outcomes in both arms
    days = rng.integers(0, 300, n)
    return pd.DataFrame({
        "business_id": ids,
        "contacted_on": [(dt.date(2025, 1, 6) + dt.timedelta(days=int(d))).isoformat() for d in days],
        "channel": "sosialisasi",
        "invited": invited,
        "enrolled": enrolled,
    })


def snapshot(db) -> list:
    return db.execute("SELECT business_id, attributes FROM businesses ORDER BY business_id").fetchall()


def run_model_path(db, models, out) -> None:
    """Everything downstream of the imports, as a manager runs it."""
    result = scoring.train(db, ADMIN, models_dir=models, folds=2)
    assert result.kind == "hgb", result.message
    card = result.card
    assert not set(card["features"]["categorical"] + card["features"]["numeric"]) & set(card["features"]["dropped"])
    run = scoring.score_all(db, ADMIN, models_dir=models)
    open_count = db.execute("SELECT COUNT(*) FROM businesses WHERE enrolled = 0").fetchone()[0]
    assert run.scored == open_count
    bad = db.execute("SELECT COUNT(*) FROM scores WHERE NOT (p_enroll BETWEEN 0 AND 1) OR reasons IS NULL OR reasons = ''").fetchone()[0]
    assert bad == 0
    plan_id = plans.create_plan(db, ADMIN, "Uji campuran sumber", sch.Rules(
        start=START, end=START + dt.timedelta(days=6), provinces=PROVINCES, budget=40_000_000, time_limit=3))
    sol = plans.solve_plan(db, ADMIN, plan_id, time_limit=3)
    assert sol.status in ("OPTIMAL", "FEASIBLE"), sol.conflicts
    assert exports.export_table(db, ADMIN, "targets", out / "targets.csv") == open_count
    assert exports.export_table(db, ADMIN, "targets", out / "targets.xlsx") == open_count


@SETTINGS
@given(data=st.data())
def test_any_mix_of_business_sources_trains_scores_plans_and_exports(small_world, tmp_path_factory, data):
    path, regencies = small_world
    folder = tmp_path_factory.mktemp("mix")
    db = connect(copy_db(path, folder / "planner.db"))
    try:
        n_files = data.draw(st.integers(1, 4), label="business files")
        ids: list[str] = []
        for k in range(n_files):
            frame, fmt = data.draw(business_file(f"S{k}", regencies), label=f"file {k}")
            broken = data.draw(st.booleans(), label="broken") and data.draw(st.booleans())  # ~1 in 4
            if broken:  # a wrong cell: the whole file is refused and nothing is written
                frame.loc[len(frame) // 2, "workers"] = "banyak"
                before = snapshot(db)
                with pytest.raises(ImportFailed):
                    import_file(db, "businesses", as_bytes(frame, fmt), filename=f"s{k}.{fmt}", actor=ADMIN)
                assert snapshot(db) == before
                continue
            import_file(db, "businesses", as_bytes(frame, fmt), filename=f"s{k}.{fmt}", actor=ADMIN)
            ids += frame["business_id"].tolist()
        if len(ids) < 300:  # enough labelled contacts for the real model, whatever was refused
            frame, fmt = data.draw(business_file("T", regencies), label="top-up file")
            frame = pd.concat([frame] * 3, ignore_index=True)
            frame["business_id"] = [f"T-{i:04d}" for i in range(len(frame))]
            import_file(db, "businesses", as_bytes(frame, fmt), filename=f"t.{fmt}", actor=ADMIN)
            ids += frame["business_id"].tolist()
        mixed = data.draw(st.booleans(), label="invited and not invited")
        contacts = contacts_for(ids, mixed=mixed, seed=data.draw(st.integers(0, 2**32 - 1)))
        cfmt = data.draw(st.sampled_from(["csv", "xlsx"]), label="contacts format")
        import_file(db, "contacts", as_bytes(contacts, cfmt), filename=f"c.{cfmt}", actor=ADMIN)
        run_model_path(db, folder / "models", folder)
    finally:
        db.conn.close()


# ------------------------------------------------------------------ by hand
def _two_sources(db, regencies, *, second_extras: dict | None) -> list[str]:
    """Source A with extra columns, source B with only the documented ones (or its own)."""
    rng = np.random.default_rng(7)
    frames = []
    for prefix, n in (("A", 160), ("B", 160)):
        frames.append(pd.DataFrame({
            "business_id": [f"{prefix}-{i:04d}" for i in range(n)], "name": f"Usaha {prefix}",
            "regency_code": rng.choice(regencies, n), "sector": rng.choice(list("CGI"), n),
            "size_class": rng.choice(["mikro", "kecil"], n), "workers": rng.integers(1, 30, n),
            "founded_year": rng.integers(1990, 2024, n), "has_nib": rng.integers(0, 2, n),
            "kur_recipient": rng.integers(0, 2, n), "coop_member": rng.integers(0, 2, n),
            "digital_payments": rng.integers(0, 2, n), "enrolled": 0,
        }).astype(str))
    a, b = frames
    a["owner_age"] = [str(v) for v in rng.integers(20, 70, len(a))]
    a["distance_km"] = [f"{v:.1f}" for v in rng.random(len(a)) * 30]
    a["phone"] = [f"0813{v:07d}" for v in rng.integers(0, 10**7, len(a))]
    for name, values in (second_extras or {}).items():
        b[name] = values
    import_file(db, "businesses", as_bytes(a, "xlsx"), filename="a.xlsx", actor=ADMIN)
    import_file(db, "businesses", as_bytes(b, "csv"), filename="b.csv", actor=ADMIN)
    ids = a["business_id"].tolist() + b["business_id"].tolist()
    import_file(db, "contacts", as_bytes(contacts_for(ids, mixed=True, seed=3), "csv"), filename="c.csv", actor=ADMIN)
    return ids


def test_two_sources_one_without_extra_columns_trains_and_scores(small_world, tmp_path, monkeypatch, capsys):
    """Was: TypeError 'the JSON object must be str ... not float' in business_frame, for
    the businesses of the source without extras (NULL attributes read back as NaN).
    Run as the person ran it: the command line."""
    from planner.cli import main

    path, regencies = small_world
    db_path = copy_db(path, tmp_path / "planner.db")
    db = connect(db_path)
    _two_sources(db, regencies, second_extras=None)
    assert db.execute("SELECT COUNT(*) FROM businesses WHERE business_id LIKE 'B-%' AND attributes IS NULL").fetchone()[0] == 160
    frame = scoring.training_data(db).frame
    assert frame.loc[frame["business_id"].str.startswith("B-"), "owner_age"].isna().all()
    assert frame.loc[frame["business_id"].str.startswith("A-"), "owner_age"].notna().all()
    monkeypatch.setenv("PLANNER_MODELS", str(tmp_path / "models"))
    cli = ["--db", str(db_path)]
    assert main([*cli, "train", "--folds", "2", "--score"]) == 0
    assert "owner_age" in scoring.card_of(db, scoring.active_version(db))["features"]["numeric"]
    assert main([*cli, "schedule", "--start", START.isoformat(), "--end", (START + dt.timedelta(days=6)).isoformat(),
                 "--provinces", ",".join(PROVINCES), "--budget", "40000000", "--time-limit", "3",
                 "--out", str(tmp_path / "events.csv")]) == 0
    assert main([*cli, "export", "targets", "--out", str(tmp_path / "targets.csv")]) == 0
    targets = pd.read_csv(tmp_path / "targets.csv", encoding="utf-8-sig", dtype=str)
    assert {"A-0000", "B-0000"} <= set(targets["business_id"])
    assert "Traceback" not in capsys.readouterr().err
    db.conn.close()


def test_a_partly_blank_text_column_trains_and_explains(small_world, tmp_path):
    """Was: ValueError 'Input X contains NaN' in Explainer.fit, for a category column
    blank on some rows (pandas reads the blanks as NaN; the explanation's groups lost them)."""
    path, regencies = small_world
    db = connect(copy_db(path, tmp_path / "planner.db"))
    rng = np.random.default_rng(1)
    channel = [("" if rng.random() < 0.3 else v) for v in rng.choice(["wa", "telepon"], 160)]
    _two_sources(db, regencies, second_extras={"channel_pref": channel, "owner_age": ["tua"] + [""] * 159})
    run_model_path(db, tmp_path / "models", tmp_path)
    version = scoring.active_version(db)
    card = scoring.card_of(db, version)
    assert "channel_pref" in card["features"]["categorical"]
    assert "owner_age" in card["features"]["numeric"]  # one word among numbers: still a number column
    explainer = card["explainer"]
    assert "" in explainer["categorical"]["channel_pref"]["map"]  # blank is its own category
    assert all(np.isfinite(v) for info in explainer["categorical"].values() for v in info["map"].values())
    assert all(np.isfinite(v) for info in explainer["numeric"].values() for v in info["values"] + [info["missing"]])
    reasons = db.execute("SELECT reasons FROM scores s WHERE business_id LIKE 'B-%'").fetchall()
    assert reasons and all(r[0] for r in reasons)
    db.conn.close()


def test_explainer_copes_with_missing_constant_and_single_values():
    spec = scoring.FeatureSpec(("colour", "empty_cat"), ("x", "one", "none", "flat", "inf"), ())
    n = 50
    frame = pd.DataFrame({
        "colour": ["merah", None, "biru", np.nan, ""] * 10,
        "empty_cat": [None] * n,
        "x": np.r_[np.arange(n - 5), [np.nan] * 5],
        "one": [np.nan] * (n - 1) + [3.0],  # a single value
        "none": [None] * n,  # nothing at all
        "flat": [2.0] * n,  # no spread
        "inf": ["inf"] + ["1"] * (n - 1),  # text that parses as infinity
    })
    p = np.linspace(0.05, 0.9, n)
    ex = scoring.Explainer.fit(spec, frame, p)
    assert all(np.isfinite(v) for info in ex.numeric.values() for v in info["values"] + [info["missing"], info["mean"]])
    assert all(np.isfinite(v) for info in ex.categorical.values() for v in info["map"].values())
    assert np.isfinite(ex.fidelity["r2"]) and np.isfinite(ex.fidelity["r2_holdout"])
    reasons = ex.reasons(frame)
    assert len(reasons) == n and reasons.str.len().gt(0).all()
    # The same values read by SQLite for scoring (integers, no NaN) explain the same way.
    again = scoring.Explainer.from_json(json.loads(json.dumps(ex.to_json())))
    assert again.reasons(frame).tolist() == reasons.tolist()


def test_category_text_is_the_same_from_training_and_scoring():
    """json.loads gives floats for a number column with gaps, SQLite's json_extract gives
    integers: the same value must be the same category."""
    trained = scoring.as_category(pd.Series([30.0, np.nan, 2.5, "wa"], dtype=object))
    scored = scoring.as_category(pd.Series([30, None, 2.5, "wa"], dtype=object))
    assert trained.tolist() == scored.tolist() == ["30", "", "2.5", "wa"]
    assert scoring.as_number(pd.Series(["1", "inf", "", None, "x"])).isna().tolist() == [False, True, True, True, True]


def test_odd_column_names_are_read_for_scoring_as_for_training(small_world, tmp_path):
    """Scoring reads attributes with SQLite, training with json.loads: a column name with
    a quote, a backslash, an apostrophe, a non-ASCII letter or the name "rowid" must give
    the same values both ways (SQLite's json_extract found none for the first ones, so
    every business looked as if it lacked the column)."""
    path, regencies = small_world
    db = connect(copy_db(path, tmp_path / "planner.db"))
    odd = ['kode "lama"', "umur_ü", "jalur\\cabang", "pemilik's", "rowid", "jarak (km)", "a.b[0]"]
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({
        "business_id": [f"O-{i}" for i in range(20)], "name": "Usaha", "regency_code": regencies[0], "sector": "G",
        "size_class": "mikro", "workers": 3, "founded_year": 2010, "has_nib": 1, "kur_recipient": 0, "coop_member": 0,
        "digital_payments": 1, "enrolled": 0,
    }).astype(str)
    for i, name in enumerate(odd):
        frame[name] = [str(v) if i % 2 else f"v{v}" for v in rng.integers(0, 9, 20)]
    import_file(db, "businesses", as_bytes(frame, "csv"), filename="odd.csv", actor=ADMIN)
    chunk, _ = scoring.batch._read_chunk(db, odd, 0, 10**6)
    chunk = chunk[chunk["business_id"].str.startswith("O-")].set_index("business_id")
    stored = {b: json.loads(a) for b, a in db.execute("SELECT business_id, attributes FROM businesses WHERE business_id LIKE 'O-%'")}
    assert len(chunk) == 20
    for name in odd:
        assert chunk[name].tolist() == [stored[b][name] for b in chunk.index], name
        assert scoring.batch._attribute_present(db, name), name
    db.conn.close()
