"""Text builders for plan tests (a module, not fixtures, so tests can compose plans)."""

from __future__ import annotations

HEAD = """\
[plan]
id = "p"
title = "测试计划"
year = 2020

[units.a]
name = "A单位"
leader = "甲"

[units.b]
name = "B单位"

[units.c]
name = "C单位"
leader = "丙"

[groups]
abc = ["a", "b", "c"]
"""


def campaign(start: str = "2020-02-01", end: str = "2020-04-30", key: str = "c1") -> str:
    """A ``[[campaign]]`` header (dates are TOML dates)."""
    return f'\n[[campaign]]\nkey = "{key}"\nname = "活动"\nstart = {start}\nend = {end}\n'


def task(**fields: object) -> str:
    """A ``[[campaign.task]]`` table; strings are quoted, lists and numbers written as TOML."""
    fields.setdefault("key", "t")
    fields.setdefault("title", "任务")
    if "owner" not in fields and "each" not in fields:
        fields["owner"] = "a"
    lines = ["", "[[campaign.task]]"]
    for k, v in fields.items():
        lines.append(f"{k} = {_toml(v)}")
    return "\n".join(lines) + "\n"


def _toml(v: object) -> str:
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    return str(v)
