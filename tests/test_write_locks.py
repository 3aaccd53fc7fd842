"""Nothing slow happens while the database's write lock is held.

SQLite has one writer at a time: every other writer (a sign-in, a report, another import)
waits while a transaction is open. Loading a library inside one made the first contacts
import of a process hold the lock for 1,3 s (scikit-learn, loaded by the contacts
snapshot) while every sign-in waited behind it. A fresh interpreter (nothing loaded yet)
signs in and imports contacts and registrations, recording every module it loads while a
write transaction is open."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.conftest import ROOT

PROBE = textwrap.dedent(
    """
    import importlib.abc, json, sys
    sys.path.insert(0, sys.argv[2])
    from planner import db as dbmod

    state = {"open": False, "loaded": []}

    class Recorder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if state["open"]:
                state["loaded"].append(name)
            return None

    sys.meta_path.insert(0, Recorder())
    db = dbmod.connect(sys.argv[1])

    def trace(sql):
        head = sql.lstrip()[:8].upper()
        if head.startswith("BEGIN"):
            state["open"] = True
        elif head.startswith(("COMMIT", "ROLLBACK")):
            state["open"] = False

    db.conn.set_trace_callback(trace)
    from planner import auth, imports

    auth.login(db, "manajer", auth.DEMO_PASSWORD)
    manager = auth.get_user(db, "manajer")
    ids = [r[0] for r in db.execute(
        "SELECT business_id FROM businesses WHERE enrolled = 0 AND size_class = 'mikro' ORDER BY business_id LIMIT 6")]
    contacts = "business_id,contacted_on,channel,invited,enrolled\\n" + "".join(f"{b},2026-01-05,probe,1,0\\n" for b in ids[:5])
    imports.import_file(db, "contacts", contacts.encode(), filename="contacts.csv", actor=manager)
    registrations = f"business_id,registered_on,workers_registered,programmes\\n{ids[5]},2026-01-06,1,JKK;JKM\\n"
    imports.import_file(db, "registrations", registrations.encode(), filename="registrations.csv", actor=manager)
    done = [r[0] for r in db.execute("SELECT kind FROM import_runs WHERE filename IN ('contacts.csv', 'registrations.csv') ORDER BY kind")]
    print(json.dumps({"loaded": sorted(set(state["loaded"])), "imports": done}))
    """
)


def test_sign_in_and_imports_load_no_module_inside_a_write_transaction(demo_db_path):
    out = subprocess.run([sys.executable, "-c", PROBE, str(demo_db_path), str(ROOT)], capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["imports"] == ["contacts", "registrations"]  # both imports ran (and committed)
    assert result["loaded"] == [], f"modules loaded while the write lock was held: {result['loaded'][:20]}"
