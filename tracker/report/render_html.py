"""The weekly report as one self-contained HTML file that prints well on A4.

No external files: the CSS is inline and the chart is inline SVG. Fonts fall back through the
usual Chinese system fonts. Tables repeat their header rows on each printed page.
"""

from __future__ import annotations

from html import escape

from tracker import i18n
from tracker.report.chart import svg
from tracker.report.pageone import page_one
from tracker.report.periods import word
from tracker.report.sections import Cell, Dec, Pct, Table, cell_text, headline, sections, subline
from tracker.report.weekly import WeeklyReport

CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; padding: 10mm 8mm; max-width: 200mm; color: #1a1a1a; background: #fff;
  font: 10.5pt/1.5 "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
  "Helvetica Neue", Arial, sans-serif; }
@media print { body { padding: 0; max-width: none; } }
h1 { font-size: 16pt; margin: 0 0 2pt; text-align: center; font-weight: 700; }
h1 .week { display: block; font-size: 12pt; font-weight: 400; margin-top: 2pt; }
.sub { text-align: center; color: #555; margin: 0 0 10pt; font-size: 9.5pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 5pt; padding-bottom: 2pt; border-bottom: 1.5pt solid #b22222;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 9pt 0 4pt; break-after: avoid; page-break-after: avoid; }
h3.red { color: #b22222; } h3.black { color: #222; }
table { width: 100%; border-collapse: collapse; margin: 0 0 4pt; font-size: 9.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.6pt solid #999; padding: 2.5pt 5pt; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; text-align: center; white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.d { white-space: nowrap; }
tr.lvl1 td:first-child { padding-left: 14pt; } tr.lvl2 td:first-child { padding-left: 26pt; }
tr.lvl3 td:first-child { padding-left: 38pt; }
.none { color: #666; margin: 0 0 4pt; } .more { color: #666; font-size: 9pt; }
.kpis { display: flex; gap: 6pt; margin: 4pt 0 8pt; }
.kpi { flex: 1; border: 0.6pt solid #bbb; border-radius: 3pt; padding: 4pt 6pt;
  text-align: center; }
.kpi b { display: block; font-size: 15pt; }
.kpi span { color: #555; font-size: 8.5pt; }
.kpi.bad b { color: #b22222; }
section.page-one { break-after: page; page-break-after: always; }
tr.tone-good td.tone { background: #e3f4e1; color: #1d6b1d; }
tr.tone-warn td.tone { background: #fff4d6; color: #8a5a00; }
tr.tone-bad td.tone { background: #fbe1df; color: #b22222; font-weight: 600; }
figure { margin: 6pt 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 9pt; color: #555; text-align: center; }
"""


def _row(t: Table, row: list[Cell], lang: str) -> str:
    cells = []
    for i, c in enumerate(row):
        names = ["n"] if i in t.numeric or isinstance(c, Pct) else []
        if t.tones and (i == len(row) - 1 or (isinstance(c, Dec) and c.signed)):
            names.append("tone")  # a row coloured by gap: the gap and the 评价 word
        cls = f' class="{" ".join(names)}"' if names else ""
        text = cell_text(c)
        if t.key == "units" and i == 0:
            text = text.lstrip("　")
        cells.append(f"<td{cls}>{escape(text)}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


def _table(t: Table, lang: str) -> str:
    tag = "h2" if t.level == 2 else "h3"
    cls = f' class="{t.key}"' if t.key in ("red", "black") else ""
    out = [f"<{tag}{cls}>{escape(t.title)}</{tag}>"]
    if not t.rows:
        out.append(f'<p class="none">{escape(i18n.t("report.none", lang))}</p>')
        return "\n".join(out)
    out.append("<table><thead><tr>")
    out.append("".join(f"<th>{escape(h)}</th>" for h in t.headers))
    out.append("</tr></thead><tbody>")
    for n, row in enumerate(t.rows):
        line = _row(t, row, lang)
        tone = t.tones[n] if n < len(t.tones) else ""
        if tone:  # coloured by gap (page one): the row's class, its last cell the colour
            line = line.replace("<tr>", f'<tr class="tone-{tone}">', 1)
        depth = t.depths[n] if n < len(t.depths) else 0
        if depth:
            line = line.replace("<tr>", f'<tr class="lvl{min(3, depth)}">', 1)
        out.append(line)
    out.append("</tbody></table>")
    if t.more:
        out.append(f'<p class="more">{escape(i18n.t("report.more", lang, count=t.more))}</p>')
    return "\n".join(out)


def _kpis(r: WeeklyReport, lang: str) -> str:
    f = r.totals
    items = [
        ("due_to_date", str(f.due_to_date), False),
        ("done", str(f.done), False),
        ("completion_rate", str(Pct(f.completion_rate)), False),
        ("on_time_rate", str(Pct(f.on_time_rate)), False),
        ("overdue", str(f.overdue), f.overdue > 0),
        ("blocked", str(f.blocked), f.blocked > 0),
    ]
    cells = "".join(
        f'<div class="kpi{" bad" if bad else ""}"><b>{escape(v)}</b>'
        f"<span>{escape(i18n.t(f'report.fig.{k}', lang))}</span></div>"
        for k, v, bad in items
    )
    return f'<div class="kpis">{cells}</div>'


def render_html(r: WeeklyReport, lang: str) -> str:
    """The whole report as one HTML document."""
    tables = sections(r, lang)
    head = headline(r, lang)
    title = i18n.t(word("report.title", r.period), lang, title=r.title)
    week = head[len(title) :].strip(" ,")
    body = [
        f'<h1>{escape(title)}<span class="week">{escape(week)}</span></h1>',
        f'<p class="sub">{escape(subline(r, lang))}</p>',
        '<section class="page-one">',
        f"<h2>{escape(i18n.t('report.p1.heading', lang))}</h2>",
        *[_table(t, lang) for t in page_one(r, lang)],
        _kpis(r, lang),
        _table(tables[0], lang),
        f"<figure>{svg(r.chart, lang)}"
        f"<figcaption>{escape(i18n.t('report.sec.chart', lang))}</figcaption></figure>",
        "</section>",
    ]
    body += [_table(t, lang) for t in tables[1:]]
    return _document(head, body, lang)


def _document(head: str, body: list[str], lang: str) -> str:
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(head)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def render_tables(head: str, sub: str, tables: list[Table], lang: str) -> str:
    """A headline, a subline and titled tables in one HTML document, in the weekly report's
    style (the province's roll-up)."""
    body = [f"<h1>{escape(head)}</h1>", f'<p class="sub">{escape(sub)}</p>']
    body += [_table(t, lang) for t in tables]
    return _document(head, body, lang)
