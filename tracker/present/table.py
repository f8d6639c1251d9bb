"""Plain-text tables fitted to the terminal (``tracker list``)."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.present.width import cell_width, pad, truncate


def fit_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    flexible: int,
    right: Sequence[int] = (),
    optional: Sequence[int] = (),
) -> list[str]:
    """Lines of a table no wider than ``width`` cells, columns separated by two spaces.

    Column ``flexible`` (the title) takes the room left over and is truncated with ``…``;
    ``optional`` columns are dropped, last first, when even a short title would not fit.
    """
    keep = list(range(len(headers)))
    sep = 2
    min_flexible = 8

    def natural(col: int) -> int:
        return max([cell_width(headers[col])] + [cell_width(r[col]) for r in rows])

    widths = {c: natural(c) for c in keep}
    drop = list(optional)
    while True:
        fixed = sum(widths[c] for c in keep if c != flexible) + sep * (len(keep) - 1)
        room = width - fixed
        if room >= min(min_flexible, widths[flexible]) or not drop:
            break
        keep.remove(drop.pop())
    widths[flexible] = max(1, min(widths[flexible], room))

    def line(cells: Sequence[str]) -> str:
        parts = []
        for c in keep:
            text = truncate(cells[c], widths[c]) if c == flexible else cells[c]
            last = c == keep[-1] and c not in right
            parts.append(text if last else pad(text, widths[c], right=c in right))
        return (" " * sep).join(parts).rstrip()

    out = [line(headers)]
    out.extend(line(r) for r in rows)
    return out
