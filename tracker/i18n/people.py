"""Strings of people, roles, permissions and postponement requests (people.md)."""

CATALOG: dict[str, tuple[str, str]] = {
    "people.no_such_person": ("人员名单中没有“{name}”", "{name} is not in the roster"),
    "people.unknown_person": (
        "“{name}”不在人员名单中：本数据库已启用人员管理，请用 --user 指定名单中的人员",
        "{name} is not in the roster: this database is managed, act as a person in it (--user)",
    ),
    "people.blank_name": ("姓名不能为空", "a person's name must not be blank"),
    "people.bad_name": (
        "姓名含有控制字符：{name}",
        "a person's name must not hold control characters: {name}",
    ),
    "people.long_name": ("姓名过长（最多64个字符）", "a person's name is too long (64 at most)"),
    "people.bad_role": (
        "未知角色：{role}（admin/管理员、planner/计划员、verifier/督办员、leader/领导、staff/工作人员）",
        "unknown role: {role} (admin, planner, verifier, leader or staff;"
        " 管理员, 计划员, 督办员, 领导, 工作人员)",
    ),
    "people.unknown_unit": ("未知单位：{unit}", "unknown unit: {unit}"),
    "people.exists": ("人员“{name}”已在名单中", "{name} is already in the roster"),
    "people.first_admin": (
        "数据库尚未启用人员管理：第一位人员须以 --role admin 添加",
        "the database has no roster yet: add the first person with --role admin",
    ),
    "people.last_admin": (
        "“{name}”是最后一位管理员，不能移除",
        "{name} is the last admin and cannot be removed",
    ),
    "people.no_admin_left": (
        "导入后名单中将没有管理员（最后一位管理员不能降级），未做任何更改",
        "after this import the roster would have no admin (the last admin cannot be demoted):"
        " nothing was changed",
    ),
    "people.role_may_not": (
        "“{name}”的角色（{role}）无权执行此操作（{act}）",
        "{name} ({role}) may not do this ({act})",
    ),
    "people.out_of_scope_unit": (
        "单位（{owner}）不在“{name}”的管辖范围内，不能向其交办任务",
        "unit {owner} is outside {name}'s units: no task may be added for it",
    ),
    "people.out_of_scope": (
        "任务 #{id} 的责任单位（{owner}）不在“{name}”的管辖范围内",
        "task #{id} (owner {owner}) is outside {name}'s units",
    ),
    "people.self_verify": (
        "不能为自己完成的任务销号：任务 #{id} 由“{name}”标记完成",
        "no self-verification: {name} marked task #{id} done, someone else must verify it",
    ),
    "people.backdating": (
        "不能补记：--today {today} 不是今天（{real}），只有管理员可以回放往期",
        "no backdating: --today {today} is not today ({real}); only an admin replays a season",
    ),
    "people.passwd_not_own": (
        "“{name}”只能修改自己的密码，不能修改“{other}”的",
        "{name} may set only their own password, not {other}'s",
    ),
    "people.empty_password": (
        "密码为空：请从标准输入提供密码",
        "empty password: give it on standard input",
    ),
    "people.request_exists": (
        "任务 #{id} 已有待审批的延期申请",
        "task #{id} already has a postponement request waiting",
    ),
    "people.no_request": (
        "任务 #{id} 没有待审批的延期申请",
        "task #{id} has no postponement request waiting",
    ),
    "people.request_decided": (
        "任务 #{id} 的延期申请已被处理，不能撤销",
        "the postponement request of task #{id} was decided since: it cannot be undone",
    ),
    "people.requested": (
        "{ref}：已提交延期申请（至 {due}），待督办或领导审批",
        "{ref}: postponement to {due} requested, waiting for a verifier or a leader",
    ),
    "people.approved": (
        "{ref}：延期申请已批准，完成时限 {old} → {new}（第{n}次延期）",
        "{ref}: request approved, due {old} → {new} (postponed {n}×)",
    ),
    "people.rejected": ("{ref}：延期申请已驳回", "{ref}: postponement request rejected"),
    "people.added": ("已添加：{name}（{role}）", "added: {name} ({role})"),
    "people.removed": ("已移除：{name}（其历史记录保留）", "removed: {name} (their history stays)"),
    "people.imported": ("已导入 {n} 人", "imported {n} people"),
    "people.passwd_set": ("已设置“{name}”的密码", "password set for {name}"),
    "people.empty": ("名单为空（数据库未启用人员管理）", "the roster is empty (an open database)"),
    "people.col.name": ("姓名", "name"),
    "people.col.role": ("角色", "role"),
    "people.col.units": ("单位", "units"),
    "people.col.phone": ("手机", "phone"),
    "people.col.password": ("密码", "password"),
    "people.all_units": ("全部", "all"),
    "people.role.admin": ("管理员", "admin"),
    "people.role.planner": ("计划员", "planner"),
    "people.role.verifier": ("督办员", "verifier"),
    "people.role.leader": ("领导", "leader"),
    "people.role.staff": ("工作人员", "staff"),
    "people.act.work": ("办理任务", "work on tasks"),
    "people.act.note": ("备注", "add notes"),
    "people.act.verify": ("销号/重新打开", "verify or reopen"),
    "people.act.postpone": ("延期", "postpone"),
    "people.act.decide": ("审批延期申请", "decide postponement requests"),
    "people.act.waive": ("免除任务", "waive tasks"),
    "people.act.add": ("交办任务", "add tasks"),
    "people.act.load": ("导入计划", "load plans"),
    "people.act.import": ("导入台账", "import ledgers"),
    "people.act.roster": ("管理人员名单", "change the roster"),
    "people.roster.empty": ("名单文件为空", "the roster file is empty"),
    "people.roster.missing": (
        "缺少列：{columns}",
        "missing columns: {columns}",
    ),
    "people.roster.duplicate": (
        "“{name}”重复（首次出现在第{first}行）",
        "{name} appears twice (first on line {first})",
    ),
    "people.roster.errors": (
        "名单有 {count} 处错误，未做任何更改",
        "the roster has {count} error(s); nothing was changed",
    ),
    "people.field.done_by": ("完成人", "done by"),
    "people.field.verified_by": ("销号人", "verified by"),
    "people.field.request": ("延期申请", "postponement request"),
    "people.request_line": (
        "申请延期至 {due}（{by}，{at}）：{reason}",
        "to {due} (by {by}, {at}): {reason}",
    ),
}
