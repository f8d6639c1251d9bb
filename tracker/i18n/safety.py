"""Strings of the safeguards: files that are not regular, values out of range, ledger conflicts."""

CATALOG: dict[str, tuple[str, str]] = {
    "file.not_regular": (
        "{path} 不是普通文件（设备、管道、目录或无效链接），拒绝写入",
        "{path} is not a regular file (a device, a FIFO, a directory or a broken link); "
        "refused",
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
}
