"""No function in app/ longer than a screen and a half (issue 17): a long function is split into named
steps, so the next person reads what it does from the names. Generated migrations are exempt."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 80


def long_functions(folder: Path, limit: int = LIMIT) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        if "migrations" in path.parts and "versions" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > limit:
                    found.append(f"{path.relative_to(folder.parent)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_function_in_the_application_is_over_80_lines():
    assert long_functions(ROOT / "app") == []


def test_the_rule_sees_a_long_function(tmp_path):
    package = tmp_path / "app"
    package.mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(LIMIT))
    (package / "long.py").write_text(f"def too_long():\n{body}\n", encoding="utf-8")
    (package / "migrations" / "versions").mkdir(parents=True)
    (package / "migrations" / "versions" / "0001.py").write_text(f"def upgrade():\n{body}\n", encoding="utf-8")
    assert long_functions(package) == [f"app/long.py:1 too_long ({LIMIT + 1} lines)"]


def test_a_function_at_the_limit_passes(tmp_path):
    package = tmp_path / "app"
    package.mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(LIMIT - 1))
    (package / "short.py").write_text(f"def fits():\n{body}\n", encoding="utf-8")
    assert long_functions(package) == []
