"""The writers: threads in a child process of their own that import, edit accounts and
plans, and file event reports while the sessions browse; ``WriterProc`` starts and
releases them."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import random
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

from _common import ROOT

from load.common import EDIT_ACTIONS, LOAD_OUT, LOCKED, REPORT_WRITERS_FILE


# =========================================================================== writers (child process)
def _csv(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    buf.write(",".join(header) + "\n")
    for r in rows:
        buf.write(",".join("" if v is None else str(v) for v in r) + "\n")
    return buf.getvalue().encode("utf-8")


CONTACT_COLS = ["business_id", "contacted_on", "channel", "invited", "enrolled", "attended", "workers_enrolled"]


PARTNER_COLS = ["partner_id", "name", "type", "regency_code", "capacity_per_month", "venue_capacity", "cost_per_event", "available_weekdays", "active"]


def paced(wid: int, args, t0: float, rng: random.Random, ops_out: list):
    """The op numbers 0 … ``args.ops``-1 of one writer, each at its time: Poisson-paced with
    mean gap ``args.gap`` s from ``t0`` (back to back when 0); an op whose time is past
    ``args.hard_limit`` is recorded as skipped instead. The first op, too, comes after a
    gap of its own (writers released together do not all write at the same instant),
    unless ``args.together``: then every writer's first op is at ``t0``."""
    first = 0.0 if args.gap <= 0 or getattr(args, "together", False) else rng.expovariate(1.0 / args.gap)
    next_at, hard_stop = t0 + first, t0 + args.hard_limit
    for k in range(args.ops):
        now = time.monotonic()
        if now >= hard_stop:
            ops_out.append({"w": wid, "k": k, "op": "skipped", "ok": False, "err": "hard time limit", "locked": False, "t0": now - t0, "t1": now - t0})
            continue
        if next_at > now:
            time.sleep(min(next_at - now, hard_stop - now))
        if args.gap > 0:
            next_at += rng.expovariate(1.0 / args.gap)
        yield k


def _connect_failed(wid: int, exc: BaseException, barrier: threading.Barrier, ops_out: list) -> None:
    """A writer that could not open the database: recorded as its one op, and the start
    barrier still passed so that the others are not kept waiting."""
    ops_out.append({"w": wid, "k": -1, "op": "connect", "ok": False, "err": f"{type(exc).__name__}: {exc}",
                    "locked": bool(LOCKED.search(str(exc))), "tb": traceback.format_exc(), "t0": 0, "t1": 0})
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        pass


def writer_thread(wid: int, args, ref: dict, barrier: threading.Barrier, t_start: list, ops_out: list) -> None:
    from planner import auth, imports, plans
    from planner import db as dbmod
    from planner.vocabulary import PARTNER_TYPES

    rng = random.Random(args.seed * 1000 + wid)
    tag = args.tag
    db = None
    try:
        db = dbmod.connect(args.db)  # one connection per writer, opened in its thread
        manager = auth.get_user(db, "manajer")
        admin = auth.get_user(db, "admin")
    except BaseException as exc:  # noqa: BLE001 - recorded, never hidden
        _connect_failed(wid, exc, barrier, ops_out)
        return
    # Lock wait and hold, seen through SQLite's statement trace (the planner is not
    # touched): the trace fires as a statement starts, so "wait" runs from BEGIN
    # IMMEDIATE to the next statement (the lock is ours), "hold" from there to COMMIT.
    lock = {"begin": None, "acquired": None, "wait": 0.0, "hold": 0.0, "txns": 0}

    def trace(sql: str) -> None:
        now = time.monotonic()
        head = sql.lstrip()[:8].upper()
        if head.startswith("BEGIN"):
            lock["begin"], lock["acquired"] = now, None
        elif lock["begin"] is not None:
            if lock["acquired"] is None:
                lock["acquired"] = now
                lock["wait"] += now - lock["begin"]
            if head.startswith(("COMMIT", "ROLLBACK")):
                lock["hold"] += now - lock["acquired"]
                lock["txns"] += 1
                lock["begin"] = None

    db.conn.set_trace_callback(trace)
    partners: dict[str, list] = {}  # this writer's partners as last written successfully
    active = True  # bench.wNN starts active
    user = f"bench.w{wid:02d}"
    today = dt.date.today()
    # This writer's own plan: its events as they are now (earlier phases included); only
    # this writer edits them, so after each successful edit this is the stored state.
    my_plan = ref["plans"][wid]
    plan_id = my_plan["plan_id"]
    plan_start, plan_end = dt.date.fromisoformat(my_plan["start"]), dt.date.fromisoformat(my_plan["end"])
    events = {r[0]: [r[1], int(r[2]), r[3]] for r in db.execute(
        "SELECT event_id, event_date, locked, status FROM events WHERE plan_id = ? ORDER BY event_id", [plan_id])}
    weekdays = [plan_start + dt.timedelta(days=i) for i in range((plan_end - plan_start).days + 1)]
    weekdays = [d for d in weekdays if d.weekday() < 5]
    barrier.wait()
    t0 = t_start[0]
    for k in paced(wid, args, t0, rng, ops_out):
        r = rng.random()
        planned = sorted(e for e, st_ in events.items() if st_[2] == "planned")
        if r >= 0.80 and planned:
            # 20 %: an edit of one planned event of the writer's own plan
            r2 = rng.random()
            op = "event_lock" if r2 < 0.45 else "event_move" if r2 < 0.80 or len(planned) <= 3 else "event_cancel"
        elif r < 0.36:
            op = "contacts"
        elif r < 0.56 or len(partners) < 20:
            op = "partners_new"
        elif r < 0.68:
            op = "partners_update"
        else:
            op = "user_toggle"
        if op == "user_toggle" and k == 0:
            op = "contacts"
        rec: dict = {"w": wid, "k": k, "op": op}
        lock.update(begin=None, acquired=None, wait=0.0, hold=0.0, txns=0)
        try:
            if op == "contacts":
                n = rng.randint(20, 200)
                channel = f"bench-{tag}-w{wid:02d}-{k:03d}"
                bids = rng.sample(ref["business_ids"], n)
                rows = []
                for b in bids:
                    date = (today - dt.timedelta(days=rng.randint(1, 700))).isoformat()
                    invited = rng.randint(0, 1)
                    enrolled = rng.randint(0, 1)
                    attended = rng.choice([None, 0, 1])
                    we = rng.randint(1, 9) if enrolled else rng.choice([None, 0])
                    rows.append([b, date, channel, invited, enrolled, attended, we])
                data = _csv(CONTACT_COLS, rows)
                fname = f"{channel}-contacts.csv"
                rec["rows"] = n
                rec["data"] = rows
                rec["t0"] = time.monotonic() - t0
                res = imports.import_file(db, "contacts", data, filename=fname, actor=manager)
            elif op == "partners_new":
                n = rng.randint(20, 200)
                rows = []
                for i in range(n):
                    pid = f"BENCH-{tag.upper()}-W{wid:02d}-{k:03d}-{i:03d}"
                    days = sorted(rng.sample(range(1, 8), rng.randint(1, 5)))
                    rows.append([pid, f"Mitra uji {wid:02d}-{k:03d}-{i:03d}", rng.choice(PARTNER_TYPES), rng.choice(ref["regencies"]),
                                 rng.randint(0, 1000), rng.randint(0, 5000), rng.randint(0, 50_000_000), ";".join(map(str, days)), 1])
                data = _csv(PARTNER_COLS, rows)
                fname = f"bench-{tag}-w{wid:02d}-{k:03d}-partners.csv"
                rec["rows"] = n
                rec["data"] = rows
                rec["t0"] = time.monotonic() - t0
                res = imports.import_file(db, "partners", data, filename=fname, actor=manager)
            elif op == "partners_update":
                n = min(len(partners), rng.randint(20, 200))
                ids = rng.sample(sorted(partners), n)
                rows = []
                for pid in ids:
                    row = list(partners[pid])
                    row[4] = (row[4] + rng.randint(1, 500)) % 1001  # capacity_per_month always changes
                    rows.append(row)
                data = _csv(PARTNER_COLS, rows)
                fname = f"bench-{tag}-w{wid:02d}-{k:03d}-partners-capacity.csv"
                rec["rows"] = n
                rec["data"] = rows
                rec["t0"] = time.monotonic() - t0
                res = imports.import_file(db, "partners", data, filename=fname, actor=manager)
            elif op == "user_toggle":
                rec["rows"] = 1
                rec["data"] = [user, int(not active)]
                rec["t0"] = time.monotonic() - t0
                auth.set_active(db, admin, user, not active)
                res = None
            else:
                eid = rng.choice(planned)
                before = list(events[eid])
                if op == "event_lock":
                    after = [before[0], 1 - before[1], "planned"]
                elif op == "event_move":
                    new_date = rng.choice([d for d in weekdays if d.isoformat() != before[0]])
                    after = [new_date.isoformat(), 1, "planned"]
                else:
                    after = [before[0], 0, "cancelled"]
                rec["rows"] = 1
                rec["data"] = {"plan_id": plan_id, "event_id": eid, "before": before, "after": after}
                rec["t0"] = time.monotonic() - t0
                if op == "event_lock":
                    plans.set_locked(db, manager, eid, bool(after[1]))
                elif op == "event_move":
                    rec["violations"] = len(plans.move_event(db, manager, eid, date=after[0]))
                else:
                    plans.cancel_event(db, manager, eid, note=f"bench {tag} w{wid:02d} {k:03d}")
                res = None
            rec["t1"] = time.monotonic() - t0
            rec["ok"] = True
            rec["err"] = None
            rec["locked"] = False
            if res is not None:
                rec["result"] = {"rows": res.rows, "inserted": res.inserted, "updated": res.updated, "unchanged": res.unchanged}
            if op in ("partners_new", "partners_update"):
                for row in rec["data"]:
                    partners[row[0]] = row
            elif op == "user_toggle":
                active = not active
            elif op in EDIT_ACTIONS:
                events[rec["data"]["event_id"]] = rec["data"]["after"]
        except BaseException as exc:  # noqa: BLE001 - every exception is a result
            rec.setdefault("t0", time.monotonic() - t0)
            rec["t1"] = time.monotonic() - t0
            rec["ok"] = False
            rec["err"] = f"{type(exc).__name__}: {exc}"
            rec["locked"] = bool(LOCKED.search(str(exc)) or LOCKED.search(traceback.format_exc()))
            rec["tb"] = traceback.format_exc()
            if lock["begin"] is not None and lock["acquired"] is None:  # BEGIN IMMEDIATE itself gave up
                lock["wait"] += time.monotonic() - lock["begin"]
        rec["lock_wait"], rec["lock_hold"], rec["txns"] = lock["wait"], lock["hold"], lock["txns"]
        ops_out.append(rec)
    try:
        db.conn.close()
    except Exception:  # noqa: BLE001
        pass


def report_content(ev: dict, tag: str, wid: int, k: int) -> dict:
    """What write ``k`` of report writer ``wid`` says of event ``ev``, as plain values: every
    write differs (present, registered and follow-up rotate with ``k``; one in seven is a
    cancellation), and its note names it, so the stored report shows which write won.
    Walk-ins are businesses new to Jangkau with ids of their own (``BW-<event>-<n>``, the
    form's walk-in id column): the first write that names one creates it."""
    from planner.vocabulary import mandatory_programmes

    eid = ev["event_id"]
    note = f"bench {tag} w{wid:02d} k{k:03d}"
    if k % 7 == 6:
        return {"event_id": eid, "status": "cancelled", "note": note, "rows": [], "walk_ins": []}
    rows = []
    for j, (bid, size, workers) in enumerate(ev["invitees"]):
        if (j + k) % 3 == 0:
            continue  # did not come
        reg = int((j + k) % 5 == 0 and int(workers) >= 1)
        rows.append({"business_id": bid, "registered": reg, "workers_registered": 1 if reg else 0,
                     "programmes": ";".join(mandatory_programmes(size, int(workers))) if reg else "",
                     "follow_up": int(not reg and (j + k) % 7 == 1), "walk_in": 0})
    walk = []
    for n in sorted({k % 3 + 1, (k + 1) % 3 + 1}):
        reg = int((k + n) % 2 == 0)
        walk.append({"business_id": f"BW-{eid}-{n}", "name": f"Warung Bench {eid} {n}", "regency_code": ev["regency"], "sector": "G",
                     "size_class": "mikro", "workers": 2, "phone": "081234567890", "registered": reg, "workers_registered": 2 if reg else 0,
                     "programmes": ";".join(mandatory_programmes("mikro", 2)) if reg else "", "follow_up": int(not reg), "walk_in": 1})
    return {"event_id": eid, "status": "held", "held_on": ev["date"], "attendance": len(rows) + len(walk) + 5 + k % 11, "note": note,
            "rows": rows, "walk_ins": walk}


def _report_by_form(db, user, c: dict) -> tuple:
    """The Laporan form's path: ``form_rows`` (what the form opens on, with its version),
    the person's ticks and walk-in lines, ``from_form``, ``reports.save``."""
    import pandas as pd

    from planner.reporting import reports as rp

    inv, walk, version = rp.form_rows(db, user, c["event_id"])
    if c["status"] == "cancelled":
        fields = {"status": "cancelled", "cancel_reason": "weather", "cancel_note": "Hujan deras, jalan banjir", "note": c["note"]}
        raw = rp.from_form(c["event_id"], fields, inv.iloc[0:0], walk.iloc[0:0], version=version)
    else:
        want = {r["business_id"]: r for r in c["rows"]}
        inv = inv.copy()
        got = [want.get(b) for b in inv["business_id"]]
        inv["present"] = [r is not None for r in got]
        inv["registered"] = [bool(r and r["registered"]) for r in got]
        inv["workers_registered"] = pd.array([r["workers_registered"] if r else 0 for r in got], dtype="Int64")
        inv["programmes"] = pd.array([r["programmes"] if r and r["registered"] else (p if pd.notna(p) else "") for r, p in zip(got, inv["programmes"])],
                                     dtype="string")
        inv["follow_up"] = [bool(r and r["follow_up"]) for r in got]
        walk = pd.DataFrame([{k: w[k] for k in ("business_id", "name", "regency_code", "sector", "size_class", "workers", "phone", "registered",
                                                 "workers_registered", "programmes", "follow_up")} | {"note": ""} for w in c["walk_ins"]])
        walk["registered"] = walk["registered"].astype(bool)
        walk["follow_up"] = walk["follow_up"].astype(bool)
        fields = {"status": "held", "held_on": c["held_on"], "attendance": c["attendance"], "note": c["note"]}
        raw = rp.from_form(c["event_id"], fields, inv, walk, version=version)
    return version, rp.save(db, user, [raw])


def _report_by_upload(db, user, c: dict) -> tuple:
    """A filled report template uploaded: ``template_frame`` of the event (pre-filled with
    its report, as downloaded), every line set to this write, the file as the formula-safe
    CSV, ``forms.import_reports``."""
    import pandas as pd

    from planner.exports import to_csv_bytes
    from planner.reporting import forms

    df = forms.template_frame(db, user, [c["event_id"]])
    version = db.execute("SELECT version FROM event_reports WHERE event_id = ?", [c["event_id"]]).fetchone()
    want = {r["business_id"]: r for r in c["rows"] + c["walk_ins"]}
    out, placed = [], set()
    outcome_cols = ("present", "registered", "workers_registered", "programmes", "follow_up", "row_note")
    for r in df.to_dict("records"):
        for f in ("status", "held_on", "attendance", "cancel_reason", "cancel_note", "note"):
            r[f] = ""
        bid = r["business_id"]
        w = want.get(bid) if bid else None
        if w is None and not bid:  # an empty walk-in line: the next walk-in of this write not yet placed
            w = next((x for x in c["walk_ins"] if x["business_id"] not in placed), None)
        if w is None:
            r.update(dict.fromkeys(outcome_cols, ""), present=0 if bid else "")
        else:
            placed.add(w["business_id"])
            r.update(business_id=w["business_id"], present=1, registered=w["registered"],
                     workers_registered=w["workers_registered"] if w["registered"] else "", programmes=w["programmes"],
                     follow_up=w["follow_up"], row_note="")
            if w["walk_in"]:
                r.update({k: w[k] for k in ("name", "regency_code", "sector", "size_class", "workers", "phone")})
        out.append(r)
    head = out[0]
    if c["status"] == "cancelled":
        head.update(status="cancelled", cancel_reason="weather", cancel_note="Hujan deras, jalan banjir", note=c["note"])
    else:
        head.update(status="held", held_on=c["held_on"], attendance=c["attendance"], note=c["note"])
    if len(placed) != len(want) and c["status"] == "held":
        raise RuntimeError(f"template of {c['event_id']}: placed {len(placed)} of {len(want)} lines")
    data = to_csv_bytes(pd.DataFrame(out, columns=list(forms.TEMPLATE_COLUMNS)))
    return (version[0] if version else 0), forms.import_reports(db, user, data, f"laporan-{c['event_id']}.csv")


def report_writer_thread(wid: int, args, ref: dict, barrier: threading.Barrier, t_start: list, ops_out: list) -> None:
    """One staff member filing reports of their events: even writers through the form,
    odd ones by uploading a filled template; ``args.ops`` writes, Poisson-paced."""
    from planner import auth
    from planner import db as dbmod
    from planner.imports import ImportFailed

    rng = random.Random(args.seed * 1000 + 500 + wid)
    path = "form" if wid % 2 == 0 else "upload"
    events = [ref["events"][j] for j in ref["owners"][str(wid)]]
    db = None
    try:
        db = dbmod.connect(args.db)
        user = auth.get_user(db, f"bench.s{wid:02d}")
    except BaseException as exc:  # noqa: BLE001 - recorded, never hidden
        _connect_failed(wid, exc, barrier, ops_out)
        return
    barrier.wait()
    t0 = t_start[0]
    for k in paced(wid, args, t0, rng, ops_out):
        ev = events[k % len(events)]
        c = report_content(ev, args.tag, wid, k)
        rec: dict = {"w": wid, "k": k, "op": f"report_{path}", "event_id": ev["event_id"], "note": c["note"], "status": c["status"],
                     "rows": len(c["rows"]) + len(c["walk_ins"]),
                     "data": [[r["business_id"], r["registered"], r["workers_registered"], r["follow_up"], r["walk_in"]] for r in c["rows"] + c["walk_ins"]],
                     "t0": time.monotonic() - t0}
        try:
            version, res = (_report_by_form if path == "form" else _report_by_upload)(db, user, c)
            rec.update(ok=True, err=None, locked=False, conflict=False, version_from=version,
                       result={"reports": res.reports, "created": res.created, "updated": res.updated, "rows": res.rows,
                               "registrations": res.registrations, "walk_ins_new": res.walk_ins_new})
            if res.rows != rec["rows"] or res.reports != 1:
                rec.update(ok=False, err=f"saved {res.rows} rows of {rec['rows']}")
        except BaseException as exc:  # noqa: BLE001 - every exception is a result
            tb = traceback.format_exc()
            rec.update(ok=False, err=f"{type(exc).__name__}: {str(exc)[:500]}", locked=bool(LOCKED.search(str(exc)) or LOCKED.search(tb)), tb=tb)
            # Refused because another writer saved the same report after the form was opened: as designed.
            rec["conflict"] = isinstance(exc, ImportFailed) and path == "form" and "sudah diubah oleh" in str(exc)
        rec["t1"] = time.monotonic() - t0
        ops_out.append(rec)
    try:
        db.conn.close()
    except Exception:  # noqa: BLE001
        pass


def writers_main(args) -> None:
    """Child process: ``args.writers`` threads, results as JSON to ``args.out``."""
    sys.path.insert(0, str(ROOT))
    from planner import db as dbmod

    if args.kind == "reports":
        ref = json.loads((LOAD_OUT / REPORT_WRITERS_FILE).read_text())
        target = report_writer_thread
        import planner.exports  # noqa: F401 - warm the report paths
        import planner.reporting.forms  # noqa: F401
    else:
        db = dbmod.connect(args.db)
        ref = {
            "business_ids": [r[0] for r in db.execute("SELECT business_id FROM businesses ORDER BY business_id").fetchall()],
            "regencies": [r[0] for r in db.execute("SELECT code FROM regencies ORDER BY code").fetchall()],
            "plans": {p["writer"]: p for p in json.loads(Path(args.plans).read_text())["writers"]},
        }
        db.conn.close()
        target = writer_thread
    # Warm the imports' code paths (pandas, openpyxl stay unloaded: files are CSV).
    import planner.imports  # noqa: F401
    import planner.plans  # noqa: F401
    import planner.scoring.features  # noqa: F401 - a contacts import snapshots its businesses (scikit-learn, about 1.3 s to load)

    barrier = threading.Barrier(args.writers + 1)
    t_start = [0.0]
    results: list[list] = [[] for _ in range(args.writers)]
    threads = [threading.Thread(target=target, args=(w, args, ref, barrier, t_start, results[w]), daemon=True) for w in range(args.writers)]
    for t in threads:
        t.start()
    # Tell the parent we are ready, wait for its go (a line on stdin), then release all.
    print("READY", flush=True)
    sys.stdin.readline()
    t_start[0] = time.monotonic()
    barrier.wait()
    for t in threads:
        t.join(timeout=args.hard_limit + 90)
    wall = time.monotonic() - t_start[0]
    alive = sum(t.is_alive() for t in threads)
    ops = [r for rs in results for r in list(rs)]
    Path(args.out).write_text(json.dumps({"tag": args.tag, "wall_s": wall, "threads_alive_at_end": alive, "ops": ops}))
    print("DONE", flush=True)


class WriterProc:
    """The writers' child process: started (and warmed up) first, released on ``go``."""

    def __init__(self, db_path: Path, tag: str, writers: int, ops: int, gap: float, hard_limit: float, seed: int, kind: str = "mixed",
                 together: bool = False) -> None:
        self.out = LOAD_OUT / f"writers_{tag}{'' if kind == 'mixed' else '_' + kind}.json"
        if self.out.exists():
            self.out.unlink()
        cmd = [sys.executable, str(ROOT / "bench" / "bench_load.py"), "_writers", "--db", str(db_path), "--tag", tag,
               "--writers", str(writers), "--ops", str(ops), "--gap", str(gap), "--hard-limit", str(hard_limit),
               "--seed", str(seed), "--out", str(self.out), "--plans", str(LOAD_OUT / "plans.json"), "--kind", kind] + (["--together"] if together else [])
        self.hard_limit = hard_limit
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if line.strip() != "READY":
            raise SystemExit(f"writer process failed to start: {line}{self.proc.stderr.read()}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def go(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def wait(self) -> dict:
        try:
            _, err = self.proc.communicate(timeout=self.hard_limit + 120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
            raise SystemExit(f"writer process hung; killed.\n{err[-3000:]}")
        if self.proc.returncode != 0 or not self.out.exists():
            raise SystemExit(f"writer process failed ({self.proc.returncode}):\n{err[-3000:]}")
        data = json.loads(self.out.read_text())
        data["stderr_tail"] = err[-2000:]
        return data

    async def wait_async(self) -> dict:
        return await asyncio.to_thread(self.wait)
