"""Property tests: generated plans expand or raise PlanError, never anything else; uids unique."""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.errors import PlanError
from tracker.plan import read_plan
from tracker.plan.calendar import WorkCalendar
from tracker.plan.dates import DateContext, DateError, add_months, parse_date, resolve
from tracker.plan.model import Expansion

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNIT_KEYS = ["a", "b", "c", "d", "town-1", "Bad Key", ""]
CN = WorkCalendar("cn")


def q(value: object) -> str:
    """A TOML value (strings as JSON-escaped basic strings, which TOML accepts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(q(v) for v in value) + "]"
    return str(value)


dates_ = st.dates(min_value=date(2015, 1, 1), max_value=date(2025, 12, 31))
date_strings = st.one_of(
    dates_.map(lambda d: d.isoformat()),
    dates_.map(lambda d: d.strftime("%m-%d")),
    st.sampled_from(["start", "end", "02-29", "13-01", "01-32", "9999-12-31", "garbage"]),
    st.tuples(
        st.sampled_from(["start", "end", "03-01", "2020-06-30"]),
        st.sampled_from(["+", "-"]),
        st.integers(0, 500),
        st.sampled_from(["d", "w", "m", "wd", "x"]),
    ).map(lambda t: f"{t[0]} {t[1]} {t[2]}{t[3]}"),
)
date_values = st.one_of(
    dates_.map(lambda d: d.isoformat()), date_strings.map(q), st.integers(-5, 5).map(str)
)
unit_refs = st.sampled_from([*UNIT_KEYS, "g1", "g2", "nope"])


@st.composite
def tasks(draw: st.DrawFn, index: int) -> str:
    lines = ["[[campaign.task]]", f"key = {q(draw(st.sampled_from([f't{index}', 't0', 'Bad'])))}"]
    lines.append(f"title = {q(draw(st.sampled_from(['{unit}任务{period}', '任务', '{x}'])))}")
    owner_kind = draw(st.sampled_from(["owner", "each_group", "each_list", "both", "none"]))
    if owner_kind in ("owner", "both"):
        lines.append(f"owner = {q(draw(unit_refs))}")
    if owner_kind in ("each_group", "both"):
        lines.append(f"each = {q(draw(st.sampled_from(['g1', 'g2', 'a', 'nope'])))}")
    if owner_kind == "each_list":
        lines.append(f"each = {q(draw(st.lists(unit_refs, max_size=4)))}")
    if draw(st.booleans()):
        lines.append(f"support = {q(draw(st.lists(unit_refs, max_size=3)))}")
    for field in ("start", "due"):
        if draw(st.integers(0, 2)) == 0:
            lines.append(f"{field} = {draw(date_values)}")
    rec = draw(st.sampled_from(["none", "every", "dates", "both"]))
    if rec in ("every", "both"):
        every = draw(
            st.sampled_from(["day", "workday", "week", "2 weeks", "month", "quarter", "year"])
        )
        lines.append(f"every = {q(every)}")
        if draw(st.booleans()):
            on = draw(
                st.one_of(st.sampled_from(["mon", "sun", "last", "fri", "x"]), st.integers(-1, 33))
            )
            lines.append(f"on = {q(on)}")
    if rec in ("dates", "both"):
        lines.append(f"dates = [{', '.join(draw(st.lists(date_values, max_size=3)))}]")
    if draw(st.booleans()):
        target = draw(st.one_of(st.integers(-3, 10**6), st.floats(allow_nan=True), st.booleans()))
        # floats written with repr(): TOML spells them the same, inf and nan included
        lines.append(f"target = {repr(target) if isinstance(target, float) else q(target)}")
    if draw(st.booleans()):
        refs = draw(
            st.lists(st.sampled_from(["t0", "t1", "c0.t0", "c1.t2", "zz", "a.b.c"]), max_size=3)
        )
        lines.append(f"after = {q(refs)}")
    if draw(st.integers(0, 5)) == 0:
        lines.append(
            f"{draw(st.sampled_from(['ownr', 'priority', 'tags', 'notes']))} = {q('high')}"
        )
    lines += draw(v2_task_fields())
    return "\n".join(lines)


@st.composite
def v2_task_fields(draw: st.DrawFn) -> list[str]:
    """Plan format v2 task fields, well and badly formed, in any combination."""
    out: list[str] = []
    values = {
        "problem": st.sampled_from(["p1", "p2", "nope", 3]),
        "responsible": st.one_of(st.sampled_from(["李四", "", 5]), st.lists(st.sampled_from(
            ["李四", "王五", "王、李", ""]), max_size=3)),
        "except": st.lists(unit_refs, max_size=3),
        "measure": st.sampled_from(["sum", "each", "avg", 1]),
        "due_shift": st.sampled_from(["before", "after", "keep", "later"]),
        "covers": st.sampled_from(["same", "previous", "next"]),
        "skip": st.one_of(st.lists(st.sampled_from(
            ["2020-W10", "2020-03", "2020-Q2", "2020-03-02", "03-02", "x"]), max_size=3),
            st.just("2020-W10")),
        "on": st.sampled_from(["1 mon", "last fri", "4 sun", "5 mon", "first tue", "LAST Wed"]),
        "leader": st.one_of(st.just("王"), st.lists(st.sampled_from(["王", "李", 3]), max_size=2)),
    }  # fmt: skip
    for key, strategy in values.items():
        if draw(st.integers(0, 3)) == 0:
            out.append(f"{key} = {q(draw(strategy))}")
    if draw(st.integers(0, 3)) == 0:
        pairs = draw(st.lists(st.tuples(unit_refs, st.integers(-1, 50)), max_size=3))
        body = ", ".join(f"{q(k)} = {v}" for k, v in pairs)
        out.append(f"targets = {{ {body} }}")
    if draw(st.integers(0, 3)) == 0:
        pairs = draw(st.lists(st.tuples(date_strings, st.integers(-10, 120)), max_size=3))
        body = ", ".join(f"{q(k)} = {v}" for k, v in pairs)
        out.append(f"milestones = {{ {body} }}")
    return out


@st.composite
def plans(draw: st.DrawFn) -> str:
    year = draw(st.one_of(st.just(2020), st.integers(1890, 2210)))
    out = ["[plan]", 'id = "gen"', 'title = "生成"', f"year = {year}"]
    out.append(f"calendar = {q(draw(st.sampled_from(['cn', 'weekends', 'none', 'moon'])))}")
    out.append(f"due_shift = {q(draw(st.sampled_from(['before', 'after', 'keep', 'sideways'])))}")
    keys = draw(st.lists(st.sampled_from(UNIT_KEYS[:5]), min_size=1, max_size=5, unique=True))
    for k in keys:
        out += [f"[units.{q(k)}]", f"name = {q('单位' + k)}"]
        if draw(st.integers(0, 3)) == 0:
            out.append(f"parent = {q(draw(unit_refs))}")
        if draw(st.integers(0, 3)) == 0:
            out.append(f"kind = {q(draw(st.sampled_from(['village', 'town', '', 3])))}")
        if draw(st.integers(0, 4)) == 0:
            out.append(f"rank = {q(draw(st.sampled_from([True, False, 'no'])))}")
        if draw(st.integers(0, 4)) == 0:
            out.append(f"contact = {q(draw(st.sampled_from(['张三', ['张三', '李四'], 7])))}")
    out.append("[groups]")
    for g in ("g1", "g2"):
        if draw(st.booleans()):
            out.append(f"{g} = {q(draw(st.lists(unit_refs, max_size=5)))}")
    if draw(st.booleans()):
        out += ["[calendar]", f"workdays = [{', '.join(draw(st.lists(date_values, max_size=2)))}]"]
    for pi in range(draw(st.integers(0, 2))):
        out += ["[[problem]]", f"key = {q(draw(st.sampled_from([f'p{pi + 1}', 'p1', 'Bad'])))}"]
        if draw(st.integers(0, 4)):
            out.append(f"title = {q(draw(st.sampled_from(['问题', '', 5])))}")
        if draw(st.booleans()):
            out.append(f"source = {q('考核反馈')}")
    for ci in range(draw(st.integers(0, 3))):
        out += [
            "[[campaign]]",
            f"key = {q(draw(st.sampled_from([f'c{ci}', 'c0'])))}",
            'name = "活动"',
        ]
        out.append(f"start = {draw(date_values)}")
        out.append(f"end = {draw(date_values)}")
        for ti in range(draw(st.integers(0, 3))):
            out.append(draw(tasks(ti)))
    return "\n".join(out) + "\n"


@st.composite
def valid_plans(draw: st.DrawFn) -> str:
    """Plans built from valid parts only (they may still clash, e.g. due before start)."""
    shift = draw(st.sampled_from(["before", "after", "keep"]))
    cal = draw(st.sampled_from(["cn", "cn", "weekends", "none"]))
    out = ["[plan]", 'id = "ok"', 'title = "t"', "year = 2020", f"calendar = {q(cal)}"]
    out.append(f"due_shift = {q(shift)}")
    n_units = draw(st.integers(1, 6))
    for i in range(n_units):
        out += [f"[units.u{i}]", f'name = "单位{i}"']
        if i and draw(st.booleans()):
            out.append(f'parent = "u{draw(st.integers(0, i - 1))}"')
    members = draw(st.lists(st.integers(0, n_units - 1), min_size=1, unique=True))
    out += ["[groups]", f"g = {q([f'u{m}' for m in members])}"]
    starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 12, 31))
    for ci in range(draw(st.integers(1, 3))):
        start = draw(starts)
        end = start + timedelta(days=draw(st.integers(0, 120)))
        out += [
            "[[campaign]]",
            f'key = "c{ci}"',
            'name = "活动"',
            f"start = {start}",
            f"end = {end}",
        ]
        for ti in range(draw(st.integers(1, 4))):
            out += ["[[campaign.task]]", f'key = "t{ti}"', 'title = "{unit} {period}"']
            out.append(
                'each = "g"'
                if draw(st.booleans())
                else f'owner = "u{draw(st.integers(0, n_units - 1))}"'
            )
            window = (end - start).days
            a = draw(st.integers(0, window))
            b = draw(st.integers(a, window))
            if draw(st.booleans()):
                out.append(f'start = "start + {a}d"')
            if draw(st.booleans()):
                out.append(f"due = {start + timedelta(days=b + draw(st.integers(0, 40)))}")
            kind = draw(
                st.sampled_from(
                    ["once", "day", "workday", "week", "2 weeks", "month", "quarter", "dates"]
                )
            )
            if kind == "dates":
                picks = draw(st.lists(st.integers(b, b + 30), min_size=1, max_size=4, unique=True))
                out.append(f"dates = [{', '.join(str(start + timedelta(days=p)) for p in picks)}]")
            elif kind != "once":
                out.append(f"every = {q(kind)}")
                if kind in ("week", "2 weeks") and draw(st.booleans()):
                    day = draw(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]))
                    out.append(f"on = {q(day)}")
                if kind in ("month", "quarter") and draw(st.booleans()):
                    out.append(f"on = {q(draw(st.one_of(st.just('last'), st.integers(1, 31))))}")
            if ti and draw(st.booleans()):
                out.append(f'after = ["t{draw(st.integers(0, ti - 1))}"]')
    return "\n".join(out) + "\n"


@SETTINGS
@given(valid_plans())
def test_valid_plans_expand_with_unique_uids(text: str) -> None:
    exp = _read(text)
    assert exp is not None or "due" in text or "dates" in text
    if exp is None:
        return
    uids = [i.uid for i in exp.instances]
    assert len(uids) == len(set(uids))
    for inst in exp.instances:
        assert inst.start <= inst.due
    moved = {m.uid: m for m in exp.moved}
    for inst in exp.instances:
        if inst.uid in moved:
            assert moved[inst.uid].due == inst.due != moved[inst.uid].nominal


def _read(text: str | bytes) -> Expansion | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.toml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        try:
            return read_plan(path)
        except PlanError as e:
            assert e.diagnostics
            for d in e.diagnostics:
                line = d.render("en")
                assert "\n" not in line and line.startswith(f"{path}:")
                assert d.line >= 1
                d.render("zh")
            return None


@SETTINGS
@given(plans())
def test_generated_plans_expand_or_raise_plan_error(text: str) -> None:
    exp = _read(text)
    if exp is None:
        return
    uids = [i.uid for i in exp.instances]
    assert len(uids) == len(set(uids))
    assert [i.position for i in exp.instances] == list(range(len(uids)))
    for inst in exp.instances:
        assert inst.start <= inst.due
    for w in exp.warnings:
        assert w.severity == "warning"
    again = _read(text)
    assert again is not None and again.instances == exp.instances


@settings(max_examples=80, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_arbitrary_files_never_crash(content: str | bytes) -> None:
    _read(content)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="[]=\"'#.abcplanuitsk0123 \n{},-", max_size=200))
def test_toml_like_noise_never_crashes(content: str) -> None:
    _read(content)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)), st.integers(-200, 200))
def test_add_months_clamps(d: date, n: int) -> None:
    try:
        got = add_months(d, n)
    except OverflowError:
        return
    assert (got.year * 12 + got.month) - (d.year * 12 + d.month) == n
    assert got.day == d.day or (got.day < d.day and (got + timedelta(days=1)).day == 1)


@settings(max_examples=200, deadline=None)
@given(dates_, st.integers(-400, 400), st.sampled_from(["d", "w", "m", "wd"]))
def test_offsets_resolve_or_report(d: date, n: int, unit: str) -> None:
    text = f"{d.isoformat()} {'+' if n >= 0 else '-'} {abs(n)}{unit}"
    ctx = DateContext(None, None, None, date(2010, 1, 1), date(2030, 12, 31), CN)
    try:
        got = resolve(parse_date(text), ctx)
    except DateError as e:
        assert e.key == "plan.date_range"
        return
    if unit == "d":
        assert got == d + timedelta(days=n)
    if unit == "wd" and n != 0:
        assert CN.is_workday(got)


@settings(max_examples=200, deadline=None)
@given(dates_, st.integers(0, 20), st.integers(0, 20), st.sampled_from(["before", "after", "keep"]))
def test_shift_never_leaves_the_window(d: date, back: int, ahead: int, mode: str) -> None:
    lo, hi = d - timedelta(days=back), d + timedelta(days=ahead)
    got = CN.shift(d, mode, lo, hi)
    assert got == d or (lo <= got <= hi and CN.is_workday(got))
    if mode == "keep":
        assert got == d


# -- plan format v2 -------------------------------------------------------------------------

LABELS = st.one_of(
    st.integers(1, 53).map(lambda w: f"2020-W{w:02d}"),
    st.integers(1, 12).map(lambda m: f"2020-{m:02d}"),
    st.integers(1, 4).map(lambda n: f"2020-Q{n}"),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 12, 31)).map(date.isoformat),
)


@st.composite
def valid_v2_plans(draw: st.DrawFn) -> str:
    """Valid plans using the version 2 fields: kinds, problems, except, targets, measure,
    milestones, due_shift, covers, skip and ``on = "N DAY"``."""
    out = ["[plan]", 'id = "v2"', 'title = "t"', "year = 2020"]
    n = draw(st.integers(2, 6))
    for i in range(n):
        out += [f"[units.u{i}]", f'name = "单位{i}"']
        if i:
            out.append(f'parent = "u{draw(st.integers(0, i - 1))}"')
        if draw(st.booleans()):
            out.append(f"kind = {q(draw(st.sampled_from(['village', 'office'])))}")
        if draw(st.integers(0, 3)) == 0:
            out.append("rank = false")
    out += ["[groups]", f"g = {q([f'u{i}' for i in range(n)])}"]
    out += ['[[problem]]', 'key = "p1"', 'title = "问题一"', '[[problem]]', 'key = "p2"',
            'title = "问题二"', 'leader = ["甲", "乙"]']  # fmt: skip
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 10, 31)))
    end = start + timedelta(days=draw(st.integers(20, 120)))
    out += ["[[campaign]]", 'key = "c"', 'name = "活动"', f"start = {start}", f"end = {end}"]
    for ti in range(draw(st.integers(1, 4))):
        out += draw(_v2_task(ti, n, (end - start).days))
    return "\n".join(out) + "\n"


@st.composite
def _v2_task(draw: st.DrawFn, ti: int, n: int, window: int) -> list[str]:
    out = ["[[campaign.task]]", f'key = "t{ti}"', 'title = "{unit}{period}"', 'each = "g"']
    left = draw(st.lists(st.integers(0, n - 1), max_size=n - 1, unique=True))
    if left:
        out.append(f"except = {q([f'u{i}' for i in left])}")
    kept = [i for i in range(n) if i not in left]
    if draw(st.booleans()):
        out.append(f"problem = {q(draw(st.sampled_from(['p1', 'p2'])))}")
    if draw(st.booleans()):
        out.append(f"responsible = {q(draw(st.sampled_from(['李四', ['李四', '王五']])))}")
    recurring = draw(st.booleans())
    if recurring:
        every = draw(st.sampled_from(["day", "workday", "week", "2 weeks", "month", "quarter"]))
        out.append(f"every = {q(every)}")
        if every in ("month", "quarter") and draw(st.booleans()):
            nth = draw(st.sampled_from(["1", "2", "3", "4", "last"]))
            out.append(f'on = "{nth} {draw(st.sampled_from(["mon", "wed", "fri", "sun"]))}"')
        if draw(st.booleans()):
            out.append('covers = "previous"')
        if draw(st.booleans()):
            out.append(f"skip = {q(draw(st.lists(LABELS, max_size=3, unique=True)))}")
    if draw(st.booleans()):
        out.append(f"due_shift = {q(draw(st.sampled_from(['before', 'after', 'keep'])))}")
    if draw(st.booleans()):
        out.append(f"target = {draw(st.integers(1, 500))}")
        out.append(f"unit = {q(draw(st.sampled_from(['户', '%', '万元'])))}")
        if draw(st.booleans()):
            out.append(f"measure = {q(draw(st.sampled_from(['sum', 'each'])))}")
        chosen = draw(st.lists(st.sampled_from(kept), max_size=len(kept), unique=True))
        if chosen:
            body = ", ".join(f"u{i} = {draw(st.integers(1, 99))}" for i in chosen)
            out.append(f"targets = {{ {body} }}")
        if not recurring and window > 2:
            days = draw(st.lists(st.integers(1, window - 1), max_size=3, unique=True))
            pcts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(days),
                                        max_size=len(days))))  # fmt: skip
            body = ", ".join(f'"start + {d}d" = {p}' for d, p in zip(sorted(days), pcts,
                                                                       strict=True))  # fmt: skip
            out.append(f"milestones = {{ {body} }}")
    return out


def _field(text: str, task: str, key: str) -> str | None:
    """The raw TOML value of ``key`` in task ``task`` of a generated plan."""
    block = text.split(f'key = "{task}"', 1)[1].split("[[campaign.task]]", 1)[0]
    for line in block.splitlines():
        if line.startswith(f"{key} = "):
            return line[len(key) + 3 :]
    return None


def _without(text: str, *keys: str) -> str:
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith(keys)) + "\n"


@SETTINGS
@given(valid_v2_plans())
def test_v2_plans_expand_by_the_v2_rules(text: str) -> None:
    import tomllib

    exp = _read(text)
    assert exp is not None, text
    data = tomllib.loads(text)
    tasks_ = {t["key"]: t for t in data["campaign"][0]["task"]}
    uids = [i.uid for i in exp.instances]
    assert len(uids) == len(set(uids))
    for inst in exp.instances:
        t = tasks_[inst.task_key]
        assert inst.owner not in t.get("except", [])  # except leaves members out
        assert inst.problem == t.get("problem")
        assert inst.start <= inst.due
        if "target" in t:
            assert inst.target == t.get("targets", {}).get(inst.owner, t["target"])
            default = "each" if t["unit"] == "%" else "sum"
            assert inst.measure == t.get("measure", default)
            points = [d for d, _ in inst.milestones]
            assert points == sorted(points) and all(inst.start < d < inst.due for d in points)
            pcts = [p for _, p in inst.milestones]
            assert pcts == sorted(pcts)
        else:
            assert inst.target is None and inst.measure is None and not inst.milestones
        assert inst.period not in t.get("skip", [])  # skip leaves the period out
    # skip and covers change which periods exist and how they read, never the dues' shape
    plain = _read(_without(text, "skip = ", "covers = "))
    assert plain is not None
    assert len(plain.instances) == len(exp.instances) + exp.stats.skipped_instances
    unskipped = _read(_without(text, "skip = "))
    assert unskipped is not None
    assert [(i.owner, i.due, i.start) for i in unskipped.instances] == [
        (i.owner, i.due, i.start) for i in plain.instances
    ]
    assert exp.stats.indicators == sum(1 for t in tasks_.values() if "target" in t)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(2019, 12, 1), max_value=date(2021, 1, 31)),
    st.integers(0, 200),
    st.lists(st.tuples(st.integers(1, 199), st.integers(0, 100)), max_size=4),
    st.sampled_from(["cn", "weekends", "none"]),
)
def test_share_is_monotonic_bounded_and_hits_its_points(
    start: date, length: int, raw: list[tuple[int, int]], kind: str
) -> None:
    from tracker.domain.indicators import share

    cal = WorkCalendar(kind)
    due = start + timedelta(days=length)
    days = sorted({d for d, _ in raw if d < length})
    pcts = sorted(p for _, p in raw)[: len(days)]
    points = tuple((start + timedelta(days=d), float(p)) for d, p in zip(days, pcts, strict=False))
    values = [
        share(start + timedelta(days=i), start, due, points, cal) for i in range(-3, length + 3)
    ]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(a <= b + 1e-12 for a, b in pairwise(values))
    assert values[0] == 0.0 and values[-1] == 1.0
    for d, p in points:
        assert share(d, start, due, points, cal) == pytest.approx(p / 100)
