"""``--help`` in Chinese: the commands' and options' help, keyed by command and option.

The English help stays where click and typer read it (the commands' docstrings and ``help=``
in ``tracker/cli/``, from which ``docs/cli.md`` is generated); this table is its Chinese twin,
applied by ``tracker/cli/help.py`` when the language is zh. Keys: a command's path
(``"report weekly"``, ``"tracker"`` for the program itself) for its help, whose first line is
what the command list shows; ``"PATH --option"`` (or an argument's name) for one command's
option; ``"* --option"`` for an option that means the same on every command that has it.
A test checks that every command and every option with an English help has its entry here.
"""

from __future__ import annotations

#: click's section headings and the words in an option's ``[...]`` note
HEADINGS: dict[str, str] = {
    "Usage": "用法",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "default": "默认",
    "env var": "环境变量",
    "required": "必填",
}

_COMMANDS = {
    "tracker": "全年季节性工作行动：制定计划、逐项销号、汇总报告。",
    "init": "为乡镇写一份带注释的起步计划：四个行动、各村、报送任务。",
    "check": "校验计划：列出错误和警告，以及展开的任务实例数。",
    "load": "校验、展开并导入（或重新导入）计划。",
    "add": "在计划文件之外增加一项交办事项；重新导入计划时保留。",
    "list": "列出任务实例，完成时限最近的在前。",
    "show": "查看一个任务实例及其备注和变更记录。",
    "start": "状态 → 进行中（从未开始，或从受阻恢复）。",
    "done": "状态 → 已完成。",
    "verify": "状态 已完成 → 已销号。",
    "reopen": "状态 已完成/已销号/已免除 → 进行中。",
    "block": "状态 → 受阻（从未开始或进行中）。",
    "waive": "状态 → 已免除（不再适用；从未开始、进行中或受阻）。",
    "progress": "登记目标进度；达到目标即完成任务。",
    "postpone": "调整该任务实例的完成时限（延期）；重新导入计划时保留。",
    "approve": "批准任务的延期申请：完成时限随之调整。",
    "reject": "驳回任务的延期申请：完成时限不变。",
    "note": "为任务添加备注。",
    "history": "变更记录，最新的在前。",
    "undo": "撤销当前用户的上一次操作。",
    "report": "进展报告：周报、月报等。",
    "report weekly": "每周进展汇总（周报）；默认为今天所在的一周。",
    "report monthly": "月报：按月汇总的周报内容；默认为本月。",
    "report quarterly": "季报：按季度汇总的周报内容；默认为本季度。",
    "rollup": "省级视图：汇总多个县级数据库的周报，只读。",
    "export": "导出任务台账，筛选方式与 tracker list 相同。",
    "import": "导入修改过的台账：只取导出后改过的单元格；全部成功或全不写入。",
    "backup": "为数据库做一份一致的副本，他人写入时也可进行。",
    "restore-check": "恢复演练：把副本恢复到临时文件并检查。",
    "tui": "终端界面：查看、筛选、处理和检查任务实例。",
    "serve": "在浏览器中提供 tracker tui：登录后每位访问者一个界面。",
    "remind": "催办：按牵头单位汇总逾期任务及 N 个工作日内到期的任务。",
    "calendar": "以 iCalendar（.ics）文件导出完成时限：每个未完成任务一个全天事件。",
    "people": "人员名册：谁可以操作、担任什么角色、负责哪些单位。",
    "people add": "向名册添加人员（第一位须为管理员，数据库从此按名册管理）。",
    "people list": "人员名册。",
    "people remove": "从名册中移除人员；其操作记录保留。",
    "people import": "从名册文件（姓名、角色、单位、手机）添加或更新人员；全部成功或全不写入。",
    "people passwd": "设置登录 tracker serve 的密码，从标准输入读取。",
}

_SHARED_OPTIONS = {
    "--help": "显示本帮助并退出。",
    "--json": "输出 JSON 数组。",
    "--note": "随本次变更记录的备注。",
    "--plan": "只看这个计划（计划标识）。",
    "--campaign": "只看这个行动（行动标识）。",
    "--owner": "这个单位及其下属单位。",
    "--status": "状态（可重复）。",
    "--due": "today | week | overdue | 日期。",
    "--search": "标题、说明、责任领导或责任人中的词（每个词都须匹配）。",
    "--all": "包括已撤回的任务。",
    "--problem": "只看这个整改问题（问题标识）的整改措施。",
    "--leader": "只看这位责任领导的任务。",
    "--responsible": "只看这位责任人的任务。",
    "--tag": "只看带这个标签的任务（可重复：须全部匹配）。",
    "--kind": "只看牵头单位属于这一类别（kind）的任务。",
    "--output": "写入这个文件。",
    "--week": "ISO 周，例如 2020-W15。",
    "--dry-run": "只显示将要发生的变化，不写入。",
    "--force": "覆盖已有文件。",
}

_OPTIONS = {
    "tracker --db": "SQLite 数据库。",
    "tracker --today": "作为今天的日期（2020-04-15）。",
    "tracker --user": "当前操作人（记入变更记录）。",
    "tracker --lang": "输出语言：zh 或 en。",
    "tracker --version": "显示版本号并退出。",
    "check --quiet": "只统计被调整的完成时限，不逐条列出。",
    "load --json": "以 JSON 输出汇总。",
    "add --title": "要做的事。",
    "add --owner": "牵头单位。",
    "add --due": "完成时限（2020-05-15）。",
    "add --plan": "所属计划（默认：唯一的那个）。",
    "add --campaign": "所属行动（默认：时间范围包含 --due 的那个）。",
    "add --start": "开始日期（默认：今天）。",
    "add --problem": "对应的整改问题。",
    "add --responsible": "责任人。",
    "add --leader": "责任领导（默认：牵头单位的）。",
    "add --target": "要达到的数量目标。",
    "add --unit": "目标的计量单位。",
    "add --priority": "high | normal | low（高 | 普通 | 低）。",
    "add --tag": "标签（可重复）。",
    "add --note": "随交办事项记录的备注。",
    "add --json": "以 JSON 输出新建的任务。",
    "list --limit": "最多显示这么多行。",
    "list --support": "与 --owner 同用：把该单位作为配合单位的任务也列出来。",
    "show --json": "输出 JSON 对象。",
    "block --reason": "受阻原因。",
    "waive --reason": "不再适用的原因。",
    "postpone --reason": "延期原因。",
    "approve --note": "随审批决定记录的备注。",
    "reject --reason": "驳回原因。",
    "history --limit": "最多显示这么多条。",
    "rollup --format": "text | md | html | xlsx | json（默认：按 -o 的扩展名，否则 text）。",
    "export --format": "csv | xlsx | json（默认：按 -o 的扩展名，否则 csv）。",
    "import path": "导出后经过编辑的台账（.csv 或 .xlsx）。",
    "import --dry-run": "只检查并显示，不写入。",
    "import --force": "台账没有 rev 列时：凡与数据库现值不同的单元格一律写入。",
    "backup --force": "覆盖已有的副本。",
    "restore-check --config": "litestream.yml 配置文件（此时 REPLICA 可以是数据库的路径）。",
    "serve --host": "绑定的地址（默认 localhost）。",
    "serve --port": "TCP 端口（0：任一空闲端口）。",
    "serve --public-url": "经反向代理时，浏览器访问本服务的网址。",
    "serve --trust-header": "由本机的代理完成登录，并在 HEADER（如 X-Remote-User）中给出用户名；"
    "须配合回环地址的 --host。",
    "serve --max-sessions": "同时服务的访问者数（默认 100）。",
    "remind --within": "向后看的工作日数，按计划的工作日历（含调休）。",
    "remind --to": "stdout | wecom | dingtalk。",
    "remind --escalate": "逾期超过这么多个工作日：提醒责任领导。",
    "remind --dry-run": "只显示将要发送的内容，不发送。",
    "remind --json": "以 JSON 数组输出各条催办。",
    "remind --only-workdays": "非工作日不发送（供每日定时任务使用）。",
    "calendar --person": "这位人员所负责单位（及其下属单位）的任务。",
    "calendar --output": "写入这个 .ics 文件。",
    "people add --role": "admin、planner、verifier（督办员）、leader（领导）或 staff（工作人员）。",
    "people add --unit": "该人员负责的单位标识（可重复；不填：全部单位）。",
    "people add --phone": "手机号码（钉钉提醒）。",
    "people add --wecom": "企业微信用户 ID（提醒）。",
    "people add --dingtalk": "钉钉用户 ID。",
}

# the report's periods share their options (cli-v2.md: "with the same options")
for _period in ("weekly", "monthly", "quarterly"):
    _OPTIONS |= {
        f"report {_period} --format": "text | md | html | xlsx | json"
        "（默认：按 -o 的扩展名，否则 text）。",
        f"report {_period} --plan": "计划标识（有多个计划时）。",
        f"report {_period} --limit": "text/md/html 中每个列表的行数（0：全部）。",
        f"report {_period} --to": "wecom | dingtalk：把第一页发到群机器人。",
        f"report {_period} --dry-run": "与 --to 同用：只显示，不发送。",
    }
_SHARED_OPTIONS |= {"--month": "月份，例如 2020-04。", "--quarter": "季度，例如 2020-Q2。"}


def command_help(path: str) -> str | None:
    """The Chinese help of the command at ``path`` (``"tracker"``: the program's own)."""
    return _COMMANDS.get(path)


def option_help(path: str, option: str) -> str | None:
    """The Chinese help of ``option`` (its longest name) on the command at ``path``."""
    return _OPTIONS.get(f"{path} {option}") or _SHARED_OPTIONS.get(option)


def commands() -> list[str]:
    """The command paths the table covers (for the coverage test)."""
    return list(_COMMANDS)
