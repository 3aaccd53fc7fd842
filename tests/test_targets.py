import io

import pytest
from openpyxl import load_workbook

from planner.db import connect
from planner.errors import PlannerError
from planner.exports import to_xlsx_bytes
from planner.targets import count_filtered, targets


@pytest.fixture
def scored(scored_db_file):
    db = connect(scored_db_file[0])
    yield db
    db.conn.close()


def test_targets_are_open_businesses_sorted_best_first(scored):
    df = targets(scored)
    assert len(df) == scored.execute("SELECT COUNT(*) FROM businesses WHERE enrolled = 0").fetchone()[0]
    assert df["uplift"].is_monotonic_decreasing
    assert (df["expected_additional"] - df["uplift"] * df["workers"]).abs().max() < 1e-9
    by_extra = targets(scored, sort="expected_additional", limit=50)
    assert by_extra["expected_additional"].is_monotonic_decreasing and len(by_extra) == 50


def test_filters_narrow_the_list(scored):
    df = targets(scored, province="16", sectors=["A", "G"], sizes=["mikro"], segment="BPU")
    assert set(df["province"]) <= {"Sumatera Selatan"}
    assert set(df["sector"]) <= {"A", "G"} and set(df["size_class"]) <= {"mikro"}
    assert (df["workers"] <= 1).all() and (df["segment"] == "BPU").all()
    one = df["regency_code"].iloc[0]
    assert set(targets(scored, regency=one)["regency_code"]) == {one}


def test_bad_sort_or_segment_is_a_clear_error(scored):
    with pytest.raises(PlannerError, match="Urutan"):
        targets(scored, sort="nama")
    with pytest.raises(PlannerError, match="Segmen"):
        targets(scored, segment="XX")
    with pytest.raises(PlannerError, match="Sort order 'nama' is unknown"):
        targets(scored, sort="nama", lang="en")
    with pytest.raises(PlannerError, match="Segment 'XX'"):
        count_filtered(scored, "en", segment="XX")


def test_export_neutralises_formulas_in_names(scored):
    scored.execute("UPDATE businesses SET name = '=HYPERLINK(\"http://x\",\"klik\")' WHERE business_id = (SELECT business_id FROM scores LIMIT 1)")
    df = targets(scored)
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(df)))
    names = [c.value for c in wb.active["B"][1:]]
    assert "'=HYPERLINK(\"http://x\",\"klik\")" in names
    assert not any(str(v).startswith("=") for v in names)
