"""Template blocks: the instances by template, and a fingerprint that changes with them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from plan_helpers import HEAD, campaign, task

from tracker.plan import read_plan, read_plan_lazy
from tracker.plan.model import Expansion

Expand = Callable[[str], Expansion]
Write = Callable[..., Path]

PLAN = (
    HEAD
    + campaign()
    + task(key="t1", each="abc", title="{unit}自查", due="2020-03-31")
    + task(key="t2", each=["a", "c"], title="周报（{period}）", every="week", on="sat")
    + task(key="t3", owner="b", title="验收")
)


def fingerprints(expand: Expand, text: str) -> dict[str, bytes]:
    blocks = expand(text).blocks
    assert blocks is not None
    return {b.task_key: b.fingerprint for b in blocks}


def test_blocks_make_the_instances_in_order(expand: Expand, write: Write) -> None:
    exp = expand(PLAN)
    assert exp.blocks is not None
    assert [(b.task_key, b.start, b.count) for b in exp.blocks] == [
        ("t1", 0, 3),
        ("t2", 3, 26),
        ("t3", 29, 1),
    ]
    made = [i for b in exp.blocks for i in b.instances()]
    assert made == exp.instances
    assert [i.position for i in made] == list(range(30))
    lazy = read_plan_lazy(write(PLAN))
    assert lazy.count == 30 and lazy.blocks == exp.blocks


def test_an_expansion_by_hand_has_no_blocks(expand: Expand) -> None:
    exp = expand(PLAN)
    assert Expansion(plan=exp.plan, instances=exp.instances).blocks is None


def test_fingerprint_ignores_position_and_formatting(expand: Expand) -> None:
    base = fingerprints(expand, PLAN)
    assert fingerprints(expand, PLAN + "\n# a comment\n") == base
    grown = PLAN.replace('each = "abc"', 'each = ["a", "b", "c"]\nleader = "县长"')
    grown = grown.replace('owner = "b"', 'each = "abc"')  # t3 fans out: 3 instances, not 1
    exp = expand(grown.replace('title = "验收"', 'title = "{unit}验收"') + task(key="t4"))
    assert exp.blocks is not None
    assert [(b.task_key, b.start, b.count) for b in exp.blocks][-2:] == [
        ("t3", 29, 3),
        ("t4", 32, 1),
    ]
    after = {b.task_key: b.fingerprint for b in exp.blocks}
    assert after["t2"] == base["t2"]  # the same instances, whatever comes before or after
    assert after["t1"] != base["t1"]  # its own leader


def test_fingerprint_follows_what_the_instances_are_made_from(expand: Expand) -> None:
    base = fingerprints(expand, PLAN)

    def changed(text: str) -> set[str]:
        new = fingerprints(expand, text)
        return {k for k in base if new.get(k) != base[k]}

    assert changed(PLAN.replace('name = "B单位"', 'name = "B社区"')) == {"t1"}  # {unit}
    assert changed(PLAN.replace('leader = "丙"', 'leader = "丁"')) == {"t1", "t2"}
    assert changed(PLAN.replace('abc = ["a", "b", "c"]', 'abc = ["a", "b"]')) == {"t1"}
    assert changed(PLAN + "\n[calendar]\nholidays = [2020-03-31]\n") == {"t1"}
    assert changed(PLAN.replace("year = 2020", 'year = 2020\ndue_shift = "after"')) == {"t2"}
    assert changed(PLAN.replace('"周报（{period}）"', '"周报"')) == {"t2"}


def test_read_plan_still_lists_moved_dates(write: Write) -> None:
    exp = read_plan(write(PLAN))
    assert {m.uid.split("/")[2] for m in exp.moved} == {"t2"}  # Saturdays moved to Fridays
