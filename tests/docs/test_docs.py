"""The documentation is the repository's own: docs/cli.md matches the commands' help, and no
document cites anything outside the repository."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "gen_cli_docs.py"
CLI_MD = REPO / "docs" / "cli.md"
DOCUMENTS = sorted(
    [REPO / "README.md", REPO / "CHANGELOG.md", *(REPO / "docs").rglob("*.md")],
    key=lambda p: p.relative_to(REPO).as_posix(),
)
OUTSIDE = ("../shared", "shared/spec")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ids(paths: list[Path]) -> list[str]:
    return [p.relative_to(REPO).as_posix() for p in paths]


def test_cli_md_is_up_to_date() -> None:
    expected = _generator().render()
    current = CLI_MD.read_text(encoding="utf-8") if CLI_MD.exists() else ""
    assert current == expected, (
        "docs/cli.md is stale: run `python scripts/gen_cli_docs.py` and commit docs/cli.md"
    )


def test_cli_md_does_not_depend_on_the_terminal_or_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gen = _generator()
    plain = gen.render()
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("TRACKER_LANG", "zh")
    monkeypatch.setenv("TRACKER_DB", "/nowhere/other.db")
    monkeypatch.setenv("TRACKER_TODAY", "2021-01-04")
    monkeypatch.setenv("TRACKER_USER", "someone-else")
    assert gen.render() == plain


def test_cli_md_lists_every_command_in_help_order() -> None:
    from tracker.cli import COMMAND_ORDER

    text = CLI_MD.read_text(encoding="utf-8")
    sections = [line[3:] for line in text.splitlines() if line.startswith("## tracker")]
    expected = ["tracker"]
    for name in COMMAND_ORDER:
        expected.append(f"tracker {name}")
        if name == "report":
            expected += [f"tracker report {sub}" for sub in ("weekly", "monthly", "quarterly")]
        if name == "people":
            expected += [
                f"tracker people {sub}" for sub in ("add", "list", "remove", "import", "passwd")
            ]
    assert sections == expected


def test_check_mode_fails_on_a_stale_file_and_the_script_rewrites_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gen = _generator()
    target = tmp_path / "cli.md"
    target.write_text("# an old reference\n", encoding="utf-8")
    monkeypatch.setattr(gen, "CLI_MD", target)

    assert gen.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "stale" in err and "python scripts/gen_cli_docs.py" in err

    assert gen.main([]) == 0
    assert target.read_text(encoding="utf-8") == gen.render()
    assert gen.main(["--check"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("path", DOCUMENTS, ids=_ids(DOCUMENTS))
def test_documents_cite_nothing_outside_the_repository(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for needle in OUTSIDE:
        assert needle not in text, f"{path.relative_to(REPO)} mentions {needle}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=_ids(DOCUMENTS))
def test_relative_links_point_into_the_repository(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        resolved = (path.parent / target.split("#", 1)[0]).resolve()
        assert resolved.is_relative_to(REPO), f"{path.name}: {target} leaves the repository"
        assert resolved.exists(), f"{path.name}: {target} does not exist"
