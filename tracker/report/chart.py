"""The report's picture: per week of the plan so far, instances due against instances done,
both cumulative. Sparklines for the terminal (the done-to-date bar is ``tracker.present.bar``),
an inline SVG for HTML (no image library, no external file: the HTML stays one
self-contained file).
"""

from __future__ import annotations

from html import escape

from tracker import i18n
from tracker.present import cell_width

BLOCKS = "▁▂▃▄▅▆▇█"
FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"


def sparkline(values: list[int], top: int) -> str:
    """One character per value, scaled to ``top`` (shared by both series so they compare)."""
    if top <= 0:
        return BLOCKS[0] * len(values)
    return "".join(BLOCKS[min(7, round(v / top * 7))] for v in values)


def text_lines(chart: list[tuple[str, int, int]], lang: str) -> list[str]:
    """Two aligned sparklines, labelled, with the first and last week under them."""
    if not chart:
        return []
    due = [c[1] for c in chart]
    done = [c[2] for c in chart]
    top = max(due + done)
    ldue = i18n.t("report.chart.due", lang)
    ldone = i18n.t("report.chart.done", lang)
    w = max(cell_width(ldue), cell_width(ldone))
    pad_due = " " * (w - cell_width(ldue))
    pad_done = " " * (w - cell_width(ldone))
    first, last = chart[0][0], chart[-1][0]
    span = f"{first} … {last}" if len(chart) > 1 else first
    return [
        f"{ldue}{pad_due}  {sparkline(due, top)}  {due[-1]}",
        f"{ldone}{pad_done}  {sparkline(done, top)}  {done[-1]}",
        f"{' ' * w}  {span}",
    ]


def svg(chart: list[tuple[str, int, int]], lang: str, width: int = 680, height: int = 220) -> str:
    """Bars per week: due (light) with done (dark) in front; a legend and a light grid."""
    left, right, top_pad, bottom = 44, 10, 26, 34
    plot_w = width - left - right
    plot_h = height - top_pad - bottom
    n = max(1, len(chart))
    top = max([c[1] for c in chart] + [c[2] for c in chart] + [1])
    step = _nice_step(top)
    ymax = ((top + step - 1) // step) * step
    slot = plot_w / n
    bw = max(2.0, slot * 0.7)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" font-family="{FONT}" font-size="11">',
        f"<title>{escape(i18n.t('report.sec.chart', lang))}</title>",
    ]
    for v in range(0, ymax + 1, step):
        y = top_pad + plot_h - v / ymax * plot_h
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            'stroke="#ddd" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 3.5:.1f}" text-anchor="end" fill="#555">{v}</text>'
        )
    every = max(1, n // 12)
    for i, (week, due, done) in enumerate(chart):
        x = left + i * slot + (slot - bw) / 2
        hd = due / ymax * plot_h
        hn = done / ymax * plot_h
        base = top_pad + plot_h
        parts.append(
            f'<rect x="{x:.1f}" y="{base - hd:.1f}" width="{bw:.1f}" height="{hd:.1f}" '
            f'fill="#c9d6e8"><title>{escape(week)}: {due}</title></rect>'
        )
        parts.append(
            f'<rect x="{x + bw * 0.2:.1f}" y="{base - hn:.1f}" width="{bw * 0.6:.1f}" '
            f'height="{hn:.1f}" fill="#1f6f43"><title>{escape(week)}: {done}</title></rect>'
        )
        if i % every == 0 or i == n - 1:
            label = week.split("-")[-1]
            parts.append(
                f'<text x="{x + bw / 2:.1f}" y="{base + 14}" text-anchor="middle" '
                f'fill="#555">{escape(label)}</text>'
            )
    parts += _legend(left, lang)
    parts.append(
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" '
        f'y2="{top_pad + plot_h}" stroke="#888" stroke-width="0.8"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _legend(left: int, lang: str) -> list[str]:
    """The two swatches and their labels above the plot."""
    ly = 12
    out: list[str] = []
    for dx, fill, key in (
        (0, "#c9d6e8", "report.fig.due_cum"),
        (130, "#1f6f43", "report.fig.done_cum"),
    ):
        out.append(f'<rect x="{left + dx}" y="{ly - 8}" width="10" height="10" fill="{fill}"/>')
        out.append(
            f'<text x="{left + dx + 14}" y="{ly + 1}" fill="#333">'
            f"{escape(i18n.t(key, lang))}</text>"
        )
    return out


def _nice_step(top: int) -> int:
    """A round grid step giving about four lines."""
    raw = max(1, top // 4)
    mag = 1
    while mag * 10 <= raw:
        mag *= 10
    for m in (1, 2, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag
