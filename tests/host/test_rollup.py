"""The province's roll-up (cli-v2.md): totals are the counties' own, the unreadable are named
and skipped (exit 1), and no county file is ever written to."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

FIXTURES = Path(__file__).parent.parent / "fixtures"
SMALL = FIXTURES / "report" / "small.toml"
SPEC = FIXTURES / "plans" / "spec-example.toml"
TODAY = "2020-04-15"

# Per county: its plan, then (today, command...) — different activity in each.
COUNTIES: dict[str, tuple[Path, list[tuple[str, ...]]]] = {
    "a": (SMALL, [("2020-03-18", "done", "1"), ("2020-04-02", "done", "2")]),
    "b": (SMALL, [("2020-03-30", "done", "5"), ("2020-04-03", "block", "3", "--reason", "x")]),
    "c": (SPEC, []),
}


def _run(db: Path, *args: str) -> Result:
    from tracker.cli import app

    r = CliRunner().invoke(app, ["--db", str(db), "--user", "planner", *args])
    assert r.exit_code == 0, (args, r.output, r.stderr)
    return r


@pytest.fixture(scope="module")
def county_dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three county databases, each in its own directory, built once."""
    out = {}
    for name, (plan, script) in COUNTIES.items():
        db = tmp_path_factory.mktemp(f"county-{name}") / f"{name}.db"
        _run(db, "--today", "2020-03-01", "load", str(plan))
        for today, *command in script:
            _run(db, "--today", today, *command)
        conn = sqlite3.connect(db)  # in-process commands may leave pages in the WAL
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        out[name] = db
    return out


@pytest.fixture
def counties(county_dbs: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """Fresh copies of the three, each alone in a directory of its own."""
    out = {}
    for name, src in county_dbs.items():
        d = tmp_path / name
        d.mkdir()
        out[name] = d / src.name
        shutil.copyfile(src, out[name])
    return out


def _state(paths: list[Path]) -> dict[str, object]:
    """Each file's sha256 and the names in its directory."""
    return {
        str(p): (hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None,
                 sorted(x.name for x in p.parent.iterdir()))
        for p in paths
    }  # fmt: skip


def _rollup(cli: Callable[..., Result], *args: str) -> tuple[Result, dict]:  # type: ignore[type-arg]
    r = cli("--today", TODAY, "rollup", "--format", "json", *args)
    return r, json.loads(r.stdout)


def _own_totals(cli: Callable[..., Result], db: Path, week: str) -> dict:  # type: ignore[type-arg]
    """The county's own ``report weekly`` totals, run on a copy (tracker's own opening
    of a database gives it a -wal and -shm)."""
    scratch = db.parent.parent / "scratch" / db.parent.name
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / db.name
    shutil.copyfile(db, copy)
    r = cli("--db", str(copy), "--today", TODAY, "report", "weekly", "--week", week, "-f", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)["totals"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("week", ["2020-W15", "2020-W16"])
def test_totals_are_the_counties_own(
    cli: Callable[..., Result], counties: dict[str, Path], week: str
) -> None:
    paths = list(counties.values())
    before = _state(paths)
    r, data = _rollup(cli, "--week", week, *map(str, paths))
    assert r.exit_code == 0, r.stderr
    assert set(data) == {"week", "from", "to", "today", "counties", "totals", "indicators",
                         "skipped"}  # fmt: skip
    assert data["week"] == week and data["skipped"] == []
    assert {i["task_key"] for i in data["indicators"]} == {"renju", "renju-zhengzhi"}
    assert len(data["counties"]) == 3
    by_db = {c["db"]: c for c in data["counties"]}
    for p in paths:
        assert set(by_db[str(p)]) == {"db", "plan", "title", "totals", "rank"}
        assert by_db[str(p)]["totals"] == _own_totals(cli, p, week)
    for key in ("tasks", "due_to_date", "done", "verified", "overdue", "blocked", "on_time"):
        assert data["totals"][key] == sum(c["totals"][key] for c in data["counties"])
    t = data["totals"]
    assert t["on_time_rate"] == (t["on_time"] / t["due_to_date"] if t["due_to_date"] else None)
    assert _state(paths) == before


def test_ranked_as_units_are(cli: Callable[..., Result], counties: dict[str, Path]) -> None:
    a = counties["a"]
    twin = a.parent / "twin.db"
    shutil.copyfile(a, twin)  # the same figures: the same rank, 1, 1, 3
    _, data = _rollup(cli, str(counties["b"]), str(a), str(twin))
    ranks = [(c["db"], c["rank"]) for c in data["counties"]]
    assert ranks == [(str(a), 1), (str(twin), 1), (str(counties["b"]), 3)]
    rates = [c["totals"]["on_time_rate"] for c in data["counties"]]
    assert rates == sorted(rates, reverse=True)


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('tracker', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()


def test_unreadable_are_named_and_skipped(
    cli: Callable[..., Result], counties: dict[str, Path], tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged" / "d.db"
    damaged.parent.mkdir()
    damaged.write_bytes(bytes(range(256)) * 40)
    newer = tmp_path / "newer" / "n.db"
    newer.parent.mkdir()
    shutil.copyfile(counties["a"], newer)
    _newer(newer)
    other = tmp_path / "other" / "o.db"
    other.parent.mkdir()
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    missing = tmp_path / "missing.db"
    paths = [counties["a"], damaged, newer, other, missing, counties["b"]]
    before = _state(paths)
    r, data = _rollup(cli, *map(str, paths))
    assert r.exit_code == 1
    skipped = {s["db"]: s["reason"] for s in data["skipped"]}
    assert list(skipped) == [str(damaged), str(newer), str(other), str(missing)]
    assert "damaged" in skipped[str(damaged)]
    assert "newer" in skipped[str(newer)] and "m999_from_the_future" in skipped[str(newer)]
    assert "not a tracker" in skipped[str(other)]
    assert "missing" in skipped[str(missing)]
    for p in (damaged, newer, other, missing):
        assert str(p) in r.stderr
    assert [c["db"] for c in data["counties"]] == [str(counties["a"]), str(counties["b"])]
    assert _state(paths) == before


def test_an_older_schema_is_read_without_migrating_its_file(
    cli: Callable[..., Result], counties: dict[str, Path]
) -> None:
    """An older county database: read through a migrated copy in memory, its file untouched."""
    old = counties["a"]
    expected = _own_totals(cli, old, "2020-W16")
    conn = sqlite3.connect(old)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_task_rev'")
    conn.execute("ALTER TABLE tasks DROP COLUMN rev")
    conn.commit()
    conn.close()
    before = _state([old])
    r, data = _rollup(cli, "--week", "2020-W16", str(old))
    assert r.exit_code == 0, r.stderr
    assert data["counties"][0]["totals"] == expected
    assert _state([old]) == before


def test_a_live_wal_is_read_and_left_as_it_was(
    cli: Callable[..., Result], counties: dict[str, Path]
) -> None:
    """A county database with writers' pages still in its -wal: read through it, no file
    added, none changed."""
    a = counties["a"]
    writer = sqlite3.connect(a)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE tasks SET title = title")  # a commit left in the WAL
    writer.commit()
    try:
        paths = [a, a.with_name(a.name + "-wal"), a.with_name(a.name + "-shm")]
        before = _state(paths)
        r, data = _rollup(cli, str(a))
        assert r.exit_code == 0, r.stderr
        assert data["counties"][0]["db"] == str(a)
        assert _state(paths)[str(a)] == before[str(a)]
        assert sorted(x.name for x in a.parent.iterdir()) == before[str(a)][1]  # type: ignore[index]
    finally:
        writer.close()


@pytest.mark.parametrize("fmt", ["text", "md", "html", "xlsx"])
def test_every_format(
    cli: Callable[..., Result], counties: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"rollup.{'txt' if fmt == 'text' else fmt}"
    r = cli("--today", TODAY, "--lang", "zh", "rollup", *map(str, counties.values()),
            str(tmp_path / "gone.db"), "-o", str(out))  # fmt: skip
    assert r.exit_code == 1
    assert "gone.db" in r.stderr
    data = out.read_bytes()
    if fmt == "xlsx":
        assert data[:2] == b"PK"
        return
    text = data.decode("utf-8")
    assert "全省合计" in text and "gone.db" in text and "2020年第16周" in text


def test_a_bad_week_is_bad_input(cli: Callable[..., Result], counties: dict[str, Path]) -> None:
    r = cli("--today", TODAY, "rollup", "--week", "soon", str(counties["a"]))
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1


def _own_indicators(cli: Callable[..., Result], db: Path, week: str) -> list[dict]:  # type: ignore[type-arg]
    scratch = db.parent.parent / "scratch-ind" / db.parent.name
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / db.name
    shutil.copyfile(db, copy)
    r = cli("--db", str(copy), "--today", TODAY, "report", "weekly", "--week", week, "-f", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)["indicators"]  # type: ignore[no-any-return]


def test_indicators_add_up_where_key_measure_and_unit_agree(
    cli: Callable[..., Result], counties: dict[str, Path]
) -> None:
    """Counties a and b share small.toml's renju (sum, 119 个行政村, 03-02..04-30, every day a
    working day): at W15's as-of day 04-12 each expects 119 × 42/60; c's is another key."""
    paths = [counties[k] for k in ("a", "b", "c")]
    r, data = _rollup(cli, "--week", "2020-W15", *map(str, paths))
    assert r.exit_code == 0, r.stderr
    by = {i["task_key"]: i for i in data["indicators"]}
    renju = by["renju"]
    assert set(renju) == {"task_key", "title", "unit", "measure", "target", "progress",
                          "expected", "gap", "owners", "owners_reached", "counties"}  # fmt: skip
    assert (renju["unit"], renju["measure"], renju["counties"]) == ("个行政村", "sum", 2)
    assert (renju["target"], renju["progress"], renju["owners"]) == (238, 0, 2)
    assert renju["expected"] == pytest.approx(2 * 119 * 42 / 60)
    assert renju["gap"] == pytest.approx(-2 * 119 * 42 / 60)
    own = [i for p in paths for i in _own_indicators(cli, p, "2020-W15")]
    for key, item in by.items():  # the sum of the counties' own figures
        mine = [i for i in own if i["task_key"] == key]
        assert item["counties"] == len(mine)
        for k in ("target", "progress", "expected", "owners", "owners_reached"):
            assert item[k] == pytest.approx(sum(i[k] for i in mine)), (key, k)
    text = cli("--today", TODAY, "rollup", "--week", "2020-W15", *map(str, paths)).stdout
    assert any("完成行政村人居环境整治" in line and "238" in line for line in text.splitlines())
