"""Plans of sosialisasi events in the database: create, solve (in the foreground or as a
background job with progress), save, lock, move, cancel, publish; events, invitations,
calendars, WhatsApp invitations and exports.

A plan is a draft until a manager publishes it; staff see published plans of their
province. Solving keeps the plan's locked events (and their invitees), drops its other
planned events and fills the calendar again around them. Cancelled events stay on record
and their partner and day are not proposed again. Events of other published plans occupy
their staff, partners and dates, and their invitees are not invited twice.

One job a module, each importing only those before it in this list:

- ``storage``: plans, events and invitations read and written (create, publish, reopen, archive).
- ``adapter``: rules and instances built from the database, the solve, solutions saved back.
- ``editing``: a manager's edits of an event (lock, move, cancel), checked against the rules.
- ``outputs``: the week grid, WhatsApp invitations, calendar (ICS) files.
- ``runs``: solving in a background process, with progress and cancelling (``solve_runs``).

``from planner import plans; plans.create_plan(...)`` keeps working: the names in
``__all__`` are the package's public API.
"""

from planner.plans.storage import (  # noqa: F401
    DEFAULT_CONTROL_SHARE,
    EVENTS_COLUMNS,
    INVITATION_COLUMNS,
    MAX_CONTROL_SHARE,
    Plan,
    STATUSES,
    archive_plan,
    create_plan,
    event_invitations,
    events_csv_frame,
    get_plan,
    invitations_csv_frame,
    list_plans,
    plan_events,
    plan_events_one,
    plan_for,
    publish_plan,
    reopen_plan,
    update_plan,
)
from planner.plans.adapter import (  # noqa: F401
    ATTENDANCE_PRIOR,
    DEFAULT_ATTENDANCE,
    DEFAULT_STAFF_PER_WEEK,
    EXTRA_STAFF_PREFIX,
    build_instance,
    plan_violations,
    save_solution,
    solve_plan,
)
from planner.plans.editing import (  # noqa: F401
    cancel_event,
    move_event,
    set_locked,
)
from planner.plans.outputs import (  # noqa: F401
    ZONES,
    events_ics,
    invitation_messages,
    programme_phrase,
    staff_ics,
    week_grid,
    whatsapp_link,
    whatsapp_text,
)
from planner.plans.runs import (  # noqa: F401
    cancel_job,
    job,
    latest_job,
    run_job,
    start_solve,
    start_solves,
    wait_job,
)

__all__ = [
    "DEFAULT_CONTROL_SHARE",
    "EVENTS_COLUMNS",
    "INVITATION_COLUMNS",
    "MAX_CONTROL_SHARE",
    "Plan",
    "STATUSES",
    "archive_plan",
    "create_plan",
    "event_invitations",
    "events_csv_frame",
    "get_plan",
    "invitations_csv_frame",
    "list_plans",
    "plan_events",
    "plan_events_one",
    "plan_for",
    "publish_plan",
    "reopen_plan",
    "update_plan",
    "ATTENDANCE_PRIOR",
    "DEFAULT_ATTENDANCE",
    "DEFAULT_STAFF_PER_WEEK",
    "EXTRA_STAFF_PREFIX",
    "build_instance",
    "plan_violations",
    "save_solution",
    "solve_plan",
    "cancel_event",
    "move_event",
    "set_locked",
    "ZONES",
    "events_ics",
    "invitation_messages",
    "programme_phrase",
    "staff_ics",
    "week_grid",
    "whatsapp_link",
    "whatsapp_text",
    "cancel_job",
    "job",
    "latest_job",
    "run_job",
    "start_solve",
    "start_solves",
    "wait_job",
]
