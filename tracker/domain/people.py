"""People and their roles (people.md): who may act on the shared ledger.

The roster and its permission rules are built on these types; the role vocabulary (with its
Chinese names) lives here so that the CLI, the TUI and an imported roster read it alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    PLANNER = "planner"
    VERIFIER = "verifier"  # 督办
    LEADER = "leader"  # 领导
    STAFF = "staff"  # 责任单位

    @classmethod
    def parse(cls, text: str) -> Role | None:
        """A role from its English or Chinese name, else ``None``."""
        value = text.strip()
        found = ROLE_NAMES_ZH.get(value)
        if found is not None:
            return found
        try:
            return cls(value.lower())
        except ValueError:
            return None


ROLE_NAMES_ZH: dict[str, Role] = {
    "管理员": Role.ADMIN,
    "计划员": Role.PLANNER,
    "督办员": Role.VERIFIER,
    "领导": Role.LEADER,
    "工作人员": Role.STAFF,
}


@dataclass(frozen=True, slots=True)
class Person:
    """A person in the roster; ``units`` empty means every unit is in scope."""

    name: str
    role: Role
    units: tuple[str, ...] = ()
    phone: str | None = None
    wecom: str | None = None
    dingtalk: str | None = None
    has_password: bool = field(default=False)
