"""Strings of reminders (催办), chat robots and calendar files."""

CATALOG: dict[str, tuple[str, str]] = {
    # --- a digest
    "notify.title": ("催办：{unit}", "Reminder: {unit}"),
    "notify.summary": (
        "截至{date}：逾期 {overdue} 项，{within}个工作日内到期 {soon} 项",
        "as of {date}: {overdue} overdue, {soon} due within {within} working days",
    ),
    "notify.sec.overdue": ("已逾期", "Overdue"),
    "notify.sec.due_soon": ("{n}个工作日内到期", "Due within {n} working days"),
    "notify.item.overdue": (
        "{ref}，{due}截止，逾期{n}个工作日",
        "{ref}, due {due}, {n} working days late",
    ),
    "notify.item.overdue_weekend": ("{ref}，{due}截止，已逾期", "{ref}, due {due}, overdue"),
    "notify.item.today": ("{ref}，今天截止", "{ref}, due today"),
    "notify.item.soon": (
        "{ref}，{due}截止，还有{n}个工作日",
        "{ref}, due {due}, {n} working days left",
    ),
    "notify.item.status": ("（{status}）", " ({status})"),
    "notify.more": ("……另有 {n} 项", "… and {n} more"),
    "notify.escalate": (
        "逾期超过{n}个工作日的 {count} 项，请责任领导督办：{leaders}",
        "{count} more than {n} working days late, for the responsible leader: {leaders}",
    ),
    "notify.escalate_nobody": (
        "逾期超过{n}个工作日的 {count} 项，请责任领导督办",
        "{count} more than {n} working days late, for the responsible leader",
    ),
    "notify.mention": ("提醒：{names}", "mentions: {names}"),
    "notify.label": ("{unit}（{key}）", "{unit} ({key})"),
    "notify.unit_line": ("{label}　{summary}", "{label}  {summary}"),
    "notify.none": (
        "没有逾期任务，也没有{within}个工作日内到期的任务：无需催办",
        "nothing overdue and nothing due within {within} working days: no reminders",
    ),
    "notify.day_off": (
        "{date} 不是工作日（按计划的工作日历）：不催办",
        "{date} is not a working day (by the plans' calendars): no reminders",
    ),
    # --- sending
    "notify.channel.wecom": ("企业微信", "WeCom"),
    "notify.channel.dingtalk": ("钉钉", "DingTalk"),
    "notify.no_webhook.wecom": (
        "未配置企业微信机器人：请把群机器人的完整 Webhook 地址放进环境变量 {var}",
        "no WeCom robot configured: put the group robot's full webhook URL in {var}",
    ),
    "notify.no_webhook.dingtalk": (
        "未配置钉钉机器人：请把群机器人的完整 Webhook 地址放进环境变量 {var}",
        "no DingTalk robot configured: put the group robot's full webhook URL in {var}",
    ),
    "notify.bad_webhook": (
        "环境变量 {var} 不是有效的 Webhook 地址（应以 http:// 或 https:// 开头，含主机名，无空白）",
        "{var} is not a valid webhook URL (http:// or https://, a host, no spaces)",
    ),
    "notify.no_webhook_dry": (
        "（未设置 {var}：正式发送时会失败）",
        "({var} is not set: a real run would fail)",
    ),
    "notify.fail.http": ("机器人返回 HTTP {status}", "the robot answered HTTP {status}"),
    "notify.fail.errcode": (
        "机器人返回错误 {code}：{message}",
        "the robot answered error {code}: {message}",
    ),
    "notify.fail.timeout": (
        "机器人 {seconds} 秒内没有应答",
        "the robot did not answer within {seconds} s",
    ),
    "notify.fail.network": ("无法连接机器人：{reason}", "cannot reach the robot: {reason}"),
    "notify.result.sent": ("{label}：已发送", "{label}: sent"),
    "notify.result.already_sent": (
        "{label}：今天已发送过相同内容，未重复发送",
        "{label}: already sent today, not sent again",
    ),
    "notify.result.failed": ("{label}：发送失败：{reason}", "{label}: not sent: {reason}"),
    "notify.result.dry_run": (
        "—— {label} → {channel}（试运行，未发送）",
        "—— {label} → {channel} (dry run, not sent)",
    ),
    "notify.totals": (
        "{channel}：已发送 {sent} 条，此前已发送而跳过 {skipped} 条，失败 {failed} 条",
        "{channel}: {sent} sent, {skipped} skipped (sent before), {failed} failed",
    ),
    "notify.totals_dry": (
        "{channel}（试运行）：将发送 {count} 条，此前已发送而跳过 {skipped} 条",
        "{channel} (dry run): {count} would be sent, {skipped} skipped (sent before)",
    ),
    "notify.sent_units": ("已发送的单位：{units}", "units sent: {units}"),
    "notify.bad_days": (
        "{option} 须为 0 到 {max} 之间的工作日数：{value}",
        "{option} must be a number of working days from 0 to {max}: {value}",
    ),
    "notify.bad_to": (
        "--to 只能是 {choices}：{value}",
        "--to must be one of {choices}: {value}",
    ),
    "notify.to_with_file": (
        "--to 把周报发到群里，不能同时使用 -o 或 --format",
        "--to posts the report to the group: it cannot be combined with -o or --format",
    ),
    # --- the weekly report as a message
    "notify.report.figure": (
        "{label}：{now}（上周 {before}，{change}）",
        "{label}: {now} (last week {before}, {change})",
    ),
    "notify.report.campaign": (
        "{name}：任务 {tasks}，应完成 {due}，已完成 {done}，逾期 {overdue}，完成率 {rate}",
        "{name}: {tasks} tasks, {due} due, {done} done, {overdue} overdue, {rate} complete",
    ),
    "notify.report.ranked": ("**{title}**：{names}", "**{title}**: {names}"),
    "notify.report.lists": (
        "逾期 {overdue} 项，下周到期 {next} 项，受阻 {blocked} 项（详见周报）",
        "{overdue} overdue, {next} due next week, {blocked} blocked (see the full report)",
    ),
    # --- calendars
    "notify.unknown_owner": ("未知单位：{unit}", "unknown unit: {unit}"),
    "notify.unknown_owner_near": (
        "未知单位：{unit}（是否是 {near}？）",
        "unknown unit: {unit} (did you mean {near}?)",
    ),
    "notify.unknown_person": ("人员名单中没有“{name}”", "{name} is not in the roster"),
    "notify.owner_and_person": (
        "--owner 与 --person 只能选一个",
        "give --owner or --person, not both",
    ),
    "notify.ics.name": ("{plans} 截止日期", "{plans}: deadlines"),
    "notify.ics.name_for": ("{who}：{plans} 截止日期", "{who}: {plans}: deadlines"),
    "notify.ics.unit": ("责任单位：{unit}", "Unit: {unit}"),
    "notify.ics.leader": ("责任领导：{leader}", "Responsible leader: {leader}"),
    "notify.ics.campaign": ("所属行动：{campaign}", "Campaign: {campaign}"),
    "notify.ics.status": ("状态：{status}", "Status: {status}"),
    "notify.ics.overdue": ("{status}，已逾期", "{status}, overdue"),
    "notify.ics.task": ("任务：#{id}（{uid}）", "Task: #{id} ({uid})"),
    "notify.ics.alarm": ("{n}个工作日后截止：{title}", "Due in {n} working days: {title}"),
}
