"""Reloads that skip unchanged task templates (``tracker.store.diff``, table ``task_templates``).

Every case is checked against the row-by-row comparison of the same expansion without blocks
(what every load did before template fingerprints): same summary, same rows.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.context import Context
from tracker.plan import read_plan, read_plan_lazy
from tracker.plan.model import Expansion, LazyExpansion, TemplateBlock
from tracker.store import actions
from tracker.store.db import open_db
from tracker.store.diff import old_fingerprint
from tracker.store.load import LoadSummary, load_expansion

COUNTS = ("added", "changed", "unchanged", "removed", "withdrawn", "restored")


def plan_text(
    *,
    group: str = '"a", "b"',
    holidays: str = "",
    name_b: str = "乙村",
    leader_a: str = "张三",
    first_due: str = "2020-03-31",
    extra_task: bool = False,
    shift: str = "before",
) -> str:
    """A small plan: a fan-out over a group, a weekly fan-out, a one-off; knobs for each test."""
    calendar = f"[calendar]\nholidays = [{holidays}]\n" if holidays else ""
    extra = (
        '[[campaign.task]]\nkey = "extra"\ntitle = "新增"\nowner = "a"\ndue = 2020-03-20\n'
        if extra_task
        else ""
    )
    return f"""
[plan]
id = "tp"
title = "模板"
year = 2020
calendar = "weekends"
due_shift = "{shift}"
{calendar}
[units.a]
name = "甲村"
leader = "{leader_a}"
[units.b]
name = "{name_b}"
[units.c]
name = "丙村"

[groups]
g = [{group}]

[[campaign]]
key = "spring"
name = "春季"
start = 2020-03-01
end = 2020-04-30

[[campaign.task]]
key = "first"
title = "{{unit}}自查"
each = "g"
due = {first_due}
{extra}
[[campaign.task]]
key = "weekly"
title = "{{unit}}周报（{{period}}）"
each = ["a", "b", "c"]
every = "week"
on = "fri"

[[campaign.task]]
key = "audit"
title = "县级验收"
owner = "c"
due = 2020-04-30
"""


class Clock(Context):
    """A context whose clock stands still, so that both databases get the same timestamps."""

    def now(self) -> datetime:
        return datetime.combine(self.today, datetime.min.time()).replace(hour=9)


class Twin:
    """The same plans loaded into two databases: by template (lazy) and row by row."""

    def __init__(self, tmp: Path, ctx: Context) -> None:
        self.path = tmp / "plan.toml"
        self.fast = open_db(tmp / "fast.db")
        self.slow = open_db(tmp / "slow.db")
        self.ctx = Clock(db_path=ctx.db_path, today=ctx.today, user=ctx.user, lang=ctx.lang)
        self.built: list[tuple[str, str]] = []

    def lazy(self, text: str) -> LazyExpansion:
        """The plan read lazily, its blocks recording which templates were expanded."""
        self.path.write_text(text, encoding="utf-8")
        exp = read_plan_lazy(self.path)
        exp.blocks = tuple(self._recording(b) for b in exp.blocks)
        return exp

    def _recording(self, block: TemplateBlock) -> TemplateBlock:
        def make(moved: Any) -> Any:
            self.built.append((block.campaign, block.task_key))
            return block.make(moved)

        return replace(block, make=make)

    def load(self, text: str, *, dry_run: bool = False) -> LoadSummary:
        """Load ``text`` into both databases; the summaries must agree. Returns the fast one's."""
        self.built = []
        fast = load_expansion(self.fast, self.lazy(text), self.ctx, dry_run=dry_run)
        full = read_plan(self.path)
        plain = Expansion(plan=full.plan, instances=full.instances, warnings=full.warnings)
        slow = load_expansion(self.slow, plain, self.ctx, dry_run=dry_run)
        assert fast.as_json() | {"backup": None} == slow.as_json() | {"backup": None}
        assert rows(self.fast) == rows(self.slow)
        return fast

    def both(self, fn: Any) -> None:
        fn(self.fast)
        fn(self.slow)


def rows(db: Any) -> dict[str, dict[str, Any]]:
    """Every row by uid, without the hash (an old row's differs in format, not in meaning)."""
    cur = db.conn.execute("SELECT * FROM tasks")
    cols = [d[0] for d in cur.description]
    out = {}
    for r in cur.fetchall():
        row = dict(zip(cols, r, strict=True))
        del row["fingerprint"]
        out[row["uid"]] = row
    return out


def marks(db: Any) -> dict[tuple[str, str], int]:
    q = "SELECT campaign, task_key, position FROM task_templates WHERE plan = 'tp'"
    return {(c, t): p for c, t, p in db.conn.execute(q)}


def counts(s: LoadSummary) -> tuple[int, ...]:
    return tuple(getattr(s, k) for k in COUNTS)


def positions(db: Any, task_key: str) -> list[int]:
    q = "SELECT position FROM tasks WHERE task_key = ? AND status != 'withdrawn' ORDER BY position"
    return [r[0] for r in db.conn.execute(q, (task_key,))]


def test_a_reload_expands_only_the_templates_that_changed(tmp_path: Path, ctx: Context) -> None:
    t = Twin(tmp_path, ctx)
    first = t.load(plan_text())
    assert counts(first) == (27, 0, 0, 0, 0, 0)
    assert set(marks(t.fast)) == {("spring", "first"), ("spring", "weekly"), ("spring", "audit")}
    assert counts(t.load(plan_text() + "# re-saved\n")) == (0, 0, 27, 0, 0, 0)
    assert t.built == []
    s = t.load(plan_text(first_due="2020-03-25"))
    assert counts(s) == (0, 2, 25, 0, 0, 0)
    assert t.built == [("spring", "first")]


def test_a_calendar_change_changes_the_rows_it_moves(tmp_path: Path, ctx: Context) -> None:
    """No template's text changes, yet a new day off moves one-off and weekly dues."""
    t = Twin(tmp_path, ctx)
    t.load(plan_text())
    s = t.load(plan_text(holidays="2020-03-31, 2020-04-10"))
    assert counts(s) == (0, 5, 22, 0, 0, 0)  # first: a, b; weekly 2020-W15: a, b, c
    assert set(t.built) == {("spring", "first"), ("spring", "weekly")}
    r = rows(t.fast)
    assert r["tp/spring/first/a"]["planned_due"] == "2020-03-30"
    assert r["tp/spring/weekly/c/2020-W15"]["due"] == "2020-04-09"
    s = t.load(plan_text(holidays="2020-03-31, 2020-04-10", shift="after"))
    assert counts(s) == (0, 5, 22, 0, 0, 0)
    assert rows(t.fast)["tp/spring/weekly/c/2020-W15"]["due"] == "2020-04-13"
    assert t.load(plan_text(holidays="2020-03-31, 2020-04-10", shift="after")).changed == 0


def test_group_membership_and_unit_changes_reach_the_rows(tmp_path: Path, ctx: Context) -> None:
    t = Twin(tmp_path, ctx)
    t.load(plan_text())
    t.both(lambda db: actions.start(db, t.ctx, ["tp/spring/first/b"]))
    s = t.load(plan_text(group='"a", "c"'))  # b leaves the group: touched, so withdrawn
    assert counts(s) == (1, 0, 26, 0, 1, 0)
    assert s.withdrawn_uids == ["tp/spring/first/b"]
    s = t.load(plan_text(group='"a", "c"', name_b="乙社区"))  # {unit} titles of b
    assert counts(s) == (0, 8, 19, 0, 0, 0)
    assert t.built == [("spring", "weekly")]  # not "first": b is no member any more
    s = t.load(plan_text(group='"a", "c"', name_b="乙社区", leader_a="李四"))
    assert counts(s) == (0, 9, 18, 0, 0, 0)  # every instance owned by a: leader fallback
    s = t.load(plan_text(name_b="乙社区", leader_a="李四"))  # b is back, c leaves
    assert counts(s) == (0, 0, 26, 1, 0, 1)
    assert s.restored_uids == ["tp/spring/first/b"]
    assert rows(t.fast)["tp/spring/first/b"]["status"] == "doing"


def test_rows_of_unchanged_templates_move_in_one_statement(tmp_path: Path, ctx: Context) -> None:
    t = Twin(tmp_path, ctx)
    t.load(plan_text())
    before = rows(t.fast)
    s = t.load(plan_text(group='"a", "b", "c"', extra_task=True))  # first and extra grow
    assert counts(s) == (2, 0, 27, 0, 0, 0)
    assert sorted(t.built) == [("spring", "extra"), ("spring", "first")]
    assert positions(t.fast, "weekly") == list(range(4, 28))
    assert positions(t.fast, "audit") == [28]
    assert marks(t.fast)[("spring", "audit")] == 28
    after = rows(t.fast)
    assert after["tp/spring/audit"]["updated_at"] == before["tp/spring/audit"]["updated_at"]
    s = t.load(plan_text())  # and back
    assert counts(s) == (0, 0, 27, 2, 0, 0)
    assert positions(t.fast, "audit") == [28 - 2]


def test_an_unchanged_template_keeps_its_withdrawn_rows(tmp_path: Path, ctx: Context) -> None:
    """A withdrawn row does not make its template look changed, nor is it moved or restored."""
    t = Twin(tmp_path, ctx)
    t.load(plan_text())
    t.both(lambda db: actions.done(db, t.ctx, ["tp/spring/first/b"]))
    t.load(plan_text(group='"a"'))
    s = t.load(plan_text(group='"a"', extra_task=True))  # everything after "first" moves
    assert counts(s) == (1, 0, 26, 0, 0, 0)
    assert t.built == [("spring", "extra")]
    withdrawn = rows(t.fast)["tp/spring/first/b"]
    assert (withdrawn["status"], withdrawn["withdrawn_status"]) == ("withdrawn", "done")
    assert withdrawn["position"] == 1  # where it was when withdrawn


def test_rows_changed_behind_the_loader_are_compared_again(tmp_path: Path, ctx: Context) -> None:
    t = Twin(tmp_path, ctx)
    t.load(plan_text())
    t.both(lambda db: db.conn.execute("DELETE FROM tasks WHERE uid = 'tp/spring/audit'"))
    s = t.load(plan_text())
    assert counts(s) == (1, 0, 26, 0, 0, 0)
    assert t.built == [("spring", "audit")]
    t.both(lambda db: db.conn.execute("UPDATE tasks SET status = 'withdrawn' WHERE id = 1"))
    s = t.load(plan_text())
    assert counts(s) == (0, 0, 26, 0, 0, 1)


def test_a_load_without_blocks_forgets_the_fingerprints(tmp_path: Path, ctx: Context) -> None:
    t = Twin(tmp_path, ctx)
    t.load(plan_text())
    full = read_plan(t.path)
    edited = [replace(i, title="改") if i.task_key == "audit" else i for i in full.instances]
    s = load_expansion(t.fast, Expansion(plan=full.plan, instances=edited), t.ctx)
    assert counts(s) == (0, 1, 26, 0, 0, 0)
    assert marks(t.fast) == {}
    load_expansion(t.slow, Expansion(plan=full.plan, instances=edited), t.ctx)
    s = t.load(plan_text())  # compared row by row: the title is put back
    assert counts(s) == (0, 1, 26, 0, 0, 0)
    assert len(set(t.built)) == 3


def test_a_dry_run_stores_no_fingerprint(tmp_path: Path, ctx: Context) -> None:
    t = Twin(tmp_path, ctx)
    s = t.load(plan_text(), dry_run=True)
    assert s.added == 27 and marks(t.fast) == {}
    t.load(plan_text())
    before = dict(t.fast.conn.execute("SELECT task_key, fingerprint FROM task_templates"))
    s = t.load(plan_text(extra_task=True), dry_run=True)
    assert (s.added, s.dry_run) == (1, True)
    assert dict(t.fast.conn.execute("SELECT task_key, fingerprint FROM task_templates")) == before


def test_a_database_loaded_by_the_previous_version(tmp_path: Path, ctx: Context) -> None:
    """No ``task_templates`` rows and row hashes that included the position: compared row by
    row once (nothing rewritten for that alone), then by template."""
    t = Twin(tmp_path, ctx)
    t.load(plan_text())
    t.both(lambda db: actions.done(db, t.ctx, ["tp/spring/weekly/a/2020-W12"]))
    for inst in read_plan(t.path).instances:  # the hashes the previous version stored
        old = old_fingerprint(inst, inst.position)
        t.fast.conn.execute("UPDATE tasks SET fingerprint = ? WHERE uid = ?", (old, inst.uid))
    t.fast.conn.execute("DELETE FROM task_templates")
    t.fast.conn.close()
    shutil.copy(tmp_path / "fast.db", tmp_path / "old.db")
    t.fast = open_db(tmp_path / "fast.db")
    hashes = dict(t.fast.conn.execute("SELECT uid, fingerprint FROM tasks"))
    s = t.load(plan_text() + "# re-saved\n")
    assert counts(s) == (0, 0, 27, 0, 0, 0)
    assert len(set(t.built)) == 3 and len(marks(t.fast)) == 3
    assert dict(t.fast.conn.execute("SELECT uid, fingerprint FROM tasks")) == hashes
    # the previous version's database with a real edit: positions move, titles change
    t.fast.conn.close()
    shutil.copy(tmp_path / "old.db", tmp_path / "fast.db")
    t.fast = open_db(tmp_path / "fast.db")
    s = t.load(plan_text(group='"a", "b", "c"', name_b="乙社区"))
    assert counts(s) == (1, 9, 18, 0, 0, 0)
    assert counts(t.load(plan_text(group='"a", "b", "c"', name_b="乙社区"))) == (0, 0, 28, 0, 0, 0)
    assert t.built == []
