"""Every package the application imports is declared in pyproject.toml, so a fresh machine (CI, a
user's install, the installer build) gets it: a package installed by hand in a developer's
environment once hid a missing declaration until CI failed on every list of names."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_levels() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "app"}


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normal(re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}


def test_every_imported_package_is_a_declared_dependency():
    distributions = packages_distributions()
    declared = _declared()
    # PySide6-Essentials installs the PySide6 and shiboken6 modules.
    declared |= {"pyside6", "shiboken6"} if "pyside6-essentials" in declared else set()
    undeclared = {}
    for module in sorted(_imported_top_levels()):
        owners = {_normal(d) for d in distributions.get(module, [])} or {_normal(module)}
        if owners.isdisjoint(declared):
            undeclared[module] = sorted(owners)
    assert not undeclared, f"imported by app/ but not in pyproject.toml's dependencies: {undeclared}"
