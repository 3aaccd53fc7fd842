"""After the run: nothing lost, nothing half-written, every write and report where it
should be, the sign-in burst judged."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from load.common import BURST_LOCK, BURST_OK, EDIT_ACTIONS
from load.sessions import summarize_burst


# =========================================================================== verification
def verify(db_path: Path, phases: dict[str, dict], before: dict, plan_setup: dict, report_events: list[str] | None = None) -> dict:
    """Every write a writer reported is in the database; failed writes left nothing."""
    con = sqlite3.connect(str(db_path), timeout=30)
    out: dict = {"checks": [], "ok": True}

    def check(name: str, passed: bool, detail: str = "") -> None:
        out["checks"].append({"check": name, "ok": bool(passed), "detail": detail})
        out["ok"] &= bool(passed)

    all_ops = [o for ph in phases.values() for o in ph["ops"]]
    ok_ops = [o for o in all_ops if o.get("ok")]
    failed_ops = [o for o in all_ops if not o.get("ok") and o["op"] not in ("skipped", "connect")]

    # ---- contacts: every row by key, with its values
    want = [tuple(r) for o in ok_ops if o["op"] == "contacts" for r in o["data"]]
    con.execute("CREATE TEMP TABLE want_contacts (business_id, contacted_on, channel, invited, enrolled, attended, workers_enrolled)")
    con.executemany("INSERT INTO want_contacts VALUES (?,?,?,?,?,?,?)", want)
    found = con.execute(
        "SELECT COUNT(*) FROM want_contacts w JOIN contacts c USING (business_id, contacted_on, channel) "
        "WHERE c.invited = w.invited AND c.enrolled = w.enrolled AND c.attended IS w.attended AND c.workers_enrolled IS w.workers_enrolled"
    ).fetchone()[0]
    check("contacts written are stored, by key and value", found == len(want), f"{found:,} of {len(want):,} rows")
    stored = con.execute("SELECT COUNT(*) FROM contacts WHERE channel LIKE 'bench-%'").fetchone()[0]
    check("no other bench contacts stored (failed imports wrote nothing)", stored == len(want), f"{stored:,} stored with a bench channel, {len(want):,} reported")
    if report_events:  # the report writers rewrite their events' contacts: count the others
        q = ",".join("?" * len(report_events))
        total = con.execute(f"SELECT COUNT(*) FROM contacts WHERE event_id IS NULL OR event_id NOT IN ({q})", list(report_events)).fetchone()[0]
        base = before["contacts_outside_reports"]
        label = "contacts count (outside the reported events) = before + inserted"
    else:
        total, base = con.execute("SELECT COUNT(*) FROM contacts").fetchone()[0], before["contacts"]
        label = "contacts count = before + inserted"
    check(label, total == base + len(want), f"{base:,} + {len(want):,} = {base + len(want):,}; stored {total:,}")

    # ---- partners: last successful write per partner wins (each writer owns its partners)
    # Order within a writer is its op index k (sequential); writers never share partners.
    last: dict[str, list] = {}
    by_writer: dict[tuple, list] = {}
    for ph_name, ph in phases.items():
        for o in ph["ops"]:
            if o.get("ok") and o["op"] in ("partners_new", "partners_update"):
                by_writer.setdefault((ph_name, o["w"]), []).append(o)
    for ops in by_writer.values():
        for o in sorted(ops, key=lambda o: o["k"]):
            for row in o["data"]:
                last[row[0]] = row
    con.execute("CREATE TEMP TABLE want_partners (partner_id, name, type, regency_code, capacity_per_month, venue_capacity, cost_per_event, available_weekdays, active)")
    con.executemany("INSERT INTO want_partners VALUES (?,?,?,?,?,?,?,?,?)", [tuple(r) for r in last.values()])
    found = con.execute(
        "SELECT COUNT(*) FROM want_partners w JOIN partners p USING (partner_id) WHERE p.capacity_per_month = w.capacity_per_month "
        "AND p.regency_code = w.regency_code AND p.name = w.name AND p.type = w.type AND p.available_weekdays = w.available_weekdays"
    ).fetchone()[0]
    check("partners written are stored with the last capacity written", found == len(last), f"{found:,} of {len(last):,} partners")
    stored = con.execute("SELECT COUNT(*) FROM partners WHERE partner_id LIKE 'BENCH-%'").fetchone()[0]
    check("no other bench partners stored", stored == len(last), f"{stored:,} stored, {len(last):,} reported")
    n_upd = sum(o["result"]["updated"] for o in ok_ops if o["op"] == "partners_update")
    n_upd_rows = sum(o["rows"] for o in ok_ops if o["op"] == "partners_update")
    check("every capacity re-import reported each row as updated", n_upd == n_upd_rows, f"{n_upd:,} updated of {n_upd_rows:,} rows")
    n_ins = sum(o["result"]["inserted"] for o in ok_ops if o["op"] in ("contacts", "partners_new"))
    n_ins_rows = sum(o["rows"] for o in ok_ops if o["op"] in ("contacts", "partners_new"))
    check("every new-row import reported each row as inserted", n_ins == n_ins_rows, f"{n_ins:,} inserted of {n_ins_rows:,} rows")

    # ---- accounts: the last active flag set
    # Phases run one after another on the same accounts: replay them in phase order.
    final: dict[str, int] = {}
    toggles = 0
    for ph in phases.values():
        for o in sorted((o for o in ph["ops"] if o.get("ok") and o["op"] == "user_toggle"), key=lambda o: (o["w"], o["k"])):
            final[o["data"][0]] = o["data"][1]
            toggles += 1
    stored_flags = dict(con.execute("SELECT username, active FROM users WHERE username LIKE 'bench.w%'").fetchall())
    wrong = {u: (v, stored_flags.get(u)) for u, v in final.items() if stored_flags.get(u) != v}
    check("account flags are the last ones set", not wrong, f"{len(final)} accounts toggled {toggles} times; mismatches: {wrong or 'none'}")

    # ---- import_runs and audit trail, one for one
    ok_imports = [o for o in ok_ops if o["op"] in ("contacts", "partners_new", "partners_update")]
    runs = con.execute("SELECT COUNT(*), COALESCE(SUM(inserted),0), COALESCE(SUM(updated),0) FROM import_runs WHERE filename LIKE 'bench-%'").fetchone()
    check("import_runs has one row per successful import", runs[0] == len(ok_imports), f"{runs[0]} runs, {len(ok_imports)} imports")
    check("import_runs counts match the results", (runs[1], runs[2]) == (n_ins, n_upd), f"inserted {runs[1]:,}/{n_ins:,}, updated {runs[2]:,}/{n_upd:,}")
    audit_files = con.execute("SELECT COUNT(*) FROM audit_log WHERE action IN ('import.contacts','import.partners') AND entity_key LIKE 'bench-%'").fetchone()[0]
    check("audit_log has one entry per successful import", audit_files == len(ok_imports), f"{audit_files} entries")
    audit_rows = con.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'import.partners.update' AND detail LIKE 'bench-%'").fetchone()[0]
    check("audit_log has one before/after entry per updated partner row", audit_rows == n_upd, f"{audit_rows:,} entries, {n_upd:,} rows updated")
    audit_users = con.execute("SELECT COUNT(*) FROM audit_log WHERE action IN ('user.enable','user.disable') AND entity_key LIKE 'bench.w%'").fetchone()[0]
    check("audit_log has one entry per account toggle", audit_users == toggles, f"{audit_users} entries, {toggles} toggles")

    # ---- plan events: the last successful edit of each event, every other event as solved
    # Writers never share a plan; within a writer, edits are sequential (op index k), and
    # the phases ran one after another: replay in that order over the solved state.
    expected: dict[str, list] = {}
    plan_ids = [p["plan_id"] for p in plan_setup["writers"]]
    for p in plan_setup["writers"]:
        expected.update({e: list(v) for e, v in p["states"].items()})
    edited: set[str] = set()
    want_audit: dict[tuple[str, str], int] = {}
    edits = 0
    for ph in phases.values():
        for o in sorted((o for o in ph["ops"] if o.get("ok") and o["op"] in EDIT_ACTIONS), key=lambda o: (o["w"], o["k"])):
            d = o["data"]
            expected[d["event_id"]] = d["after"]
            edited.add(d["event_id"])
            action = EDIT_ACTIONS[o["op"]] or ("event.lock" if d["after"][1] else "event.unlock")
            want_audit[(action, d["event_id"])] = want_audit.get((action, d["event_id"]), 0) + 1
            edits += 1
    ph_ = ",".join("?" * len(plan_ids))
    stored_events = {r[0]: [r[1], int(r[2]), r[3]] for r in con.execute(
        f"SELECT event_id, event_date, locked, status FROM events WHERE plan_id IN ({ph_})", plan_ids)}
    ok_edited = sum(1 for e in edited if stored_events.get(e) == expected[e])
    wrong = [(e, expected[e], stored_events.get(e)) for e in sorted(edited) if stored_events.get(e) != expected[e]]
    check("edited events hold their last successful edit (date, locked, status)", ok_edited == len(edited),
          f"{ok_edited:,} of {len(edited):,} events ({edits:,} successful edits); wrong: {wrong[:3] or 'none'}")
    untouched = [e for e in expected if e not in edited]
    ok_untouched = sum(1 for e in untouched if stored_events.get(e) == expected[e])
    failed_edits = [o for o in failed_ops if o["op"] in EDIT_ACTIONS]
    check("events without a successful edit are as solved (failed edits changed nothing)", ok_untouched == len(untouched),
          f"{ok_untouched:,} of {len(untouched):,} events; {len(failed_edits)} failed edits")
    check("the writers' plans have exactly their solved events (none lost or added)", set(stored_events) == set(expected),
          f"{len(stored_events):,} stored, {len(expected):,} solved")
    got_audit = {(a, k): n for a, k, n in con.execute(
        f"SELECT action, entity_key, COUNT(*) FROM audit_log WHERE action IN ('event.lock','event.unlock','event.move','event.cancel') "
        f"AND entity_key IN (SELECT event_id FROM events WHERE plan_id IN ({ph_})) GROUP BY action, entity_key", plan_ids)}
    n_got = sum(got_audit.values())
    diff = sorted(k for k in set(got_audit) | set(want_audit) if got_audit.get(k, 0) != want_audit.get(k, 0))
    check("audit_log has one event.lock/unlock/move/cancel entry per successful edit, and none for failed ones", not diff,
          f"{n_got:,} entries, {edits:,} edits; mismatches: {diff[:3] or 'none'}")
    bad_inv = con.execute(
        f"SELECT COUNT(*) FROM events e WHERE e.plan_id IN ({ph_}) AND e.invitees != (SELECT COUNT(*) FROM invitations i WHERE i.event_id = e.event_id)",
        plan_ids).fetchone()[0]
    cancelled = sum(1 for v in stored_events.values() if v[2] == "cancelled")
    check("each event's invitations match its invitee count (cancelled events: none)", bad_inv == 0,
          f"{bad_inv} events differ; {cancelled} cancelled")

    # ---- failed writes left nothing
    leftovers = 0
    for o in failed_ops:
        if o["op"] == "contacts":
            leftovers += con.execute("SELECT COUNT(*) FROM contacts WHERE channel = ?", [o["data"][0][2]]).fetchone()[0]
        elif o["op"] == "partners_new":
            leftovers += con.execute("SELECT COUNT(*) FROM partners WHERE partner_id = ?", [o["data"][0][0]]).fetchone()[0]
    check("failed writes left no rows behind", leftovers == 0, f"{len(failed_ops)} failed writes, {leftovers} rows left")

    # ---- the file itself
    ic = con.execute("PRAGMA integrity_check").fetchall()
    check("PRAGMA integrity_check", ic == [("ok",)], str(ic[:5]))
    fk = con.execute("PRAGMA foreign_key_check").fetchall()
    check("PRAGMA foreign_key_check is empty", not fk, str(fk[:5]))
    con.close()
    return out


def verify_reports(db_path: Path, ops: list[dict], setup: dict) -> list[dict]:
    """The report writers' work: every successful write applied once and audited once,
    the stored report of each event the one write that won (its note names it) with
    exactly its rows and contacts, failed writes left nothing, walk-ins created once."""
    con = sqlite3.connect(str(db_path), timeout=30)
    checks: list[dict] = []

    def check(name: str, passed: bool, detail: str = "") -> None:
        checks.append({"check": name, "ok": bool(passed), "detail": detail})

    events = {e["event_id"]: e for e in setup["events"]}
    real = [o for o in ops if o["op"] not in ("skipped", "connect")]
    ok_ops = [o for o in real if o.get("ok")]
    conflicts = [o for o in real if not o.get("ok") and o.get("conflict")]
    failed = [o for o in real if not o.get("ok") and not o.get("conflict")]
    by_event: dict[str, list[dict]] = {}
    for o in ok_ops:
        by_event.setdefault(o["event_id"], []).append(o)
    check("report writes: every one saved or refused as designed (a form opened before another save of the same report)", not failed,
          f"{len(ok_ops)} saved ({sum(o['op'] == 'report_form' for o in ok_ops)} by the form, {sum(o['op'] == 'report_upload' for o in ok_ops)} "
          f"by upload), {len(conflicts)} refused as changed meanwhile, {len(failed)} failed" + (f": {failed[0]['err'][:200]}" if failed else ""))
    # versions: one step per successful save
    wrong_version = []
    for eid, e in events.items():
        row = con.execute("SELECT version FROM event_reports WHERE event_id = ?", [eid]).fetchone()
        want = e["version_before"] + len(by_event.get(eid, []))
        if (row[0] if row else 0) != want:
            wrong_version.append((eid, row[0] if row else None, want))
    check("each report's version = before + successful saves (none lost, none twice)", not wrong_version,
          f"{len(events)} events, {len(ok_ops)} saves; mismatches: {wrong_version[:3] or 'none'}")
    # audit: one entry per successful save (its note), none for a refused or failed one
    got: dict[str, list[str]] = {}
    q = ",".join("?" * len(events))
    for eid, note in con.execute(f"SELECT entity_key, json_extract(after, '$.note') FROM audit_log WHERE entity = 'event_reports' "
                                 f"AND action IN ('report.create', 'report.update') AND entity_key IN ({q})", list(events)):
        if note and note.startswith("bench "):
            got.setdefault(eid, []).append(note)
    want_notes = {eid: sorted(o["note"] for o in os_) for eid, os_ in by_event.items()}
    diff = [eid for eid in events if sorted(got.get(eid, [])) != want_notes.get(eid, [])]
    n_audit = sum(len(v) for v in got.values())
    check("audit_log: one report entry per successful save, with its content, none for refused or failed ones", not diff,
          f"{n_audit} entries for {len(ok_ops)} saves; events that differ: {diff[:3] or 'none'}")
    # the stored report of each event: the write its note names, exactly
    bad_rows, bad_contacts, bad_status, n_rows, n_contacts = [], [], [], 0, 0
    for eid, os_ in by_event.items():
        stored = con.execute("SELECT note, status, present FROM event_reports WHERE event_id = ?", [eid]).fetchone()
        winner = next((o for o in os_ if o["note"] == stored[0]), None) if stored else None
        if winner is None or winner["status"] != stored[1]:
            bad_status.append((eid, stored))
            continue
        rows = sorted(tuple(r) for r in con.execute(
            "SELECT business_id, registered, workers_registered, follow_up, walk_in FROM report_rows WHERE event_id = ?", [eid]))
        if rows != sorted(tuple(r) for r in winner["data"]) or stored[2] != len(rows):
            bad_rows.append(eid)
        n_rows += len(rows)
        c = con.execute("SELECT COUNT(*), COUNT(DISTINCT business_id), COALESCE(SUM(attended), 0), COALESCE(SUM(walk_in), 0) FROM contacts "
                        "WHERE event_id = ?", [eid]).fetchone()
        invitees = con.execute("SELECT COUNT(*) FROM invitations WHERE event_id = ?", [eid]).fetchone()[0]
        controls = con.execute("SELECT COUNT(*) FROM controls WHERE event_id = ?", [eid]).fetchone()[0]  # held back: their outcome is a contact too
        walk = sum(1 for r in winner["data"] if r[4])
        n = invitees + walk + controls
        want_c = (n, n, len(rows), walk) if winner["status"] == "held" else (0, 0, 0, 0)
        if tuple(c) != want_c:
            bad_contacts.append((eid, tuple(c), want_c))
        n_contacts += c[0]
    check("each reported event holds the report of one successful save (named by its note), status as saved", not bad_status,
          f"{len(by_event)} events; wrong: {bad_status[:3] or 'none'}")
    check("report rows: exactly those of the winning save, each business once", not bad_rows,
          f"{n_rows:,} rows in {len(by_event)} reports; events that differ: {bad_rows[:3] or 'none'}")
    check("contacts of each event: every invitee, control and walk-in exactly once, attended = present (none for a cancelled event)", not bad_contacts,
          f"{n_contacts:,} contacts; events that differ: {bad_contacts[:3] or 'none'}")
    # walk-ins: each new business once, only those of successful saves
    named = {r[0] for o in ok_ops for r in o["data"] if r[4]}
    stored_bw = {r[0] for r in con.execute("SELECT business_id FROM businesses WHERE business_id LIKE 'BW-%'")}
    check("walk-ins new to Jangkau: each created once, none from a refused or failed save", stored_bw == named,
          f"{len(stored_bw)} stored, {len(named)} named by successful saves")
    # leads: no business twice for one event; every follow-up of a stored held report has one
    dup = con.execute(f"SELECT COUNT(*) FROM (SELECT event_id, business_id FROM followups WHERE event_id IN ({q}) "
                      f"GROUP BY event_id, business_id HAVING COUNT(*) > 1)", list(events)).fetchone()[0]
    missing = con.execute(f"SELECT COUNT(*) FROM report_rows r WHERE r.event_id IN ({q}) AND r.follow_up = 1 AND r.registered = 0 AND NOT EXISTS "
                          f"(SELECT 1 FROM followups f WHERE f.event_id = r.event_id AND f.business_id = r.business_id)", list(events)).fetchone()[0]
    check("follow-up leads: none twice for one event, one for every follow-up row", dup == 0 and missing == 0, f"{dup} duplicated, {missing} missing")
    con.close()
    return checks


def verify_burst(db_path: Path, burst: dict) -> list[dict]:
    """The burst's answers and its audit entries: nobody let in with a wrong password, the
    right ones signed in (or told to try again shortly), each sign-in audited once, each
    attempt on a locked-out account audited, the accounts hit with wrong passwords locked."""
    con = sqlite3.connect(str(db_path), timeout=30)
    checks: list[dict] = []

    def check(name: str, passed: bool, detail: str = "") -> None:
        checks.append({"check": name, "ok": bool(passed), "detail": detail})

    att = burst["attempts"]
    since, until = burst["started_utc"], burst["ended_utc"]
    tag = burst.get("label", "sign-in burst")
    sm = summarize_burst(burst)
    check(f"{tag}: every attempt answered", len(att) == burst["planned"] and sm["errors"] == 0,
          f"{len(att)} of {burst['planned']} answered; {sm['errors']} errors or unexpected answers")
    check(f"{tag}: no wrong password or unknown account let in", sm["wrong_let_in"] == 0, f"{sm['wrong_let_in']}")
    check(f"{tag}: no right password refused as wrong", sm["right_refused_as_wrong"] == 0,
          f"{sm['right_refused_as_wrong']} (told to try again shortly: {sm['by_kind']['right']['outcomes'].get('busy', 0)})")
    ok_users = {u: sum(1 for a in att if a["user"] == u and a["status"] == 303) for u in BURST_OK}
    audited = dict(con.execute(f"SELECT entity_key, COUNT(*) FROM audit_log WHERE action = 'login' AND at BETWEEN ? AND ? AND entity_key IN "
                               f"({','.join('?' * len(BURST_OK))}) GROUP BY entity_key", [since, until, *BURST_OK]).fetchall())
    check(f"{tag}: one `login` audit entry per sign-in (bench.okN)", all(audited.get(u, 0) == n for u, n in ok_users.items()),
          f"signed in {sum(ok_users.values())}, audited {sum(audited.values())}")
    details, fine = [], True
    for u in BURST_LOCK:
        tries = sum(1 for a in att if a["user"] == u)
        busy = sum(1 for a in att if a["user"] == u and a["outcome"] == "busy")
        failed, refused = (con.execute("SELECT COUNT(*) FROM audit_log WHERE action = ? AND at BETWEEN ? AND ? AND entity_key = ?",
                                       [a, since, until, u]).fetchone()[0]
                           for a in ("login.failed", "login.refused"))
        locked = con.execute("SELECT locked_until IS NOT NULL AND locked_until > ? FROM users WHERE username = ?",
                             [dt.datetime.now(dt.timezone.utc).isoformat(), u]).fetchone()[0]
        # a refused attempt is audited before its (dummy) check, which may then answer "busy"
        fine &= bool(locked) and failed <= 5 and tries - busy <= failed + refused <= tries
        details.append(f"{u}: {tries} tries, {failed} login.failed + {refused} login.refused, {busy} busy, locked {bool(locked)}")
    check(f"{tag}: wrong passwords audited (failed, then refused once locked) and the account locked", fine, "; ".join(details))
    con.close()
    return checks
