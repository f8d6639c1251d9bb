"""Strings of the monthly and quarterly reports and of the rankings by peer group."""

CATALOG: dict[str, tuple[str, str]] = {
    "period.bad_month": (
        "无效的月份：{value}（应为 2020-04 这样的格式）",
        "invalid month: {value} (expected a month like 2020-04)",
    ),
    "period.bad_quarter": (
        "无效的季度：{value}（应为 2020-Q2 这样的格式）",
        "invalid quarter: {value} (expected a quarter like 2020-Q2)",
    ),
    "period.title.month": ("{title} 月报", "{title} monthly report"),
    "period.title.quarter": ("{title} 季报", "{title} quarterly report"),
    "period.label.month": ("{year}年{month}月", "{month_name} {year}"),
    "period.label.quarter": ("{year}年第{quarter}季度", "{year} Q{quarter}"),
    "period.this.month": ("本月", "This month"),
    "period.last.month": ("上月", "Last month"),
    "period.this.quarter": ("本季度", "This quarter"),
    "period.last.quarter": ("上季度", "Last quarter"),
    "period.sec.done.month": ("四、本月完成", "4. Done this month"),
    "period.sec.next.month": ("六、下月计划", "6. Due next month"),
    "period.sec.done.quarter": ("四、本季度完成", "4. Done this quarter"),
    "period.sec.next.quarter": ("六、下季度计划", "6. Due next quarter"),
    "period.col.kind": ("组别", "Group"),
    "period.col.list": ("红黑榜", "List"),
    "period.sec.rankings": ("分组排名", "Rankings by peer group"),
    "report.sheet.rankings": ("分组排名", "Rankings"),
    "period.kind.none": ("（未分组）", "(no group)"),
    "period.plans.title": ("多个计划合并报告", "Several plans reported together"),
    "period.plans.totals": ("各计划合计", "Totals across the plans"),
    "period.col.plan": ("计划", "Plan"),
}
