"""Errors (plan-format.md, Errors): every class, on the offending key's line, all at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from plan_helpers import HEAD, campaign, task

from tracker.errors import PlanError
from tracker.plan import read_plan

Errors = Callable[[str], list[str]]


def marked_lines(text: str) -> list[int]:
    """Lines carrying a ``# E`` marker: where the errors must be reported."""
    return [n for n, line in enumerate(text.splitlines(), 1) if line.rstrip().endswith("# E")]


def error_lines(errors: Errors, text: str) -> list[int]:
    return sorted(int(e.split(":", 1)[0]) for e in errors(text))


def test_every_error_is_reported_on_its_line(errors: Errors) -> None:
    text = """\
[plan]
id = "Bad Id"                      # E
title = "t"
year = 2020
calendr = "cn"                     # E
due_shift = "later"                # E

[units.a]
name = "A"
parent = "b"                       # E

[units.b]
name = "B"
parent = "a"

[units.c]
leader = "x"
name = 3                           # E

[groups]
a = ["b"]                          # E
g = ["a", "zz"]                    # E
empty = []

[[campaign]]
key = "spring"
name = "春"
start = 2020-02-01
end = "01-31"

  [[campaign.task]]
  key = "t1"
  title = "x"
  ownr = "a"                       # E
  owner = "nope"                   # E
  due = "end + 3x"                 # E
  after = ["t2"]                   # E

  [[campaign.task]]
  key = "t2"
  title = "y"
  each = "empty"                   # E
  after = ["t1", "zzz"]            # E
  every = "week"
  on = "friday"                    # E

  [[campaign.task]]
  key = "t2"                       # E
  title = "y"
  owner = "a"
  start = "03-01"
  due = "02-15"                    # E
  priority = "urgent"              # E
  target = -5                      # E

[[campaign]]
key = "spring"                     # E
name = "again"
start = 2020-05-01
end = 2020-04-01                   # E
"""
    assert error_lines(errors, text) == marked_lines(text)


def test_syntax_error_has_line_and_column(errors: Errors) -> None:
    (line,) = errors('[plan]\nid = "p"\ntitle = "unterminated\n')
    assert re.match(r"^3:\d+: TOML syntax error", line)


def test_syntax_error_duplicate_key_names_it(errors: Errors) -> None:
    (line,) = errors('[plan]\nid = "p"\nid = "q"\n')
    assert re.match(r"^3:\d+: ", line) and '"id"' in line


def test_unknown_key_names_it_with_a_hint(errors: Errors) -> None:
    (line,) = errors(HEAD + campaign() + task(ownr="b"))
    assert "unknown key 'ownr' in [[campaign.task]] 'c1.t'" in line
    assert "did you mean 'owner'" in line


def test_unknown_top_level_key(errors: Errors) -> None:
    (line,) = errors("[unit.a]\nname = 'x'\n" + HEAD + campaign() + task())
    assert line.startswith("1: ") and "unknown key 'unit'" in line


@pytest.mark.parametrize("missing", ["id", "title", "year"])
def test_missing_plan_fields(errors: Errors, missing: str) -> None:
    text = re.sub(rf"^{missing} = .*$", "", HEAD, count=1, flags=re.M) + campaign() + task()
    out = errors(text)
    assert any(
        f"missing required key '{missing}' in [plan]" in e and e.startswith("1: ") for e in out
    )


@pytest.mark.parametrize("missing", ["key", "name", "start", "end"])
def test_missing_campaign_fields(errors: Errors, missing: str) -> None:
    text = HEAD + re.sub(rf"^{missing} = .*$", "", campaign(), flags=re.M) + task()
    out = errors(text)
    header = text.splitlines().index("[[campaign]]") + 1
    assert any(
        f"missing required key '{missing}'" in e and e.startswith(f"{header}: ") for e in out
    )


def test_missing_task_title(errors: Errors) -> None:
    text = HEAD + campaign() + task().replace('title = "任务"\n', "")
    (line,) = errors(text)
    assert "missing required key 'title' in [[campaign.task]] 'c1.t'" in line


def test_missing_plan_table(errors: Errors) -> None:
    (line,) = errors("[units.a]\nname = 'x'\n")
    assert line == "1: no [plan] table (id, title, year)"


def test_owner_and_each(errors: Errors) -> None:
    (line,) = errors(HEAD + campaign() + task(owner="a", each="abc"))
    assert "exactly one of 'owner' and 'each'" in line
    (line,) = errors(HEAD + campaign() + task().replace('owner = "a"\n', ""))
    assert "exactly one of 'owner' and 'each'" in line


def test_unknown_group_and_empty_group(errors: Errors) -> None:
    (line,) = errors(HEAD + campaign() + task(each="nobody"))
    assert "unknown group 'nobody'" in line
    text = HEAD + "empty = []\n" + campaign() + task(each="empty")
    (line,) = errors(text)
    assert "empty group 'empty'" in line
    (line,) = errors(HEAD + campaign() + task(each=[]))
    assert "empty group" in line


def test_unknown_units_in_every_reference(errors: Errors) -> None:
    out = errors(
        HEAD + campaign() + task(owner="x1", support=["x2"]) + task(key="u", each=["a", "x3"])
    )
    assert [re.search(r"unknown unit '(\w+)'", e).group(1) for e in out] == ["x1", "x2", "x3"]  # type: ignore[union-attr]


def test_duplicate_unit_in_fan_out_list(errors: Errors) -> None:
    (line,) = errors(HEAD + campaign() + task(each=["a", "b", "a"]))
    assert "'a' is listed twice in 'each'" in line


def test_group_named_like_a_unit(errors: Errors) -> None:
    (line,) = errors(HEAD + 'b = ["a"]\n' + campaign() + task())
    assert "group 'b' in [groups] has the same name as a unit" in line


def test_parent_cycle(errors: Errors) -> None:
    text = HEAD.replace('name = "A单位"', 'name = "A单位"\nparent = "a"') + campaign() + task()
    (line,) = errors(text)
    assert "cycle: a → a" in line
    parent_line = text.splitlines().index('parent = "a"') + 1
    assert line.startswith(f"{parent_line}: ")


def test_after_cycle_and_self_reference(errors: Errors) -> None:
    text = HEAD + campaign() + task(key="x", after=["y"]) + task(key="y", after=["c1.x"])
    (line,) = errors(text)
    assert "cycle" in line and "c1.x" in line and "c1.y" in line
    (line,) = errors(HEAD + campaign() + task(after=["t"]))
    assert "cycle: c1.t → c1.t" in line


def test_after_unknown(errors: Errors) -> None:
    (line,) = errors(
        HEAD
        + campaign()
        + task(
            after=[
                "nope",
            ]
        )
    )
    assert "unknown task 'nope' in 'after'" in line


def test_due_before_start(errors: Errors) -> None:
    (line,) = errors(HEAD + campaign() + task(start="03-10", due="03-01"))
    assert "'due' 2020-03-01" in line and "before its 'start' 2020-03-10" in line


def test_campaign_end_before_start(errors: Errors) -> None:
    (line,) = errors(HEAD + campaign(start="2020-05-01", end="2020-04-01") + task())
    assert "'end' 2020-04-01" in line


def test_duplicate_task_key_names_first(errors: Errors) -> None:
    text = HEAD + campaign() + task() + task()
    (line,) = errors(text)
    first = next(n for n, s in enumerate(text.splitlines(), 1) if s == 'key = "t"')
    assert "used twice (first in " in line and line.endswith(f":{first})")


def test_same_task_key_in_two_campaigns_is_fine(
    errors: Errors, expand: Callable[[str], object]
) -> None:
    text = HEAD + campaign() + task() + campaign(key="c2") + task()
    assert expand(text)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "3", "'title' in [[campaign.task]] 'c1.t' must be a string"),
        ("tags", '"x"', "'tags' in [[campaign.task]] 'c1.t' must be a list of strings"),
        ("target", "0", "'target' in [[campaign.task]] 'c1.t' must be a positive number"),
        ("target", "true", "must be a positive number"),
        ("priority", '"urgent"', "'priority' = 'urgent'"),
        ("key", '"Bad Key"', "'key' = 'Bad Key'"),
        ("each", "3", "'each' in"),
        ("dates", '"03-01"', "must be a list of dates"),
    ],
)
def test_wrong_types(errors: Errors, field: str, value: str, message: str) -> None:
    base = task().replace('title = "任务"\n', "" if field == "title" else 'title = "任务"\n')
    base = base.replace('key = "t"\n', "" if field == "key" else 'key = "t"\n')
    if field == "each":
        base = base.replace('owner = "a"\n', "")
    text = HEAD + campaign() + base + f"{field} = {value}\n"
    out = errors(text)
    line_no = len(text.splitlines())
    assert any(message in e and e.startswith(f"{line_no}: ") for e in out), out


@pytest.mark.parametrize("year", ["0", "99999", "-5", "1800", '"2020"'])
def test_year_out_of_range_or_wrong(errors: Errors, year: str) -> None:
    out = errors(HEAD.replace("year = 2020", f"year = {year}") + campaign() + task())
    assert any("'year'" in e and e.startswith("4: ") for e in out)


def test_too_many_instances(errors: Errors, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    expand_mod = importlib.import_module("tracker.plan.expand")
    monkeypatch.setattr(expand_mod, "MAX_INSTANCES", 50)
    (line,) = errors(HEAD + campaign() + task(each="abc", every="day"))
    assert "more than 50 instances" in line


def test_absurd_plan_is_refused_quickly(errors: Errors) -> None:
    units = "".join(f'[units.u{i}]\nname = "U{i}"\n' for i in range(400))
    text = HEAD + "all = [" + ",".join(f'"u{i}"' for i in range(400)) + "]\n" + units
    text += campaign(start="2015-01-01", end="2030-12-31") + task(each="all", every="day")
    (line,) = errors(text)
    assert "more than 2,000,000 instances" in line


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    cases = {
        "missing.toml": None,
        "latin1.toml": '[plan]\ntitle = "caf\xe9"\n'.encode("latin-1"),
        "empty.toml": b"",
        "comments.toml": b"# only a comment\n",
    }
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(PlanError) as info:
            read_plan(path)
        (diag,) = info.value.diagnostics
        assert diag.file == str(path)
        assert diag.render("en").startswith(f"{path}:")
    with pytest.raises(PlanError) as info:
        read_plan(tmp_path / "latin1.toml")
    assert info.value.diagnostics[0].render("en").startswith(f"{tmp_path / 'latin1.toml'}:2:")


def test_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(PlanError) as info:
        read_plan(tmp_path / "d")
    assert "no *.toml plan file" in info.value.render("en")


def test_directory_merge_errors(write: Callable[..., Path], tmp_path: Path) -> None:
    write(HEAD, name="d/a.toml")
    write(
        '[plan]\nid = "q"\ntitle = "x"\nyear = 2020\n[units.a]\nname = "again"\n', name="d/b.toml"
    )
    write(campaign() + task(), name="d/c.toml")
    write("[groups]\nabc = []\n" + campaign() + task(), name="d/d.toml")
    with pytest.raises(PlanError) as info:
        read_plan(tmp_path / "d")
    lines = info.value.render("en").splitlines()
    b, a, d, c = (str(tmp_path / "d" / f) for f in ("b.toml", "a.toml", "d.toml", "c.toml"))
    assert f"{b}:1: [plan] is defined again (first in {a}:1)" in lines
    assert any(x.startswith(f"{b}:5: ") and "'a' in [units.a] is defined twice" in x for x in lines)
    assert any(x.startswith(f"{d}:") and "'abc'" in x for x in lines)
    assert any(x.startswith(f"{d}:") and "'key' = 'c1'" in x and c in x for x in lines)


def test_errors_render_in_chinese(errors: Errors, write: Callable[..., Path]) -> None:
    path = write(HEAD + campaign() + task(ownr="a"))
    with pytest.raises(PlanError) as info:
        read_plan(path)
    assert "未知字段 'ownr'" in info.value.render("zh")
