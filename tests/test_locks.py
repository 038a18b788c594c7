"""The lock files say what pyproject.toml says, the floors are the versions the floors job tests, and
the version has one source.

A dependency added to pyproject.toml without `python3 bootstrap.py lock`, a hand-edited pin outside
its range, a floor raised in one place only, or a second version string would each install
something nobody tested; these tests name it instead.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

import app

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
_HASH = re.compile(r"^\s+--hash=sha256:[0-9a-f]{64}")


def requirements(*extras: str) -> list[Requirement]:
    found = [Requirement(r) for r in PROJECT["dependencies"]]
    for extra in extras:
        found += [Requirement(r) for r in PROJECT["optional-dependencies"][extra]]
    tools = (LOCKS / "tools.in").read_text("utf-8").splitlines()
    return found + [Requirement(line) for line in tools if line.strip() and not line.startswith("#")]


def pins(lock: str) -> dict[str, list[Version]]:
    """name → every version the lock pins it at (a universal lock may pin one per environment)."""
    found: dict[str, list[Version]] = defaultdict(list)
    for line in (LOCKS / lock).read_text("utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            found[canonicalize_name(match.group(1))].append(Version(match.group(2)))
    return found


# lock file → the extras of pyproject.toml it is resolved from (bootstrap.py `lock`)
LOCK_EXTRAS = {"test.txt": ("test", "build"), "run.txt": (), "build.txt": ("build",), "floors.txt": ("test",)}


@pytest.mark.parametrize("lock", sorted(LOCK_EXTRAS))
def test_every_lock_pins_every_requirement_within_its_range(lock):
    pinned = pins(lock)
    problems = []
    for req in requirements(*LOCK_EXTRAS[lock]):
        versions = pinned.get(canonicalize_name(req.name))
        if not versions:
            problems.append(f"{req.name} is not pinned")
        problems += [f"{req.name}=={v} is outside {req.specifier}" for v in versions or [] if v not in req.specifier]
    assert not problems, f"requirements/{lock} is stale (run `python3 bootstrap.py lock`): " + "; ".join(problems)


@pytest.mark.parametrize("lock", sorted(LOCK_EXTRAS))
def test_every_pin_carries_its_hashes(lock):
    lines = (LOCKS / lock).read_text("utf-8").splitlines()
    unhashed = [line.split("==")[0] for n, line in enumerate(lines)
                if _PIN.match(line) and not (n + 1 < len(lines) and _HASH.match(lines[n + 1]))]
    assert not unhashed


@pytest.mark.parametrize("lock", ["run.txt", "build.txt"])
def test_the_program_runs_and_is_frozen_with_the_tested_versions(lock):
    tested = pins("test.txt")
    differs = {name: (versions, tested.get(name)) for name, versions in pins(lock).items()
               if set(versions) - set(tested.get(name, []))}
    assert not differs, f"requirements/{lock} pins versions the tests did not run with: {differs}"


def test_the_floors_job_tests_exactly_the_declared_floors():
    pinned = pins("floors.txt")
    wrong = []
    for req in requirements("test"):
        floors = [Version(s.version) for s in req.specifier if s.operator == ">="]
        if floors and pinned.get(canonicalize_name(req.name)) != [max(floors)]:
            wrong.append(f"{req.name}: declared >={max(floors)}, floors job installs {pinned.get(canonicalize_name(req.name))}")
    assert not wrong, "; ".join(wrong)


def test_the_version_has_one_source():
    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    assert importlib.metadata.version("xuncha-workbench") == app.__version__
    spec = importlib.util.spec_from_file_location("xuncha_installer_build", ROOT / "installer" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.version() == app.__version__


def test_the_installer_build_names_every_package_that_differs_from_the_lock(tmp_path):
    spec = importlib.util.spec_from_file_location("xuncha_installer_build", ROOT / "installer" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    lock = tmp_path / "build.txt"
    pytest_version = importlib.metadata.version("pytest")
    lock.write_text(
        f"pytest=={pytest_version} \\\n    --hash=sha256:{'0' * 64}\n"
        "orjson==0.0.1 \\\n    --hash=sha256:" + "1" * 64 + "\n"
        "no-such-package-here==1.0 \\\n    --hash=sha256:" + "2" * 64 + "\n"
        "pywin32-ctypes==0.2.3 ; sys_platform == 'never' \\\n    --hash=sha256:" + "3" * 64 + "\n",
        "utf-8")
    pinned = build.locked_versions(lock)
    assert set(pinned) == {"pytest", "orjson", "no-such-package-here"}  # a marker that does not apply is skipped
    assert build.unlocked_packages(pinned) == [
        "no-such-package-here missing (lock: 1.0)",
        f"orjson {importlib.metadata.version('orjson')} (lock: 0.0.1)",
    ]
