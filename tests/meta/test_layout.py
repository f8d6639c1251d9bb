"""The house rules that code review would otherwise have to remember (docs/DEVELOPING.md).

- the core (domain, plan, store, report, present, notify) never imports typer, textual or rich;
- only ``store/`` holds SQL; ``report/`` and ``tui/`` call its read models;
- the status vocabulary is spelled out only in ``domain/``;
- no module over 500 lines, no function over 60.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "tracker"
CORE = ("domain", "plan", "store", "report", "present", "notify", "i18n")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def _modules(*areas: str) -> list[Path]:
    return sorted(p for a in areas for p in (ROOT / a).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_core_imports_no_face_library() -> None:
    bad = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & {"typer", "textual", "rich", "click"})
        for p in _modules(*CORE)
    }
    # the text renderer draws with rich, imported inside the function that draws (lazily)
    bad.pop("report/render_text.py", None)
    assert {k: v for k, v in bad.items() if v} == {}


SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|\.execute\()")


def test_sql_lives_in_the_store() -> None:
    outside = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in _modules("report", "tui", "cli", "present", "domain", "notify")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if SQL.search(line)
    ]
    assert outside == []


_WORD = r"""["'](?:todo|doing|done|verified|blocked|withdrawn|waived)["']"""
STATUS_TUPLE = re.compile(rf"[(\[{{]\s*{_WORD}(?:\s*,\s*{_WORD})+\s*,?\s*[)\]}}]")


def test_status_vocabulary_only_in_domain() -> None:
    """A tuple of status words anywhere but ``domain/`` (and the i18n catalogues) is a second
    copy of the vocabulary."""
    found = [
        f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
        for p in sorted(ROOT.rglob("*.py"))
        # shipped migrations are frozen: they spell out the schema of their day
        if p.parent.name not in ("domain", "i18n") and p.name != "migrations.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if STATUS_TUPLE.search(line)
    ]
    assert found == []


def test_module_and_function_sizes() -> None:
    too_long: list[str] = []
    for p in sorted(ROOT.rglob("*.py")):
        if p.name == "migrations.py":  # shipped migrations are never edited, whatever their size
            continue
        text = p.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{p.relative_to(ROOT)}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{p.relative_to(ROOT)}:{node.lineno} {node.name}: {length}")
    assert too_long == []
