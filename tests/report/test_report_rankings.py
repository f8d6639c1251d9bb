"""Rankings by peer group (cli-v2.md ``rankings``) on the ``peers.toml`` fixture.

Figures by hand, as of 2020-04-19 (week 16), every task due 2020-04-01, the on-time ones done
on 2020-03-30:

- group ``""`` (office, no kind): office 1 due, open → rate 0, rank 1; alone, it qualifies for
  both lists, so it is on neither;
- ``town``: t1 1/1 on time → rank 1; t2, t3, t4 1/2 on time, 1 overdue each → a full tie at
  rank 2; t5..t8 0/1, 1 overdue each → a full tie at rank 5 (competition ranks 1, 2, 2, 2, 5).
  红榜 = rank ≤ 3: t1 and the whole tie t2..t4 (four units). From the worst end t5..t8 share
  rank 1, t2..t4 rank 5: 黑榜 = t5..t8, the whole tie. helper (town, rank = false) is left out;
- ``village``: v1 1/1 → 1, v2 0/1 → 2, v3 nothing due → rank null; v1 and v2 are both within
  3 of either end: on neither list;
- county (``lead``, rank = false) is in no group, and a group with no ranked unit is not listed.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.report.conftest import FIXTURES, run_ok

Cli = Callable[..., Result]
PEERS = FIXTURES / "peers.toml"
ON_TIME = ["3", "4", "5", "6", "7", "15"]  # helper, t1, t2, t3, t4 (first task), v1
TOWNS_RED = ["t1", "t2", "t3", "t4"]
TOWNS_BLACK = ["t5", "t6", "t7", "t8"]


@pytest.fixture
def peers(cli: Cli) -> Cli:
    run_ok(cli, "--today", "2020-03-01", "load", str(PEERS))
    run_ok(cli, "--today", "2020-03-30", "done", *ON_TIME)
    return cli


def report(cli: Cli, *extra: str) -> dict[str, Any]:
    args = ["--today", "2020-04-20", "report", "weekly", "--week", "2020-W16", "-f", "json"]
    data: dict[str, Any] = json.loads(run_ok(cli, *args, *extra).stdout)
    return data


def test_rankings_by_peer_group_with_ties_whole(peers: Cli) -> None:
    data = report(peers)
    groups = {g["kind"]: g for g in data["rankings"]}
    assert [g["kind"] for g in data["rankings"]] == ["", "town", "village"]
    town = groups["town"]
    assert [(u["key"], u["rank"]) for u in town["units"]] == [
        ("t1", 1), ("t2", 2), ("t3", 2), ("t4", 2), ("t5", 5), ("t6", 5), ("t7", 5), ("t8", 5),
    ]  # fmt: skip
    assert town["red"] == TOWNS_RED and town["black"] == TOWNS_BLACK
    t2 = town["units"][1]
    assert set(t2) == {"key", "name", "due_to_date", "done", "overdue", "on_time_rate", "rank"}
    assert (t2["name"], t2["due_to_date"], t2["done"], t2["overdue"]) == ("东风镇", 2, 1, 1)
    assert t2["on_time_rate"] == pytest.approx(0.5)
    village = groups["village"]
    assert [(u["key"], u["rank"]) for u in village["units"]] == [
        ("v1", 1), ("v2", 2), ("v3", None),
    ]  # fmt: skip
    assert village["red"] == [] and village["black"] == []
    assert [(u["key"], u["rank"]) for u in groups[""]["units"]] == [("office", 1)]
    assert groups[""]["red"] == [] and groups[""]["black"] == []
    ranked = {u["key"] for g in data["rankings"] for u in g["units"]}
    assert "helper" not in ranked and "county" not in ranked  # rank = false
    assert data["red"] == TOWNS_RED and data["black"] == TOWNS_BLACK
    assert {u["key"] for u in data["units"]} >= {"county", "helper"}  # version 1's list stays


def _rows_after(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(title) + 3  # title, header, rule
    out = []
    for line in lines[start:]:
        if not line.strip():
            break
        out.append(line)
    return out


def test_text_lists_show_every_tied_unit_with_its_group(peers: Cli) -> None:
    text = run_ok(
        peers, "--lang", "zh", "--today", "2020-04-20", "report", "weekly", "--week", "2020-W16"
    ).stdout
    red = _rows_after(text, "红榜")
    black = _rows_after(text, "黑榜")
    assert [r.split()[1] for r in red] == ["城关镇", "东风镇", "石桥乡", "河口镇"]
    assert [r.split()[0] for r in red] == ["1", "2", "2", "2"]
    assert [r.split()[1] for r in black] == ["新街乡", "白沙镇", "青山乡", "柳林镇"]
    assert all(r.split()[-1] == "town" for r in red + black)  # the peer group column


def test_md_html_xlsx_carry_the_same_lists(peers: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    base = ["--lang", "zh", "--today", "2020-04-20", "report", "weekly", "--week", "2020-W16"]
    md = run_ok(peers, *base, "-f", "md").stdout
    red_md = md.split("### 红榜", 1)[1].split("###", 1)[0]
    assert all(name in red_md for name in ("城关镇", "东风镇", "石桥乡", "河口镇"))
    assert "新街乡" not in red_md
    html = run_ok(peers, *base, "-f", "html").stdout
    black_html = html.split('class="black"', 1)[1].split("<h", 1)[0]
    assert all(name in black_html for name in ("新街乡", "白沙镇", "青山乡", "柳林镇"))
    out = tmp_path / "r.xlsx"
    run_ok(peers, *base, "-o", str(out))
    ws = load_workbook(io.BytesIO(out.read_bytes()))["分组排名"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4) if row[0].value]
    marks = {r[1]: r[-1] for r in rows}
    assert [r[1] for r in rows if r[-1] == "红榜"] == ["城关镇", "东风镇", "石桥乡", "河口镇"]
    assert [r[1] for r in rows if r[-1] == "黑榜"] == ["新街乡", "白沙镇", "青山乡", "柳林镇"]
    assert marks["东风村"] in ("", None) and "帮扶单位" not in marks


def _unit(key: str, due: int, on_time: int, overdue: int) -> Any:
    from tracker.report.model import Figures, PeerUnit

    return PeerUnit(key, key, Figures(tasks=max(due, 1), due_to_date=due, on_time=on_time,
                                      overdue=overdue))  # fmt: skip


@pytest.mark.parametrize(
    ("units", "ranks", "red", "black"),
    [
        # 1/3 and 2/6 are the same rate: a full tie, whatever the counts
        ([("a", 3, 1, 0), ("b", 6, 2, 0), ("c", 1, 0, 1), ("d", 1, 0, 2), ("e", 2, 2, 0),
          ("f", 4, 0, 3), ("g", 1, 0, 3)],
         {"e": 1, "a": 2, "b": 2, "c": 4, "d": 5, "f": 6, "g": 6},
         ["e", "a", "b"], ["f", "g", "d"]),
        # everyone tied: rank 1 from both ends, so on neither list
        ([("a", 1, 1, 0), ("b", 2, 2, 0), ("c", 4, 4, 0)], {"a": 1, "b": 1, "c": 1}, [], []),
        # seven in a row: 1..3 red, 5..7 black (worst first), 4 on neither
        ([(k, 7, 7 - i, i) for i, k in enumerate("abcdefg")],
         {k: i + 1 for i, k in enumerate("abcdefg")}, ["a", "b", "c"], ["g", "f", "e"]),
        # nothing due: no rank, listed last, on no list
        ([("a", 0, 0, 0), ("b", 1, 1, 0)], {"b": 1, "a": None}, [], []),
    ],
)  # fmt: skip
def test_rank_group_by_hand(
    units: list[tuple[str, int, int, int]],
    ranks: dict[str, int | None],
    red: list[str],
    black: list[str],
) -> None:
    from tracker.report.rankings import rank_group

    g = rank_group("town", [_unit(*u) for u in units])
    assert {u.key: u.rank for u in g.units} == ranks
    order = [u.rank if u.rank is not None else 99 for u in g.units]
    assert order == sorted(order)  # ranked order, the unranked last
    assert [u.key for u in g.red] == red and [u.key for u in g.black] == black


def test_a_unit_with_rank_false_has_no_rank_in_the_unit_list_either(peers: Cli) -> None:
    """plan-format-v2.md: ``rank = false`` keeps a unit out of *every* ranking, version 1's
    list of units too; its figures stay, and it is listed after the ranked units."""
    data = report(peers)
    units = {u["key"]: u for u in data["units"]}
    assert units["helper"]["rank"] is None and units["county"]["rank"] is None
    assert units["helper"]["on_time_rate"] == 1.0  # on time: it would have ranked first
    ranks = [u["rank"] for u in data["units"] if u["rank"] is not None]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    last_ranked = max(i for i, u in enumerate(data["units"]) if u["rank"] is not None)
    keys = [u["key"] for u in data["units"]]
    assert keys.index("helper") > last_ranked and keys.index("county") > last_ranked
    text = run_ok(peers, "--today", "2020-04-20", "report", "weekly", "--week", "2020-W16")
    helper = [
        ln for ln in text.stdout.splitlines() if ln.lstrip().startswith(units["helper"]["name"])
    ]
    assert helper and all(not ln.rstrip()[-1].isdigit() for ln in helper), helper
