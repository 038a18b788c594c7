"""The layer rule of DESIGN.md, enforced by import-linter contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root, capture_output=True, text=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


def test_project_keeps_its_layers():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.split("Contracts:")[-1].lower().replace("0 broken", "")


def _copy_project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "app", copy / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_services_importing_qt_is_caught(tmp_path):
    copy = _copy_project(tmp_path)
    (copy / "app" / "services" / "sneaky.py").write_text("from PySide6.QtCore import QObject\n")
    result = _lint(copy)
    assert result.returncode != 0
    assert "app.services.sneaky" in result.stdout


def test_models_importing_services_is_caught(tmp_path):
    copy = _copy_project(tmp_path)
    (copy / "app" / "models" / "upward.py").write_text("import app.services.findings\n")
    result = _lint(copy)
    assert result.returncode != 0
    assert "app.models.upward" in result.stdout


def test_reports_must_not_touch_the_database(tmp_path):
    copy = _copy_project(tmp_path)
    (copy / "app" / "reports").mkdir(exist_ok=True)
    (copy / "app" / "reports" / "__init__.py").touch()
    (copy / "app" / "reports" / "leaky.py").write_text("import sqlalchemy\n")
    result = _lint(copy)
    assert result.returncode != 0
    assert "app.reports.leaky" in result.stdout
