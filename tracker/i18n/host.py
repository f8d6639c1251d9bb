"""Strings of a county's host and the province: the roll-up, the restore drill."""

CATALOG: dict[str, tuple[str, str]] = {
    # the roll-up
    "host.rollup.title": ("全省汇总周报", "Province roll-up"),
    "host.rollup.sub": (
        "{counties} 个县（区）计入，{skipped} 个数据库未计入 · 生成于{today}",
        "{counties} counties counted, {skipped} databases left out · generated {today}",
    ),
    "host.rollup.province": ("全省合计", "Province total"),
    "host.sec.counties": ("各县（区）排名", "Counties, ranked"),
    "host.sec.skipped": ("未计入的数据库", "Databases left out"),
    "host.col.county": ("县（区）", "county"),
    "host.col.db": ("数据库", "database"),
    "host.col.reason": ("原因", "reason"),
    "host.skipped": ("未计入 {db}：{reason}", "left out {db}: {reason}"),
    "host.skip.missing": ("文件不存在", "missing: no such file"),
    "host.skip.not_file": ("不是普通文件", "missing: not a regular file"),
    "host.skip.damaged": (
        "数据库已损坏或不是 SQLite 文件（{detail}）",
        "damaged or not an SQLite file ({detail})",
    ),
    "host.skip.not_tracker": ("不是 tracker 的数据库", "not a tracker database"),
    "host.skip.newer": (
        "数据库版本较新（迁移 {detail} 本版本未知），请升级 tracker",
        "newer schema (migration {detail} unknown to this version); upgrade tracker",
    ),
    "host.skip.wal_without_shm": (
        "有未合并的预写日志却缺少 -shm 文件（{detail}），请由县里用 tracker 打开一次或改用备份",
        "a write-ahead log without its -shm ({detail}): open it once with tracker in the "
        "county, or roll up a backup",
    ),
    "host.skip.no_plan": ("数据库中没有计划", "no plan in the database"),
    "host.skip.unreadable": ("无法读取：{detail}", "unreadable: {detail}"),
    # the restore drill
    "host.no_litestream": (
        "未找到 litestream：请安装 pip install 'tracker[replicate]'（或把 litestream 放进 PATH）",
        "litestream not found: pip install 'tracker[replicate]' (or put litestream on PATH)",
    ),
    "host.restore_failed": ("恢复失败：{reason}", "restore failed: {reason}"),
    "host.restored": ("已恢复 {replica}（{size} 字节）", "restored {replica} ({size} bytes)"),
    "host.check.ok": ("通过", "ok"),
    "host.check.fail": ("失败", "FAIL"),
    "host.check.line": ("{mark}  {name}：{detail}", "{mark}  {name}: {detail}"),
    "host.check.integrity_check": ("完整性检查", "integrity_check"),
    "host.check.schema": ("数据库版本（已应用/已知迁移）", "schema (migrations applied/known)"),
    "host.check.events_have_tasks": (
        "无所属任务的事件数",
        "events whose task is missing",
    ),
    "host.check.task_rev": (
        "版本号与事件数不符的任务数",
        "tasks whose rev differs from their events",
    ),
    "host.check.statuses": ("状态无效的任务数", "tasks with an unknown status"),
    "host.check.open": ("打开恢复的数据库", "open the restored database"),
}
