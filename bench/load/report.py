"""The results in Markdown (``RESULTS-load.md``)."""

from __future__ import annotations


from load.common import ARGON2_MIB, BROWSE_USERS, PLAN_BUDGET, PLAN_START, RSS_HEADROOM_MIB


# =========================================================================== report
def fmt(v: float, d: int = 0) -> str:
    if v is None or v != v:
        return "–"
    return f"{v:,.{d}f}"


def render_markdown(res: dict) -> str:
    m = res["machine"]
    a = res["args"]
    L: list[str] = []
    L.append("## Load: 20 sessions browsing, 20 writers")
    L.append("")
    L.append(f"Measured {m['date']} by `bench/bench_load.py`, one run:")
    L.append("")
    L.append("```")
    L.append(res["command"])
    L.append("```")
    L.append("")
    v = res["verify"]
    locked_total = res["locked_total"]
    verdict = "PASS" if v["ok"] and locked_total == 0 and res["write_errors_total"] == 0 and res["server_tracebacks"] == 0 else "FAIL"
    L.append(f"**Verdict: {verdict}** — lost writes (rows and event edits): **{res['lost_rows']}**, \"database is locked\": **{locked_total}** "
             f"(writers {res['locked_writers']}, server log {res['locked_server_log']}, pages {res['locked_pages']}), "
             f"failed writes: **{res['write_errors_total']}** (plus {res['write_skipped_total']} not started before the time limit), `integrity_check`: **{next(c['detail'] for c in v['checks'] if c['check'] == 'PRAGMA integrity_check')}**.")
    L.append("")
    L.append("### Machine")
    L.append("")
    L.append("| | |")
    L.append("|---|---|")
    for k in ("nproc", "cpu", "ram", "os", "python", "sqlite", "chromium", "playwright", "streamlit", "pandas", "sqlite-utils", "loadavg at start"):
        if k in m:
            L.append(f"| {k} | {m[k]} |")
    L.append("")
    L.append("### Setup")
    L.append("")
    s = res["setup"]
    c0 = s["counts_before"]
    if s.get("reports"):
        L.append(f"- Database: fresh demo world, {a['businesses']:,} businesses, with its field history (`init --demo --field`, which trains, scores, "
                 f"plans, publishes and reports: {s['init_s']} s; {s['init_out']}), "
                 f"{c0['contacts']:,} contacts, {c0['partners']:,} partners, {c0['scores']:,} scores, {c0['event_reports']:,} event reports; "
                 f"{a['writers']} extra accounts `bench.wNN` for the account edits.")
    else:
        L.append(f"- Database: fresh demo world, {a['businesses']:,} businesses (`init --demo`: {s['init_s']} s; `train --score`: {s['train_score_s']} s), "
                 f"{c0['contacts']:,} contacts, {c0['partners']:,} partners, {c0['scores']:,} scores; "
                 f"{a['writers']} extra accounts `bench.wNN` for the account edits.")
    pw = s["plans"]["writers"]
    pb = s["plans"]["browse"]
    statuses = {}
    for p in pw:
        statuses[p["status"]] = statuses.get(p["status"], 0) + 1
    L.append(f"- Plans ({s['plans_s']} s): one draft plan per writer, each on one province (the first {len(pw)} province codes other than 16: "
             f"{pw[0]['province']}–{pw[-1]['province']}), 4–8 weeks from {PLAN_START.isoformat()} (starts staggered by 0–3 weeks), Rp {PLAN_BUDGET:,}, "
             f"`solve_plan` with `time_limit` {a['plan_time_limit']:g} s: {', '.join(f'{n} {k}' for k, n in sorted(statuses.items()))}, "
             f"{sum(p['events'] for p in pw):,} events ({min(p['events'] for p in pw)}–{max(p['events'] for p in pw)} per plan), "
             f"{sum(p['invitations'] for p in pw):,} invitations, {min(p['solve_s'] for p in pw):.1f}–{max(p['solve_s'] for p in pw):.1f} s per solve. "
             f"Plus plan {pb['plan_id']} for province 16 ({pb['start']} – {pb['end']}, {pb['events']} events, {pb['invitations']:,} invitations), "
             f"published: the newest plan, so *Jadwal* opens on it, and the one plan `staf.sumsel` may see.")
    L.append(f"- Server: one `streamlit run streamlit_app.py --server.headless true --server.port P --server.address 127.0.0.1 "
             f"--browser.gatherUsageStats false --server.fileWatcherType none` with `PLANNER_DB` set (peak RSS {res.get('server_rss_mib', '?')} MiB).")
    L.append(f"- Browser sessions: Playwright {m.get('playwright')} pages in one headless Chromium ({m.get('chromium')}), one browser context each, "
             f"signed in through `/masuk` as {', '.join(BROWSE_USERS)} in turn; viewport 1400×1000; think time {a['think']} s ×U(0.5, 1.5) between actions; "
             f"loop: Peluang full load (`goto /`) → Peluang segment radio → Sasaran via the sidebar → Sasaran sort radio → Jadwal via the sidebar "
             f"(the published plan) → Jadwal plan selectbox: a random writer's draft plan, typed into the box and its option clicked (not for `staf.sumsel`, "
             f"who sees published plans only); every other session visits Jadwal before Sasaran. Main phase: the pages sign in first with no writers "
             f"(done after {res.get('main_gate_s', '?')} s); then the writers start and the pages browse for {a['duration']:g} s. "
             f"Light phase: the sessions sign in while the writers already write.")
    L.append(f"- Page time: in the page, from navigation start or the click's `pointerdown` (for the plan selectbox: the option's) to "
             f"`stApp[data-test-script-state=notRunning]` with a `stDataFrame` or, on Jadwal, the week calendar `table.jk-cal` visible (MutationObserver; "
             f"Jadwal's dataframes are in tabs not shown). \"driver\" columns: the same action seen from Python (command sent → wait returned, polling 100 ms).")
    L.append(f"- Websocket sessions (light and ws phases): Streamlit's own protocol (BackMsg `rerun_script` → ForwardMsg `script_finished`, a dataframe delta "
             f"required) over `/_stcore/stream` with the session cookie from a POST to `/masuk`; same loop including both Jadwal steps "
             f"(the selectbox value is the option's label), a new connection per \"load\".")
    L.append(f"- Writers: {a['writers']} threads in one child process, one `planner.db.connect` connection each, actor `manajer` (`admin` for account edits). "
             f"Mix per write: 36 % contacts import (20–200 rows, past dates, existing businesses), 20 % new partners (20–200 rows), "
             f"12 % partner re-import changing `capacity_per_month` of 20–200 of the writer's own partners, 12 % `auth.set_active` toggle of the writer's own account "
             f"(new partners until a writer has 20), 20 % an edit of one planned event of the writer's own plan: 45 % `set_locked` toggle (`event_lock`), "
             f"35 % `move_event` to another weekday of the plan's horizon (`event_move`; the event becomes locked; the rules the plan then breaks are returned, "
             f"not an error), 20 % `cancel_event` (`event_cancel`, only while the plan keeps more than 3 planned events; otherwise a move). "
             f"Paced phases: {a['ops']} writes per writer in main, {a['light_ops']} in light and ws; Poisson arrivals, mean gap = phase length / writes, "
             f"all writers start together. Flat-out: {a['flat_ops']} writes per writer back to back.")
    L.append("")
    L.append("### Page times (ms)")
    L.append("")
    L.append("| phase | sessions | action | n | failed | p50 | p95 | max | driver p50 | driver p95 |")
    L.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for ph in res["phases"]:
        for r in ph["pages"]:
            label = f"{ph['label']}"
            L.append(f"| {label} | {r['kind']} | {r['action']} | {r['n']} | {r['failed']} | {fmt(r['p50'])} | {fmt(r['p95'])} | {fmt(r['max'])} | {fmt(r['driver_p50'])} | {fmt(r['driver_p95'])} |")
    L.append("")
    L.append("### Writes")
    L.append("")
    L.append("| phase | writes ok / tried | failed | locked | not started (time limit) | rows | span s | writes/s | rows/s | latency p50 / p95 / max ms |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for ph in res["phases"]:
        w = ph.get("writes")
        if not w:
            continue
        L.append(f"| {ph['label']} | {w['ok']} / {w['ops']} | {w['failed']} | {w['locked']} | {w['skipped']} | {w['rows']:,} | {fmt(w['span_s'], 1)} | {fmt(w['writes_per_s'], 1)} | "
                 f"{fmt(w['rows_per_s'])} | {fmt(w['lat_p50'])} / {fmt(w['lat_p95'])} / {fmt(w['lat_max'])} |")
    L.append("")
    L.append("Latency is one whole write as the writer sees it: reading and validating the file, waiting for the write lock (`BEGIN IMMEDIATE`, 30 s busy timeout), writing, audit entries, commit.")
    L.append("")
    L.append("| phase | lock wait p50 / p95 / max ms | lock held p50 / p95 / max ms |")
    L.append("|---|---:|---:|")
    for ph in res["phases"]:
        w = ph.get("writes")
        if w:
            L.append(f"| {ph['label']} | {fmt(w['wait_p50'])} / {fmt(w['wait_p95'])} / {fmt(w['wait_max'])} | {fmt(w['hold_p50'])} / {fmt(w['hold_p95'])} / {fmt(w['hold_max'])} |")
    L.append("")
    L.append("Lock wait and hold come from SQLite's statement trace on each writer's connection (`BEGIN IMMEDIATE` start → next statement; → `COMMIT`). "
             "All writers are threads of one process: the hold includes time the holding thread waited for the GIL, and so every other writer's wait.")
    L.append("")
    L.append("| phase | write | ok | failed | rows | latency p50 / max ms |")
    L.append("|---|---|---:|---:|---:|---:|")
    for ph in res["phases"]:
        w = ph.get("writes")
        if not w:
            continue
        for op, d in sorted(w["by_op"].items()):
            L.append(f"| {ph['label']} | {op} | {d['ok']} | {d['failed']} | {d['rows']:,} | {fmt(d['lat_p50'])} / {fmt(d['lat_max'])} |")
    L.append("")
    L.append("### Where the CPU went")
    L.append("")
    L.append("| phase | wall s | cores busy (of 2) | CPU pressure | load avg start / end | server | Chromium | Playwright node | driver | writers | other processes |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for ph in res["phases"]:
        c = ph["cpu"]
        g = c["cpu_s"]
        L.append(f"| {ph['label']} | {c['wall_s']} | {c['cores_busy']} | {fmt(c['cpu_pressure_some_pct'])} % | {c['loadavg_1m_start_end']} | {g['streamlit server']} s | {g['chromium']} s | "
                 f"{g['playwright driver (node)']} s | {g['benchmark driver (python)']} s | {g['writers']} s | {g['other processes']} s |")
    L.append("")
    L.append("CPU seconds per group of processes over the phase, sampled from /proc every 0.5 s; \"other processes\" is everything else the machine ran meanwhile (the VM is shared). "
             "Largest WAL file seen: " + ", ".join(f"{ph['name']} {fmt(ph.get('wal_max_mib'), 1)} MiB" for ph in res["phases"] if ph.get("wal_max_mib") is not None) + ".")
    L.append("")
    L.append("### Rig health")
    L.append("")
    L.append("| phase | driver event-loop lag max | lags > 1 s (at s: lag s) | server `/_stcore/health` p50 / p95 / max ms | health answers > 1 s (at s: s) | failed |")
    L.append("|---|---:|---|---:|---|---:|")
    for ph in res["phases"]:
        rg = ph.get("rig")
        if not rg:
            continue
        lags = ", ".join(f"{a:.0f}: {b:.1f}" for a, b in rg["loop_lag_over_1s"][:8]) or "none"
        slow = ", ".join(f"{a:.0f}: {b:.1f}" for a, b in rg["health_over_1s"][:8]) or "none"
        L.append(f"| {ph['label']} | {fmt(rg['loop_lag_max_s'], 2)} s | {lags} | {fmt(rg['health_p50_ms'])} / {fmt(rg['health_p95_ms'])} / {fmt(rg['health_max_ms'])} | {slow} | {rg['health_failed']} of {rg['health_n']} |")
    L.append("")
    L.append("The driver's lag: a task that sleeps 0.2 s and notes how late it wakes (every session of the driver waits for that loop). "
             "The health check, every 0.5 s from a thread of the driver, is answered by the server's event loop, which also carries every session's messages: "
             "slow answers mean the server stalled all sessions at once.")
    L.append("")
    L.append("### Who held the write lock")
    L.append("")
    L.append("| phase | held by writers | held by report writers | held by the Streamlit server | longest server hold | server holds ≥ 1 s (start s: length s) |")
    L.append("|---|---:|---:|---:|---:|---|")
    for ph in res["phases"]:
        lk = ph.get("lock")
        if not lk:
            continue
        hp = lk["held_pct"]
        ls = lk["longest"].get("server")
        holds = ", ".join(f"{a:.0f}: {b:.1f}" for a, b in lk["server_holds_over_1s"][:12]) or "none"
        L.append(f"| {ph['label']} | {fmt(hp.get('writers', 0.0), 1)} % | {fmt(hp.get('report writers', 0.0), 1)} % | {fmt(hp.get('server', 0.0), 1)} % | "
                 f"{(str(ls[1]) + ' s at ' + str(ls[0]) + ' s') if ls else '–'} | {holds} |")
    L.append("")
    L.append("The WAL write lock is a POSIX lock on byte 120 of the `-shm` file; `F_GETLK` every 20 ms names the process holding it, without taking it. "
             "The server writes only when someone signs in (`auth.login`: `authenticate`, `create_session`, the audit entry) or a session's idle window is extended.")
    L.append("")
    if res.get("field"):
        L += render_field(res)
    L.append("### Verification")
    L.append("")
    L.append("| check | result | detail |")
    L.append("|---|---|---|")
    for c in v["checks"]:
        L.append(f"| {c['check']} | {'ok' if c['ok'] else '**FAIL**'} | {c['detail']} |")
    L.append(f"| \"database is locked\" anywhere | {'ok' if locked_total == 0 else '**FAIL**'} | writers {res['locked_writers']}, server log {res['locked_server_log']}, pages {res['locked_pages']} |")
    L.append(f"| tracebacks in the server log | {'ok' if res['server_tracebacks'] == 0 else '**FAIL**'} | {res['server_tracebacks']} |")
    L.append(f"| exceptions / errors shown in pages | {'ok' if res['page_problems'] == 0 else '**FAIL**'} | {res['page_problems']} (uncaught frontend errors: {res['page_errors']}) |")
    L.append(f"| Jadwal's \"the schedule breaks rules\" notice (expected after moves, not an error) | info | shown {res['violation_notices']} times; "
             f"{res['moves_with_violations']} of {res['moves_ok']} successful moves left the plan breaking a rule |")
    L.append("")
    if res.get("notes"):
        L.append("### Notes")
        L.append("")
        for n in res["notes"]:
            L.append(f"- {n}")
        L.append("")
    return "\n".join(L) + "\n"


def render_field(res: dict) -> list[str]:
    """The field phase: staff filing reports and the sign-in burst."""
    a, f = res["args"], res["field"]
    ph = next(p for p in res["phases"] if p["name"] == "field")
    rs = res["setup"]["reports"]
    L = ["### Field phase: staff filing reports, and a burst of sign-ins", ""]
    L.append(f"For {a['field_duration']:g} s: {a['field_ws']} websocket sessions browsing (the loop above), the {a['writers']} writers "
             f"({a['light_ops']} writes each, paced), and {a['report_writers']} staff accounts `bench.sNN` (provinces {', '.join(rs['provinces'])}) "
             f"filing reports of the field history's {f['report_events']} past events ({f['report_events_shared']} of them shared by two writers), "
             f"{a['report_ops']} each, Poisson-paced, in their own process (a thread and a connection each): even writers through the form's path "
             f"(`reports.form_rows` → ticks and walk-in lines → `reports.from_form` → `reports.save`, with the version the form opened), "
             f"odd ones by uploading a filled template (`forms.template_frame` of the event, as downloaded, filled → formula-safe CSV → "
             f"`forms.import_reports`). Each write differs: two thirds of the invitees present, every fifth of them registered, two walk-ins new "
             f"to Jangkau (ids `BW-<event>-<n>` of their own), every seventh write a cancellation; its note names it. "
             f"A third into the phase, {a['burst']} sign-in attempts are sent to `/masuk` at once (100 threads of the driver, each its own "
             f"connection, released by a barrier): right passwords of the five demo accounts and of `bench.ok0`–`3`, wrong passwords of "
             f"`bench.lock0`–`2` (locked after five), and unknown accounts; the server's VmRSS is read from /proc every 20 ms.")
    L.append("")
    w = f["reports"]
    L.append("| report writes | saved / tried | refused: changed meanwhile | failed | \"database is locked\" | rows | latency p50 / p95 / max ms | lock wait p50 / p95 / max ms |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    L.append(f"| all | {w['ok']} / {w['ops']} | {f['report_conflicts']} | {f['report_failed']} | {f['report_locked']} | {w['rows']:,} | "
             f"{fmt(w['lat_p50'])} / {fmt(w['lat_p95'])} / {fmt(w['lat_max'])} | {fmt(w['wait_p50'])} / {fmt(w['wait_p95'])} / {fmt(w['wait_max'])} |")
    for op, d in sorted(w["by_op"].items()):
        L.append(f"| {op.replace('report_', 'by ')} | {d['ok']} / {d['ok'] + d['failed']} | | | | {d['rows']:,} | {fmt(d['lat_p50'])} / – / {fmt(d['lat_max'])} | |")
    L.append("")
    L.append("Latency: one whole report as the staff member's side sees it (reading the form or template, building it, validating, "
             "waiting for the write lock, writing rows, contacts, leads and the audit entry). The lock wait column is empty for reports "
             "(their connections are not traced).")
    L.append("")
    if f.get("burst"):
        L.append("| sign-in attempts | n | signed in | refused (wrong) | \"try again shortly\" (argon2 slots busy) | p50 ms | p95 ms | max ms |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, b in (("under load", f.get("burst")), ("alone", f.get("burst_alone"))):
            if not b:
                continue
            for kind, label in (("right", "right password"), ("wrong", "wrong password"), ("unknown", "unknown account")):
                k = b["by_kind"][kind]
                o = k["outcomes"]
                L.append(f"| {name}: {label} | {k['n']} | {o.get('signed in', 0)} | {o.get('wrong', 0)} | {o.get('busy', 0)} | {fmt(k['p50'])} | {fmt(k['p95'])} | |")
            L.append(f"| **{name}: all** | {b['n']} | | | {b['busy']} | {fmt(b['ms_p50'])} | **{fmt(b['ms_p95'])}** | {fmt(b['ms_max'])} |")
        L.append("")
        L.append("Sign-in time: from the barrier's release to the answer (the server's 303 or 401), each attempt on its own connection. "
                 "\"Alone\": the same burst again after the phase, on the idle server (the lockN accounts are locked by then: their attempts are refused "
                 "after the same dummy check).")
        L.append("")
        L.append("| server memory (VmRSS, every 20 ms) | burst began at s | last answer after s | before MiB | peak MiB | peak − before MiB |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for name, r in (("burst under load", f.get("rss")), ("burst alone", f.get("rss_alone"))):
            if r:
                L.append(f"| {name} | {r['start_s']} | {r['burst_s']} | {r['rss_before_mib']} | {r['rss_peak_mib']} | **+{r['rss_peak_over_mib']}** |")
        L.append("")
        L.append(f"Bound: {RSS_HEADROOM_MIB} MiB over the baseline (at most two argon2 checks of {ARGON2_MIB} MiB at once per process, "
                 "plus 64 MiB for threads and buffers), checked on the burst alone; under load the sessions' reruns and the writers share those seconds.")
        L.append("")
    pg = [r for r in ph["pages"] if r["action"] == "all page actions"]
    if pg:
        L.append(f"Page times of the phase's websocket sessions (all page actions): p50 {fmt(pg[0]['p50'])} ms, p95 **{fmt(pg[0]['p95'])} ms**, "
                 f"max {fmt(pg[0]['max'])} ms, {pg[0]['n']} actions, {pg[0]['failed']} failed (table above, phase \"field\").")
        L.append("")
    return L
