"""Who is acting: the ``User`` every read and write of the planner takes (signed-in person,
field staff member or the command line). The lowest layer of access: ``planner.auth``
signs people in and checks roles, ``planner.trail`` records what they did."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class User:
    username: str
    role: str
    provinces: tuple[str, ...] = field(default_factory=tuple)
    display_name: str = ""
    must_change_password: bool = field(default=False, compare=False)  # signed in with the public demo password
    staff_id: str | None = field(default=None, compare=False)  # the staff record this login is (field staff)

    @property
    def can_write(self) -> bool:
        return self.role != "leadership"

    def covers(self, province_code: str) -> bool:
        """Whether this user may act on data of ``province_code``."""
        return self.role in ("admin", "manager") or (self.role == "staff" and province_code in self.provinces)
