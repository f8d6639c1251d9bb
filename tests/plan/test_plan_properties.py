"""Property tests: generated plans expand or raise PlanError, never anything else; uids unique."""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

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
    return "\n".join(lines)


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
    out.append("[groups]")
    for g in ("g1", "g2"):
        if draw(st.booleans()):
            out.append(f"{g} = {q(draw(st.lists(unit_refs, max_size=5)))}")
    if draw(st.booleans()):
        out += ["[calendar]", f"workdays = [{', '.join(draw(st.lists(date_values, max_size=2)))}]"]
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
