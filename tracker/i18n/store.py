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
