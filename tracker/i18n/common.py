"""Strings shared by every layer: statuses, priorities, generic errors."""

CATALOG: dict[str, tuple[str, str]] = {
    "status.todo": ("未开始", "todo"),
    "status.doing": ("进行中", "doing"),
    "status.done": ("已完成", "done"),
    "status.verified": ("已销号", "verified"),
    "status.blocked": ("受阻", "blocked"),
    "status.withdrawn": ("已撤回", "withdrawn"),
    "status.waived": ("已免除", "waived"),
    "priority.high": ("高", "high"),
    "priority.normal": ("中", "normal"),
    "priority.low": ("低", "low"),
    "error.prefix": ("错误", "error"),
    "error.internal": (
        "内部错误（{kind}）：{message}。数据未改动；请把这条信息发给维护人员。",
        "internal error ({kind}): {message}. Nothing was changed; please report this line.",
    ),
    "error.no_command": ("没有命令“{name}”。", "No such command '{name}'."),
    "error.did_you_mean": ("是否想输入：{names}？", " Did you mean: {names}?"),
    "error.usage": ("{message}（参见 tracker --help）", "{message} (see tracker --help)"),
    "error.bad_date": (
        "无效日期：{value}（应为 2020-04-15 这样的格式）",
        "invalid date: {value} (expected a date like 2020-04-15)",
    ),
    "error.bad_lang": (
        "不支持的语言：{value}（可选 zh、en）",
        "unknown language: {value} (zh or en)",
    ),
    "error.interrupted": ("已中断，未作改动", "interrupted; nothing was changed"),
}
