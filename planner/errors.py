"""Errors the planner raises on purpose: each says what failed, the value and the fix."""

from __future__ import annotations


class PlannerError(Exception):
    """A failure the user can act on. Pages show it with ``st.error``; the CLI prints it
    and exits with status 2. Never raised for programming errors."""

    exit_status = 2

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details or [])

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {d}" for d in self.details)
