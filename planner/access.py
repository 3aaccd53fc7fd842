"""Who may open which page: the one table the app's menu and every page check.

Pages check again with ``app_pages.common.require_role``; planner functions check the
acting user's rights themselves (``planner.auth.require``) and scope what they return
to the user's provinces. This table only decides what a role sees in the menu and which
pages refuse at once.
"""

from __future__ import annotations

PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "peluang": ("admin", "manager", "staff", "leadership"),
    "sasaran": ("admin", "manager", "staff", "leadership"),
    "impor": ("admin", "manager", "staff"),
    "pengguna": ("admin",),
    "audit": ("admin", "leadership"),
    "jadwal": ("admin", "manager", "staff", "leadership"),
    "mitra": ("admin", "manager", "staff", "leadership"),
    "agenda": ("admin", "manager", "staff", "leadership"),
    "laporan": ("admin", "manager", "staff", "leadership"),
    "proyeksi": ("admin", "manager", "leadership"),
}


def may_open(role: str, page: str) -> bool:
    """Whether a user with ``role`` may open ``page`` (a key of ``PAGE_ROLES``)."""
    return role in PAGE_ROLES[page]
