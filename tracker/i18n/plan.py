"""Strings of the plan engine: diagnostics and the ``check`` summary.

``{where}`` is a TOML location such as ``[units.fpb]`` or ``[[campaign.task]] 'spring.xunshi'``;
``{field}`` the offending key, so every message names what to fix.
"""

CATALOG: dict[str, tuple[str, str]] = {
    "plan.invalid": ("计划有 {count} 处错误", "the plan has {count} error(s)"),
    "plan.warning_prefix": ("警告：", "warning: "),
    # files
    "plan.file_missing": ("找不到计划文件或目录：{path}", "no such plan file or directory: {path}"),
    "plan.file_is_dir": ("{path} 是目录，不是文件", "{path} is a directory, not a file"),
    "plan.file_unreadable": ("无法读取 {path}：{reason}", "cannot read {path}: {reason}"),
    "plan.not_utf8": (
        "文件不是 UTF-8 编码（字节 {byte}）；请另存为 UTF-8",
        "the file is not UTF-8 text (byte {byte}); save it as UTF-8",
    ),
    "plan.utf16": (
        "文件是 UTF-16 编码（记事本的“Unicode”）；请另存为 UTF-8",
        "the file is UTF-16 text (Notepad's 'Unicode'), not UTF-8; save it as UTF-8",
    ),
    "plan.too_deep": (
        "TOML 语法错误：数组或内联表嵌套过深（超过 100 层）",
        "TOML syntax error: arrays or inline tables nested too deeply (over 100 levels)",
    ),
    "plan.unclosed_string": (
        "TOML 语法错误：字符串没有在本行结束（缺少右引号）",
        "TOML syntax error: a string is not closed on its line (a quote is missing)",
    ),
    "plan.init_exists": (
        "{path} 已存在：换一个文件名，或加 --force 覆盖",
        "{path} exists: choose another name, or add --force to replace it",
    ),
    "plan.init_done": (
        "已写入 {path}：按注释修改后运行 tracker check {path}，再 tracker load {path}",
        "wrote {path}: edit it (the comments explain each part), then tracker check {path}"
        " and tracker load {path}",
    ),
    "plan.syntax_ime": (
        "TOML 语法错误：{message}。这一行有中文输入法的全角标点（“”‘’＝［］，：），"
        '请改用半角 " = [ ] , :',
        "TOML syntax error: {message}. This line holds full-width punctuation from a Chinese"
        ' input method (“” ‘’ ＝ ［］ ， ：): type the ASCII " = [ ] , : instead',
    ),
    "plan.syntax_non_ascii_key": (
        'TOML 语法错误：{message}。中文表名须加引号，如 [units."东村"]；更好的做法是用英文键名，'
        '把中文写在 name = "东村" 中',
        'TOML syntax error: {message}. A Chinese key must be quoted, as in [units."东村"];'
        ' better, use an ASCII key and write the Chinese in name = "东村"',
    ),
    "plan.syntax": ("TOML 语法错误：{message}", "TOML syntax error: {message}"),
    "plan.empty_file": ("文件为空，没有任何计划内容", "the file is empty: there is no plan in it"),
    "plan.dir_empty": (
        "目录 {path} 中没有 *.toml 计划文件",
        "the directory {path} holds no *.toml plan file",
    ),
    "plan.dir_all_empty": (
        "目录 {path} 中的 *.toml 文件都是空的，没有任何计划内容",
        "every *.toml file in the directory {path} is empty: there is no plan in it",
    ),
    "plan.no_plan": (
        "缺少 [plan] 表（计划的 id、title、year）",
        "no [plan] table (id, title, year)",
    ),
    "plan.plan_twice": (
        "[plan] 重复定义（首次在 {other}）",
        "[plan] is defined again (first in {other})",
    ),
    "plan.key_twice": (
        "{where} 中的 '{field}' 重复定义（首次在 {other}）",
        "'{field}' in {where} is defined twice (first in {other})",
    ),
    # fields
    "plan.unknown_key": ("{where} 中有未知字段 '{field}'", "unknown key '{field}' in {where}"),
    "plan.unknown_key_hint": (
        "{where} 中有未知字段 '{field}'（是否应为 '{suggestion}'？）",
        "unknown key '{field}' in {where} (did you mean '{suggestion}'?)",
    ),
    "plan.missing_key": (
        "{where} 缺少必填字段 '{field}'",
        "missing required key '{field}' in {where}",
    ),
    "plan.type.string": (
        "{where} 中的 '{field}' 应为文本",
        "'{field}' in {where} must be a string",
    ),
    "plan.type.int": ("{where} 中的 '{field}' 应为整数", "'{field}' in {where} must be an integer"),
    "plan.type.number": (
        "{where} 中的 '{field}' 应为正数",
        "'{field}' in {where} must be a positive number",
    ),
    "plan.type.table": ("{where} 中的 '{field}' 应为表", "'{field}' in {where} must be a table"),
    "plan.type.aot": (
        "'{field}' 应写成表数组 [[{field}]]",
        "'{field}' must be an array of tables: write [[{field}]]",
    ),
    "plan.type.list": (
        "{where} 中的 '{field}' 应为文本列表",
        "'{field}' in {where} must be a list of strings",
    ),
    "plan.type.datelist": (
        "{where} 中的 '{field}' 应为日期列表",
        "'{field}' in {where} must be a list of dates",
    ),
    "plan.type.units": (
        "{where} 中的 '{field}' 应为单位或分组名，或单位列表",
        "'{field}' in {where} must be a group name or a list of unit keys",
    ),
    "plan.bad_id": (
        "{where} 中的 '{field}' = '{value}' 不是有效标识（应为 {pattern}）",
        "'{field}' = '{value}' in {where} is not a valid identifier ({pattern})",
    ),
    "plan.bad_choice": (
        "{where} 中的 '{field}' = '{value}' 无效，可选：{choices}",
        "'{field}' = '{value}' in {where} is not valid; one of: {choices}",
    ),
    "plan.empty_text": (
        "{where} 中的 '{field}' 不能为空",
        "'{field}' in {where} must not be empty",
    ),
    "plan.year_range": (
        "[plan] 中的 'year' = {value} 超出范围（{lo}..{hi}）",
        "'year' = {value} in [plan] is out of range ({lo}..{hi})",
    ),
    "plan.type.bool": (
        "{where} 中的 '{field}' 应为 true 或 false",
        "'{field}' in {where} must be true or false",
    ),
    "plan.type.names": (
        "{where} 中的 '{field}' 应为姓名或姓名列表",
        "'{field}' in {where} must be a name or a list of names",
    ),
    "plan.type.skip": (
        "{where} 中的 '{field}' 应为周期标签（如 \"2020-W41\"）或日期的列表",
        "'{field}' in {where} must be a list of period labels (\"2020-W41\") or dates",
    ),
    # units and groups
    "plan.unit_unknown": (
        "{where} 中的 '{field}' 引用了未定义的单位 '{unit}'",
        "unknown unit '{unit}' in '{field}' of {where}",
    ),
    "plan.parent_cycle": (
        "单位的 'parent' 形成循环：{cycle}",
        "the units' 'parent' links form a cycle: {cycle}",
    ),
    "plan.group_is_unit": (
        "[groups] 中的分组名 '{field}' 与单位同名",
        "group '{field}' in [groups] has the same name as a unit",
    ),
    "plan.dup_member": (
        "{where} 的 '{field}' 中 '{unit}' 重复列出",
        "'{unit}' is listed twice in '{field}' of {where}",
    ),
    "plan.group_unknown": (
        "{where} 中的 'each' 引用了未定义的分组 '{group}'",
        "unknown group '{group}' in 'each' of {where}",
    ),
    "plan.group_empty": (
        "{where} 的 'each' 分组 '{group}' 为空，无法分解任务",
        "'each' in {where} fans out over the empty group '{group}'",
    ),
    # campaigns and tasks
    "plan.dup_key": (
        "{where} 中的 'key' = '{value}' 重复（首次在 {other}）",
        "'key' = '{value}' in {where} is used twice (first in {other})",
    ),
    "plan.owner_and_each": (
        "{where} 必须且只能给出 'owner' 或 'each' 之一",
        "{where} needs exactly one of 'owner' and 'each'",
    ),
    "plan.end_before_start": (
        "{where} 的 'end' {end} 早于 'start' {start}",
        "'end' {end} in {where} is before its 'start' {start}",
    ),
    "plan.due_before_start": (
        "{where} 的 'due' {due} 早于 'start' {start}",
        "'due' {due} in {where} is before its 'start' {start}",
    ),
    "plan.on_without_every": (
        "{where} 中的 'on' 需要配合 'every' 使用",
        "'on' in {where} needs 'every'",
    ),
    "plan.every_and_dates": (
        "{where} 不能同时给出 'every' 和 'dates'",
        "{where} cannot have both 'every' and 'dates'",
    ),
    "plan.on_bad": (
        "{where} 中的 'on' = {value} 对 every = '{every}' 无效（应为 {expected}）",
        "'on' = {value} in {where} is not valid for every = '{every}' (expected {expected})",
    ),
    "plan.dates_empty": ("{where} 中的 'dates' 为空", "'dates' in {where} is empty"),
    "plan.dates_dup": (
        "{where} 的 'dates' 中日期 {date} 重复",
        "the date {date} is listed twice in 'dates' of {where}",
    ),
    "plan.dates_before_start": (
        "{where} 的 'dates' 中 {date} 早于任务开始日期 {start}",
        "{date} in 'dates' of {where} is before the task's start {start}",
    ),
    "plan.dates_after_due": (
        "{where} 的 'dates' 中 {date} 晚于 'due' {due}",
        "{date} in 'dates' of {where} is after the task's 'due' {due}",
    ),
    "plan.after_unknown": (
        "{where} 的 'after' 引用了未定义的任务 '{ref}'",
        "unknown task '{ref}' in 'after' of {where}",
    ),
    "plan.after_cycle": (
        "任务的 'after' 依赖形成循环：{cycle}",
        "the tasks' 'after' dependencies form a cycle: {cycle}",
    ),
    "plan.too_many": (
        "计划展开后超过 {limit} 个任务实例（在 {where} 处超出）；请减少分解或重复",
        "the plan expands to more than {limit} instances (exceeded at {where}); "
        "reduce fan-out or recurrence",
    ),
    "plan.calendar_both": (
        "[calendar] 中 {date} 同时列为休息日和工作日",
        "{date} is both a holiday and a workday in [calendar]",
    ),
    # plan format v2: problems, people, fan-out, indicators, occurrences
    "plan.problem_unknown": (
        "{where} 中的 'problem' 引用了未定义的问题 '{key}'（应为某个 [[problem]] 的 key）",
        "unknown problem '{key}' in 'problem' of {where} (the key of a [[problem]])",
    ),
    "plan.problem_unknown_hint": (
        "{where} 中的 'problem' 引用了未定义的问题 '{key}'（是否应为 '{suggestion}'？）",
        "unknown problem '{key}' in 'problem' of {where} (did you mean '{suggestion}'?)",
    ),
    "plan.adhoc_key": (
        "{where} 的 'key' = '{value}' 是 tracker add 交办事项的保留形式（adhoc-N），请换一个",
        "'key' = '{value}' in {where} is reserved for tracker add items (adhoc-N); choose another",
    ),
    "plan.except_without_each": (
        "{where} 中的 'except' 只能与 'each' 一起使用",
        "'except' in {where} needs 'each'",
    ),
    "plan.except_not_member": (
        "{where} 的 'except' 中 '{unit}' 不在 'each' 的单位中",
        "'{unit}' in 'except' of {where} is not one of the units of 'each'",
    ),
    "plan.except_all": (
        "{where} 的 'except' 排除了 'each' 的全部单位，任务无人承担",
        "'except' in {where} leaves out every unit of 'each': nobody is left to own the task",
    ),
    "plan.targets_without_each": (
        "{where} 中的 'targets' 只能与 'each' 一起使用（单一牵头单位请用 'target'）",
        "'targets' in {where} needs 'each' (a single owner takes 'target')",
    ),
    "plan.targets_without_target": (
        "{where} 中的 'targets' 需要同时给出 'target'（未列出的单位按 'target' 计）",
        "'targets' in {where} needs 'target' as well (the owners it does not list take it)",
    ),
    "plan.targets_not_member": (
        "{where} 的 'targets' 中 '{unit}' 不是本任务分解到的单位",
        "'{unit}' in 'targets' of {where} is not one of the task's owners",
    ),
    "plan.measure_without_target": (
        "{where} 中的 'measure' 需要 'target'（没有目标的任务不是指标）",
        "'measure' in {where} needs 'target' (a task without a target is no indicator)",
    ),
    "plan.milestones_without_target": (
        "{where} 中的 'milestones' 需要 'target'（序时进度是目标的百分比）",
        "'milestones' in {where} needs 'target' (a milestone is a share of the target)",
    ),
    "plan.milestones_recurring": (
        "{where} 是重复任务，不能给出 'milestones'（每期有自己的期限）",
        "{where} recurs: it cannot have 'milestones' (each period has its own deadline)",
    ),
    "plan.milestone_outside": (
        "{where} 的 'milestones' 中 {date} 不在任务开始 {start} 与截止 {due} 之间",
        "{date} in 'milestones' of {where} is not between the task's start {start} and due {due}",
    ),
    "plan.milestone_dup": (
        "{where} 的 'milestones' 中日期 {date} 重复",
        "the date {date} is given twice in 'milestones' of {where}",
    ),
    "plan.milestone_decreasing": (
        "{where} 的 'milestones' 中 {date} 的 {pct}% 小于更早的 {before} 的 {was}%",
        "{pct}% at {date} in 'milestones' of {where} is less than {was}% at the earlier {before}",
    ),
    "plan.milestone_percent": (
        "{where} 的 'milestones' 中 '{date}' 的值 {value} 应为 0 到 100 之间的百分数",
        "'{date}' = {value} in 'milestones' of {where} must be a percentage, 0..100",
    ),
    "plan.covers_without_every": (
        "{where} 中的 'covers' 只能与 'every' 一起使用",
        "'covers' in {where} needs 'every'",
    ),
    "plan.skip_without_recurrence": (
        "{where} 不是重复任务，不能给出 'skip'",
        "{where} does not recur: it cannot have 'skip'",
    ),
    "plan.skip_dup": (
        "{where} 的 'skip' 中 '{label}' 重复",
        "'{label}' is listed twice in 'skip' of {where}",
    ),
    # dates
    "plan.date_bad": (
        "{where} 中的 '{field}' = '{value}' 不是日期（可写 2020-04-30、\"04-30\"、\"start\"、"
        '"end - 5wd" 等）',
        "'{field}' = '{value}' in {where} is not a date (use 2020-04-30, \"04-30\", \"start\", "
        '"end - 5wd" …)',
    ),
    "plan.date_not_date": (
        "{where} 中的 '{field}' = {value} 含有时间，应只写日期",
        "'{field}' = {value} in {where} has a time of day; write a date only",
    ),
    "plan.date_nosuch": (
        "{where} 中的 '{field}'：{value} 不是真实存在的日期",
        "'{field}' in {where}: {value} is not a real date",
    ),
    "plan.date_nosuch_year": (
        "{where} 中的 '{field}'：'{value}' 在 {year} 年及次年都不存在",
        "'{field}' in {where}: '{value}' does not exist in {year} or the year after",
    ),
    "plan.date_range": (
        "{where} 中的 '{field}' = '{value}' 超出计划年份范围（{lo}..{hi}）",
        "'{field}' = '{value}' in {where} is too far from the plan's year ({lo}..{hi})",
    ),
    "plan.date_offset_big": (
        "{where} 中的 '{field}' = '{value}' 偏移量过大（最多 {limit}）",
        "'{field}' = '{value}' in {where} has too large an offset (at most {limit})",
    ),
    "plan.date_anchor": (
        "{where} 中的 '{field}' 不能使用 '{anchor}'",
        "'{field}' in {where} cannot use '{anchor}' here",
    ),
    "plan.date_no_year": (
        "{where} 中的 '{field}' = '{value}' 无法确定年份（[plan] 的 year 无效）",
        "'{field}' = '{value}' in {where} has no year to resolve in ([plan] year is invalid)",
    ),
    # warnings
    "plan.w_past_end": (
        "{where} 截止于 {due}，晚于行动 '{campaign}' 的结束日期 {end}",
        "{where} is due {due}, after its campaign '{campaign}' ends ({end})",
    ),
    "plan.w_start_before": (
        "{where} 开始于 {start}，早于行动 '{campaign}' 的开始日期 {cstart}",
        "{where} starts {start}, before its campaign '{campaign}' starts ({cstart})",
    ),
    "plan.w_no_schedule": (
        "holidays 包和 [calendar] 中都没有 {year} 年的官方调休安排（每年 11 月公布），"
        "{year} 年的工作日可能不准确",
        "neither the holidays package nor [calendar] has the official {year} schedule of "
        "worked weekend days (published each November): {year}'s working days may be wrong",
    ),
    "plan.w_no_occurrence": (
        "{where} 在 {start}..{due} 之间没有任何重复日期，不产生任务实例",
        "{where} has no occurrence between {start} and {due}: it expands to no instance",
    ),
    "plan.w_unit_without_target": (
        "{where} 给出了 'unit' 但没有 'target'",
        "{where} has 'unit' but no 'target'",
    ),
    "plan.w_period_unused": (
        "{where} 不是重复任务，标题中的 {{period}} 将为空",
        "{where} does not recur: {{period}} in its title is left empty",
    ),
    "plan.w_skip_unmatched": (
        "{where} 的 'skip' 中 '{label}' 不对应任何一期（周期标签写法同 uid，如 {example}）",
        "'{label}' in 'skip' of {where} matches no occurrence (labels as in the uid: {example})",
    ),
    # tracker check
    "check.moved": (
        "{uid}：截止日期 {nominal} 非工作日，调整为 {due}",
        "{uid}: due {nominal} is not a working day, moved to {due}",
    ),
    "check.moved_count": (
        "{count} 个截止日期因非工作日被调整（去掉 --quiet 可逐条列出）",
        "{count} due date(s) moved off non-working days (listed without --quiet)",
    ),
    "check.plan": ("计划 {id}：{title}", "plan {id}: {title}"),
    "check.campaign": (
        "  {campaign}（{name}，{start} 至 {end}）：{count} 个任务实例",
        "  {campaign} ({name}, {start} .. {end}): {count} instance(s)",
    ),
    "check.total": ("合计：{count} 个任务实例", "total: {count} instance(s)"),
    "check.v2": (
        "问题 {problems} 个，指标 {indicators} 个，跳过 {skipped} 期（{instances} 个任务实例）",
        "problems: {problems}, indicators: {indicators}, "
        "skipped: {skipped} occurrence(s) ({instances} instance(s))",
    ),
    "check.ok": (
        "无错误，{warnings} 条警告",
        "no errors, {warnings} warning(s)",
    ),
}
