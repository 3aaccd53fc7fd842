"""The schema, as an ordered list of sqlite-utils migrations.

Each migration runs in its own transaction together with the record that it ran, so a
crash leaves the schema at a clean step. Never edit a migration that has shipped; add a
new one.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("jangkau")

PARTNER_TYPES = (
    "dinas_koperasi",
    "koperasi",
    "asosiasi_ritel",
    "bank",
    "perisai",
    "pemda",
    "oss_ptsp",
    "ecommerce",
    "asosiasi_industri",
)
SIZE_CLASSES = ("mikro", "kecil", "menengah")
SEGMENTS = ("PU", "BPU")


def _run(db: sqlite_utils.Database, statements: str) -> None:
    for stmt in statements.split(";\n"):
        if stmt.strip():
            db.execute(stmt)


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


@migrations(name="0001_foundation")
def m0001_foundation(db: sqlite_utils.Database) -> None:
    _run(
        db,
        f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE provinces (
    code TEXT PRIMARY KEY,
    bps_code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_common TEXT NOT NULL,
    island_group TEXT NOT NULL,
    capital TEXT NOT NULL,
    capital_lat REAL,
    capital_lon REAL,
    timezone TEXT,
    population INTEGER,
    area_km2 REAL,
    source TEXT
);
CREATE TABLE regencies (
    code TEXT PRIMARY KEY,
    code_compact TEXT NOT NULL UNIQUE,
    province_code TEXT NOT NULL REFERENCES provinces(code),
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    bps_code TEXT,
    bps_code_2020 TEXT,
    population INTEGER,
    area_km2 REAL,
    source TEXT
);
CREATE INDEX idx_regencies_province ON regencies(province_code);
CREATE TABLE sectors (
    code TEXT PRIMARY KEY,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    division_from TEXT,
    division_to TEXT,
    source TEXT
);
CREATE TABLE programme_rules (
    id INTEGER PRIMARY KEY,
    rule_group TEXT NOT NULL,
    segment TEXT NOT NULL,
    item TEXT NOT NULL,
    value TEXT,
    unit TEXT,
    legal_basis TEXT,
    source TEXT,
    confidence TEXT,
    note TEXT
);
CREATE TABLE potentials (
    regency_code TEXT NOT NULL REFERENCES regencies(code),
    sector TEXT NOT NULL REFERENCES sectors(code),
    segment TEXT NOT NULL CHECK (segment IN ({_in(SEGMENTS)})),
    eligible_workers INTEGER NOT NULL CHECK (eligible_workers >= 0),
    covered_workers INTEGER NOT NULL CHECK (covered_workers >= 0 AND covered_workers <= eligible_workers),
    vulnerable_share REAL CHECK (vulnerable_share BETWEEN 0 AND 1),
    as_of TEXT NOT NULL,
    source TEXT,
    PRIMARY KEY (regency_code, sector, segment)
);
CREATE TABLE businesses (
    business_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    regency_code TEXT NOT NULL REFERENCES regencies(code),
    sector TEXT NOT NULL REFERENCES sectors(code),
    size_class TEXT NOT NULL CHECK (size_class IN ({_in(SIZE_CLASSES)})),
    workers INTEGER NOT NULL CHECK (workers >= 0),
    founded_year INTEGER,
    has_nib INTEGER NOT NULL CHECK (has_nib IN (0, 1)),
    kur_recipient INTEGER NOT NULL CHECK (kur_recipient IN (0, 1)),
    coop_member INTEGER NOT NULL CHECK (coop_member IN (0, 1)),
    digital_payments INTEGER NOT NULL CHECK (digital_payments IN (0, 1)),
    enrolled INTEGER NOT NULL CHECK (enrolled IN (0, 1)),
    attributes TEXT
);
CREATE INDEX idx_businesses_region_sector ON businesses(regency_code, sector, enrolled);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses(business_id),
    contacted_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    invited INTEGER NOT NULL CHECK (invited IN (0, 1)),
    attended INTEGER CHECK (attended IN (0, 1)),
    enrolled INTEGER NOT NULL CHECK (enrolled IN (0, 1)),
    workers_enrolled INTEGER CHECK (workers_enrolled >= 0),
    UNIQUE (business_id, contacted_on, channel)
);
CREATE TABLE partners (
    partner_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ({_in(PARTNER_TYPES)})),
    regency_code TEXT NOT NULL REFERENCES regencies(code),
    capacity_per_month INTEGER NOT NULL CHECK (capacity_per_month >= 0),
    venue_capacity INTEGER NOT NULL CHECK (venue_capacity >= 0),
    cost_per_event INTEGER NOT NULL CHECK (cost_per_event >= 0),
    available_weekdays TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    attributes TEXT
);
CREATE INDEX idx_partners_regency ON partners(regency_code);
CREATE TABLE staff (
    staff_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    province_code TEXT NOT NULL REFERENCES provinces(code),
    max_events_per_week INTEGER NOT NULL CHECK (max_events_per_week >= 0),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    attributes TEXT
);
CREATE INDEX idx_staff_province ON staff(province_code);
CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    filename TEXT,
    rows INTEGER NOT NULL,
    inserted INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    imported_at TEXT NOT NULL
)
""",
    )


@migrations(name="0002_models")
def m0002_models(db: sqlite_utils.Database) -> None:
    _run(
        db,
        """
CREATE TABLE model_runs (
    id INTEGER PRIMARY KEY,
    version TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created TEXT NOT NULL,
    rows INTEGER NOT NULL,
    roc_auc REAL,
    card TEXT NOT NULL
)
""",
    )


@migrations(name="0003_scores")
def m0003_scores(db: sqlite_utils.Database) -> None:
    _run(
        db,
        """
CREATE TABLE scores (
    business_id TEXT PRIMARY KEY REFERENCES businesses(business_id) ON DELETE CASCADE,
    p_enroll REAL NOT NULL,
    uplift REAL,
    reasons TEXT,
    model_version TEXT NOT NULL,
    scored_at TEXT NOT NULL
)
""",
    )


@migrations(name="0004_access")
def m0004_access(db: sqlite_utils.Database) -> None:
    _run(
        db,
        """
CREATE TABLE users (
    username TEXT PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'staff', 'leadership')),
    provinces TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    last_login TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    idle_until TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX idx_sessions_user ON sessions(username);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_key TEXT,
    before TEXT,
    after TEXT,
    detail TEXT
);
CREATE INDEX idx_audit_at ON audit_log(at);
CREATE INDEX idx_audit_actor ON audit_log(actor, at)
""",
    )


@migrations(name="0005_schedule")
def m0005_schedule(db: sqlite_utils.Database) -> None:
    """Plans, their events and invitations, staff leave, solver runs; staff home regency."""
    _run(
        db,
        """
ALTER TABLE staff ADD COLUMN home_regency TEXT REFERENCES regencies(code);
CREATE TABLE staff_leave (
    id INTEGER PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff(staff_id) ON DELETE CASCADE,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    CHECK (end_date >= start_date)
);
CREATE INDEX idx_staff_leave ON staff_leave(staff_id, start_date);
CREATE TABLE plans (
    plan_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    provinces TEXT NOT NULL DEFAULT '',
    budget INTEGER CHECK (budget IS NULL OR budget >= 0),
    rules TEXT NOT NULL,
    result TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_by TEXT,
    published_at TEXT,
    CHECK (end_date >= start_date)
);
CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(plan_id) ON DELETE CASCADE,
    event_date TEXT NOT NULL,
    regency_code TEXT NOT NULL REFERENCES regencies(code),
    partner_id TEXT NOT NULL REFERENCES partners(partner_id),
    staff_id TEXT REFERENCES staff(staff_id),
    invitees INTEGER NOT NULL DEFAULT 0,
    expected_attendance REAL NOT NULL DEFAULT 0,
    expected_enrollments REAL NOT NULL DEFAULT 0,
    expected_additional REAL NOT NULL DEFAULT 0,
    event_cost INTEGER NOT NULL DEFAULT 0,
    travel_cost INTEGER NOT NULL DEFAULT 0,
    locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idx_events_plan ON events(plan_id, event_date);
CREATE INDEX idx_events_staff ON events(staff_id, event_date);
CREATE INDEX idx_events_partner ON events(partner_id, event_date);
CREATE TABLE invitations (
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    plan_id INTEGER NOT NULL REFERENCES plans(plan_id) ON DELETE CASCADE,
    business_id TEXT NOT NULL REFERENCES businesses(business_id),
    p_enroll REAL,
    uplift REAL,
    workers INTEGER NOT NULL DEFAULT 0,
    expected_additional REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, business_id),
    UNIQUE (plan_id, business_id)
);
CREATE INDEX idx_invitations_business ON invitations(business_id);
CREATE TABLE solve_runs (
    run_id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(plan_id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    progress REAL NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    objective REAL,
    bound REAL,
    pid INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    requested_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    error TEXT
);
CREATE INDEX idx_solve_runs_plan ON solve_runs(plan_id, run_id)
""",
    )


@migrations(name="0006_import_actor")
def m0006_import_actor(db: sqlite_utils.Database) -> None:
    """Who ran each import, so that staff see their own import history only."""
    _run(
        db,
        """
ALTER TABLE import_runs ADD COLUMN actor TEXT;
CREATE INDEX idx_import_runs_actor ON import_runs(actor, id)
""",
    )


@migrations(name="0007_model_files")
def m0007_model_files(db: sqlite_utils.Database) -> None:
    """The SHA-256 of every file ``train`` wrote for a model version (JSON: file name ->
    hex digest), so a model file is loaded only if it is byte for byte the one Jangkau
    wrote. Versions trained before this have none and must be trained again."""
    _run(db, "ALTER TABLE model_runs ADD COLUMN files TEXT")


@migrations(name="0008_session_flags")
def m0008_session_flags(db: sqlite_utils.Database) -> None:
    """A session opened with the demo password on a database that holds real data must
    change that password before it can do anything else."""
    _run(db, "ALTER TABLE sessions ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0")


@migrations(name="0009_jobs")
def m0009_jobs(db: sqlite_utils.Database) -> None:
    """Background jobs (big imports, retraining) run in a process of their own."""
    _run(
        db,
        """
CREATE TABLE jobs (
    job_id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    progress REAL NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    params TEXT,
    input_path TEXT,
    result TEXT,
    error TEXT,
    pid INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    requested_by TEXT NOT NULL,
    role TEXT NOT NULL,
    provinces TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'id',
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX idx_jobs_who ON jobs(requested_by, kind, job_id)
""",
    )


@migrations(name="0010_field_work")
def m0010_field_work(db: sqlite_utils.Database) -> None:
    """Field work: who a login is (its staff record), where and when an event starts,
    event reports and the businesses present, outcomes as contacts tied to their event,
    follow-up of leads, later registrations and payments (retention)."""
    _run(
        db,
        """
ALTER TABLE users ADD COLUMN staff_id TEXT REFERENCES staff(staff_id);
CREATE UNIQUE INDEX idx_users_staff ON users(staff_id) WHERE staff_id IS NOT NULL;
ALTER TABLE partners ADD COLUMN address TEXT;
ALTER TABLE partners ADD COLUMN contact_name TEXT;
ALTER TABLE partners ADD COLUMN contact_phone TEXT;
UPDATE partners SET contact_phone = json_extract(attributes, '$.contact_phone')
    WHERE attributes IS NOT NULL AND json_valid(attributes) AND json_extract(attributes, '$.contact_phone') IS NOT NULL;
ALTER TABLE staff ADD COLUMN phone TEXT;
ALTER TABLE events ADD COLUMN start_time TEXT NOT NULL DEFAULT '09:00';
ALTER TABLE events ADD COLUMN duration_minutes INTEGER NOT NULL DEFAULT 120 CHECK (duration_minutes > 0);
ALTER TABLE invitations ADD COLUMN selection_prob REAL CHECK (selection_prob IS NULL OR selection_prob BETWEEN 0 AND 1);
CREATE TABLE event_reports (
    event_id TEXT PRIMARY KEY REFERENCES events(event_id) ON DELETE CASCADE,
    plan_id INTEGER NOT NULL REFERENCES plans(plan_id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('held', 'cancelled')),
    held_on TEXT,
    attendance INTEGER NOT NULL DEFAULT 0 CHECK (attendance >= 0),
    present INTEGER NOT NULL DEFAULT 0 CHECK (present >= 0),
    registrations INTEGER NOT NULL DEFAULT 0 CHECK (registrations >= 0),
    workers_registered INTEGER NOT NULL DEFAULT 0 CHECK (workers_registered >= 0),
    cancel_reason TEXT,
    cancel_note TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    reported_by TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (status = 'cancelled' OR held_on IS NOT NULL),
    CHECK (registrations <= present AND present <= attendance)
);
CREATE INDEX idx_event_reports_plan ON event_reports(plan_id);
CREATE TABLE report_rows (
    event_id TEXT NOT NULL REFERENCES event_reports(event_id) ON DELETE CASCADE,
    business_id TEXT NOT NULL REFERENCES businesses(business_id),
    invited INTEGER NOT NULL CHECK (invited IN (0, 1)),
    walk_in INTEGER NOT NULL CHECK (walk_in IN (0, 1)),
    registered INTEGER NOT NULL CHECK (registered IN (0, 1)),
    workers_registered INTEGER NOT NULL DEFAULT 0 CHECK (workers_registered >= 0),
    programmes TEXT NOT NULL DEFAULT '',
    follow_up INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0, 1)),
    note TEXT NOT NULL DEFAULT '',
    was_enrolled INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, business_id)
);
CREATE INDEX idx_report_rows_business ON report_rows(business_id);
CREATE TABLE report_submissions (
    instance_id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
ALTER TABLE contacts ADD COLUMN event_id TEXT REFERENCES events(event_id) ON DELETE SET NULL;
ALTER TABLE contacts ADD COLUMN walk_in INTEGER NOT NULL DEFAULT 0 CHECK (walk_in IN (0, 1));
ALTER TABLE contacts ADD COLUMN programmes TEXT;
ALTER TABLE contacts ADD COLUMN selection_prob REAL;
CREATE INDEX idx_contacts_event ON contacts(event_id);
CREATE TABLE followups (
    followup_id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    business_id TEXT NOT NULL REFERENCES businesses(business_id),
    staff_id TEXT REFERENCES staff(staff_id),
    status TEXT NOT NULL CHECK (status IN ('to_contact', 'contacted', 'promised', 'registered', 'declined')),
    due_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_on TEXT,
    UNIQUE (event_id, business_id)
);
CREATE INDEX idx_followups_staff ON followups(staff_id, status, due_on);
CREATE TABLE registrations (
    business_id TEXT NOT NULL REFERENCES businesses(business_id),
    registered_on TEXT NOT NULL,
    workers_registered INTEGER NOT NULL CHECK (workers_registered >= 0),
    programmes TEXT NOT NULL DEFAULT '',
    event_id TEXT REFERENCES events(event_id) ON DELETE SET NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (business_id, registered_on)
);
CREATE INDEX idx_registrations_event ON registrations(event_id);
CREATE TABLE payments (
    business_id TEXT NOT NULL REFERENCES businesses(business_id),
    period TEXT NOT NULL,
    paid INTEGER NOT NULL CHECK (paid IN (0, 1)),
    amount INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
    PRIMARY KEY (business_id, period)
)
""",
    )


@migrations(name="0011_control_groups")
def m0011_control_groups(db: sqlite_utils.Database) -> None:
    """Measured lift by design: when a plan is published, a random share of the
    businesses it chose is held back (not invited) as a control group, with the seed."""
    _run(
        db,
        """
ALTER TABLE plans ADD COLUMN control_share REAL CHECK (control_share IS NULL OR control_share BETWEEN 0 AND 0.5);
ALTER TABLE plans ADD COLUMN control_seed INTEGER;
CREATE TABLE controls (
    plan_id INTEGER NOT NULL REFERENCES plans(plan_id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    business_id TEXT NOT NULL REFERENCES businesses(business_id),
    p_enroll REAL,
    uplift REAL,
    workers INTEGER NOT NULL DEFAULT 0,
    expected_additional REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, business_id)
);
CREATE INDEX idx_controls_event ON controls(event_id)
""",
    )


@migrations(name="0012_scenarios")
def m0012_scenarios(db: sqlite_utils.Database) -> None:
    """Scenarios: variants of a plan (budget, staff, provinces) solved in the background
    and compared side by side. A scenario is a draft plan that points at its base plan; it
    is never published and stays out of the plan lists."""
    _run(
        db,
        """
ALTER TABLE plans ADD COLUMN scenario_of INTEGER REFERENCES plans(plan_id);
ALTER TABLE plans ADD COLUMN scenario TEXT;
CREATE INDEX idx_plans_scenario ON plans(scenario_of)
""",
    )


@migrations(name="0013_model_history")
def m0013_model_history(db: sqlite_utils.Database) -> None:
    """The model learns from each business as it was when a contact was recorded: every
    contact gets a JSON snapshot of its business (``planner.scoring.features.snapshot_new_contacts``
    fills it right after the contact is written). Contacts recorded before this migration
    get ``{}`` ("state not kept"), so training uses today's row for them and says how
    many. Reasons are kept in English too."""
    _run(
        db,
        """
ALTER TABLE contacts ADD COLUMN business_state TEXT;
UPDATE contacts SET business_state = '{}';
CREATE INDEX idx_contacts_state_pending ON contacts(id) WHERE business_state IS NULL;
ALTER TABLE scores ADD COLUMN reasons_en TEXT
""",
    )


# Tables whose every write bumps its row in ``data_versions`` (a trigger per insert,
# update and delete, inside the writing transaction). The bulk tables (businesses,
# contacts, potentials, scores) carry none: a trigger costs about 6 µs a row inserted and
# 2.5 µs a row updated or deleted, 2 s on a 300.000-row import; their writers write one of
# these tables in the same transaction
# (``planner.versions.BULK``). Users, sessions, jobs, solve runs and the audit log change
# on every sign-in or every second and are never cached.
VERSIONED_TABLES = (
    "provinces", "regencies", "sectors", "programme_rules", "meta", "model_runs", "import_runs",
    "partners", "staff", "staff_leave", "plans", "events", "invitations", "controls",
    "event_reports", "report_rows", "report_submissions", "registrations", "payments", "followups",
)


@migrations(name="0014_data_versions")
def m0014_data_versions(db: sqlite_utils.Database) -> None:
    """A version per table that pages cache reads of, bumped by a trigger in the same
    transaction as every write: a Streamlit process keys its caches on these numbers (one
    cheap query per rerun), so a write in any process — another ``serve`` process, the
    CLI, a background job — is seen on the next rerun, and only the caches that read the
    written table are rebuilt."""
    _run(db, "CREATE TABLE data_versions (topic TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 0)")
    for table in VERSIONED_TABLES:
        db.execute("INSERT INTO data_versions (topic, version) VALUES (?, 0)", [table])
        for op in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER dv_{table}_{op.lower()} AFTER {op} ON {table} "
                f"BEGIN UPDATE data_versions SET version = version + 1 WHERE topic = '{table}'; END"
            )


# The import kinds when 0015 was written; a later kind gets its row at its first import.
IMPORT_KINDS_0015 = ("potentials", "businesses", "contacts", "partners", "staff", "payments", "registrations")


@migrations(name="0015_import_kind_versions")
def m0015_import_kind_versions(db: sqlite_utils.Database) -> None:
    """A data version per import kind (``import_runs:contacts`` …), bumped with each
    import's record, so that the readers of a bulk table follow only the imports that
    write it (``planner.versions.BULK``): an import of partners or contacts no longer
    makes every page read the businesses and potentials again."""
    for kind in IMPORT_KINDS_0015:
        db.execute("INSERT OR IGNORE INTO data_versions (topic, version) VALUES (?, 0)", [f"import_runs:{kind}"])
    db.execute(
        "CREATE TRIGGER dv_import_runs_kind AFTER INSERT ON import_runs BEGIN "
        "INSERT INTO data_versions (topic, version) VALUES ('import_runs:' || NEW.kind, 1) "
        "ON CONFLICT (topic) DO UPDATE SET version = version + 1; END"
    )


def migrate(db: sqlite_utils.Database) -> None:
    """Apply every pending migration (cheap when none is pending)."""
    if migrations.pending(db):
        migrations.apply(db)
