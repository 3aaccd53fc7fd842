"""Pages in plain words and tables a person can read: the audit trail in words (both
languages), sectors by name, the Peluang bar chart sorted by what it draws, the tile map
of the 38 provinces, and numbers written the Indonesian way."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages.common import SESSION_USER
from planner import audit, auth, jobs
from planner.db import connect
from planner.imports import KINDS as IMPORT_KINDS

ROOT = Path(__file__).resolve().parent.parent
ADMIN = auth.User("admin", "admin", (), "Admin Demo")
MANAGER = auth.User("manajer", "manager", (), "Manajer Kampanye")


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def app_as(user, monkeypatch, db_path) -> AppTest:
    monkeypatch.setenv("PLANNER_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.session_state[SESSION_USER] = user
    return at


# --------------------------------------------------------------------------- actions
# What a placeholder of an f-string action name stands for.
PLACEHOLDERS = {
    "kind": (*IMPORT_KINDS, *jobs.KINDS),
    "job['kind']": jobs.KINDS,
    "entity": ("partner", "staff"),
    "action": ("update", "enable", "disable"),
}


def _names(node: ast.AST, function: ast.AST) -> set[str]:
    """The action names an argument of record()/record_many() can take."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _names(node.body, function) | _names(node.orelse, function)
    if isinstance(node, ast.JoinedStr):
        names = {""}
        for part in node.values:
            if isinstance(part, ast.Constant):
                names = {n + part.value for n in names}
            else:
                values = PLACEHOLDERS[ast.unparse(part.value)]
                names = {n + v for n in names for v in values}
        return names
    if isinstance(node, ast.Name):  # a variable assigned in the same function
        found = set()
        for sub in ast.walk(function):
            if isinstance(sub, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in sub.targets):
                found |= _names(sub.value, function)
        assert found, f"action variable {node.id} has no literal value"
        return found
    raise AssertionError(f"an action name this test cannot read: {ast.unparse(node)}")


def recorded_actions() -> set[str]:
    """Every action name planner/ records in the audit trail, read from its source."""
    actions: set[str] = set()
    for path in (ROOT / "planner").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for call in ast.walk(function):
                if isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", None)) in ("record", "record_many") \
                        and len(call.args) >= 3:
                    actions |= _names(call.args[2], function)
    return actions


def test_every_recorded_action_has_words_in_both_languages():
    actions = recorded_actions()
    # the source holds what the issue named, including the ones built from a kind
    assert {"plan.publish", "import.businesses", "import.partners.update", "plan.solve.start", "job.import.start", "report.create",
            "user.disable", "partner.add", "staff.leave.delete", "login.failed"} <= actions
    for action in sorted(actions):
        words = {lang: audit.action_text(action, lang) for lang in ("id", "en")}
        assert words["id"] != action and words["en"] != action, (action, words)
        assert "{" not in words["id"] + words["en"], words
    assert audit.action_text("plan.publish", "id") == "Rencana diterbitkan"
    assert audit.action_text("plan.publish", "en") == "Plan published"
    assert audit.action_text("import.businesses", "id") == "Berkas diimpor: Usaha"
    assert audit.action_text("something.new", "id") == "something.new"  # no words yet: shown as stored


def test_tables_and_fields_in_words_values_the_indonesian_way():
    assert audit.entity_text("solve_runs", "id") == "Penyusunan jadwal" and audit.entity_text("solve_runs", "en") == "Schedule solves"
    for entity in ("users", "plans", "events", "event_reports", "partners", "staff", "jobs", "meta", "scores"):
        assert audit.entity_text(entity, "id") != entity and audit.entity_text(entity, "en") != entity
    before = json.dumps({"cost_per_event": 2500000, "available_weekdays": "1;2;3;4;5", "active": 1, "status": "draft", "mystery_field": 3.5})
    after = json.dumps({"cost_per_event": 3000000, "available_weekdays": "1;2;3;4;5", "active": 0, "status": "published", "mystery_field": 1234.25,
                        "control_share": 0.1, "start": "2026-11-21", "sector": "G", "controls": 12345})
    sectors = {"G": "G · Perdagangan Besar dan Eceran"}
    lines = audit.change_lines(before, after, "id", entity="plans", sectors=sectors)
    assert lines[0] == "Status: draf → terbit"  # read first
    assert "Biaya/acara: Rp 2.500.000 → Rp 3.000.000" in lines
    assert "Aktif: ya → tidak" in lines
    assert "mystery_field: 3,5 → 1.234,25" in lines  # no words for it: the raw name, the value still Indonesian
    assert "Kelompok pembanding: 10,0%" in lines and "Mulai: 21 Nov 2026" in lines
    assert "Sektor: G · Perdagangan Besar dan Eceran" in lines and "Usaha pembanding: 12.345" in lines
    assert not any(line.startswith("Hari tersedia") for line in lines)  # unchanged: left out
    en = audit.change_lines(before, after, "en", entity="plans", sectors=sectors)
    assert "Cost/event: Rp 2.500.000 → Rp 3.000.000" in en and "Active: yes → no" in en and "Status: draft → published" in en
    # a long list is counted, not written out
    many = audit.change_lines(None, json.dumps({"new_keys": [f"U{i:06d}" for i in range(7059)]}), "id")
    assert many == ["Kunci baru: U000000, U000001, U000002, U000003, U000004 … (7.059 seluruhnya)"]
    assert audit.change_lines(None, None, "id") == []


def test_audit_page_speaks_in_words_in_both_languages(demo_db_path, monkeypatch):
    db = connect(demo_db_path)
    try:
        auth.add_user(db, ADMIN, "dewi", "kata-sandi-dewi-1", "staff", ["63"], "Dewi")
    finally:
        db.conn.close()
    at = app_as(ADMIN, monkeypatch, demo_db_path).run()
    at.switch_page("app_pages/audit.py").run()
    assert not at.exception and not at.error
    log = at.dataframe(key="audit_table").value
    assert {"Waktu", "Oleh", "Tindakan", "Tabel", "Kunci", "Perubahan"} == set(log.columns)
    assert {"Pengguna ditambahkan", "Berkas diimpor: Usaha"} <= set(log["Tindakan"])
    assert not any(re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", a) for a in log["Tindakan"]), set(log["Tindakan"])  # no code names
    dewi = log[log["Kunci"] == "dewi"].iloc[0]
    assert dewi["Tabel"] == "Pengguna" and "Peran: staf" in dewi["Perubahan"] and "Provinsi: 63" in dewi["Perubahan"]
    assert "baris perintah (" in " ".join(log["Oleh"])  # the demo was imported from the command line
    assert not any("{" in c for c in log["Perubahan"])  # no JSON
    # the admin's sidebar names the database file; the whole path is in its tooltip
    where = next(c for c in at.caption if c.value.startswith("Basis data:"))
    assert where.value == f"Basis data: `{demo_db_path.name}`" and str(demo_db_path) in where.proto.help
    # a row picked shows the whole entry below
    row = int(log.index[log["Kunci"] == "dewi"][0])
    at.session_state["audit_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.error
    assert any("Pengguna ditambahkan" in m.value for m in at.markdown)
    listed = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown if m.value.startswith("- ")]  # markdown escapes undone
    assert listed and "- Peran: staf" in listed[0].split("\n"), listed
    # the same in English, filtered to user changes by the words of the filter
    at.selectbox(key="audit_action").set_value("user.").run()
    at.selectbox(key="lang").set_value("en").run()
    log = at.dataframe(key="audit_table").value
    assert set(log["Action"]) == {"User added"} and {"Time", "By", "Action", "Table", "Key", "Changes"} == set(log.columns)
    assert "Role: staff" in log[log["Key"] == "dewi"].iloc[0]["Changes"]
    assert "Users" in at.selectbox(key="audit_action").options


# --------------------------------------------------------------------------- Peluang
def _charts(at) -> dict[str, tuple[dict, list]]:
    """Each Altair chart on the page: its spec and its datasets (rows)."""
    out = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        data = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]
        kind = "map" if "layer" in spec else "bars"
        out[kind] = (spec, data)
    return out


def test_peluang_bars_sorted_by_what_they_draw_and_the_tile_map(demo_db_path, monkeypatch):
    at = app_as(MANAGER, monkeypatch, demo_db_path).run()
    assert not at.exception and at.title[0].value.startswith("Peluang")
    charts = _charts(at)
    spec, (rows,) = charts["bars"]
    assert spec["encoding"]["x"]["field"] == "uncovered"
    assert spec["encoding"]["y"]["sort"] == {"field": "uncovered", "order": "descending"}  # what the bars draw
    # the rows are the top 30 by score; their order on the chart is not the score order
    assert list(rows["rank"]) == sorted(rows["rank"])
    assert list(rows.sort_values("uncovered", ascending=False)["name"]) != list(rows["name"])

    spec, (tiles,) = charts["map"]
    assert len(tiles) == 38 and tiles["code"].nunique() == 38
    assert tiles["label"].str.len().between(2, 10).all() and tiles["label"].nunique() == 38
    assert len(set(zip(tiles["col"], tiles["row"]))) == 38  # one square each
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rect", "text", "text"]
    assert {layer["encoding"]["text"]["field"] for layer in spec["layer"][1:]} == {"label", "value_txt"}  # name and value on the tile
    # laid out like the archipelago: Aceh top left, the Papua provinces on the right
    at_ = tiles.set_index("code")
    assert (at_.loc["11", "col"], at_.loc["11", "row"]) == (0, 0)
    assert at_.loc[["91", "92", "93", "94", "95", "96"], "col"].min() > at_.drop(["91", "92", "93", "94", "95", "96"])["col"].max()
    assert at_.loc["32", "value_txt"] == "9,3 jt" or re.fullmatch(r"\d+,\d jt", at_.loc["32", "value_txt"])

    # coloured by another measure; one province chosen: every square stays, the others grey
    at.radio(key="peluang_map_measure").set_value("coverage_rate").run()
    spec, (tiles,) = _charts(at)["map"]
    assert tiles["value_txt"].str.fullmatch(r"\d{1,2}%").all() and spec["layer"][0]["encoding"]["color"]["condition"]["field"] == "measure"
    at.selectbox(key="peluang_province").set_value("16").run()
    spec, (tiles,) = _charts(at)["map"]
    assert len(tiles) == 38 and tiles["measure"].notna().sum() == 1
    assert set(tiles.loc[tiles["measure"].isna(), "value_txt"]) == {"–"}


def test_sectors_shown_by_letter_and_name(demo_db_path, monkeypatch):
    at = app_as(MANAGER, monkeypatch, demo_db_path).run()
    at.radio(key="peluang_by").set_value("sector").run()
    table = at.dataframe[0].value
    assert "G · Perdagangan Besar dan Eceran; Reparasi dan Perawatan Mobil dan Sepeda Motor" in set(table["Nama"])
    assert table["Nama"].str.fullmatch(r"[A-U] · .+").all()
    shown = list(at.dataframe[0].proto.column_order)
    assert "Nama" in shown and "Kode" not in shown  # the letter starts the name: no second column for it
    at.selectbox(key="lang").set_value("en").run()
    table = at.dataframe[0].value
    assert "G · Wholesale and retail trade; repair of motor vehicles and motorcycles" in set(table["Name"])


# --------------------------------------------------------------------------- tables
def _display(at, key: str):
    """What a styled st.dataframe shows (its display values), next to its data."""
    element = at.dataframe(key=key)
    shown = pa.ipc.open_stream(element.proto.arrow_data.styler.display_values).read_all().to_pandas()
    return element.value, shown


def test_jadwal_events_fit_and_numbers_are_indonesian(published_file, tmp_path, monkeypatch):
    from tests.conftest import copy_db

    path, plan_id, models = published_file
    copy = copy_db(path, tmp_path / "p.db")
    monkeypatch.setenv("PLANNER_MODELS", str(models))
    at = app_as(MANAGER, monkeypatch, copy).run()
    at.switch_page("app_pages/jadwal.py").run()
    assert not at.exception and not at.error
    data, shown = _display(at, "jadwal_events")
    columns = list(data.columns)
    # what a person reads first comes first; staff and cost follow
    assert columns[:5] == ["", "Acara", "Tanggal", "Kabupaten/kota", "Mitra"] and columns.index("Staf") > columns.index("Tambahan pekerja")
    assert not data["Kabupaten/kota"].str.startswith("Kabupaten ").any()
    i = columns.index("Tambahan pekerja")
    assert data["Tambahan pekerja"].dtype.kind == "f"
    assert shown.iloc[:, shown.shape[1] - len(columns) + i].str.fullmatch(r"\d{1,3}(\.\d{3})*,\d").all()  # 4,7 — never 4.7
    # a row picked in the table chooses the event below
    second = data["Acara"].iloc[1]
    at.session_state["jadwal_events"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert at.selectbox(key="jadwal_event").value == second
    assert any(c.value.startswith(f"{int(data['Undangan'].iloc[1])} usaha diundang") and "Rp " in c.value for c in at.caption)


def test_agenda_invitations_put_whom_and_why_first(published_file, tmp_path, monkeypatch):
    from tests.conftest import copy_db

    path, plan_id, models = published_file
    copy = copy_db(path, tmp_path / "a.db")
    monkeypatch.setenv("PLANNER_MODELS", str(models))
    at = app_as(MANAGER, monkeypatch, copy).run()
    at.switch_page("app_pages/agenda.py").run()
    at.radio(key="agenda_window").set_value("recent").run()
    assert not at.exception and not at.error
    invites = at.dataframe(key="agenda_invites").value
    assert list(invites.columns[:5]) == ["Usaha", "Pemilik", "Telepon", "WhatsApp", "Alasan"]
    assert invites["WhatsApp"].str.startswith("https://wa.me/").all()
    assert any(c.value.startswith("Pilih satu usaha") for c in at.caption)
    # the business picked: its reasons whole and its message
    pick = len(invites) - 1
    at.session_state["agenda_invites"] = {"selection": {"rows": [pick], "columns": [], "cells": []}}
    at.run()
    name, reasons = invites["Usaha"].iloc[pick], invites["Alasan"].iloc[pick]
    shown = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown]
    assert any(s.startswith(f"**{name}**") and f"Alasan: {reasons}" in s for s in shown), shown
    assert at.text and at.text[0].value.startswith("Yth.") and name in at.text[0].value
    # a pick left over from a longer list (the list changed since) is ignored, not an error
    at.session_state["agenda_invites"] = {"selection": {"rows": [len(invites) + 5], "columns": [], "cells": []}}
    at.run()
    assert not at.exception and not at.error


def test_partners_fit_and_a_row_opens_in_the_form(scored_copy):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.session_state[SESSION_USER] = MANAGER
    at.run()
    at.switch_page("app_pages/mitra.py").run()
    data = at.dataframe(key="mitra_partners").value
    assert "Status" not in data.columns  # the filter (active) says it
    assert data["Hari tersedia"].str.fullmatch(r"[A-Z][a-z]{2}((–|, )[A-Z][a-z]{2})*").all() and "Sen–Jum" in set(data["Hari tersedia"])
    assert not data["Kabupaten/kota"].str.startswith("Kabupaten ").any()
    picked = data["Kode mitra"].iloc[2]
    at.session_state["mitra_partners"] = {"selection": {"rows": [2], "columns": [], "cells": []}}
    at.run()
    assert at.selectbox(key="mitra_pick").value == picked


def test_accounts_table_puts_role_and_last_sign_in_first(demo_db_path, monkeypatch):
    at = app_as(ADMIN, monkeypatch, demo_db_path).run()
    at.switch_page("app_pages/pengguna.py").run()
    users = at.dataframe[0].value
    assert list(users.columns[:6]) == ["Nama pengguna", "Nama", "Peran", "Provinsi", "Aktif", "Terakhir masuk"]
    assert users.set_index("Nama pengguna").loc["manajer", "Staf"] == "–"  # not 'None'
    assert users.set_index("Nama pengguna").loc["staf.sumsel", "Staf"].endswith("(S16-01, 16)")
