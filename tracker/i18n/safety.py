"""Strings of the safeguards: files that are not regular, values out of range, ledger conflicts."""

CATALOG: dict[str, tuple[str, str]] = {
    "file.not_regular": (
        "{path} 不是普通文件（设备、管道、目录或无效链接），拒绝写入",
        "{path} is not a regular file (a device, a FIFO, a directory or a broken link); refused",
    ),
    "file.no_dir": ("目录不存在：{path}", "no such directory: {path}"),
    "file.cannot_write": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    "safety.quantity_range": (
        "数值超出范围：{value}（应为 0 到 {high} 之间的有限数）",
        "number out of range: {value} (expected a finite number from 0 to {high})",
    ),
    "safety.date_range": (
        "日期超出范围：{value}（应在 {low} 年到 {high} 年之间）",
        "date out of range: {value} (expected a year from {low} to {high})",
    ),
    "plan.number_range": (
        "{where} 中的 '{field}' 超出范围（应为不超过 {high} 的正数）",
        "'{field}' in {where} is out of range (a positive number up to {high})",
    ),
    "plan.control_char": (
        "{where} 中的 '{field}' 含有控制字符（如 ESC、BEL）；请删除",
        "'{field}' in {where} holds a control character (ESC, BEL, …); remove it",
    ),
    "plan.not_regular": (
        "{path} 不是普通文件（管道、设备、无效链接或链接循环），无法读取",
        "{path} is not a regular file (a FIFO, a device, a broken link or a link loop); "
        "cannot read it",
    ),
    "plan.too_large": (
        "{path} 过大（超过 {limit} MB），不像计划文件",
        "{path} is too large (over {limit} MB) for a plan file",
    ),
    "safety.ext_cannot": (
        "无法写出 {path} 这种格式（可选：{choices}）",
        "cannot write the format of {path} (one of: {choices})",
    ),
    "safety.ext_contradicts": (
        "{path} 的扩展名与 --format {format} 不符",
        "the extension of {path} contradicts --format {format}",
    ),
    "safety.undo_withdrawn": (
        "任务 #{id} 已被重新加载的计划撤回，无法撤销之前的改动",
        "task #{id} has been withdrawn by a plan reload since; the change cannot be undone",
    ),
    "ledger.col.rev": ("rev", "rev"),
    "ledger.conflict": (
        "{uid}：{field} 自导出后已被 {person} 修改（导出时 {exported}，现在 {now}，台账 {ledger}）",
        "{uid}: {field} changed since the export by {person} "
        "(exported {exported}, now {now}, ledger {ledger})",
    ),
    "ledger.conflicts": (
        "台账有 {count} 处冲突（他人在导出后改过这些字段），未作任何改动；请重新导出后再填",
        "the ledger has {count} conflict(s) (fields others changed since the export); "
        "nothing was changed: export again and redo these cells",
    ),
    "ledger.no_rev": (
        "台账没有 rev 列（手工制作或旧版导出），无法判断哪些单元格被修改过；"
        "请重新导出，或用 --force 按当前数据库比较",
        "the ledger has no rev column (hand-made, or from version 1): which cells were "
        "edited cannot be told; export again, or use --force to compare with the database now",
    ),
    "ledger.bad_rev": (
        "rev 无效：{value}（应为导出时的整数，且不大于该任务当前的 rev）",
        "invalid rev: {value} (the integer exported, at most the task's rev now)",
    ),
    "ledger.not_editable": (
        "“{column}”列不可编辑（来自计划）；请改回原值",
        "the column {column} is not editable (it comes from the plan); put it back",
    ),
    "ledger.too_big": (
        "台账 {path} 超出限制：{what}超过 {limit}，未读入",
        "the ledger {path} is over the limit: more than {limit} {what}; not read",
    ),
    "ledger.too_big.rows": ("行数", "rows"),
    "ledger.too_big.columns": ("列数", "columns"),
    "ledger.too_big.cell": ("单元格字符数", "characters in a cell"),
    "ledger.too_big.text": ("全部文字的字符数", "characters of text in all"),
    "ledger.too_big.bytes": ("文件字节数", "bytes"),
    "safety.db_marked_damaged": (
        "数据库 {path} 已发现损坏，拒绝使用：请从备份恢复（自动备份在 {path}.backups/ 中），"
        "然后删除 {marker}",
        "the database {path} was found damaged and is refused: restore it from a backup "
        "(automatic ones are in {path}.backups/), then delete {marker}",
    ),
}
