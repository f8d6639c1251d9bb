"""Strings of the tui layer at 80 columns and beyond the list: the views, sorting, export,
the plan tree key, the row markers' legend, and Textual's own texts (quit hint, palette)."""

CATALOG: dict[str, tuple[str, str]] = {
    "tui.view.now": ("今天+逾期", "due now"),
    "tui.key.sort": ("排序", "sort"),
    "tui.key.export": ("导出", "export"),
    "tui.key.hide_tree": ("显示/隐藏计划树", "show/hide the plan tree"),
    "tui.key.back_escape": ("取消选择 / 关闭详情", "clear selection / close details"),
    "tui.key.palette": ("命令", "commands"),
    "tui.sort.due": ("时限", "due date"),
    "tui.sort.unit": ("责任单位", "unit"),
    "tui.sort.status": ("状态", "status"),
    "tui.sort.priority": ("优先级", "priority"),
    "tui.bar.sort": ("按{by}排序", "sorted by {by}"),
    "tui.msg.none_changed": ("未改动任何任务：{reason}", "nothing changed: {reason}"),
    "tui.msg.sorted": ("按{by}排序", "sorted by {by}"),
    "tui.palette.sort": ("排序", "sort"),
    "tui.palette.placeholder": ("搜索命令…", "Search for commands…"),
    "tui.palette.no_match": ("没有匹配的命令", "No matches found"),
    "tui.quit.title": ("要退出吗？", "Do you want to quit?"),
    "tui.quit.hint": ("按 [b]{key}[/b] 退出", "Press [b]{key}[/b] to quit the app"),
    # export
    "tui.prompt.export": (
        "导出当前列表（{n} 项）为台账",
        "Export the current list ({n} tasks) as a ledger",
    ),
    "tui.prompt.path": (
        "文件（.xlsx、.csv 或 .json）",
        "file (.xlsx, .csv or .json)",
    ),
    "tui.export.file": ("台账-{date}.xlsx", "ledger-{date}.xlsx"),
    "tui.export.bad_format": (
        "无法识别的文件类型：{path}（请用 .xlsx、.csv 或 .json）",
        "unknown file type: {path} (use .xlsx, .csv or .json)",
    ),
    "tui.export.exists": (
        "{path} 已存在：再按回车覆盖，或改个文件名",
        "{path} exists: press Enter again to replace it, or change the name",
    ),
    "tui.export.written": ("已导出 {n} 项到 {path}", "exported {n} task(s) to {path}"),
    # legend of the row markers (help screen)
    "tui.help.legend": ("标记", "Markers"),
    "tui.legend.late": ("! 逾期（红色）", "! overdue (red)"),
    "tui.legend.postponed": ("* 已延期（状态后）", "* postponed (after the status)"),
    "tui.legend.selected": ("● 已选中（空格选择）", "● selected (space selects)"),
    "tui.legend.soon": ("黄色：3 个工作日内到期", "yellow: due within 3 working days"),
    "tui.legend.closed": ("灰色：已完成、已销号或已免除", "grey: done, verified or waived"),
    "tui.legend.sort": ("▾ 列表按此列排序（S 切换）", "▾ the list is sorted by this column (S)"),
}
