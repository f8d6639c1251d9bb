"""Plan format v2 errors: each one on the offending key's line, all reported at once, in
both languages, and never a traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from plan_helpers import HEAD, campaign, task

from tracker import i18n
from tracker.errors import PlanError

Errors = Callable[[str], list[str]]


def marked_lines(text: str) -> list[int]:
    """Lines carrying a ``# E`` marker (``# E2``: two errors there): where errors must be."""
    out: list[int] = []
    for n, line in enumerate(text.splitlines(), 1):
        mark = line.rstrip().rsplit("# E", 1)
        if len(mark) == 2 and (mark[1] == "" or mark[1].isdigit()):
            out += [n] * int(mark[1] or 1)
    return out


def lines_of(errors: list[str]) -> list[int]:
    return sorted(int(e.split(":", 1)[0]) for e in errors)


V2_PLAN = """\
[plan]
id = "p"
title = "t"
year = 2020

[units.a]
name = "A"
kind = 3                                      # E
rank = "no"                                   # E

[units.b]
name = "B"
contact = 7                                   # E

[units.c]
name = "C"
kind = ""                                     # E

[groups]
abc = ["a", "b", "c"]

[[problem]]
key = "p1"
title = "公益岗"
sourse = "x"                                  # E

[[problem]]
key = "p1"                                    # E
title = "again"

[[problem]]                                   # E
key = "p3"

[[problem]]
key = "Bad Key"                               # E
title = "x"

[[campaign]]
key = "c"
name = "n"
start = 2020-02-01
end = 2020-04-30

  [[campaign.task]]
  key = "t1"
  title = "x"
  owner = "a"
  problem = "p2"                              # E
  responsible = 5                             # E
  except = ["b"]                              # E
  targets = { a = 3 }                         # E
  measure = "avg"                             # E
  due_shift = "later"                         # E
  covers = "previous"                         # E
  skip = ["2020-W10"]                         # E

  [[campaign.task]]
  key = "t2"
  title = "x"
  each = "abc"
  except = ["a", "zz"]                        # E
  targets = { b = 3 }                         # E
  measure = "sum"                             # E
  milestones = { "03-01" = 30 }               # E

  [[campaign.task]]
  key = "t3"
  title = "x"
  each = "abc"
  except = ["a", "b", "c"]                    # E

  [[campaign.task]]
  key = "t4"
  title = "x"
  each = "abc"
  target = 5
  targets = { zz = 3, b = -1 }                # E2
  milestones = { "04-30" = 50 }               # E

  [[campaign.task]]
  key = "t5"
  title = "x"
  owner = "a"
  target = 10
  due = "04-30"
  milestones = { "03-31" = 60, "04-15" = 40 } # E

  [[campaign.task]]
  key = "t6"
  title = "x"
  owner = "a"
  target = 10
  due = "04-30"
  milestones = { "02-01" = 10, "03-10" = 120, "xx" = 5 }   # E3

  [[campaign.task]]
  key = "t7"
  title = "x"
  owner = "a"
  target = 10
  every = "week"
  milestones = { "03-10" = 20 }               # E
  skip = ["2020-W10", "2020-W10"]             # E

  [[campaign.task]]
  key = "t8"
  title = "x"
  owner = "a"
  every = "month"
  on = "5 mon"                                # E
  skip = "2020-03"                            # E

  [[campaign.task]]
  key = "t9"
  title = "x"
  owner = "a"
  dates = ["03-02", "03-16"]
  covers = "previous"                         # E
  skip = ["03-40"]                            # E

  [[campaign.task]]
  key = "adhoc-1"                             # E
  title = "x"
  owner = "a"

  [[campaign.task]]
  key = "t10"
  title = "x"
  owner = "a"
  leader = ["王", 3]                          # E
  on_due = 1                                  # E
"""


def test_every_v2_error_is_reported_on_its_line(errors: Errors) -> None:
    found = errors(V2_PLAN)
    assert lines_of(found) == marked_lines(V2_PLAN), "\n".join(found)
    assert all("Traceback" not in e for e in found)


@pytest.mark.parametrize(
    ("fields", "extra", "phrase"),
    [
        ({"problem": "p9"}, "", "unknown problem 'p9'"),
        ({"problem": "p"}, "", "did you mean 'p1'?"),
        ({"except": ["a"]}, "", "'except' in [[campaign.task]] 'c1.t' needs 'each'"),
        ({"each": "abc", "except": ["zz"]}, "", "'zz' in 'except'"),
        ({"each": "abc", "except": ["a", "b", "c"]}, "", "leaves out every unit"),
        ({"each": "abc", "except": ["a", "a"]}, "", "listed twice in 'except'"),
        ({}, "targets = { a = 1 }\n", "'targets' in [[campaign.task]] 'c1.t' needs 'each'"),
        ({"each": "abc"}, "targets = { a = 1 }\n", "needs 'target' as well"),
        ({"each": "abc", "target": 2}, "targets = { zz = 1 }\n", "not one of the task's owners"),
        (
            {"each": "abc", "target": 2, "except": ["a"]},
            "targets = { a = 1 }\n",
            "'a' in 'targets'",
        ),
        ({"each": "abc", "target": 2}, "targets = { a = 0 }\n", "must be a positive number"),
        ({"each": "abc", "target": 2}, 'targets = "a"\n', "must be a table"),
        ({"measure": "each"}, "", "'measure' in [[campaign.task]] 'c1.t' needs 'target'"),
        ({"target": 1, "measure": "mean"}, "", "'measure' = 'mean'"),
        ({}, 'milestones = { "03-01" = 10 }\n', "'milestones' in [[campaign.task]] 'c1.t' needs"),
        ({"target": 1, "every": "week"}, 'milestones = { "03-06" = 10 }\n', "recurs"),
        ({"target": 1}, 'milestones = { "05-01" = 10 }\n', "is not between the task's start"),
        ({"target": 1}, 'milestones = { "03-01" = 101 }\n', "must be a percentage"),
        ({"target": 1}, 'milestones = { "03-01" = true }\n', "must be a percentage"),
        ({"target": 1}, 'milestones = { "april" = 10 }\n', "is not a date"),
        ({"target": 1}, 'milestones = { "03-01" = 10, "2020-03-01" = 20 }\n', "given twice"),
        ({"target": 1}, 'milestones = { "03-01" = 50, "04-01" = 20 }\n', "less than 50"),
        ({"target": 1}, "milestones = [10]\n", "must be a table"),
        ({"due_shift": "next"}, "", "'due_shift' = 'next'"),
        ({"covers": "previous"}, "", "'covers' in [[campaign.task]] 'c1.t' needs 'every'"),
        ({"every": "week", "covers": "last"}, "", "'covers' = 'last'"),
        ({"skip": ["2020-W10"]}, "", "does not recur: it cannot have 'skip'"),
        ({"every": "week", "skip": "2020-W10"}, "", "list of period labels"),
        ({"every": "week", "skip": [3]}, "", "list of period labels"),
        ({"every": "week", "skip": ["2020-W10", "2020-W10"]}, "", "listed twice in 'skip'"),
        ({"dates": ["03-02"], "skip": ["02-30"]}, "", "is not a real date"),
        ({"every": "month", "on": "5 mon"}, "", '"N DAY"'),
        ({"every": "month", "on": "first mon"}, "", "'on' = \"first mon\""),
        ({"every": "week", "on": "1 mon"}, "", "'on' = \"1 mon\""),
        ({"key": "adhoc-7"}, "", "reserved for tracker add items"),
        ({"leader": 3}, "", "must be a name or a list of names"),
        ({"responsible": []}, "", "must be a name or a list of names"),
        ({"responsible": ["王、李"]}, "", "must be a name or a list of names"),
    ],
)
def test_each_v2_error(errors: Errors, fields: dict[str, object], extra: str, phrase: str) -> None:
    head = HEAD + '\n[[problem]]\nkey = "p1"\ntitle = "问题"\n'
    text = head + campaign() + task(**fields) + extra
    found = errors(text)
    assert any(phrase in e for e in found), found
    offending = [k for k in (*fields, *[extra.split(" ")[0]]) if k]
    lines = {n for n, line in enumerate(text.splitlines(), 1)
             if any(line.startswith(f"{k} ") for k in offending)}  # fmt: skip
    assert {int(e.split(":", 1)[0]) for e in found if phrase in e} <= lines, (found, lines)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ('[[problem]]\ntitle = "x"\n', "missing required key 'key' in [[problem]] #1"),
        ('[[problem]]\nkey = "p1"\n', "missing required key 'title' in [[problem]] 'p1'"),
        ('[[problem]]\nkey = "p1"\ntitle = "x"\nowner = "a"\n', "unknown key 'owner'"),
        ('problem = "p1"\n', "'problem' must be an array of tables"),
        ('[units.z]\nname = "Z"\nrank = 1\n', "'rank' in [units.z] must be true or false"),
        ('[units.z]\nname = "Z"\nkind = ""\n', "'kind' in [units.z] must not be empty"),
        ('[units.z]\nname = "Z"\nkind = ["v"]\n', "'kind' in [units.z] must be a string"),
        ('[units.z]\nname = "Z"\ncontact = 1\n', "must be a name or a list of names"),
    ],
)
def test_problem_and_unit_errors(errors: Errors, text: str, phrase: str) -> None:
    top = text.startswith("problem =")  # a top-level key: before the first table
    found = errors(text + HEAD + campaign() + task() if top else HEAD + text + campaign() + task())
    assert any(phrase in e for e in found), found


def test_duplicate_problem_names_the_first(errors: Errors) -> None:
    text = HEAD + '[[problem]]\nkey = "p1"\ntitle = "a"\n\n[[problem]]\nkey = "p1"\ntitle = "b"\n'
    [line] = errors(text + campaign() + task())
    first = text.splitlines().index('key = "p1"') + 1
    assert line.startswith(f"{first + 4}: ") and "first in " in line and f":{first})" in line


def test_v2_messages_exist_in_both_languages() -> None:
    from tracker.i18n import plan

    keys = [k for k in plan.CATALOG if any(w in k for w in (
        "problem", "except", "targets", "measure", "milestone", "covers", "skip", "adhoc",
        "type.bool", "type.names", "check.v2"))]  # fmt: skip
    assert len(keys) >= 20
    for key in keys:
        zh, en = plan.CATALOG[key]
        assert zh and en and zh != en and i18n.has(key)


def test_errors_are_plan_errors_with_exit_status_2(write: Callable[..., object]) -> None:
    from pathlib import Path

    from tracker.plan import read_plan

    path = write(HEAD + campaign() + task(problem="nope"))
    assert isinstance(path, Path)
    with pytest.raises(PlanError) as info:
        read_plan(path)
    assert info.value.exit_code == 2 and len(info.value.diagnostics) == 1
