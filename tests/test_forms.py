"""Offline reports: the report template (XLSX and CSV) round trip, the XLSForm through
pyxform, ODK Central and KoboToolbox submissions exports, malformed files, the printed
attendance sheet and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from planner import auth, plans
from planner import scheduling as sch
from planner.db import connect
from planner.errors import PlannerError
from planner.imports import ImportFailed
from planner.reporting import forms
from planner.reporting import reports as rp
from planner.vocabulary import mandatory_programmes
from tests.conftest import ROOT, copy_db

MANAGER = auth.User("manajer", "manager", (), "Manajer")
STAFF = auth.User("staf.sumsel", "staff", ("16",), "Staf Sumsel")
OTHER = auth.User("staf.kalsel", "staff", ("63",), "Staf Kalsel")
LEADER = auth.User("pimpinan", "leadership", (), "Pimpinan")
START = dt.date(2026, 10, 5)  # a Monday, in the past
TODAY = dt.date(2026, 11, 30)
TABLES = ("event_reports", "report_rows", "report_submissions", "contacts", "businesses", "followups", "audit_log")


@pytest.fixture
def pub(published_file, tmp_path):
    path, plan_id, _ = published_file
    db = connect(copy_db(path, tmp_path / "p.db"))
    yield db, plan_id
    db.conn.close()


def event_with_invitees(db, plan_id, n=3, skip=0):
    eid = db.execute(
        "SELECT e.event_id FROM events e WHERE e.plan_id = ? AND e.status = 'planned' AND "
        "(SELECT COUNT(*) FROM invitations i WHERE i.event_id = e.event_id) >= ? ORDER BY e.event_date, e.event_id LIMIT 1 OFFSET ?",
        [plan_id, n, skip],
    ).fetchone()[0]
    inv = db.execute("SELECT i.business_id, b.workers, b.size_class FROM invitations i JOIN businesses b ON b.business_id = i.business_id "
                     "WHERE i.event_id = ? ORDER BY i.business_id", [eid]).fetchall()
    date, regency = db.execute("SELECT event_date, regency_code FROM events WHERE event_id = ?", [eid]).fetchone()
    return eid, date, regency, inv


def snapshot(db) -> dict:
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}


def outcome_snapshot(db) -> dict:
    """What a report means, without who saved it when (version, timestamps, audit)."""
    return {
        "reports": db.execute("SELECT event_id, status, held_on, attendance, present, registrations, workers_registered, cancel_reason, "
                              "cancel_note, note, source FROM event_reports ORDER BY event_id").fetchall(),
        "rows": db.execute("SELECT * FROM report_rows ORDER BY event_id, business_id").fetchall(),
        "contacts": db.execute("SELECT business_id, contacted_on, invited, attended, enrolled, workers_enrolled, programmes, event_id, "
                               "walk_in FROM contacts ORDER BY business_id, contacted_on").fetchall(),
        "businesses": db.execute("SELECT business_id, name, enrolled, workers FROM businesses ORDER BY business_id").fetchall(),
        "followups": db.execute("SELECT event_id, business_id, status FROM followups ORDER BY 1, 2").fetchall(),
        "submissions": db.execute("SELECT instance_id, event_id FROM report_submissions ORDER BY 1").fetchall(),
    }


def problems(exc) -> list[tuple]:
    return [(i.row, i.column, i.problem) for i in exc.value.issues]


# --------------------------------------------------------------------------- template
def fill_xlsx(data: bytes, fill) -> bytes:
    """Open the downloaded template with openpyxl, let ``fill(ws, col, rows)`` type into
    it as a person would, and save it."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    col = {c.value: c.column for c in ws[1]}
    rows = {}
    for r in range(2, ws.max_row + 1):
        rows.setdefault(ws.cell(r, col["business_id"]).value or f"blank{len([k for k in rows if str(k).startswith('blank')])}", r)
    fill(ws, col, rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_template_xlsx_round_trip_report_contacts_walk_in_and_no_duplicates(pub):
    db, plan_id = pub
    eid, date, regency, inv = event_with_invitees(db, plan_id)
    (b1, w1, s1), (b2, _, _), (b3, _, _) = inv[:3]
    data = forms.report_template(db, STAFF, [eid], "xlsx")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["laporan", "petunjuk", "daftar pilihan"]
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == list(forms.TEMPLATE_COLUMNS)
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if any(c.value is not None for c in r)]
    assert len(body) == len(inv) + forms.WALK_IN_ROWS and {r[0] for r in body} == {eid}
    assert sorted(r[7] for r in body if r[7]) == sorted(b for b, _, _ in inv)
    # dropdowns: status, the 0/1 flags, cancel reasons and size classes come from lists
    validations = {str(v.sqref).split(":")[0][0]: v for v in ws.data_validations.dataValidation}
    letter = {c: chr(ord("A") + i) for i, c in enumerate(forms.TEMPLATE_COLUMNS)}
    lists = wb.worksheets[2]
    def listed(column):
        ref = validations[letter[column]].formula1.split("!")[1].replace("$", "")
        a, b = ref.split(":")
        return [c.value for (c,) in lists[a:b]]
    assert listed("status") == ["held", "cancelled"]
    assert listed("present") == listed("registered") == listed("follow_up") == ["1", "0"]
    assert listed("cancel_reason") == list(rp.CANCEL_REASONS) and listed("size_class") == ["mikro", "kecil", "menengah"]
    help_text = " ".join(str(c.value) for row in wb.worksheets[1].iter_rows() for c in row if c.value)
    assert "Satu baris = satu usaha yang hadir" in help_text and "cancelled" in help_text
    assert "usaha kecil yang mendaftar: paling sedikit JKK;JKM;JHT" in help_text and "tidak bisa JP" in help_text

    def fill(ws, col, rows):
        r1, r2 = rows[b1], rows[b2]
        ws.cell(r1, col["status"], "held")
        ws.cell(r1, col["held_on"], dt.datetime.fromisoformat(date))  # Excel turns a typed date into a date cell
        ws.cell(r1, col["attendance"], 14)
        ws.cell(r1, col["present"], 1)
        ws.cell(r1, col["registered"], 1)
        ws.cell(r1, col["workers_registered"], 1)
        ws.cell(r1, col["programmes"], ";".join(mandatory_programmes(s1, w1)))
        ws.cell(r2, col["present"], 0)  # b2 did not come; b3 left empty: did not come either
        w = rows["blank0"]
        for k, v in {"name": "Warung Bu Sri Ñoño", "regency_code": regency, "sector": "G", "size_class": "mikro", "workers": 3,
                     "phone": "081234567890", "present": 1, "registered": 0, "follow_up": 1, "row_note": "-minta brosur"}.items():
            ws.cell(w, col[k], v)

    filled = fill_xlsx(data, fill)
    reports = forms.parse_report_file(filled, "laporan.xlsx")
    assert [r.event_id for r in reports] == [eid] and reports[0].source == "upload"
    res = rp.save(db, STAFF, reports, on=TODAY)
    assert (res.reports, res.created, res.rows, res.registrations, res.walk_ins_new) == (1, 1, 2, 1, 1)
    assert db.execute("SELECT status, held_on, attendance, present, registrations FROM event_reports WHERE event_id = ?",
                      [eid]).fetchone() == ("held", date, 14, 2, 1)
    new_id = f"W{eid}-001"
    assert db.execute("SELECT name, regency_code, size_class, workers FROM businesses WHERE business_id = ?", [new_id]).fetchone() == (
        "Warung Bu Sri Ñoño", regency, "mikro", 3)
    contacts = {r[0]: r[1:] for r in db.execute("SELECT business_id, invited, attended, enrolled, walk_in FROM contacts WHERE event_id = ?", [eid])}
    assert contacts[b1] == (1, 1, 1, 0) and contacts[b2] == (1, 0, 0, 0) and contacts[b3] == (1, 0, 0, 0)
    n_controls = db.execute("SELECT COUNT(*) FROM controls WHERE event_id = ?", [eid]).fetchone()[0]
    assert contacts[new_id] == (0, 1, 0, 1) and len(contacts) == len(inv) + 1 + n_controls  # the control group is recorded too
    assert db.execute("SELECT business_id, status FROM followups WHERE event_id = ?", [eid]).fetchall() == [(new_id, "to_contact")]
    assert db.execute("SELECT note FROM report_rows WHERE business_id = ?", [new_id]).fetchone()[0] == "-minta brosur"

    # the same filled file again: an update, never a duplicate
    before = outcome_snapshot(db)
    again = forms.import_reports(db, STAFF, filled, "laporan.xlsx", on=TODAY)
    assert (again.created, again.updated, again.walk_ins_new) == (0, 1, 0)
    assert outcome_snapshot(db) == before
    assert db.execute("SELECT version FROM event_reports WHERE event_id = ?", [eid]).fetchone()[0] == 2

    # a new download is pre-filled with the report, so it can be corrected and sent again
    df = pd.read_csv(io.BytesIO(forms.report_template(db, STAFF, [eid], "csv")), dtype=str, keep_default_na=False)
    first = df.iloc[0]
    assert (first["status"], first["held_on"], first["attendance"]) == ("held", date, "14")
    got = df.set_index("business_id")
    assert got.loc[b1, "present"] == "1" and got.loc[b1, "registered"] == "1" and got.loc[b2, "present"] == "0"
    assert got.loc[new_id, "present"] == "1" and got.loc[new_id, "follow_up"] == "1"
    assert got.loc[new_id, "row_note"] == "'-minta brosur"  # formula-safe on the way out...
    reparsed = forms.parse_report_file(forms.report_template(db, STAFF, [eid], "csv"), "t.csv")
    assert {r.values["note"] for r in reparsed[0].rows} >= {"-minta brosur"}  # ...and read back as written
    assert forms.import_reports(db, STAFF, forms.report_template(db, STAFF, [eid], "xlsx"), "t.xlsx", on=TODAY).updated == 1
    assert outcome_snapshot(db) == before


def test_template_csv_filled_with_pandas(pub):
    db, plan_id = pub
    eid, date, regency, inv = event_with_invitees(db, plan_id)
    eid2 = event_with_invitees(db, plan_id, skip=1)[0]
    df = pd.read_csv(io.BytesIO(forms.report_template(db, MANAGER, [eid, eid2], "csv")), dtype=str, keep_default_na=False)
    assert list(df.columns) == list(forms.TEMPLATE_COLUMNS) and set(df["event_id"]) == {eid, eid2}
    b1, w1, s1 = inv[0]
    for k, v in {"status": "held", "held_on": date, "attendance": "9"}.items():
        df.loc[df["event_id"] == eid, k] = v  # on every row of the event: the same value
    df.loc[df["business_id"] == b1, ["present", "registered", "workers_registered", "programmes"]] = [
        "1", "1", "1", ";".join(mandatory_programmes(s1, w1))]
    second = df.index[df["event_id"] == eid2][0]
    df.loc[second, ["status", "cancel_reason", "cancel_note"]] = ["cancelled", "weather", "banjir di jalan desa"]
    res = forms.import_reports(db, STAFF, df.to_csv(index=False, sep=";").encode("utf-8"), "laporan.csv", on=TODAY)
    assert (res.reports, res.rows, res.registrations) == (2, 1, 1)
    assert db.execute("SELECT status, attendance FROM event_reports WHERE event_id = ?", [eid]).fetchone() == ("held", 9)
    assert db.execute("SELECT status, cancel_reason FROM event_reports WHERE event_id = ?", [eid2]).fetchone() == ("cancelled", "weather")


def template_df(db, eids, actor=STAFF):
    return pd.read_csv(io.BytesIO(forms.report_template(db, actor, eids, "csv")), dtype=str, keep_default_na=False)


def test_report_fields_that_disagree_are_named_with_both_values(pub):
    db, plan_id = pub
    eid, date, _, inv = event_with_invitees(db, plan_id)
    df = template_df(db, [eid])
    df.loc[0, ["status", "held_on", "attendance"]] = ["held", date, "10"]
    df.loc[2, ["attendance", "present"]] = ["12", "1"]
    with pytest.raises(ImportFailed) as exc:
        forms.parse_report_file(df.to_csv(index=False).encode(), "x.csv")
    (issue,) = exc.value.issues
    assert (issue.row, issue.column, issue.value) == (4, "attendance", "12")
    assert "baris 2" in issue.problem and "'10'" in issue.problem and "'12'" in issue.problem and eid in issue.problem
    assert "baris pertamanya" in issue.fix


def test_missing_and_unknown_columns(pub):
    db, plan_id = pub
    eid, date, _, _ = event_with_invitees(db, plan_id)
    df = template_df(db, [eid]).drop(columns=["present"]).assign(catatan_lain="x")
    with pytest.raises(ImportFailed) as exc:
        forms.parse_report_file(df.to_csv(index=False).encode(), "x.csv")
    assert problems(exc) == [(1, "present", "kolom present tidak ada")]
    df = template_df(db, [eid]).assign(catatan_lain="abaikan saya")  # an unknown extra column is ignored
    df.loc[0, ["status", "cancel_reason", "cancel_note"]] = ["cancelled", "venue", "balai desa dipakai"]
    assert [r.fields["status"] for r in forms.parse_report_file(df.to_csv(index=False).encode(), "x.csv")] == ["cancelled"]
    with pytest.raises(ImportFailed, match="bukan templat laporan"):
        forms.parse_report_file(b"nama,alamat\nBu Sri,Palembang\n", "x.csv")


def test_row_rules_and_the_validators_issues_keep_the_files_rows(pub):
    db, plan_id = pub
    eid, date, _, inv = event_with_invitees(db, plan_id)
    df = template_df(db, [eid])
    df.loc[0, ["status", "held_on", "attendance"]] = ["held", date, "10"]
    df.loc[1, ["present", "registered"]] = ["ya", "1"]  # present, registered without workers or programmes
    df.loc[2, ["present", "registered", "workers_registered"]] = ["0", "1", "1"]  # 0 but a registration: contradiction
    walk = df.index[df["business_id"] == ""][0]
    df.loc[walk, ["name", "sector"]] = ["Usaha Setengah", "G"]  # walk-in lacking regency, size and workers
    with pytest.raises(ImportFailed) as exc:
        forms.import_reports(db, STAFF, df.to_csv(index=False).encode(), "x.csv", on=TODAY)
    got = {(r, c) for r, c, _ in problems(exc)}
    assert (4, "present") in got  # the parser's own issue, by file row
    assert exc.value.issues[0].row == 4 and len(exc.value.issues) == 1  # the parser refuses before the validator runs
    df.loc[2, "present"] = "1"
    with pytest.raises(ImportFailed) as exc:
        forms.import_reports(db, STAFF, df.to_csv(index=False).encode(), "x.csv", on=TODAY)
    got = {(r, c) for r, c, _ in problems(exc)}
    # the validator's issues, at the file's rows and columns
    assert {(3, "workers_registered"), (3, "programmes"), (walk + 2, "regency_code"), (walk + 2, "size_class"),
            (walk + 2, "workers")} <= got, got
    assert db.execute("SELECT COUNT(*) FROM event_reports").fetchone()[0] == 0


def test_templates_only_of_published_events_of_ones_province(pub):
    db, plan_id = pub
    eid, *_ = event_with_invitees(db, plan_id)
    with pytest.raises(auth.AccessDenied) as exc:
        forms.report_template(db, OTHER, [eid])
    assert "provinsi 16, bukan provinsi Anda (63)" in str(exc.value)
    with pytest.raises(auth.AccessDenied):
        forms.report_template(db, LEADER, [eid])
    with pytest.raises(PlannerError, match="tidak ada"):
        forms.report_template(db, STAFF, ["E999-0001"])
    draft = plans.create_plan(db, MANAGER, "Draf", sch.Rules(start=START, end=START + dt.timedelta(days=6), provinces=("16",), time_limit=5))
    db.execute("INSERT INTO events (event_id, plan_id, event_date, regency_code, partner_id, staff_id) "
               "SELECT 'E-DRAFT', ?, event_date, regency_code, partner_id, staff_id FROM events WHERE event_id = ?", [draft, eid])
    db.conn.commit()
    with pytest.raises(PlannerError) as exc:
        forms.report_template(db, STAFF, [eid, "E-DRAFT"])
    assert "E-DRAFT" in str(exc.value) and "belum diterbitkan" in str(exc.value) and eid not in str(exc.value).split("\n", 1)[1]
    with pytest.raises(PlannerError, match="belum diterbitkan"):
        forms.xlsform(db, MANAGER, plan_id=draft)
    assert forms.report_template(db, MANAGER, [eid])[:2] == b"PK"  # managers: any province


# --------------------------------------------------------------------------- XLSForm
def test_xlsform_converts_with_pyxform_and_holds_events_repeats_and_filters(pub):
    db, plan_id = pub
    data = forms.xlsform(db, STAFF, plan_id=plan_id, on=TODAY)
    check = forms.check_xlsform(data)
    xml = check.xml
    assert check.warnings == ()
    events = [r[0] for r in db.execute("SELECT event_id FROM events WHERE plan_id = ? AND status = 'planned'", [plan_id])]
    for eid in events:
        assert f"<name>{eid}</name>" in xml
    assert f'<data id="{forms.form_id(plan_id)}" version="' in xml
    assert '<repeat nodeset="/data/invitee" jr:count=" /data/invitee_count ">' in xml
    assert "calculate=\"count-selected( /data/present )\"" in xml
    assert "selected-at( /data/present , position(..) - 1)" in xml
    assert "instance('invitees')/root/item[event =  /data/event_id ]" in xml  # choice_filter by the chosen event
    assert '<repeat nodeset="/data/walkin" jr:count=" /data/walkin_count ">' in xml
    assert "instance('regencies')/root/item[province =  /data/event_province ]" in xml
    assert 'constraint=". &lt;= today()"' in xml
    assert '<translation lang="Bahasa Indonesia (id)" default="true()">' in xml and '<translation lang="English (en)">' in xml
    invitee = db.execute("SELECT business_id FROM invitations WHERE plan_id = ? LIMIT 1", [plan_id]).fetchone()[0]
    assert f"<name>{invitee}</name>" in xml
    # the version is stable, and changes when the events do
    version = re.search(r'version="([0-9a-f]+)"', xml).group(1)
    assert re.search(r'version="([0-9a-f]+)"', forms.check_xlsform(forms.xlsform(db, STAFF, plan_id=plan_id, on=TODAY)).xml).group(1) == version
    db.execute("UPDATE events SET start_time = '13:30' WHERE event_id = ?", [events[0]])
    db.conn.commit()
    moved = forms.check_xlsform(forms.xlsform(db, STAFF, plan_id=plan_id, on=TODAY)).xml
    assert re.search(r'version="([0-9a-f]+)"', moved).group(1) != version and "13.30 WIB" in moved
    # one staff member's form: only their events
    staff_id = db.execute("SELECT staff_id FROM events WHERE plan_id = ? LIMIT 1", [plan_id]).fetchone()[0]
    mine = forms.check_xlsform(forms.xlsform(db, STAFF, staff_id=staff_id, lang="en", on=TODAY)).xml
    theirs = {r[0] for r in db.execute("SELECT event_id FROM events WHERE staff_id = ? AND plan_id = ?", [staff_id, plan_id])}
    assert all((f"<name>{e}</name>" in mine) == (e in theirs) for e in events)
    assert '<translation lang="English (en)" default="true()">' in mine
    with pytest.raises(auth.AccessDenied):
        forms.xlsform(db, LEADER, plan_id=plan_id)
    with pytest.raises(PlannerError):
        forms.xlsform(db, OTHER, plan_id=plan_id)  # no event of the plan in their province


def test_business_ids_any_characters_survive_the_choice_names():
    for bid in ("U000123", "W E1-0001-001", "Toko/Ibu Sri", "_x41", "Ñ-1"):
        name = forms.choice_name(bid)
        assert " " not in name and forms.business_of_choice(name) == bid


# --------------------------------------------------------------------------- submissions
MAIN = ["SubmissionDate", "event_id", "event_province", "status", "held_on", "attendance", "cancel_reason", "cancel_note", "present",
        "invitee_count", "walkin_count", "note", "meta-instanceID", "meta-instanceName", "KEY", "SubmitterID", "SubmitterName",
        "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
INVITEE = ["business_id", "business_label", "business_note", "registered", "workers_registered", "programmes", "follow_up", "row_note",
           "PARENT_KEY", "KEY"]
WALKIN = ["name", "regency_code", "sector", "size_class", "workers", "phone", "registered", "workers_registered", "programmes",
          "follow_up", "row_note", "PARENT_KEY", "KEY"]


def csv_bytes(header, rows, sep=","):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    return buf.getvalue().encode("utf-8")


def submission(sid, eid, when, status="held", held_on="", attendance="", present=(), walk_ins=0, **kw):
    return {"SubmissionDate": when, "event_id": eid, "event_province": "16", "status": status, "held_on": held_on, "attendance": attendance,
            "present": " ".join(forms.choice_name(b) for b in present), "invitee_count": str(len(present)), "walkin_count": str(walk_ins),
            "meta-instanceID": sid, "meta-instanceName": f"{eid} {status}", "KEY": sid, "SubmitterID": "7", "SubmitterName": "Ani",
            "AttachmentsPresent": "0", "AttachmentsExpected": "0", "Edits": "0", "FormVersion": "a1b2c3", **kw}


def odk_zip(form, main, invitees=(), walk_ins=(), with_repeats=True):
    """ODK Central's export: ``<form>.csv`` and, per repeat, ``<form>-<repeat>.csv``
    linked by PARENT_KEY (= the main row's KEY), KEY = PARENT_KEY/<repeat>[n]."""
    def keyed(rows, repeat):
        out, n = [], {}
        for r in rows:
            n[r["PARENT_KEY"]] = n.get(r["PARENT_KEY"], 0) + 1
            out.append({**r, "KEY": f"{r['PARENT_KEY']}/{repeat}[{n[r['PARENT_KEY']]}]"})
        return out

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{form}.csv", csv_bytes(MAIN, main))
        if with_repeats:
            z.writestr(f"{form}-invitee.csv", csv_bytes(INVITEE, keyed(invitees, "invitee")))
            z.writestr(f"{form}-walkin.csv", csv_bytes(WALKIN, keyed(walk_ins, "walkin")))
    return buf.getvalue()


@pytest.fixture
def two_events(pub):
    db, plan_id = pub
    e1, d1, reg1, inv1 = event_with_invitees(db, plan_id, n=2)
    e2, d2, _, inv2 = event_with_invitees(db, plan_id, n=2, skip=1)
    return db, plan_id, (e1, d1, reg1, inv1), (e2, d2, inv2)


def test_odk_central_zip_round_trips_and_twice_changes_nothing(two_events):
    db, plan_id, (e1, d1, reg1, inv1), (e2, d2, inv2) = two_events
    (b1, w1, s1), (b2, _, _) = inv1[:2]
    main = [submission("uuid:1111", e1, "2026-10-06T08:00:00.000Z", held_on=d1, attendance="20", present=[b1, b2], walk_ins=1, note="ramai"),
            submission("uuid:2222", e2, "2026-10-07T09:30:00.000Z", status="cancelled", cancel_reason="partner", cancel_note="mitra sakit")]
    invitees = [{"business_id": forms.choice_name(b1), "business_label": "x", "registered": "yes", "workers_registered": "1",
                 "programmes": " ".join(mandatory_programmes(s1, w1)), "PARENT_KEY": "uuid:1111"},
                {"business_id": forms.choice_name(b2), "registered": "no", "follow_up": "yes", "row_note": "minta waktu", "PARENT_KEY": "uuid:1111"}]
    walk_ins = [{"name": "Bengkel Jaya Ábadi", "regency_code": reg1, "sector": "G", "size_class": "kecil", "workers": "4", "phone": "0812 3456 7890",
                 "registered": "yes", "workers_registered": "4", "programmes": "JKK JHT JKM", "PARENT_KEY": "uuid:1111"}]
    data = odk_zip(forms.form_id(plan_id), main, invitees, walk_ins)
    parsed = forms.parse_submissions(data, "sosialisasi.zip")
    assert [(r.event_id, r.submission_id, r.source) for r in parsed] == [(e1, "uuid:1111", "odk"), (e2, "uuid:2222", "odk")]
    res = forms.import_reports(db, STAFF, data, "sosialisasi.zip", on=TODAY)
    assert (res.reports, res.created, res.rows, res.registrations, res.walk_ins_new, res.superseded) == (2, 2, 3, 2, 1, ())
    assert db.execute("SELECT status, held_on, attendance, present, registrations, note, source FROM event_reports WHERE event_id = ?",
                      [e1]).fetchone() == ("held", d1, 20, 3, 2, "ramai", "odk")
    assert db.execute("SELECT status, cancel_reason FROM event_reports WHERE event_id = ?", [e2]).fetchone() == ("cancelled", "partner")
    walk_id = f"W{e1}-001"
    assert db.execute("SELECT name, size_class, workers, enrolled FROM businesses WHERE business_id = ?", [walk_id]).fetchone() == (
        "Bengkel Jaya Ábadi", "kecil", 4, 1)
    assert db.execute("SELECT programmes FROM report_rows WHERE business_id = ?", [walk_id]).fetchone()[0] == "JKK;JKM;JHT"  # canonical order
    assert db.execute("SELECT business_id FROM followups WHERE event_id = ?", [e1]).fetchall() == [(b2,)]
    assert db.execute("SELECT instance_id, event_id FROM report_submissions ORDER BY 1").fetchall() == [("uuid:1111", e1), ("uuid:2222", e2)]
    before = outcome_snapshot(db)
    again = forms.import_reports(db, STAFF, data, "sosialisasi.zip", on=TODAY)
    assert (again.created, again.updated, again.walk_ins_new) == (0, 2, 0)
    assert outcome_snapshot(db) == before


def test_odk_main_csv_alone_reports_the_invitees_present(two_events):
    db, plan_id, (e1, d1, _, inv1), _ = two_events
    (b1, _, _), (b2, _, _) = inv1[:2]
    main = csv_bytes(MAIN, [submission("uuid:3333", e1, "2026-10-06T08:00:00.000Z", held_on=d1, attendance="5", present=[b1, b2])])
    res = forms.import_reports(db, STAFF, main, f"{forms.form_id(plan_id)}.csv", on=TODAY)
    assert (res.reports, res.rows, res.registrations) == (1, 2, 0)
    assert {r[0] for r in db.execute("SELECT business_id FROM report_rows WHERE event_id = ?", [e1])} == {b1, b2}


def test_the_newer_submission_for_an_event_wins_and_the_older_is_named(two_events):
    db, plan_id, (e1, d1, _, inv1), _ = two_events
    (b1, _, _), (b2, _, _) = inv1[:2]
    main = [submission("uuid:new", e1, "2026-10-06T11:00:00.000Z", held_on=d1, attendance="7", present=[b2]),
            submission("uuid:old", e1, "2026-10-06T09:00:00.000Z", held_on=d1, attendance="3", present=[b1])]
    res = forms.import_reports(db, STAFF, odk_zip(forms.form_id(plan_id), main), "x.zip", on=TODAY)
    assert res.reports == 1 and len(res.superseded) == 1
    assert "Baris 3" in res.superseded[0] and "uuid:old" in res.superseded[0] and "uuid:new" in res.superseded[0]
    assert db.execute("SELECT attendance FROM event_reports WHERE event_id = ?", [e1]).fetchone()[0] == 7
    assert db.execute("SELECT business_id FROM report_rows WHERE event_id = ?", [e1]).fetchall() == [(b2,)]
    # a later file with a newer submission for the event updates it
    later = odk_zip(forms.form_id(plan_id), [submission("uuid:later", e1, "2026-10-08T07:00:00.000Z", held_on=d1, attendance="9",
                                                          present=[b1, b2])])
    assert forms.import_reports(db, STAFF, later, "y.zip", on=TODAY).updated == 1
    assert db.execute("SELECT attendance, present FROM event_reports WHERE event_id = ?", [e1]).fetchone() == (9, 2)
    # a submission rejected on the server is left out, and said so
    rejected = odk_zip(forms.form_id(plan_id), [submission("uuid:rej", e1, "2026-10-09T07:00:00.000Z", held_on=d1, attendance="1",
                                                             ReviewState="rejected")])
    res = forms.import_reports(db, STAFF, rejected, "z.zip", on=TODAY)
    assert res.reports == 0 and "ditolak" in res.superseded[0]
    assert db.execute("SELECT attendance FROM event_reports WHERE event_id = ?", [e1]).fetchone()[0] == 9


KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags"]


def test_kobo_csv_and_xlsx_exports_import(two_events):
    db, plan_id, (e1, d1, reg1, inv1), (e2, d2, inv2) = two_events
    (b1, w1, s1), (b2, _, _) = inv1[:2]
    # KoboToolbox CSV: ';' separated, '/' between groups, select_multiple also split into 0/1 columns
    header = ["event_id", "status", "held_on", "attendance", "cancel_reason", "cancel_note", "present", f"present/{b1}", f"present/{b2}",
              "invitee_count", "walkin_count", "note", "meta/instanceID", *KOBO_META]
    row = {"event_id": e2, "status": "held", "held_on": d2, "attendance": "11", "present": inv2[0][0], f"present/{b1}": "0",
           f"present/{b2}": "0", "meta/instanceID": "uuid:k1", "_id": "101", "_uuid": "k1", "_submission_time": "2026-10-07T10:11:12"}
    res = forms.import_reports(db, STAFF, csv_bytes(header, [row], sep=";"), "laporan_kobo.csv", on=TODAY)
    assert (res.reports, res.rows) == (1, 1)
    assert db.execute("SELECT instance_id FROM report_submissions WHERE event_id = ?", [e2]).fetchall() == [("uuid:k1",)]

    # KoboToolbox XLSX: the main sheet, one sheet per repeat linked by _parent_index / _submission__uuid
    wb = Workbook()
    ws = wb.active
    ws.title = "Laporan acara – Sumsel Oktob"
    head = ["event_id", "status", "held_on", "attendance", "present", "walkin_count", "note", *KOBO_META, "_index"]
    ws.append(head)
    ws.append([e1, "held", dt.datetime.fromisoformat(d1), 15, f"{b1} {b2}", 1, "", 102, "k2", "2026-10-06T10:00:00", "", "", "", "", "", "", 1])
    inv_ws = wb.create_sheet("invitee")
    inv_ws.append(["invitee/business_id", "invitee/business_label", "invitee/registered", "invitee/workers_registered", "invitee/programmes",
                   "invitee/programmes/JKK", "invitee/follow_up", "invitee/row_note", "_index", "_parent_table_name", "_parent_index",
                   "_submission__id", "_submission__uuid", "_submission__submission_time"])
    inv_ws.append([b1, "x", "yes", 1, " ".join(mandatory_programmes(s1, w1)), 1, None, None, 1, ws.title, 1, 102, "k2", "2026-10-06T10:00:00"])
    inv_ws.append([b2, "y", "no", None, None, 0, "no", "tutup", 2, ws.title, 1, 102, "k2", "2026-10-06T10:00:00"])
    walk = wb.create_sheet("walkin")
    walk.append(["walkin/name", "walkin/regency_code", "walkin/sector", "walkin/size_class", "walkin/workers", "walkin/phone",
                 "walkin/registered", "_index", "_parent_table_name", "_parent_index", "_submission__uuid"])
    walk.append(["Kedai Kopi Ulu", reg1, "I", "mikro", 1, None, "no", 1, ws.title, 1, "k2"])
    buf = io.BytesIO()
    wb.save(buf)
    res = forms.import_reports(db, STAFF, buf.getvalue(), "kobo.xlsx", on=TODAY)
    assert (res.reports, res.rows, res.registrations, res.walk_ins_new) == (1, 3, 1, 1)
    assert db.execute("SELECT instance_id FROM report_submissions WHERE event_id = ?", [e1]).fetchall() == [("uuid:k2",)]
    assert db.execute("SELECT note FROM report_rows WHERE event_id = ? AND business_id = ?", [e1, b2]).fetchone()[0] == "tutup"


def test_an_export_whose_repeat_rows_are_wrong_names_the_repeat_file_and_row(two_events):
    db, plan_id, (e1, d1, _, inv1), _ = two_events
    (b1, w1, s1) = inv1[0]
    form = forms.form_id(plan_id)
    main = [submission("uuid:9", e1, "2026-10-06T08:00:00.000Z", held_on=d1, attendance="4", present=[b1])]
    invitees = [{"business_id": b1, "registered": "yes", "workers_registered": "1", "programmes": "JKK XYZ", "PARENT_KEY": "uuid:9"}]
    with pytest.raises(ImportFailed) as exc:
        forms.import_reports(db, STAFF, odk_zip(form, main, invitees), "x.zip", on=TODAY)
    assert (2, f"{form}-invitee.csv: programmes") in {(r, c) for r, c, _ in problems(exc)}
    orphans = [{"business_id": b1, "registered": "no", "PARENT_KEY": "uuid:nobody"}]
    with pytest.raises(ImportFailed) as exc:
        forms.import_reports(db, STAFF, odk_zip(form, main, orphans), "x.zip", on=TODAY)
    assert problems(exc)[0][:2] == (2, f"{form}-invitee.csv: PARENT_KEY")
    assert db.execute("SELECT COUNT(*) FROM event_reports").fetchone()[0] == 0


# --------------------------------------------------------------------------- malformed files
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
NASTY = st.sampled_from(["", " ", "=1+1", "+62812", "-5", "@SUM(A1)", "held", "cancelled", "batal", "1", "0", "ya", "2", "-1", "1.5",
                         "2026-10-06", "2026-02-30", "06/10/2026", "JKK;JKM", "JKK XYZ", "x" * 3000, "\u0000", "uuid:1", "U000001",
                         "E1-0001", "16.71", "1671", "mikro", "G", "Z", "nan", "NULL", "1e9", "\ufeff", "Bu Sri – Warung"])
CELL = st.one_of(NASTY, st.text(max_size=20))


def refused_cleanly(db, data, filename):
    before = snapshot(db)
    try:
        forms.import_reports(db, STAFF, data, filename, on=TODAY)
    except ImportFailed as exc:
        assert exc.total >= 1 and exc.issues and all(i.problem and i.fix for i in exc.issues)
        assert snapshot(db) == before, "a rejected file changed the database"
        return True
    except PlannerError:
        assert snapshot(db) == before
        return True
    return False


@FUZZ
@given(blob=st.binary(max_size=3000), name=st.sampled_from(["a.csv", "a.xlsx", "a.zip", "a"]))
def test_random_bytes_are_refused_cleanly(pub, blob, name):
    db, _ = pub
    refused_cleanly(db, blob, name)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=4000), flip=st.integers(min_value=0, max_value=4000))
def test_truncated_and_damaged_zips_are_refused_cleanly(two_events, cut, flip):
    db, plan_id, (e1, d1, _, inv1), _ = two_events
    main = [submission("uuid:z", e1, "2026-10-06T08:00:00.000Z", held_on=d1, attendance="4", present=[inv1[0][0]])]
    data = odk_zip(forms.form_id(plan_id), main, [{"business_id": inv1[0][0], "registered": "no", "PARENT_KEY": "uuid:z"}])
    damaged = bytearray(data[: cut % len(data)] if cut % 3 else data)
    if damaged and flip % 2:
        damaged[flip % len(damaged)] ^= 0x5A
    if not refused_cleanly(db, bytes(damaged), "x.zip"):  # the damage missed everything read: the whole report is saved
        assert consistent(db) and db.execute("SELECT present FROM event_reports WHERE event_id = ?", [e1]).fetchone() == (1,)


def consistent(db) -> bool:
    """Every saved report holds exactly the rows it counts (nothing half-written)."""
    return not db.execute("SELECT 1 FROM event_reports r WHERE r.present != (SELECT COUNT(*) FROM report_rows x WHERE x.event_id = r.event_id) "
                          "OR r.registrations != (SELECT COUNT(*) FROM report_rows x WHERE x.event_id = r.event_id AND x.registered = 1)").fetchall()


@FUZZ
@given(data=st.data())
def test_wrong_headers_and_random_cells_are_refused_or_saved_never_half(pub, data):
    db, plan_id = pub
    eid, date, _, inv = event_with_invitees(db, plan_id)
    kind = data.draw(st.sampled_from(["template", "odk"]))
    names = list(forms.TEMPLATE_COLUMNS) if kind == "template" else MAIN
    header = data.draw(st.lists(st.sampled_from(names + ["", "extra", "EVENT_ID", "present/x", "meta/instanceID"]), max_size=len(names) + 2))
    if data.draw(st.booleans()):
        header = names + header
    base = {"event_id": eid, "business_id": inv[0][0], "held_on": date, "KEY": "uuid:f", "meta-instanceID": "uuid:f"}
    rows = [[data.draw(st.one_of(CELL, st.just(base.get(h, "")))) for h in header] for _ in range(data.draw(st.integers(0, 5)))]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    if not refused_cleanly(db, buf.getvalue().encode("utf-8"), "f.csv"):
        assert consistent(db)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(pub):
    db, _ = pub
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.csv", b"0" * (300 << 20))  # 300 MB of zeros packs to a few hundred KB
    with pytest.raises(ImportFailed, match="MB"):
        forms.import_reports(db, STAFF, buf.getvalue(), "bom.zip", on=TODAY)
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        for i in range(1_200):
            z.writestr(f"f{i}.csv", b"a\n1\n")
    with pytest.raises(ImportFailed, match="1.200|1200"):
        forms.import_reports(db, STAFF, many.getvalue(), "many.zip", on=TODAY)


# --------------------------------------------------------------------------- attendance sheet
def add_invitees(db, eid, plan_id, n):
    regency = db.execute("SELECT regency_code FROM events WHERE event_id = ?", [eid]).fetchone()[0]
    db.execute("DELETE FROM invitations WHERE event_id = ?", [eid])
    rows = [(f"PDF{i:03d}", "Warung Ñyonya Ärni Şahin" if i == 0 else f"Usaha Uji {i:02d}", regency, json.dumps({"owner_name": f"Pemilik {i}", "phone": "0812000000"}))
            for i in range(n)]
    db.conn.executemany("INSERT INTO businesses (business_id, name, regency_code, sector, size_class, workers, has_nib, kur_recipient, "
                        "coop_member, digital_payments, enrolled, attributes) VALUES (?,?,?,'G','mikro',2,0,0,0,0,0,?)", rows)
    db.conn.executemany("INSERT INTO invitations (event_id, plan_id, business_id) VALUES (?,?,?)", [(eid, plan_id, r[0]) for r in rows])
    db.conn.commit()


def pdf_text(tmp_path, data: bytes) -> tuple[int, str]:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return pages, text


def test_attendance_sheet_pages_header_and_unicode_names(pub, tmp_path):
    db, plan_id = pub
    eid, date, *_ = event_with_invitees(db, plan_id)
    db.execute("UPDATE events SET start_time = '13:30' WHERE event_id = ?", [eid])
    partner = db.execute("SELECT p.partner_id, p.name FROM events e JOIN partners p ON p.partner_id = e.partner_id WHERE e.event_id = ?",
                         [eid]).fetchone()
    db.execute("UPDATE partners SET address = 'Jl. Merdeka No. 7, Lahat' WHERE partner_id = ?", [partner[0]])
    staff = db.execute("SELECT s.name FROM events e JOIN staff s ON s.staff_id = e.staff_id WHERE e.event_id = ?", [eid]).fetchone()[0]
    add_invitees(db, eid, plan_id, 60)
    pages, text = pdf_text(tmp_path, forms.attendance_sheet(db, STAFF, eid))
    assert pages == forms.attendance_pages(60) == 3  # 25 + 25 + (10 invitees and 14 blank rows)
    assert text.count("Jangkau · BPJS Ketenagakerjaan") == 3 and text.count(eid) >= 3
    assert forms.long_date(date) in text and "13.30 WIB" in text and partner[1] in text and "Jl. Merdeka No. 7, Lahat" in text
    assert staff in text and "Halaman 1 dari 3" in text and "Halaman 3 dari 3" in text
    assert "Warung Ñyonya Ärni Şahin" in text and "Hadir" in text and "Daftar" in text and "Tanda tangan" in text
    assert "Usaha yang datang tanpa undangan" in text
    last_page = text.split("\f")[2]
    numbers = [int(m) for m in re.findall(r"^\s*(\d+)\s", last_page, re.M)]
    assert numbers[:10] == list(range(51, 61)) and numbers[-1] == 74  # 14 numbered blank rows for walk-ins
    # 20 invitees leave room for only 4 blank rows: the walk-ins get a page of their own
    db.execute("DELETE FROM invitations WHERE event_id = ? AND business_id >= 'PDF020'", [eid])
    db.conn.commit()
    pages, text = pdf_text(tmp_path, forms.attendance_sheet(db, STAFF, eid, lang="en"))
    assert pages == forms.attendance_pages(20) == 2
    assert "Page 2 of 2" in text and forms.long_date(date, "en") in text and "13:30 WIB" in text
    # without the font the sheet still prints (names lose the characters the core font lacks)
    pages, text = pdf_text(tmp_path, forms.attendance_sheet(db, STAFF, eid, font_dir=tmp_path / "no-fonts"))
    assert pages == 2 and "Jangkau" in text and "Warung" in text
    with pytest.raises(auth.AccessDenied):
        forms.attendance_sheet(db, OTHER, eid)


# --------------------------------------------------------------------------- CLI
def run_cli(db_path, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "planner", "--db", str(db_path), *args], capture_output=True, text=True, env=env, cwd=ROOT)


def test_cli_import_reports_success_and_refusal(published_file, tmp_path):
    path, plan_id, _ = published_file
    db_path = copy_db(path, tmp_path / "cli.db")
    db = connect(db_path)
    eid, *_ = event_with_invitees(db, plan_id)
    df = template_df(db, [eid], actor=MANAGER)
    db.conn.close()
    bad = df.copy()
    bad.loc[0, ["status", "cancel_reason", "cancel_note"]] = ["cancelled", "meteor", "x"]
    (tmp_path / "bad.csv").write_bytes(bad.to_csv(index=False).encode())
    r = run_cli(db_path, "import", "reports", str(tmp_path / "bad.csv"))
    assert r.returncode == 2 and "Baris 2, kolom cancel_reason, nilai 'meteor'" in r.stderr and "Perbaikan" in r.stderr
    db = connect(db_path)
    assert db.execute("SELECT COUNT(*) FROM event_reports").fetchone()[0] == 0
    db.conn.close()
    good = df.copy()
    good.loc[0, ["status", "cancel_reason", "cancel_note"]] = ["cancelled", "weather", "hujan deras, jalan banjir"]
    (tmp_path / "good.csv").write_bytes(good.to_csv(index=False).encode())
    r = run_cli(db_path, "--lang", "en", "import", "reports", str(tmp_path / "good.csv"))
    assert r.returncode == 0, r.stderr
    assert "1 reports saved (1 new, 0 updated)" in r.stdout
    db = connect(db_path)
    assert db.execute("SELECT status, cancel_reason, source FROM event_reports WHERE event_id = ?", [eid]).fetchone() == (
        "cancelled", "weather", "upload")
    db.conn.close()
