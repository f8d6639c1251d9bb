"""Reading a roster file for ``tracker people import``: csv or xlsx, every error at its row.

Columns (either language): 姓名/name, 角色/role, 单位/units (several separated by 、 , ; or
spaces), 手机/phone, and optionally 企业微信/wecom and 钉钉/dingtalk. A file with any error
changes nothing: every problem is reported as ``FILE:ROW: message``.
"""

from __future__ import annotations

import re
from pathlib import Path

from tracker import i18n
from tracker.domain.people import Role, clean_name
from tracker.errors import BadInput, TrackerError
from tracker.report.ledger_import import LedgerError, read_rows
from tracker.store.db import Store
from tracker.store.people import NewPerson, known_units

HEADERS = {
    "name": ("姓名", "name", "人员"),
    "role": ("角色", "role"),
    "units": ("单位", "units", "unit"),
    "phone": ("手机", "phone", "电话", "手机号"),
    "wecom": ("企业微信", "wecom"),
    "dingtalk": ("钉钉", "dingtalk"),
}
SPLIT = re.compile(r"[、,，;；\s]+")


class RosterErrors(BadInput):
    """Every problem found in a roster file (exit 2); nothing was changed."""

    def __init__(self, errors: list[LedgerError]) -> None:
        self.errors = errors
        super().__init__("people.roster.errors", count=len(errors))

    def render(self, lang: str) -> str:
        lines = [e.render(lang) for e in self.errors]
        lines.append(i18n.t("people.roster.errors", lang, count=len(self.errors)))
        return "\n".join(lines)


def _columns(head: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, title in enumerate(head):
        text = title.strip().lower()
        for key, names in HEADERS.items():
            if text in names and key not in found:
                found[key] = i
    return found


def read_roster(db: Store, path: Path) -> list[NewPerson]:
    """The people of a roster file, or ``RosterErrors`` naming every bad row."""
    if not path.is_file():
        raise BadInput("ledger.unreadable", path=str(path), reason="no such file")
    name = str(path)
    rows = [(n, cells) for n, cells in read_rows(path) if any(cells)]
    if not rows:
        raise RosterErrors([LedgerError(name, 1, "people.roster.empty")])
    head_line, head = rows[0]
    cols = _columns(head)
    missing = [k for k in ("name", "role") if k not in cols]
    if missing:
        columns = ", ".join(HEADERS[k][0] + "/" + HEADERS[k][1] for k in missing)
        raise RosterErrors(
            [LedgerError(name, head_line, "people.roster.missing", {"columns": columns})]
        )
    units = known_units(db)
    seen: dict[str, int] = {}
    out: list[NewPerson] = []
    errors: list[LedgerError] = []
    for line, cells in rows[1:]:

        def get(key: str, cells: list[str] = cells) -> str:
            i = cols.get(key)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        try:
            person = clean_name(get("name"))
        except TrackerError as e:
            errors.append(LedgerError(name, line, e.key, dict(e.params)))
            continue
        if person in seen:
            errors.append(
                LedgerError(
                    name, line, "people.roster.duplicate", {"name": person, "first": seen[person]}
                )
            )
            continue
        seen[person] = line
        role = Role.parse(get("role"))
        if role is None:
            errors.append(LedgerError(name, line, "people.bad_role", {"role": get("role")}))
            continue
        keys = tuple(u for u in SPLIT.split(get("units")) if u)
        bad = [u for u in keys if u not in units]
        if bad:
            errors.append(LedgerError(name, line, "people.unknown_unit", {"unit": bad[0]}))
            continue
        extra = (get("phone") or None, get("wecom") or None, get("dingtalk") or None)
        out.append(NewPerson(person, role, tuple(dict.fromkeys(units[u] for u in keys)), *extra))
    if errors:
        raise RosterErrors(errors)
    return out
