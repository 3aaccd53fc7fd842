"""Model features: one builder for training and scoring, from each business as it was.

Training learns from contacts; each contact carries a snapshot of its business taken
when the contact was recorded (``contacts.business_state``, filled by
``snapshot_new_contacts`` right after a contact is written), so a later change — a NIB
obtained, workers hired, an attribute corrected or added after the contact — does not
reach back into the history. ``business_age`` is counted at the contact's date, not
today. Contacts recorded before Jangkau kept snapshots fall back to today's row, and the
model card says how many did.

Both paths read raw business rows with the same SQL expressions (``attribute_sql``) and
pass them through the same ``feature_frame`` and ``model_input``; they differ only in
where a row comes from (the snapshot or the live table) and the date it is seen at
(the contact's, or today). ``tests/test_model_trust.py`` checks that a business yields
identical features both ways.

``enrolled`` and everything recorded after a contact (attendance, workers enrolled,
programmes, walk-in) never enter. A column that on its own separates the outcome almost
perfectly is refused by ``check_leakage``: in outreach data no honest attribute does.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlite_utils

from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, fmt_num, t

SEED = 0  # every model's random state: the same data give the same model
MAX_CATEGORIES = 50  # text columns with more distinct values (names, phones) are not features
BASE_CATEGORICAL = ["province", "sector", "size_class"]
LEAK_AUC = 0.95  # one column alone ranking outcomes better than this is refused

# The business columns every model input starts from (attributes come after them).
BUSINESS_COLUMNS = [
    "business_id", "regency_code", "sector", "size_class", "workers", "founded_year",
    "has_nib", "kur_recipient", "coop_member", "digital_payments",
]
DERIVED = ("province", "business_age")
# Names an attribute cannot take as a feature: the base columns, what is derived from
# them, and the outcome itself.
RESERVED = frozenset(BUSINESS_COLUMNS) | frozenset(DERIVED) | {"enrolled", "name", "attributes"}

# A business as JSON: what a contact's snapshot holds (never ``enrolled`` or the name).
STATE_JSON_SQL = (
    "json_object('regency_code', b.regency_code, 'sector', b.sector, 'size_class', b.size_class, 'workers', b.workers, "
    "'founded_year', b.founded_year, 'has_nib', b.has_nib, 'kur_recipient', b.kur_recipient, 'coop_member', b.coop_member, "
    "'digital_payments', b.digital_payments, 'attributes', "
    "CASE WHEN json_valid(b.attributes) THEN CASE WHEN json_type(b.attributes) = 'object' THEN json(b.attributes) END END)"
)


def snapshot_new_contacts(db: sqlite_utils.Database) -> int:
    """Give every contact written since the last call a snapshot of its business as it
    is now (the moment the contact is recorded). Run inside the transaction that wrote
    the contacts; cheap (a partial index holds only the contacts still without one).
    Returns how many contacts got one."""
    cur = db.execute(
        f"UPDATE contacts SET business_state = (SELECT {STATE_JSON_SQL} FROM businesses b WHERE b.business_id = contacts.business_id) "
        "WHERE business_state IS NULL"
    )
    return cur.rowcount


# --------------------------------------------------------------------------- values
def as_number(s: pd.Series) -> pd.Series:
    """A column as floats: text that is no number, blanks and infinities are missing (NaN).

    One rule for training, scoring and explaining, so a value means the same in each.
    Infinities count as missing because a text cell "inf" parses as one and would make
    the explanation's linear fit fail."""
    x = pd.to_numeric(s, errors="coerce").astype(float)
    return x.where(np.isfinite(x))


def _category_text(value: object) -> str:
    """One category value as text: missing is "", whole numbers without ".0"."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_, int, np.integer)):  # SQLite reads JSON true as 1
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def as_category(s: pd.Series) -> pd.Series:
    """A column as category text (object dtype), missing as "".

    A column of numbers with gaps can come back from SQLite as floats in one read and
    integers in another; writing every number the same way ("30", never "30.0") makes
    the same value the same category everywhere. Formats each distinct value once."""
    if isinstance(s.dtype, pd.StringDtype):
        return s.astype(object).where(s.notna(), "")
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    texts = np.array([_category_text(v) for v in uniques] + [""], dtype=object)
    return pd.Series(texts[codes], index=s.index, dtype=object)


@dataclass(frozen=True)
class FeatureSpec:
    categorical: tuple[str, ...]
    numeric: tuple[str, ...]
    dropped: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return list(self.categorical) + list(self.numeric)


def choose_features(frame: pd.DataFrame, exclude: set[str]) -> FeatureSpec:
    """Every usable column: numbers as numbers, text with few distinct values as
    categories; identifiers and free text (names, phone numbers) are dropped."""
    cats, nums, dropped = [], [], []
    for c in frame.columns:
        if c in exclude:
            continue
        s = frame[c]
        filled = s.notna() & (s.astype(str).str.strip() != "")
        if c in BASE_CATEGORICAL:
            cats.append(c)
        elif not filled.any():  # absent for every row (e.g. a column only other sources have)
            dropped.append(c)
        elif pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            nums.append(c)
        else:
            # Share of numbers among the filled cells: a column blank for the businesses
            # of one source is still numeric for the others.
            numeric = pd.to_numeric(s[filled], errors="coerce")
            if numeric.notna().mean() > 0.98 and not s[filled].astype(str).str.match(r"^0\d").any():
                nums.append(c)
            elif s.nunique(dropna=True) <= MAX_CATEGORIES:
                cats.append(c)
            else:
                dropped.append(c)
    return FeatureSpec(tuple(cats), tuple(nums), tuple(dropped))


# What a missing number becomes in the feature matrix: below every real value, so a
# tree splits missing off from the smallest values like any other low value.
#
# Not NaN, although gradient boosting has native missing-value support: scikit-learn
# 1.9's binning fails ("window shape cannot be larger than input array shape") on a
# column with no value at all in the rows of one fit, and the fits on parts of the data
# (grouped validation folds, calibration folds, the early-stopping split, the uplift
# arms) routinely hit that with a column that only some sources have.
MISSING_NUMBER = -1e12


def model_input(frame: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    """The feature matrix for ``spec``: missing columns are an error, categories are
    strings (missing: ""), numbers are floats (blank, unparseable or infinite values
    are missing: ``MISSING_NUMBER``)."""
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise PlannerError(t("model.columns_missing", DEFAULT_LANG, columns=", ".join(missing)))
    X = pd.DataFrame(index=frame.index)
    for c in spec.categorical:
        X[c] = as_category(frame[c])
    for c in spec.numeric:
        X[c] = as_number(frame[c]).fillna(MISSING_NUMBER)
    return X


# --------------------------------------------------------------------------- the one builder
def _years(as_of, n: int) -> np.ndarray | float:
    """The calendar year of ``as_of``: a date, a year, or one ISO date per row."""
    if isinstance(as_of, (dt.date, dt.datetime)):
        return float(as_of.year)
    if isinstance(as_of, (int, np.integer, float)):
        return float(as_of)
    years = pd.to_numeric(pd.Series(np.asarray(as_of, dtype=object)).astype(str).str.slice(0, 4), errors="coerce").to_numpy(dtype=float)
    if len(years) != n:
        raise ValueError(f"{len(years)} dates for {n} rows")
    return years


def feature_frame(rows: pd.DataFrame, as_of) -> pd.DataFrame:
    """Business rows (``BUSINESS_COLUMNS`` plus attribute columns, as SQLite returns
    them) as model input, seen at ``as_of`` (a date for all rows, or one contact date
    per row): adds ``province`` (the first two digits of the Kemendagri regency code)
    and ``business_age`` (years since founding at that date, never negative). The same
    function for training and scoring, so a business means the same to both."""
    out = rows.copy()
    out["province"] = out["regency_code"].astype(str).str.slice(0, 2)
    out["business_age"] = (_years(as_of, len(out)) - as_number(out["founded_year"])).clip(lower=0)
    return out


def attribute_sql(key: str, source: str = "businesses.attributes") -> tuple[str, list[str]]:
    """SQL for one attribute inside the JSON object ``source`` and its parameters.

    ``json_extract`` is the fast way, but SQLite (3.40 here) compares a path's label
    with the key as written in the JSON text, escapes and all: a key with a quote, a
    backslash, a control or a non-ASCII character (written escaped, as ``\\u00fc``)
    would never be found and every business would look as if it lacked the column.
    Such keys are looked up with ``json_each``, which compares decoded keys."""
    if key.isascii() and key.isprintable() and '"' not in key and "\\" not in key:
        return f"json_extract({source}, '$.\"%s\"')" % key.replace("'", "''"), []
    return f"(SELECT value FROM json_each({source}) WHERE key = ?)", [key]


@dataclass(frozen=True)
class ContactRows:
    """Every usable contact with its business as it was when the contact was recorded."""

    rows: pd.DataFrame  # BUSINESS_COLUMNS + attribute columns, one row per contact
    dates: np.ndarray  # contacted_on (ISO dates)
    invited: np.ndarray  # 1 invited, 0 not (control)
    enrolled: np.ndarray  # the outcome
    selection_prob: np.ndarray  # recorded chance of being invited (NaN where unknown)
    kept: np.ndarray  # True where the contact's snapshot was used, False: today's row


def contact_rows(db: sqlite_utils.Database) -> ContactRows:
    """The contact history as business rows, in date order.

    Walk-ins are left out: they chose to come, so they are neither invited nor a
    control, and their outcome shaped whether they appear at all. A contact's snapshot
    (``business_state``) is used where one was kept; contacts recorded before
    snapshots existed use today's row (``kept`` is False for them)."""
    kept = "json_extract(c.business_state, '$.size_class') IS NOT NULL"
    history = (
        f"SELECT c.id, c.contacted_on, c.invited, c.enrolled, c.selection_prob AS prob, {kept} AS kept, c.business_id, "
        f"CASE WHEN {kept} THEN c.business_state ELSE {STATE_JSON_SQL} END AS state "
        "FROM contacts c JOIN businesses b ON b.business_id = c.business_id WHERE c.walk_in = 0"
    )
    keys = [
        r[0] for r in db.execute(
            f"WITH h AS ({history}) SELECT DISTINCT j.key FROM h, json_each(h.state, '$.attributes') j "
            "WHERE j.key IS NOT NULL ORDER BY j.key").fetchall()
        if r[0] not in RESERVED
    ]
    parts = [attribute_sql(k, "json_extract(h.state, '$.attributes')") for k in keys]
    base = ", ".join(f"json_extract(h.state, '$.{c}')" for c in BUSINESS_COLUMNS[1:])
    sql = (
        f"WITH h AS ({history}) SELECT h.contacted_on, h.invited, h.enrolled, h.prob, h.kept, h.business_id, {base}"
        + "".join(", " + s for s, _ in parts) + " FROM h ORDER BY h.contacted_on, h.id"
    )
    cur = db.execute(sql, [p for _, ps in parts for p in ps])
    data = cur.fetchall()
    cols = BUSINESS_COLUMNS + keys
    if not data:
        empty = np.array([], dtype=int)
        return ContactRows(pd.DataFrame(columns=cols), np.array([], dtype=object), empty, empty, np.array([], dtype=float), np.array([], dtype=bool))
    df = pd.DataFrame.from_records(data, columns=range(5 + len(cols)))
    dates = df[0].astype(str).to_numpy()
    invited = df[1].to_numpy(dtype=int)
    enrolled = df[2].to_numpy(dtype=int)
    prob = pd.to_numeric(df[3], errors="coerce").to_numpy(dtype=float)
    kept = df[4].to_numpy(dtype=int).astype(bool)
    rows = df.drop(columns=[0, 1, 2, 3, 4])
    rows.columns = cols
    return ContactRows(rows.reset_index(drop=True), dates, invited, enrolled, prob, kept)


def business_rows(db: sqlite_utils.Database, attr_keys: list[str], after_rowid: int, limit: int, *,
                  where: str = "enrolled = 0", params: list | None = None) -> tuple[pd.DataFrame, int]:
    """Businesses (by default those not yet enrolled) as they are now, with the
    attribute keys the model needs pulled out of the JSON by SQLite itself (no per-row
    json.loads in Python), ``limit`` rows after ``after_rowid``. Returns the rows and the
    last rowid read (kept out of the frame: an attribute may be called "rowid")."""
    parts = [attribute_sql(k) for k in attr_keys]
    attr_sql = "".join(", " + sql for sql, _ in parts)
    cur = db.execute(
        f"SELECT rowid, {', '.join(BUSINESS_COLUMNS)}{attr_sql} FROM businesses "
        f"WHERE {where} AND rowid > ? ORDER BY rowid LIMIT ?",
        [p for _, ps in parts for p in ps] + list(params or []) + [after_rowid, limit],
    )
    cols = BUSINESS_COLUMNS + list(attr_keys)
    rows = cur.fetchall()
    if not rows:
        return pd.DataFrame(columns=cols), after_rowid
    # Numbered columns first: the rowid is dropped by position, whatever the names.
    df = pd.DataFrame.from_records(rows, columns=range(len(cols) + 1))
    last = int(df[0].iloc[-1])
    df = df.drop(columns=0)
    df.columns = cols
    return df, last


# --------------------------------------------------------------------------- leakage
def single_feature_auc(X: pd.DataFrame, spec: FeatureSpec, y: np.ndarray, seed: int = 0) -> dict[str, float]:
    """How well each feature alone ranks the outcome: ROC AUC, folded so that 0.3 and
    0.7 both count as 0.7. Numbers rank by value (missing lowest); categories by their
    out-of-fold enrolment rate (scikit-learn's ``TargetEncoder`` with cross fitting, so a
    category seen once does not "predict" itself)."""
    from sklearn.metrics import roc_auc_score
    from sklearn.preprocessing import TargetEncoder

    y = np.asarray(y, dtype=int)
    if len(np.unique(y)) < 2:
        return {}
    out: dict[str, float] = {}
    for c in spec.numeric:
        v = X[c].to_numpy(dtype=float)
        auc = roc_auc_score(y, v) if np.unique(v).size > 1 else 0.5
        out[c] = float(max(auc, 1 - auc))
    if spec.categorical:
        from sklearn.model_selection import KFold

        enc = TargetEncoder(target_type="binary", cv=KFold(5, shuffle=True, random_state=seed))
        Z = enc.fit_transform(X[list(spec.categorical)].astype(str), y)
        for j, c in enumerate(spec.categorical):
            v = Z[:, j]
            auc = roc_auc_score(y, v) if np.unique(v).size > 1 else 0.5
            out[c] = float(max(auc, 1 - auc))
    return out


def check_leakage(X: pd.DataFrame, spec: FeatureSpec, y: np.ndarray, lang: str = DEFAULT_LANG) -> dict[str, float]:
    """Refuse a feature that alone separates the outcome almost perfectly (ROC AUC over
    ``LEAK_AUC``): such a column is the outcome under another name or was filled in
    after it (a registration number, a "status" column), and a model trained on it is
    useless for businesses not yet contacted. Returns every feature's AUC (for the card)."""
    aucs = single_feature_auc(X, spec, y)
    leaky = sorted((c for c, a in aucs.items() if a > LEAK_AUC), key=lambda c: -aucs[c])
    if leaky:
        shown = ", ".join(f"{c} (ROC AUC {fmt_num(aucs[c], 3)})" for c in leaky)
        raise PlannerError(t("model.leak", lang, columns=shown, limit=fmt_num(LEAK_AUC, 2)))
    return aucs
