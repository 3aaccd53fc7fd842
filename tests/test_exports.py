import io

import pandas as pd
from openpyxl import load_workbook

from planner.exports import neutralise, to_csv_bytes, to_xlsx_bytes

DANGEROUS = ["=1+1", "+62812", "-2+3", "@SUM(A1)", "\t=cmd", "aman"]


def test_text_cells_starting_a_formula_are_neutralised_numbers_are_not():
    df = pd.DataFrame({"name": DANGEROUS, "n": [-5, 1, 2, 3, 4, 5]})
    out = neutralise(df)
    assert list(out["name"]) == ["'=1+1", "'+62812", "'-2+3", "'@SUM(A1)", "' =cmd", "aman"]  # a tab becomes a space
    assert list(out["n"]) == [-5, 1, 2, 3, 4, 5]


def test_csv_and_xlsx_hold_no_formula():
    df = pd.DataFrame({"name": DANGEROUS})
    text = to_csv_bytes(df).decode("utf-8-sig")
    assert "\n=1+1" not in text and "'=1+1" in text
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(df)))
    cells = [c.value for c in wb.active["A"][1:]]
    assert all(not str(v).startswith(("=", "+", "-", "@")) for v in cells)
    assert all(c.data_type != "f" for c in wb.active["A"])


HOSTILE = [
    "Toko Maju;=cmd|' /C calc'!A0",
    "Warung, =HYPERLINK(\"http://x\")",
    "=1+1",
    "@SUM(A1:A9)",
    "Bengkel\x07 Jaya\x00",
    "Kios\x1b[31m merah",
    "Baris\r\nbaru; +62 812",
    "Tab\tdi tengah",
    'Kutip "ganda", ya',
]


def _fields(text: str, sep: str) -> list[str]:
    import csv

    return [f for row in csv.reader(io.StringIO(text), delimiter=sep) for f in row]


def assert_no_formula(fields: list[str]) -> None:
    for f in fields:
        if f.startswith(("=", "+", "-", "@", "\t", "\r")):
            float(f)  # only a number may start so (raises otherwise)


def test_hostile_text_reads_as_text_with_either_separator():
    df = pd.DataFrame({"name": HOSTILE, "n": range(-4, len(HOSTILE) - 4), "share": [-0.5] * len(HOSTILE)})
    text = to_csv_bytes(df).decode("utf-8-sig")
    assert not any(ch in text for ch in "\x00\x07\x1b\t\r")
    for sep in (",", ";"):
        assert_no_formula(_fields(text, sep))
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert len(back) == len(HOSTILE) and list(back["n"]) == [str(i) for i in range(-4, len(HOSTILE) - 4)]
    assert back["name"][0] == "Toko Maju;'=cmd|' /C calc'!A0"  # one field, the formula start after ; neutralised
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(df)))  # used to fail on the control characters
    cells = [c.value for c in wb.active["A"][1:]]
    assert cells[4] == "Bengkel Jaya" and all(c.data_type != "f" for c in wb.active["A"])


def test_every_export_with_hostile_names_stays_text(scored_db_file, tmp_path):
    """Every list the app and CLI export, after hostile names reached the data: the XLSX
    opens, and the CSV read with , or ; holds no formula and no control character."""
    import datetime as dt

    from planner import auth, plans
    from planner import scheduling as sch
    from planner.db import connect
    from planner.exports import EXPORT_KINDS, export_table
    from tests.conftest import copy_db

    db = connect(copy_db(scored_db_file[0], tmp_path / "x.db"))
    manager = auth.User("manajer", "manager")
    start = dt.date(2027, 1, 4)
    plan_id = plans.create_plan(db, manager, HOSTILE[0], sch.Rules(start=start, end=start + dt.timedelta(days=13), provinces=("16",), time_limit=5))
    plans.solve_plan(db, manager, plan_id)
    invited = [r[0] for r in db.execute("SELECT business_id FROM invitations WHERE plan_id = ? LIMIT 9", [plan_id])]
    assert invited, "the plan should invite someone"
    for name, bid in zip(HOSTILE, invited):
        db.execute("UPDATE businesses SET name = ? WHERE business_id = ?", [name, bid])
    for name, (pid,) in zip(HOSTILE, db.execute("SELECT DISTINCT partner_id FROM events WHERE plan_id = ?", [plan_id]).fetchall()):
        db.execute("UPDATE partners SET name = ? WHERE partner_id = ?", [name, pid])
    db.execute("UPDATE staff SET name = ? WHERE staff_id IN (SELECT staff_id FROM events WHERE plan_id = ?)", [HOSTILE[6], plan_id])
    from planner.audit import record

    record(db, manager, "test.hostile", "businesses", HOSTILE[1], {"name": HOSTILE[4]}, {"name": HOSTILE[0]})
    for kind in EXPORT_KINDS:
        n = export_table(db, auth.system_user(), kind, tmp_path / f"{kind}.csv")
        text = (tmp_path / f"{kind}.csv").read_text(encoding="utf-8-sig")
        assert not any(ch in text for ch in "\x00\x07\x1b\r"), kind
        for sep in (",", ";"):
            assert_no_formula(_fields(text, sep))
        assert len(pd.read_csv(io.StringIO(text), dtype=str)) == n, kind
        export_table(db, auth.system_user(), kind, tmp_path / f"{kind}.xlsx")
        wb = load_workbook(tmp_path / f"{kind}.xlsx")
        for row in wb.active.iter_rows():
            for c in row:
                assert c.data_type != "f", (kind, c.value)
    text = (tmp_path / "businesses.csv").read_text(encoding="utf-8-sig")
    assert "Toko Maju;'=cmd" in text and "Bengkel Jaya" in text
    db.conn.close()
