"""Rankings by peer group (cli-v2.md ``rankings``): fair 红黑榜 with ties shown whole.

Units are ranked only against units of the same ``kind``; units with ``rank = false`` (the
leadership, outside helpers) are left out. Within a group the order is version 1's: own
``on_time_rate`` best first, ties fewer overdue first, a full tie shares a competition rank
(1, 1, 3); units with nothing due have rank ``None``. 红榜 = rank ≤ 3; 黑榜 = the same rank
counted from the worst end ≤ 3; a unit on both (a small group) is on neither, so the two
lists never name the same unit and a tie at a cut-off is always taken whole.
"""

from __future__ import annotations

from fractions import Fraction

from tracker.report.model import BLACK_SIZE, RED_SIZE, PeerRanking, PeerUnit, UnitRow
from tracker.store.peers import Peer

Key = tuple[Fraction, int]


def _key(u: PeerUnit) -> Key:
    """Smaller is better: the exact on-time rate (so 1/3 ties 2/6), then fewer overdue."""
    frac = u.figures.on_time_fraction()
    assert frac is not None
    return (-frac, u.figures.overdue)


def competition_ranks(keys: list[Key]) -> tuple[list[int], list[int]]:
    """For sorted ``keys`` (smaller is better), each one's competition rank from the best end
    (1 + how many are strictly better) and from the worst end (1 + how many strictly worse)."""
    n = len(keys)
    best = [0] * n
    worst = [0] * n
    i = 0
    while i < n:
        j = i
        while j + 1 < n and keys[j + 1] == keys[i]:
            j += 1
        for m in range(i, j + 1):
            best[m], worst[m] = i + 1, n - j
        i = j + 1
    return best, worst


def rank_group(kind: str, units: list[PeerUnit]) -> PeerRanking:
    """One group ranked, with its red and black lists."""
    ranked = sorted((u for u in units if u.figures.due_to_date), key=_key)  # stable
    keys = [_key(u) for u in ranked]
    best, worst = competition_ranks(keys)
    for u, r in zip(ranked, best, strict=True):
        u.rank = r
    on_red = {u.key for u, r in zip(ranked, best, strict=True) if r <= RED_SIZE}
    on_black = {u.key for u, r in zip(ranked, worst, strict=True) if r <= BLACK_SIZE}
    both = on_red & on_black
    red = [u for u in ranked if u.key in on_red - both]
    by_worst = sorted(zip(worst, range(len(ranked)), ranked, strict=True), key=lambda x: x[:2])
    black = [u for _, _, u in by_worst if u.key in on_black - both]
    rest = [u for u in units if not u.figures.due_to_date]
    return PeerRanking(kind, ranked + rest, red, black)


def unranked(peers: dict[str, Peer]) -> frozenset[str]:
    """The units with ``rank = false``: out of every ranking (plan-format-v2.md, Units)."""
    return frozenset(key for key, p in peers.items() if not p.ranked)


def rankings(tree: list[UnitRow], peers: dict[str, Peer]) -> list[PeerRanking]:
    """Per peer group, in the order the groups first appear in the plan's units, the units
    that own instances and take part in rankings, in tree order (as version 1 breaks full
    ties); an owner missing from the units table is in the group ``""``."""
    groups: dict[str, list[PeerUnit]] = {}
    for p in peers.values():
        groups.setdefault(p.kind, [])
    out = unranked(peers)
    for u in tree:
        peer = peers.get(u.key)
        if not u.figures.tasks or u.key in out:
            continue
        kind = peer.kind if peer is not None else ""
        groups.setdefault(kind, []).append(PeerUnit(u.key, u.name, u.figures))
    return [rank_group(kind, units) for kind, units in groups.items() if units]
