"""Strings of the plan engine: diagnostics and the ``check`` summary."""

CATALOG: dict[str, tuple[str, str]] = {
    "plan.invalid": ("计划有 {count} 处错误", "the plan has {count} error(s)"),
    "plan.warning_prefix": ("警告：", "warning: "),
}
