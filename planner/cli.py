"""``python -m planner [--db PATH] [--lang id|en] <verb> ...``: the planner's operations for batch use.

Exit status: 0 on success, 2 when the input is wrong (the message says what and how to
fix it; nothing was written), 1 on an unexpected failure.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

from planner import db as dbmod
from planner.errors import PlannerError
from planner.i18n import fmt_int, fmt_num, fmt_pct, t


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m planner", description="Jangkau: outreach (sosialisasi) planner for BPJS Ketenagakerjaan; --lang en for English messages.")
    p.add_argument("--db", metavar="PATH", help="SQLite database (default: $PLANNER_DB, else data/planner.db)")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="language of messages (default id)")
    sub = p.add_subparsers(dest="verb", required=True, metavar="VERB")

    s = sub.add_parser("init", help="create the database with the reference data (and the demo world with --demo)")
    s.add_argument("--demo", action="store_true", help="add the generated demo world")
    s.add_argument("--businesses", type=int, default=None, help="number of demo businesses (default 50.000, at most 1.000.000)")
    s.add_argument("--seed", type=int, default=None, help="random seed of the demo world")
    s.add_argument("--field", action="store_true",
                   help="with --demo: also the field history (a published plan around today, its reports, registrations, payments)")

    s = sub.add_parser("import", help="import a CSV or XLSX file (the whole file is checked first); "
                       "'reports': a filled report template or an ODK Central / KoboToolbox submissions export")
    from planner.imports import KINDS

    s.add_argument("kind", choices=(*KINDS, "reports"))
    s.add_argument("file", type=Path)

    s = sub.add_parser("rank", help="rank regions and sectors by opportunity")
    from planner.opportunity import BYS, LEVELS, SEGMENT_CHOICES, Weights

    s.add_argument("--level", choices=LEVELS, default="province")
    s.add_argument("--by", choices=BYS, default="region")
    s.add_argument("--segment", choices=SEGMENT_CHOICES, default="all")
    s.add_argument("--province", help="only regions of this province (Kemendagri code, e.g. 16)")
    s.add_argument("--top", type=int, default=None)
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.add_argument("--components", action="store_true", help="also print the score components")
    for name, default in Weights().as_dict().items():
        s.add_argument(f"--w-{name}", type=float, default=default, metavar="W", help=f"weight of {name} (default {default:g})")

    s = sub.add_parser("train", help="train the enrolment model on the contact history and activate it")
    s.add_argument("--folds", type=int, default=5, help="grouped cross-validation folds (default 5)")
    s.add_argument("--no-activate", action="store_true", help="save the new version without making it active")
    s.add_argument("--score", action="store_true", help="then rescore every open business with it (retraining in one command)")
    s.add_argument("--exclude", metavar="COL[,COL]", help="never use these columns as features (kept for every later training)")

    s = sub.add_parser("models", help="list model versions (the active one is marked)")
    s.add_argument("--activate", metavar="VERSION", help="make this version the active one")

    s = sub.add_parser("score", help="score every business not yet enrolled with the active model")
    s.add_argument("--out", type=Path, help="also write business_id, p_enroll, uplift, reasons to this CSV")

    s = sub.add_parser("users", help="manage accounts: add, list, passwd, disable, enable")
    us = s.add_subparsers(dest="users_verb", required=True, metavar="ACTION")
    a = us.add_parser("add", help="create an account")
    a.add_argument("username")
    a.add_argument("--role", required=True, choices=["admin", "manager", "staff", "leadership"])
    a.add_argument("--province", action="append", default=[], help="province code (repeat or comma-separate; required for staff)")
    a.add_argument("--name", default="", help="display name")
    a.add_argument("--staff", default=None, metavar="STAFF_ID", help="link the account to this staff record (e.g. S16-04)")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input instead of a prompt")
    us.add_parser("list", help="list accounts")
    a = us.add_parser("link", help="link an account to a staff record (its agenda and reports), or unlink with --none")
    a.add_argument("username")
    g = a.add_mutually_exclusive_group(required=True)
    g.add_argument("--staff", metavar="STAFF_ID")
    g.add_argument("--none", action="store_true", help="remove the link")
    a = us.add_parser("passwd", help="set a new password (also unlocks)")
    a.add_argument("username")
    a.add_argument("--password-stdin", action="store_true")
    for verb in ("disable", "enable"):
        a = us.add_parser(verb, help=f"{verb} an account")
        a.add_argument("username")

    s = sub.add_parser("backup", help="copy the database to FILE with SQLite's online backup (safe while in use)")
    s.add_argument("file", type=Path)

    s = sub.add_parser("restore", help="replace the database with a checked backup FILE, keeping a copy of the current one (stop the app first)")
    s.add_argument("file", type=Path)

    s = sub.add_parser("export", help="export a list as CSV or XLSX (formula-safe)")
    from planner.exports import EXPORT_KINDS

    s.add_argument("kind", choices=EXPORT_KINDS)
    s.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.xlsx")
    s.add_argument("--plan", type=int, default=None, help="events/invitations of this plan only")

    s = sub.add_parser("schedule", help="plan sosialisasi events with CP-SAT and write events and invitations")
    s.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    s.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
    s.add_argument("--budget", type=int, default=None, help="total budget in rupiah (event cost + travel); default no limit")
    s.add_argument("--provinces", default="", help="province codes, comma-separated (default every province)")
    s.add_argument("--time-limit", type=float, default=60.0, help="seconds for the whole solve (default 60)")
    s.add_argument("--out", type=Path, required=True, help="events CSV (or .xlsx)")
    s.add_argument("--invitations", type=Path, help="invitations CSV (event_id, business_id, p_enroll, uplift)")
    s.add_argument("--name", default=None, help="name of the plan stored in the database")
    s.add_argument("--plan", type=int, default=None, help="solve this existing draft plan again, around its locked events")
    s.add_argument("--weekends", action="store_true", help="allow events on Saturdays and Sundays")
    s.add_argument("--ramadan-blackout", action="store_true", help="no events in Ramadan and the week after Idul Fitri")
    s.add_argument("--min-gap", type=int, default=7, help="minimum days between two events in one regency (default 7)")
    s.add_argument("--travel", action="store_true", help="staff may lead events in another province of the plan, at a travel cost")
    s.add_argument("--travel-cost", type=int, default=2_500_000, help="rupiah per event led outside one's province (default 2.500.000)")
    s.add_argument("--min-events-per-regency", type=int, default=0, help="at least this many events in every regency with a partner")
    s.add_argument("--max-invitees", type=int, default=None, help="invitations per event (default the venue capacity)")
    s.add_argument("--publish", action="store_true", help="publish the plan to staff when it is solved")

    s = sub.add_parser("plans", help="list plans, publish one, reopen one as draft, archive one, write a staff member's calendar; "
                       "lock, unlock, cancel or move an event of a draft plan")
    s.add_argument("action", nargs="?", default="list",
                   choices=["list", "publish", "reopen", "archive", "ics", "lock", "unlock", "cancel", "move"])
    s.add_argument("target", nargs="?", metavar="PLAN_ID|EVENT_ID",
                   help="a plan number (publish, reopen, archive, ics) or an event code (lock, unlock, cancel, move)")
    s.add_argument("--control-share", type=float, default=None, metavar="PCT",
                   help="for 'publish': percent of the chosen businesses held back as a comparison group (default 10, 0-50)")
    s.add_argument("--staff", help="staff_id for 'ics'; the new staff member for 'move'")
    s.add_argument("--out", type=Path, help="output file for 'ics'")
    s.add_argument("--seed", type=int, default=None, help="'publish': seed of the comparison group's draw (default: random, recorded)")

    s.add_argument("--date", help="the new date for 'move', YYYY-MM-DD")
    s.add_argument("--partner", help="the new partner_id for 'move'")
    s.add_argument("--note", default="", help="why, for 'cancel'")

    s = sub.add_parser("serve", help="serve the app on every core: N Streamlit processes behind HAProxy (sticky sessions, "
                       "health checks, restarts); SIGHUP restarts them one by one, SIGINT/SIGTERM stops everything")
    s.add_argument("--processes", type=int, default=None, metavar="N", help="Streamlit processes (default: the number of cores)")
    s.add_argument("--port", type=int, default=8501, metavar="P", help="port HAProxy listens on (default 8501)")
    s.add_argument("--address", default="127.0.0.1", help="address HAProxy listens on (default 127.0.0.1: this machine only)")
    s.add_argument("--logs", action="store_true", help="show the end of the combined log (every process and HAProxy) and exit")
    s.add_argument("--lines", type=int, default=100, metavar="N", help="with --logs: how many lines (default 100)")
    s.add_argument("--follow", action="store_true", help="with --logs: keep printing new lines (Ctrl+C stops)")

    s = sub.add_parser("solve-job", help="run a background solve started by the app (internal)")
    s.add_argument("run", type=int, nargs="+", help="one or more runs, solved one after another")
    s.add_argument("--as", dest="as_user", required=True)
    s.add_argument("--role", default="manager")

    s = sub.add_parser("project", help="projected uptake of a plan with 80%% and 95%% intervals")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--plan", type=int, help="a stored plan (draft or published)")
    g.add_argument("--events", type=Path, help="events.csv written by schedule (with --invitations)")
    s.add_argument("--invitations", type=Path, help="invitations.csv written by schedule (with --events)")
    s.add_argument("--format", choices=["table", "json", "csv"], default="table")
    s.add_argument("--sims", type=int, default=None, help="simulations (default: 4.000 for a small plan down to 600 for a national one)")

    s = sub.add_parser("actuals", help="plan against actual: what the events held brought in against the projection")
    s.add_argument("--plan", type=int, required=True)
    s.add_argument("--format", choices=["table", "json", "csv"], default="table")

    s = sub.add_parser("scenarios", help="a plan next to its variants (budget -20%%/+20%%, more staff, a province added or removed)")
    s.add_argument("--plan", type=int, required=True)
    s.add_argument("--start", action="store_true", help="compute the variants now (replaces the plan's previous scenarios) and wait for them")
    s.add_argument("--kinds", default="", help="comma-separated: budget_down,budget_up,more_staff,add_province,drop_province (default: all that apply)")
    s.add_argument("--add", help="province code to add (default: the one with the most uncovered workers)")
    s.add_argument("--drop", help="province code to remove (default: the one bringing the fewest additional workers)")
    s.add_argument("--staff", type=int, default=1, help="extra staff per province for more_staff")
    s.add_argument("--format", choices=["table", "json"], default="table")

    s = sub.add_parser("job", help="run a background job started by the app (internal)")
    s.add_argument("job", type=int)

    sub.add_parser("status", help="what the database holds")
    return p


def cmd_init(args: argparse.Namespace) -> int:
    from planner.demo import DEFAULT_BUSINESSES, DEFAULT_SEED, create_demo
    from planner.reference import load_reference

    path = dbmod.resolve_db_path(args.db)
    if args.field and not args.demo:
        raise PlannerError(t("cli.field.needs_demo", args.lang))
    if args.businesses is not None and not 1 <= args.businesses <= 1_000_000:  # before anything is created
        raise PlannerError(t("demo.businesses_range", args.lang, value=fmt_int(args.businesses)))
    db = dbmod.connect(path, lang=args.lang)
    if not args.demo:
        counts = load_reference(db)
        print(t("cli.init.reference", args.lang, path=path, counts=", ".join(f"{k} {fmt_int(v)}" for k, v in counts.items())))
        return 0
    has_data = db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0]
    if has_data and not dbmod.is_demo(db):
        raise PlannerError(t("cli.init.not_demo", args.lang, path=path))
    from planner.demo import field_history

    if field_history(db) is not None:  # building the demo again would undo the history's enrolments
        print(t("cli.field.exists", args.lang, plan=field_history(db)["plan_id"]))
        return 0
    t0 = time.perf_counter()
    summary = create_demo(db, businesses=DEFAULT_BUSINESSES if args.businesses is None else args.businesses, seed=args.seed if args.seed is not None else DEFAULT_SEED,
                          lang=args.lang)
    print(t("cli.init.demo", args.lang, path=path, secs=fmt_num(time.perf_counter() - t0), seed=summary.seed,
            potentials=fmt_int(summary.potentials), businesses=fmt_int(summary.businesses), contacts=fmt_int(summary.contacts),
            partners=fmt_int(summary.partners), staff=fmt_int(summary.staff)))
    if args.field:
        from planner.demo import create_field_history

        t0 = time.perf_counter()
        h = create_field_history(db, seed=summary.seed, lang=args.lang)
        print(t("cli.field.done", args.lang, secs=fmt_num(time.perf_counter() - t0), plan=h.plan_id, events=fmt_int(h.events),
                past=fmt_int(h.past_events), reported=fmt_int(h.reports), cancelled=fmt_int(h.cancelled), unreported=fmt_int(h.unreported),
                registrations=fmt_int(h.registrations), later=fmt_int(h.later_registrations), leads=fmt_int(h.open_leads),
                payments=fmt_int(h.payments)))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from planner import auth
    from planner.imports import import_file

    if not args.file.exists():
        raise PlannerError(t("cli.file_missing", args.lang, file=args.file))
    db = dbmod.connect(args.db, lang=args.lang)
    _ensure_reference(db)
    if args.kind == "reports":  # not a table of SPECS: its own reader, then reports.save
        return _import_reports(db, args)
    t0 = time.perf_counter()
    r = import_file(db, args.kind, args.file, lang=args.lang, actor=auth.system_user())
    secs = time.perf_counter() - t0
    print(t("cli.import.done", args.lang, kind=args.kind, rows=fmt_int(r.rows), inserted=fmt_int(r.inserted), updated=fmt_int(r.updated),
            unchanged=fmt_int(r.unchanged), secs=fmt_num(secs)))
    if r.credited is not None:
        print(t("impor.credited", args.lang, credited=fmt_int(r.credited), rows=fmt_int(r.rows)))
    if r.extra_columns:
        print(t("cli.import.extra_columns", args.lang, columns=", ".join(r.extra_columns)))
    return 0


def _import_reports(db, args: argparse.Namespace) -> int:
    from planner import auth
    from planner.reporting.forms import describe_result, import_reports

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise PlannerError(t("cli.file_unreadable", args.lang, file=args.file, reason=exc.strerror)) from None
    result = import_reports(db, auth.system_user(), data, args.file.name, lang=args.lang)
    print(describe_result(result, args.lang))
    for line in result.superseded:
        print("  - " + line)
    return 0


def _ensure_reference(db) -> None:
    from planner.reference import is_loaded, load_reference

    if not is_loaded(db):
        load_reference(db)


def cmd_rank(args: argparse.Namespace) -> int:
    from planner.opportunity import COMPONENTS, OUTPUT_COLUMNS, Weights, rank

    db = dbmod.connect(args.db, lang=args.lang)
    _ensure_reference(db)
    weights = Weights(**{k: getattr(args, f"w_{k}") for k in Weights().as_dict()})
    df = rank(db, level=args.level, by=args.by, segment=args.segment, province=args.province, weights=weights, top=args.top, lang=args.lang)
    cols = list(OUTPUT_COLUMNS) + ([f"c_{c}" for c in COMPONENTS] if args.components else [])
    out = df[cols].copy()
    if args.format == "csv":
        out["coverage_rate"] = out["coverage_rate"].round(6)
        out["score"] = out["score"].round(3)
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
    elif args.format == "json":
        out["coverage_rate"] = out["coverage_rate"].round(6)
        out["score"] = out["score"].round(3)
        json.dump(out.to_dict(orient="records"), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(_table(out, args.lang))
    return 0


def _table(df: pd.DataFrame, lang: str) -> str:
    """The ranking as an aligned text table: Indonesian-style numbers, headers in ``lang``
    (the CSV and JSON formats keep the column names)."""
    shown = pd.DataFrame(index=df.index)
    for c in df.columns:
        if c in ("eligible", "covered", "uncovered"):
            shown[c] = df[c].map(fmt_int)
        elif c == "coverage_rate":
            shown[c] = df[c].map(fmt_pct)
        elif c == "score" or c.startswith("c_"):
            shown[c] = df[c].map(lambda v: fmt_num(v, 1 if c == "score" else 2))
        else:
            shown[c] = df[c].astype(str)
    heads = {c: _rank_header(c, lang) for c in shown.columns}
    widths = {c: max(len(heads[c]), *(len(v) for v in shown[c])) if len(shown) else len(heads[c]) for c in shown.columns}
    right = {c for c in shown.columns if c not in ("code", "name")}

    def line(values: dict[str, str]) -> str:
        return "  ".join(v.rjust(widths[c]) if c in right else v.ljust(widths[c]) for c, v in values.items())

    rows = [line(heads)]
    rows += [line(r) for r in shown.to_dict(orient="records")]
    return "\n".join(rows)


def _rank_header(column: str, lang: str) -> str:
    """A ranking column's header: ``col.<name>``, or the score component's name for ``c_<name>``."""
    return t(f"comp.{column[2:]}" if column.startswith("c_") else f"col.{column}", lang)


def cmd_status(args: argparse.Namespace) -> int:
    path = dbmod.resolve_db_path(args.db)
    db = dbmod.connect(path, lang=args.lang)
    print(t("cli.status.demo", args.lang, path=path) if dbmod.is_demo(db) else str(path))
    for table in ("provinces", "regencies", "sectors", "potentials", "businesses", "contacts", "partners", "staff",
                  "event_reports", "registrations", "payments"):
        print(f"  {table:<13} {fmt_int(db.execute(f'SELECT COUNT(*) FROM {table}').fetchone()[0]):>12}")
    from planner.demo import field_history

    h = field_history(db)
    if h is not None:
        print(t("cli.status.field", args.lang, plan=h["plan_id"], reports=fmt_int(h["reports"]),
                registrations=fmt_int(h["later_registrations"]), payments=fmt_int(h["payments"])))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from planner import scoring

    from planner import auth

    db = dbmod.connect(args.db, lang=args.lang)
    if args.exclude:
        print(t("model.excluded", args.lang, columns=", ".join(scoring.exclude_columns(db, auth.system_user(), args.exclude.split(",")))))
    result = scoring.train(db, auth.system_user(), folds=args.folds, activate=not args.no_activate, lang=args.lang)
    print(result.message)
    if result.kind == "hgb":
        print(_metrics_table(result.card["metrics"], args.lang))
        if scoring.choice_note(result.card, args.lang):
            print(scoring.choice_note(result.card, args.lang))
        if scoring.reasons_note(result.card, args.lang):
            print(scoring.reasons_note(result.card, args.lang))
        if scoring.overlap_note(result.card, args.lang):
            print(scoring.overlap_note(result.card, args.lang))
    previous = scoring.previous_version(db, result.version)
    if previous:
        print(_changes(scoring.compare_versions(db, result.version, previous), args.lang))
    if args.score:
        if args.no_activate:
            raise PlannerError(t("cli.train.score_no_activate", args.lang))
        run = scoring.score_all(db, auth.system_user(), lang=args.lang)
        print(t("cli.train.rescored", args.lang, n=fmt_int(run.scored), secs=fmt_num(run.seconds)))
        if run.absent:
            print(run.note(args.lang))
        if run.uplift_note(args.lang):
            print(run.uplift_note(args.lang))
    return 0


def _changes(diff: dict, lang: str) -> str:
    """What changed against the previous model version, in the person's language."""
    lines = [
        t("cli.train.changes", lang, old=diff["old"], before=fmt_int(diff["rows"][0] or 0), after=fmt_int(diff["rows"][1] or 0))
        + ("" if diff["data_changed"] else t("cli.train.same_data", lang)),
    ]
    if diff["features_added"] or diff["features_removed"]:
        lines.append("  " + t("cli.train.features", lang, added=", ".join(diff["features_added"]) or "–",
                              removed=", ".join(diff["features_removed"]) or "–"))
    for m in diff["metrics"]:
        if m["change"] is not None:
            sign = "+" if m["change"] > 0 else ""
            lines.append(f"  {m['validation']:<10} {m['metric']:<8} {fmt_num(m['old'], 3)} → {fmt_num(m['new'], 3)} ({sign}{fmt_num(m['change'], 3)})")
    return "\n".join(lines)


def _metrics_table(metrics: dict, lang: str) -> str:
    """The validation metrics as a text table (metric names are the usual English ones)."""
    lines = [f"{t('cli.train.validation', lang):<28}{'ROC AUC':>9}{'PR AUC':>9}{'Brier':>9}{'lift10':>8}{'lift20':>8}"]
    for name, block in (("cv", metrics.get("cv")), ("time_split", metrics.get("time_split"))):
        if not block:
            continue
        for who in ("model", "baseline"):
            if who not in block:
                continue
            m = block[who]
            lines.append(
                f"{name + ' ' + who:<28}{fmt_num(m['roc_auc'], 3):>9}{fmt_num(m['pr_auc'], 3):>9}"
                f"{fmt_num(m['brier'], 4):>9}{fmt_num(m['lift_10'], 2):>8}{fmt_num(m['lift_20'], 2):>8}"
            )
    cal = metrics.get("cv", {}).get("model", {}).get("calibration", [])
    if cal:
        lines.append(t("cli.train.calibration", lang))
        lines += [f"  {fmt_pct(c['predicted'])} → {fmt_pct(c['observed'])} ({fmt_int(c['rows'])})" for c in cal]
    return "\n".join(lines)


def cmd_score(args: argparse.Namespace) -> int:
    from planner import scoring
    from planner.exports import to_csv_bytes

    from planner import auth

    db = dbmod.connect(args.db, lang=args.lang)
    run = scoring.score_all(db, auth.system_user(), lang=args.lang)
    print(t("cli.score.done" if run.with_uplift else "cli.score.done_no_uplift", args.lang, n=fmt_int(run.scored), version=run.version,
            secs=fmt_num(run.seconds)))
    if run.absent:
        print(run.note(args.lang))
    if run.uplift_note(args.lang):
        print(run.uplift_note(args.lang))
    if args.out:
        df = scoring.export_scores(db)
        df["p_enroll"] = df["p_enroll"].round(6)
        df["uplift"] = df["uplift"].round(6)
        args.out.write_bytes(to_csv_bytes(df))
        print(t("cli.written", args.lang, file=args.out))
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from planner import scoring

    db = dbmod.connect(args.db, lang=args.lang)
    if args.activate:
        from planner import auth

        scoring.activate(db, auth.system_user(), args.activate)
        print(t("cli.models.active", args.lang, version=args.activate))
    df = scoring.list_models(db)
    if df.empty:
        print(t("cli.models.none", args.lang))
        return 0
    for r in df.itertuples():
        auc = fmt_num(r.roc_auc, 3) if r.roc_auc == r.roc_auc and r.roc_auc is not None else "–"
        print(f"{'*' if r.active else ' '} {r.version}  {r.kind:<5}  {r.created}  " + t("cli.models.row", args.lang, rows=f"{fmt_int(r.rows):>9}", auc=auc))
    return 0


def _read_password(from_stdin: bool, lang: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass(t("cli.users.password", lang))
    if getpass.getpass(t("cli.users.password_again", lang)) != first:
        raise PlannerError(t("cli.users.password_differ", lang))
    return first


def cmd_users(args: argparse.Namespace) -> int:
    from planner import auth

    db = dbmod.connect(args.db, lang=args.lang)
    _ensure_reference(db)
    actor = auth.system_user()
    if args.users_verb == "add":
        provinces = [p for item in args.province for p in item.split(",")]
        user = auth.add_user(db, actor, args.username, _read_password(args.password_stdin, args.lang), args.role, provinces, args.name, staff_id=args.staff, lang=args.lang)
        extra = (t("cli.users.provinces", args.lang, provinces=",".join(user.provinces)) if user.provinces else "") + (
            t("cli.users.staff", args.lang, staff=user.staff_id) if user.staff_id else "")
        print(t("cli.users.added", args.lang, user=user.username, role=user.role, extra=extra))
    elif args.users_verb == "link":
        auth.link_staff(db, actor, args.username, None if args.none else args.staff, lang=args.lang)
        print(t("cli.users.unlinked", args.lang, user=args.username) if args.none
              else t("cli.users.linked", args.lang, user=args.username, staff=args.staff))
    elif args.users_verb == "list":
        for u in auth.list_users(db):
            state = t("cli.users.active" if u["active"] else "cli.users.inactive", args.lang)
            if u["locked_until"]:
                state += t("cli.users.locked_until", args.lang, until=u["locked_until"])
            print(f"{u['username']:<20} {u['role']:<10} {u['provinces'] or '-':<10} {u['staff_id'] or '-':<8} {state:<10} {u['display_name']}")
    elif args.users_verb == "passwd":
        auth.set_password(db, actor, args.username, _read_password(args.password_stdin, args.lang), lang=args.lang)
        print(t("cli.users.password_set", args.lang, user=args.username))
    else:
        auth.set_active(db, actor, args.username, args.users_verb == "enable", lang=args.lang)
        print(t("cli.users.enabled" if args.users_verb == "enable" else "cli.users.disabled", args.lang, user=args.username))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from planner.backup import backup

    src = dbmod.resolve_db_path(args.db)
    pages = backup(src, args.file, lang=args.lang)
    print(t("cli.backup.done", args.lang, source=src, file=args.file, pages=fmt_int(pages)))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from planner import serve

    path = dbmod.resolve_db_path(args.db)
    if args.logs:
        return serve.show_logs(path, args.lines, args.follow, lang=args.lang)
    return serve.run(path, processes=args.processes, port=args.port, address=args.address, lang=args.lang)


def cmd_restore(args: argparse.Namespace) -> int:
    from planner.backup import restore
    from planner.i18n import t

    target = dbmod.resolve_db_path(args.db)
    r = restore(args.file, target, lang=args.lang)
    if r.kept is not None:
        print(t("restore.kept_unreadable" if r.kept_unreadable else "restore.kept", args.lang, path=r.kept))
    print(t("restore.done", args.lang, path=target, file=args.file, pages=fmt_int(r.pages)))
    if r.pending_migrations:
        print(t("restore.older", args.lang, n=fmt_int(len(r.pending_migrations)), names=", ".join(r.pending_migrations)))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from planner import auth
    from planner.exports import export_table

    db = dbmod.connect(args.db, lang=args.lang)
    n = export_table(db, auth.system_user(), args.kind, args.out, plan=args.plan, lang=args.lang)
    print(t("cli.export.done", args.lang, n=fmt_int(n), kind=args.kind, file=args.out))
    return 0


def _date(text: str, what: str, lang: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise PlannerError(t("cli.bad_date", lang, what=what, value=text)) from None


def _write_table(df: pd.DataFrame, out: Path, sheet: str, lang: str, option: str = "--out") -> None:
    from planner.exports import to_csv_bytes, to_xlsx_bytes

    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise PlannerError(t("cli.out_suffix", lang, option=option, file=out.name))
    data = to_csv_bytes(df) if suffix == ".csv" else to_xlsx_bytes(df, sheet)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)


class _Bar:
    """A progress bar on standard error: time used, best plan so far, proven bound."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.last = 0.0
        self.tty = sys.stderr.isatty()

    def __call__(self, info: dict) -> None:
        now = time.monotonic()
        if now - self.last < (0.2 if self.tty else 5.0) and info.get("fraction", 0) < 1:
            return
        self.last = now
        frac = float(info.get("fraction") or 0)
        bar = "#" * int(frac * 30)
        obj = info.get("objective")
        bound = info.get("bound")
        part = " " + t("cli.bar.part", self.lang, part=info["part"], parts=info["parts"]) if info.get("parts") else ""
        text = f"[{bar:<30}] {fmt_pct(frac, 0):>5}{part}  " + t("cli.bar.progress", self.lang, objective=fmt_num(obj, 1) if obj is not None else "–",
                                                                 bound=fmt_num(bound, 1) if bound is not None else "–")
        print(("\r" + text) if self.tty else text, end="" if self.tty else "\n", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.tty:
            print(file=sys.stderr)


def cmd_schedule(args: argparse.Namespace) -> int:
    from planner import auth, plans
    from planner import scheduling as sch

    db = dbmod.connect(args.db, lang=args.lang)
    _ensure_reference(db)
    actor = auth.system_user()
    if args.out.suffix.lower() not in (".csv", ".xlsx"):
        raise PlannerError(t("cli.out_suffix", args.lang, option="--out", file=args.out.name))
    if args.plan is not None:
        plan_id = args.plan
        plan = plans.get_plan(db, plan_id)
        rules = plan.rules
    else:
        provinces = tuple(p.strip() for p in args.provinces.split(",") if p.strip())
        rules = sch.Rules(
            start=_date(args.start, "--start", args.lang), end=_date(args.end, "--end", args.lang), budget=args.budget, provinces=provinces,
            allow_weekends=args.weekends, ramadan_blackout=args.ramadan_blackout, min_gap_days=args.min_gap,
            allow_travel=args.travel, travel_cost=args.travel_cost, max_invitees=args.max_invitees,
            min_events_per_regency=args.min_events_per_regency, time_limit=args.time_limit,
        )
        name = args.name or t("cli.schedule.name", args.lang, start=rules.start.isoformat(), end=rules.end.isoformat()) + (
            f" ({', '.join(provinces)})" if provinces else "")
        plan_id = plans.create_plan(db, actor, name, rules)
    from planner.scoring import scored_count

    if not scored_count(db):
        raise PlannerError(t("cli.schedule.no_scores", args.lang))
    bar = _Bar(args.lang)
    sol = plans.solve_plan(db, actor, plan_id, progress=bar, lang=args.lang, time_limit=args.time_limit if args.plan is not None else None)
    bar.done()
    if sol.status == "INFEASIBLE":
        print(t("cli.schedule.infeasible", args.lang, plan=plan_id), file=sys.stderr)
        for c in sol.conflicts:
            print(f"  - {c}", file=sys.stderr)
        return 2
    if sol.status == "UNKNOWN":
        print(t("cli.schedule.unknown", args.lang, plan=plan_id, reasons="; ".join(sol.conflicts)), file=sys.stderr)
        return 1
    _write_table(plans.events_csv_frame(db, plan_id), args.out, t("cli.sheet.events", args.lang), args.lang)
    if args.invitations:
        _write_table(plans.invitations_csv_frame(db, plan_id), args.invitations, t("cli.sheet.invitations", args.lang), args.lang, "--invitations")
    gap = "–" if sol.gap != sol.gap else fmt_pct(sol.gap, 2)
    print(t("cli.schedule.done", args.lang, plan=plan_id, events=fmt_int(len(sol.events)), additional=fmt_num(sol.expected_additional, 1),
            enrollments=fmt_num(sol.expected_enrollments, 1), cost=fmt_int(sol.cost), status=sol.status, objective=fmt_num(sol.objective, 1),
            bound=fmt_num(sol.bound, 1), gap=gap, secs=fmt_num(sol.seconds, 1)))
    for f in sol.findings:
        print(("  ! " if f.binding else "  - ") + f.text)
    if not (plans.get_plan(db, plan_id).result or {}).get("uplift_model", True):
        print(t("plan.no_uplift", args.lang))
    print(t("cli.schedule.written_both", args.lang, file=args.out, invitations=args.invitations) if args.invitations
          else t("cli.schedule.written", args.lang, file=args.out))
    if args.publish:
        plans.publish_plan(db, actor, plan_id)
        print(t("cli.schedule.published", args.lang, plan=plan_id))
    return 0


def cmd_plans(args: argparse.Namespace) -> int:
    from planner import auth, plans

    db = dbmod.connect(args.db, lang=args.lang)
    actor = auth.system_user()
    if args.action == "list":
        df = plans.list_plans(db)
        if df.empty:
            print(t("cli.plans.none", args.lang))
        for r in df.itertuples():
            print(f"{r.plan_id:>4}  {r.status:<10} {r.start_date} – {r.end_date}  "
                  + t("cli.plans.row", args.lang, events=f"{fmt_int(r.events):>6}", additional=f"{fmt_num(r.expected_additional, 1):>8}",
                      cost=f"{fmt_int(r.cost):>14}", name=r.name))
        return 0
    if args.action in ("lock", "unlock", "cancel", "move"):
        return _plans_event(db, actor, args)
    if args.target is None or not str(args.target).strip().isdigit():
        raise PlannerError(t("cli.plans_need_plan", args.lang, action=args.action))
    args.plan = int(args.target)
    if args.action == "publish":
        share = None if args.control_share is None else args.control_share / 100
        out = plans.publish_plan(db, actor, args.plan, control_share=share, seed=args.seed, lang=args.lang)
        print(t("cli.plan_published", args.lang, plan=args.plan, controls=fmt_int(out["controls"]), share=fmt_pct(out["share"], 0),
                seed=out["seed"]))
        if not out["share"]:
            print(t("jadwal.control_zero", args.lang))
    elif args.action == "archive":
        plans.archive_plan(db, actor, args.plan)
        print(t("cli.plan_archived", args.lang, plan=args.plan))
    elif args.action == "reopen":
        plans.reopen_plan(db, actor, args.plan)
        print(t("cli.plans.reopened", args.lang, plan=args.plan))
    else:
        if not args.staff or not args.out:
            raise PlannerError(t("cli.plans.ics_needs", args.lang))
        data = plans.staff_ics(db, args.plan, args.staff)
        args.out.write_bytes(data)
        print(t("cli.plans.ics_written", args.lang, staff=args.staff, file=args.out))
    return 0


def _plans_event(db, actor, args: argparse.Namespace) -> int:
    """``plans lock|unlock|cancel|move EVENT_ID``: the Jadwal page's event actions (the
    same functions, audited as the command-line user)."""
    from planner import plans

    event_id = (args.target or "").strip()
    if not event_id:
        raise PlannerError(t("cli.plans_need_event", args.lang, action=args.action))
    if args.action in ("lock", "unlock"):
        plans.set_locked(db, actor, event_id, args.action == "lock", lang=args.lang)
        plan_id = db.execute("SELECT plan_id FROM events WHERE event_id = ?", [event_id]).fetchone()[0]
        print(t("cli.event_locked" if args.action == "lock" else "cli.event_unlocked", args.lang, event=event_id, plan=plan_id))
        return 0
    if args.action == "cancel":
        plans.cancel_event(db, actor, event_id, args.note, lang=args.lang)
        print(t("cli.event_cancelled", args.lang, event=event_id))
        return 0
    if args.date is None and args.partner is None and args.staff is None:
        raise PlannerError(t("cli.move_nothing", args.lang, event=event_id))
    broken = plans.move_event(db, actor, event_id, date=args.date, partner_id=args.partner, staff_id=args.staff, lang=args.lang)
    ev = db.execute("SELECT event_date, partner_id, staff_id, plan_id FROM events WHERE event_id = ?", [event_id]).fetchone()
    print(t("cli.event_moved", args.lang, event=event_id, date=ev[0], partner=ev[1], staff=ev[2] or "–"))
    if broken:
        print(t("cli.event_moved_broken", args.lang, plan=ev[3]), file=sys.stderr)
        for b in broken:
            print(f"  - {b}", file=sys.stderr)
    return 0


def cmd_solve_job(args: argparse.Namespace) -> int:
    from planner import auth, plans

    db = dbmod.connect(args.db, lang=args.lang)
    actor = auth.system_user() if args.as_user.startswith("cli:") else auth.get_user(db, args.as_user, lang=args.lang)
    failed = 0
    for run in args.run:  # a run that fails is marked failed (its traceback in this log); the next still runs
        try:
            plans.run_job(db, run, actor, lang=args.lang)
        except Exception:
            import traceback

            traceback.print_exc()
            failed += 1
    return 1 if failed else 0


def _plan_of_files(db, events: Path, invitations: Path | None) -> int:
    """The plan that wrote ``events.csv`` (and ``invitations.csv``): found by its event ids,
    and checked to hold exactly those invitations."""
    from planner.imports import read_table

    if invitations is None:
        raise PlannerError(t("proj.need_invitations", _LANG[0]))
    ev = read_table(events, "events", lang=_LANG[0])
    if "event_id" not in ev.columns or ev.empty:
        raise PlannerError(t("proj.events_file", _LANG[0], file=events))
    ids = sorted(set(ev["event_id"].str.strip()))
    q = ",".join("?" * len(ids))
    plans_found = {r[0] for r in db.execute(f"SELECT DISTINCT plan_id FROM events WHERE event_id IN ({q})", ids)}
    if len(plans_found) != 1:
        raise PlannerError(t("proj.events_unknown", _LANG[0], file=events))
    plan_id = plans_found.pop()
    inv = read_table(invitations, "invitations", lang=_LANG[0])
    stored = {(e, b) for e, b in db.execute(f"SELECT event_id, business_id FROM invitations WHERE event_id IN ({q})", ids)}
    given = set(zip(inv.get("event_id", pd.Series(dtype=str)).str.strip(), inv.get("business_id", pd.Series(dtype=str)).str.strip()))
    if given != stored:
        raise PlannerError(t("proj.invitations_differ", _LANG[0], file=invitations, plan=plan_id, missing=len(stored - given), extra=len(given - stored)))
    return plan_id


_LANG = ["id"]


def cmd_project(args: argparse.Namespace) -> int:
    from planner import auth
    from planner.projection import uptake

    _LANG[0] = args.lang
    db = dbmod.connect(args.db, lang=args.lang)
    plan_id = args.plan if args.plan is not None else _plan_of_files(db, args.events, args.invitations)
    proj = uptake.project(db, auth.system_user(), plan_id, sims=args.sims, lang=args.lang)
    data = uptake.as_json(proj)
    if args.format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=float)
        print()
        return 0
    if args.format == "csv":
        proj.result.table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    add = data["expected_additional"]
    print(t("proj.cli_headline", args.lang, plan=plan_id, events=fmt_int(data["events"]), workers=fmt_num(data["expected_enrollments"], 1),
            p10=fmt_int(data["p10"]), p90=fmt_int(data["p90"]), p2_5=fmt_int(data["p2_5"]), p97_5=fmt_int(data["p97_5"]),
            additional=fmt_num(add, 1) if add is not None else "–", businesses=fmt_num(data["expected_businesses"], 1),
            cost=fmt_int(data["cost"])))
    print(f"{t('proj.cli_month', args.lang):<10}{t('proj.cli_expected', args.lang):>12}{'80%':>16}{'95%':>16}")
    for r in data["by_month"]:
        print(f"{r['key']:<10}{fmt_num(r['expected_enrollments'], 1):>12}{fmt_int(r['p10']) + '–' + fmt_int(r['p90']):>16}"
              f"{fmt_int(r['p2_5']) + '–' + fmt_int(r['p97_5']):>16}")
    return 0


def cmd_actuals(args: argparse.Namespace) -> int:
    from planner import auth
    from planner.projection import actuals

    db = dbmod.connect(args.db, lang=args.lang)
    out = actuals.plan_vs_actual(db, auth.system_user(), args.plan)
    if args.format == "json":
        json.dump({k: (v.to_dict(orient="records") if isinstance(v, pd.DataFrame) else v) for k, v in out.items()}, sys.stdout,
                  ensure_ascii=False, indent=1, default=float)
        print()
        return 0
    if not out["events_held"]:
        print(t("proj.cli_no_reports", args.lang, plan=args.plan))
        return 0
    if args.format == "csv":
        frames = [df.assign(by=name[3:]) for name, df in out.items() if isinstance(df, pd.DataFrame)]
        pd.concat(frames, ignore_index=True).to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    tot = out["total"]
    print(t("proj.cli_actual", args.lang, plan=args.plan, held=fmt_int(out["events_held"]), registered=fmt_int(tot["registered"]),
            expected=fmt_num(tot["expected"], 1), p10=fmt_int(tot["p10"]), p90=fmt_int(tot["p90"]), p2_5=fmt_int(tot["p2_5"]),
            p97_5=fmt_int(tot["p97_5"]), walk_ins=fmt_int(tot["walk_ins"])))
    for name in ("by_month", "by_province", "by_partner_type"):
        print(t(f"proj.cli_{name}", args.lang))
        # partner types by their names in the person's language (the codes stay in json/csv)
        keys = [t(f"ptype.{k}", args.lang) if name == "by_partner_type" else str(k) for k in out[name]["key"]]
        width = max([20, *(len(k) + 2 for k in keys)])
        for key, r in zip(keys, out[name].itertuples()):
            flag = {"below": t("proj.flag_below", args.lang), "above": t("proj.flag_above", args.lang)}.get(r.flag, "")
            print(f"  {key:<{width}}{fmt_int(r.registered):>6}  {fmt_num(r.businesses, 1):>8}  [{fmt_int(r.businesses_p2_5)}–{fmt_int(r.businesses_p97_5)}]  {flag}")
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    from planner import auth, plans
    from planner.projection import scenarios

    db = dbmod.connect(args.db, lang=args.lang)
    actor = auth.system_user()
    if args.start:
        kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
        ids = scenarios.start(db, actor, args.plan, kinds, add_province=args.add, drop_province=args.drop, extra_staff=args.staff, lang=args.lang)
        print(t("scen.started", args.lang, n=fmt_int(len(ids))), file=sys.stderr)
        for sid in ids:
            plans.wait_job(db, plans.latest_job(db, sid)["run_id"], timeout=3600)
    frame = scenarios.compare(db, actor, args.plan, lang=args.lang)
    if args.format == "json":
        json.dump(scenarios.as_json(frame), sys.stdout, ensure_ascii=False, indent=1, default=float)
        print()
        return 0
    if len(frame) == 1:
        print(t("scen.none", args.lang))
    rng = lambda v, lo, hi: "–" if v != v else f"{fmt_int(v)} ({fmt_int(lo)}–{fmt_int(hi)})"
    cols = ["scen.col_scenario", "scen.col_events", "scen.col_cost", "scen.col_workers", "scen.col_additional", "scen.col_per_additional"]
    print(" | ".join(t(c, args.lang) for c in cols))
    for r in frame.itertuples():
        state = "" if r.state == "ready" else f" [{t('scen.state_' + r.state, args.lang, progress=fmt_int(100 * (r.progress or 0)) + '%')}]"
        print(" | ".join([r.scenario + state, fmt_int(r.events) if r.events == r.events else "–", fmt_int(r.cost) if r.cost == r.cost else "–",
                          rng(r.workers, r.workers_p10, r.workers_p90), rng(r.additional, r.additional_p10, r.additional_p90),
                          fmt_int(r.per_additional) if r.per_additional == r.per_additional else "–"]))
        if r.changes:
            print(f"    {r.changes}")
    return 0


def cmd_job(args: argparse.Namespace) -> int:
    from planner import jobs

    jobs.run(dbmod.connect(args.db, lang=args.lang), args.job, lang=args.lang)
    return 0


VERBS = {
    "project": cmd_project,
    "actuals": cmd_actuals,
    "scenarios": cmd_scenarios,
    "job": cmd_job,
    "schedule": cmd_schedule,
    "plans": cmd_plans,
    "solve-job": cmd_solve_job,
    "serve": cmd_serve,
    "users": cmd_users,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "export": cmd_export,
    "init": cmd_init,
    "import": cmd_import,
    "rank": cmd_rank,
    "train": cmd_train,
    "models": cmd_models,
    "score": cmd_score,
    "status": cmd_status,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return VERBS[args.verb](args)
    except PlannerError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_status
    except BrokenPipeError:  # e.g. piped into head
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception:  # a bug, not bad input: the traceback goes to a log file, the person gets a number
        import secrets
        import traceback

        from planner.i18n import t

        number = secrets.token_hex(3).upper()
        log = dbmod.logs_dir(args.db) / "cli.log"
        try:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"--- incident {number} {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(sys.argv)}\n")
                traceback.print_exc(file=fh)
        except OSError:
            log = None
        print(t("cli.incident", args.lang, number=number, log=log or "-"), file=sys.stderr)
        return 1
