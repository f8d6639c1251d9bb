"""Strings of the store: database errors, transitions, load summaries."""

CATALOG: dict[str, tuple[str, str]] = {
    "store.db_is_dir": ("数据库路径是一个目录：{path}", "the database path is a directory: {path}"),
    "store.db_missing": ("数据库不存在：{path}", "no database at {path}"),
    "store.db_cannot_open": (
        "无法打开数据库 {path}：{reason}",
        "cannot open the database {path}: {reason}",
    ),
    "store.db_not_sqlite": (
        "{path} 不是可用的 tracker 数据库（{reason}）",
        "{path} is not a usable tracker database ({reason})",
    ),
    "store.db_newer": (
        "数据库 {path} 由更新版本的 tracker 写入（迁移 {migration}），请升级 tracker",
        "the database {path} was written by a newer tracker (migration {migration}); "
        "please upgrade tracker",
    ),
}
CATALOG["store.db_error"] = ("数据库错误：{reason}", "database error: {reason}")
CATALOG["store.db_damaged"] = (
    "数据库 {path} 已损坏（{reason}），请从备份恢复（自动备份在 {path}.backups/ 中）",
    "the database {path} is damaged ({reason}); restore it from a backup "
    "(automatic ones are in {path}.backups/)",
)
CATALOG.update(
    {
        "store.backup_is_dir": (
            "备份目标是一个目录：{path}",
            "the backup target is a directory: {path}",
        ),
        "store.backup_is_live": (
            "不能把数据库备份到它自己：{path}",
            "cannot back up the database onto itself: {path}",
        ),
        "store.backup_no_dir": (
            "备份目录不存在：{path}",
            "no such directory for the backup: {path}",
        ),
        "store.backup_failed": ("备份 {path} 失败：{reason}", "backup to {path} failed: {reason}"),
        "store.backup_done": ("已备份到 {path}", "backed up to {path}"),
    }
)

# Transitions, queries, loads and the task commands (store/*, cli/tasks.py, cli/load.py).
CATALOG.update(
    {
        "store.not_found": ("找不到任务：{ref}", "no such task: {ref}"),
        "store.refused": (
            "任务 #{id} 当前为“{status}”，不能{verb}",
            "task #{id} is {status}: cannot {verb} it",
        ),
        "store.changed_since": (
            "任务 #{id} 刚被他人修改，未做任何更改；请重新导出后再试",
            "task #{id} was changed by someone else meanwhile; nothing was changed (export again)",
        ),
        "store.verb.start": ("开始", "start"),
        "store.verb.done": ("标记完成", "complete"),
        "store.verb.verify": ("销号", "verify"),
        "store.verb.reopen": ("重新打开", "reopen"),
        "store.verb.block": ("标记受阻", "block"),
        "store.verb.progress": ("记录进度", "record progress on"),
        "store.verb.postpone": ("延期", "postpone"),
        "store.verb.waive": ("免除", "waive"),
        "store.hint.waived": (
            "（已免除；可用 reopen 重新打开）",
            " (it was waived; use reopen)",
        ),
        "store.hint.waive.waived": ("（已免除）", " (it is already waived)"),
        "store.hint.waive.done": ("（已完成的任务无需免除）", " (it is already finished)"),
        "store.hint.waive.verified": ("（已销号的任务无需免除）", " (it is already finished)"),
        "store.hint.withdrawn": (
            "（已在重新载入计划时撤回）",
            " (it was withdrawn by a plan reload)",
        ),
        "store.hint.start.doing": ("（已在进行中）", " (it is already in progress)"),
        "store.hint.start.done": ("（可用 reopen 重新打开）", " (use reopen)"),
        "store.hint.start.verified": ("（可用 reopen 重新打开）", " (use reopen)"),
        "store.hint.done.blocked": (
            "（先用 start 恢复为进行中）",
            " (use start to take it back to doing first)",
        ),
        "store.hint.done.done": ("（已完成）", " (it is already done)"),
        "store.hint.verify.verified": ("（已销号）", " (it is already verified)"),
        "store.hint.verify.todo": (
            "（只有已完成的任务才能销号）",
            " (only done tasks can be verified)",
        ),
        "store.hint.verify.doing": (
            "（只有已完成的任务才能销号）",
            " (only done tasks can be verified)",
        ),
        "store.hint.verify.blocked": (
            "（只有已完成的任务才能销号）",
            " (only done tasks can be verified)",
        ),
        "store.hint.reopen.todo": (
            "（只有已完成、已销号或已免除的任务才能重新打开）",
            " (only done, verified or waived tasks can be reopened)",
        ),
        "store.hint.reopen.doing": (
            "（只有已完成、已销号或已免除的任务才能重新打开）",
            " (only done, verified or waived tasks can be reopened)",
        ),
        "store.hint.reopen.blocked": (
            "（只有已完成、已销号或已免除的任务才能重新打开）",
            " (only done, verified or waived tasks can be reopened)",
        ),
        "store.hint.block.blocked": ("（已是受阻状态）", " (it is already blocked)"),
        "store.hint.progress.done": ("（先用 reopen 重新打开）", " (reopen it first)"),
        "store.hint.progress.verified": ("（先用 reopen 重新打开）", " (reopen it first)"),
        "store.hint.postpone.done": ("（已完成的任务无需延期）", " (it is already finished)"),
        "store.hint.postpone.verified": ("（已销号的任务无需延期）", " (it is already finished)"),
        "store.postpone_not_later": (
            "任务 #{id} 的新期限必须晚于当前期限 {due}",
            "task #{id}: the new deadline must be after the current one, {due}",
        ),
        "store.add.empty": ("{option} 不能为空", "{option} must not be empty"),
        "store.add.control": (
            "{option} 中不能含有控制字符",
            "{option} must not hold control characters",
        ),
        "store.add.no_plan": (
            "数据库中还没有计划：请先用 tracker load 载入计划",
            "no plan is loaded yet: load one with tracker load first",
        ),
        "store.add.which_plan": (
            "数据库中有多个计划（{plans}），请用 --plan 指定",
            "several plans are loaded ({plans}): say which with --plan",
        ),
        "store.add.no_campaign": (
            "计划 {plan} 中没有哪个活动的时间段包含 {due}，请用 --campaign 指定",
            "no campaign of plan {plan} runs on {due}: say which with --campaign",
        ),
        "store.add.due_before_start": (
            "截止日期 {due} 早于开始日期 {start}",
            "the due date {due} is before the start {start}",
        ),
        "store.add.unit_without_target": (
            "--unit 需要同时给出 --target",
            "--unit needs --target",
        ),
        "store.add.priority": (
            "--priority '{value}' 无效，可选：{choices}",
            "--priority '{value}' is not valid; one of: {choices}",
        ),
        "store.added": (
            "已交办 #{id} {uid}：{title}（{owner}，截止 {due}）",
            "added #{id} {uid}: {title} ({owner}, due {due})",
        ),
        "store.unknown_key_hint": (
            "{option} 的值 '{value}' 在数据库中不存在（是否应为 '{suggestion}'？）",
            "{option} '{value}' is not in the database (did you mean '{suggestion}'?)",
        ),
        "store.unknown_key_none": (
            "{option} 的值 '{value}' 在数据库中不存在（数据库中还没有任何此类条目）",
            "{option} '{value}' is not in the database (it holds none of these yet)",
        ),
        "store.reason_required": ("请用 --reason 说明原因", "a reason is required (--reason TEXT)"),
        "store.note_required": ("备注内容不能为空", "the note is empty"),
        "store.support_needs_owner": (
            "--support 需与 --owner 同用（列出该单位作为配合单位的任务）",
            "--support needs --owner (the unit whose supporting tasks to list)",
        ),
        "store.list.support_hint": (
            "另有 {n} 项任务该单位是配合单位（加 --support 一并列出）",
            "{n} more task(s) have this unit as a supporting unit (add --support to list them)",
        ),
        "store.bad_progress": (
            "无效进度：{value}（应为非负数，+N 表示增加，-N 表示减少）",
            "invalid progress: {value} (expected a number, +N to add or -N to take back)",
        ),
        "store.bad_due": (
            "无效的 --due：{value}（可选 today、week、overdue 或日期如 2020-04-15）",
            "invalid --due: {value} (today, week, overdue or a date like 2020-04-15)",
        ),
        "store.bad_status": (
            "未知状态：{value}（可选 {choices}）",
            "unknown status: {value} (one of {choices})",
        ),
        "store.nothing_to_undo": ("{user} 没有可撤销的操作", "nothing to undo for {user}"),
        "store.undo_conflict": (
            "无法撤销：任务 #{id} 之后已被 {user} 改动",
            "cannot undo: task #{id} has been changed since, by {user}",
        ),
        "store.duplicate_uid": (
            "计划展开后有重复的任务标识：{uid}",
            "duplicate instance uid: {uid}",
        ),
        "store.load_missing": ("找不到计划文件：{path}", "no such plan file or directory: {path}"),
        "store.load.done": (
            "已载入计划 {plan}：共 {n} 项任务",
            "loaded plan {plan}: {n} task instances",
        ),
        "store.load.dry_run": (
            "试运行（未写入任何内容）：计划 {plan} 共 {n} 项任务",
            "dry run (nothing written): plan {plan}, {n} task instances",
        ),
        "store.load.counts": (
            "新增 {added}，变更 {changed}，删除 {removed}，撤回 {withdrawn}，恢复 {restored}，"
            "未变 {unchanged}",
            "added: {added}, changed: {changed}, removed: {removed}, withdrawn: {withdrawn}, "
            "restored: {restored}, unchanged: {unchanged}",
        ),
        "store.load.backup": (
            "载入前已自动备份到 {path}",
            "backed up before the load to {path}",
        ),
        "store.load.withdrawn_uid": ("  撤回：{uid}", "  withdrawn: {uid}"),
        "store.load.restored_uid": ("  恢复：{uid}", "  restored: {uid}"),
        "store.col.id": ("编号", "id"),
        "store.col.due": ("完成时限", "due"),
        "store.col.when": ("剩余", "when"),
        "store.col.status": ("状态", "status"),
        "store.col.progress": ("进度", "progress"),
        "store.col.owner": ("牵头单位", "owner"),
        "store.col.title": ("任务", "task"),
        "store.list.empty": ("没有符合条件的任务", "no tasks match"),
        "store.list.total": ("共 {n} 项，逾期 {overdue} 项", "{n} tasks, {overdue} overdue"),
        "store.backup_exists": (
            "{path} 已存在：换一个文件名，或加 --force 覆盖",
            "{path} exists: choose another name, or add --force to replace it",
        ),
        "store.list.total_one": ("共 1 项，逾期 {overdue} 项", "1 task, {overdue} overdue"),
        "store.progress_over": (
            "注意：进度 {progress} 已超过目标 {target}，请核对（可用 -N 更正）",
            "note: progress {progress} is over the target {target}; check it (-N corrects it)",
        ),
        "store.field.uid": ("标识", "uid"),
        "store.field.campaign": ("行动", "campaign"),
        "store.field.owner": ("牵头单位", "owner"),
        "store.field.support": ("配合单位", "support"),
        "store.field.leader": ("责任领导", "leader"),
        "store.field.responsible": ("责任人", "responsible"),
        "store.field.problem": ("整改问题", "problem"),
        "store.field.expected": ("序时进度", "expected"),
        "store.show.expected": ("{value}{unit}（截至今日应完成）", "{value} {unit} by today"),
        "store.field.period": ("周期", "period"),
        "store.field.start": ("开始", "start"),
        "store.field.due": ("完成时限", "due"),
        "store.field.planned_due": ("原定时限", "planned due"),
        "store.field.status": ("状态", "status"),
        "store.field.blocked_reason": ("受阻原因", "blocked because"),
        "store.field.progress": ("进度", "progress"),
        "store.field.done_at": ("完成时间", "done at"),
        "store.field.priority": ("优先级", "priority"),
        "store.field.tags": ("标签", "tags"),
        "store.field.description": ("说明", "description"),
        "store.show.postponed": ("{due}（已延期 {n} 次）", "{due} (postponed {n}×)"),
        "store.show.notes": ("备注（{n}）：", "notes ({n}):"),
        "store.show.history": ("历史（{n}）：", "history ({n}):"),
        "store.action.start": ("开始", "start"),
        "store.action.done": ("完成", "done"),
        "store.action.verify": ("销号", "verify"),
        "store.action.reopen": ("重新打开", "reopen"),
        "store.action.block": ("受阻", "block"),
        "store.action.progress": ("进度", "progress"),
        "store.action.postpone": ("延期", "postpone"),
        "store.action.note": ("备注", "note"),
        "store.action.undo": ("撤销操作", "undo"),
        "store.action.withdraw": ("撤回任务", "withdraw"),
        "store.action.restore": ("恢复任务", "restore"),
        "store.action.import": ("导入", "import"),
        "store.action.request": ("申请延期", "request"),
        "store.action.approve": ("批准延期", "approve"),
        "store.action.reject": ("驳回延期", "reject"),
        "store.action.waive": ("免除", "waive"),
        "store.action.add": ("交办", "add"),
        "store.history.empty": ("暂无记录", "no history yet"),
        "store.history.undone": ("（已撤销）", "(undone)"),
        "store.postponed": (
            "{ref}：完成时限 {old} → {new}（第 {n} 次延期）",
            "{ref}: due {old} → {new} (postponement {n})",
        ),
        "store.noted": ("{ref}：已添加备注", "{ref}: note added"),
        "store.undone": ("已撤销{action}：{ref} {change}", "undone {action}: {ref} {change}"),
    }
)
CATALOG["store.load.source_unchanged"] = (
    "计划文件自上次载入后未改动，无需重新展开（警告请用 tracker check 查看）",
    "the plan files are unchanged since the last load: nothing to expand "
    "(tracker check lists their warnings)",
)
