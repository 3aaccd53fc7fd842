import io

import pandas as pd
from openpyxl import load_workbook

from planner.exports import neutralise, to_csv_bytes, to_xlsx_bytes

DANGEROUS = ["=1+1", "+62812", "-2+3", "@SUM(A1)", "\t=cmd", "aman"]


def test_text_cells_starting_a_formula_are_neutralised_numbers_are_not():
    df = pd.DataFrame({"name": DANGEROUS, "n": [-5, 1, 2, 3, 4, 5]})
    out = neutralise(df)
    assert list(out["name"]) == ["'=1+1", "'+62812", "'-2+3", "'@SUM(A1)", "'\t=cmd", "aman"]
    assert list(out["n"]) == [-5, 1, 2, 3, 4, 5]


def test_csv_and_xlsx_hold_no_formula():
    df = pd.DataFrame({"name": DANGEROUS})
    text = to_csv_bytes(df).decode("utf-8-sig")
    assert "\n=1+1" not in text and "'=1+1" in text
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(df)))
    cells = [c.value for c in wb.active["A"][1:]]
    assert all(not str(v).startswith(("=", "+", "-", "@")) for v in cells)
    assert all(c.data_type != "f" for c in wb.active["A"])
