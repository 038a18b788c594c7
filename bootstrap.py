#!/usr/bin/env python3
"""Set-up and run in one command, on a machine that has only Python 3.11+.

    python3 bootstrap.py run     launch the desktop application (database in the user's data folder;
                                 `run --db FILE` opens FILE, relative to the current folder;
                                 `run COMMAND …` runs the command line, e.g. `run --db FILE check`)
    python3 bootstrap.py test    run the whole test suite (lint, layer contracts, type check, pytest)
    python3 bootstrap.py test --floors
                                 run the tests against the lowest versions pyproject.toml allows
                                 (in .venv-floors; a subset unless pytest arguments are given)
    python3 bootstrap.py bench   print every performance budget's figure
    python3 bootstrap.py lock    re-resolve the lock files in requirements/ (after changing
                                 pyproject.toml's dependencies; needs the package index)

It creates .venv beside this file, installs the exact versions of requirements/*.txt into it, with
their hashes checked (again only when pyproject.toml or the lock changed), and on Debian/Ubuntu
installs the few system libraries Qt needs when run as root. Only the standard library is used
here, since nothing else is installed yet.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
FLOORS_VENV = ROOT / ".venv-floors"
LOCKS = ROOT / "requirements"
# What each purpose installs: the lock file, and the extras of pyproject.toml it was resolved from.
LOCK_FILES = {"run": "run.txt", "test": "test.txt", "build": "build.txt", "floors": "floors.txt"}
# The tests the floors job runs by default: every dependency's use is exercised (SQLCipher and
# Argon2, the change log and sync, PDF/Word/Excel, the window) in a few minutes; the slowest modules
# (chaos, property tests, LibreOffice, the installer) run in the main job only.
FLOOR_TESTS = [
    "tests/test_migrations.py", "tests/test_validation.py", "tests/test_search.py", "tests/test_cli.py",
    "tests/test_cli_report.py", "tests/test_issuing.py", "tests/test_installer.py",
    "tests/security/test_encryption.py", "tests/security/test_keys_at_rest.py", "tests/security/test_audit.py",
    "tests/sync/test_packages.py", "tests/sync/test_team_kit.py", "tests/sync/test_resolution.py",
    "tests/reports/test_kinds.py", "tests/reports/test_fonts.py",
    "tests/ledger/test_ledger_export.py", "tests/ledger/test_spreadsheet_exports.py",
    "tests/office/test_unit_excel.py", "tests/test_main_window.py", "tests/ui/test_findings_page.py",
]
# What Qt's offscreen and xcb platforms load on a bare Debian/Ubuntu; poppler renders PDFs in tests.
DEBIAN_PACKAGES = {
    # The installer check bundles the xcb platform plugin, so its libraries must be present too.
    "test": ["libegl1", "libgl1", "libxkbcommon0", "libxkbcommon-x11-0", "libfontconfig1", "libdbus-1-3",
             "libglib2.0-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0", "poppler-utils",
             # Opens exported and returned 整改台账 workbooks headless, as an office would (tests/ledger).
             "libreoffice-calc-nogui",
             # A private PostgreSQL 15 server the tests start for the office-server variants (tests/pg);
             # Debian's package carries pg_trgm.
             "postgresql-15"],
    "run": ["libegl1", "libgl1", "libxkbcommon0", "libxkbcommon-x11-0", "libfontconfig1", "libdbus-1-3",
            "libglib2.0-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0"],
}


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def venv_python(venv_dir: Path = VENV) -> Path:
    return venv_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_debian_packages(purpose: str) -> None:
    if not sys.platform.startswith("linux") or shutil.which("dpkg-query") is None:
        return
    wanted = DEBIAN_PACKAGES[purpose]
    missing = [
        p for p in wanted
        if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True).stdout
        != "install ok installed"
    ]
    if not missing:
        return
    if os.geteuid() != 0:
        say(f"缺少系统库 {' '.join(missing)}；请以 root 运行：apt-get install {' '.join(missing)}")
        return
    say(f"installing Debian packages: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)


def ensure_venv(purpose: str, venv_dir: Path = VENV) -> Path:
    """The virtual environment with requirements/<purpose>.txt installed exactly, and the project
    installed into it (editable, without dependencies: the lock holds every one)."""
    if sys.version_info < (3, 11):
        sys.exit("巡察工作台需要 Python 3.11 或更新版本。")
    python = venv_python(venv_dir)
    if not python.exists():
        say(f"creating virtual environment in {venv_dir}")
        venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    lock = LOCKS / LOCK_FILES[purpose]
    stamp = venv_dir / f".installed-{purpose}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + lock.read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        say(f"installing {lock.relative_to(ROOT)} (hashes checked) and the project into {venv_dir.name}")
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, "--require-hashes", "-r", str(lock)], check=True, cwd=ROOT)
        # The build backend came from the lock too, so nothing unpinned is fetched for this step.
        subprocess.run([*pip, "--no-deps", "--no-build-isolation", "-e", "."], check=True, cwd=ROOT)
        stamp.write_text(digest)
    return python


def run_tests(python: Path, pytest_args: list[str]) -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if sys.platform.startswith("linux") and os.geteuid() == 0:
        # As root bootstrap installed postgresql-15: the server variants must run, never skip.
        env["XUNCHA_REQUIRE_POSTGRESQL"] = "1"
    bindir = python.parent
    steps = [
        [str(bindir / "ruff"), "check", "app", "tests", "installer"],
        [str(bindir / "lint-imports"), "--no-cache"],
        # Configured in pyproject.toml ([tool.mypy]): the application, the installer and this file.
        [str(python), "-m", "mypy"],
        [str(python), "-m", "pytest", *pytest_args],
    ]
    return run_steps(steps, env)


def run_floor_tests(pytest_args: list[str]) -> int:
    """The tests against the lowest versions pyproject.toml allows (requirements/floors.txt), in
    their own environment, so a floor that is not true fails here rather than on a user's machine."""
    python = ensure_venv("floors", FLOORS_VENV)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    versions = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
                              capture_output=True, text=True, check=True).stdout.split()
    say("floors: " + " ".join(versions))
    return run_steps([[str(python), "-m", "pytest", *(pytest_args or ["-q", *FLOOR_TESTS])]], env)


def run_steps(steps: list[list[str]], env: dict[str, str]) -> int:
    for step in steps:
        say(" ".join(Path(step[0]).name if i == 0 else a for i, a in enumerate(step)))
        code = subprocess.run(step, cwd=ROOT, env=env).returncode
        if code != 0:
            return code
    return 0


def lock() -> int:
    """Re-resolve every lock file with uv (the test lock's, or the newest when .venv has none yet).

    test.txt is resolved first, for every platform and Python from 3.11 on; run.txt and build.txt
    are resolved under its pins, so each is a subset of what the tests ran with. floors.txt takes
    the lowest version of each direct dependency (CI's platform: Linux, Python 3.11).
    """
    python = venv_python()
    if not python.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    uv = str(python.parent / ("uv.exe" if os.name == "nt" else "uv"))
    if not Path(uv).exists():
        # Only a resolver: it never reaches the application or its tests.
        subprocess.run([str(python), "-m", "pip", "install", "-q", "uv"], check=True, cwd=ROOT)
    tools = str(LOCKS / "tools.in")
    base = [uv, "pip", "compile", "--quiet", "--generate-hashes", "--python-version", "3.11",
            "--custom-compile-command", "python3 bootstrap.py lock", "pyproject.toml", tools]
    universal = [*base, "--universal"]
    test = str(LOCKS / LOCK_FILES["test"])
    runs = [
        [*universal, "--extra", "test", "--extra", "build", "-o", test],
        [*universal, "-c", test, "-o", str(LOCKS / LOCK_FILES["run"])],
        [*universal, "--extra", "build", "-c", test, "-o", str(LOCKS / LOCK_FILES["build"])],
        [*base, "--extra", "test", "--resolution", "lowest-direct", "--python-platform", "x86_64-manylinux_2_28",
         "-o", str(LOCKS / LOCK_FILES["floors"])],
    ]
    for command in runs:
        say(" ".join(command[1:]))
        code = subprocess.run(command, cwd=ROOT).returncode
        if code != 0:
            return code
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "bench", "lock"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "test":
        ensure_debian_packages("test")
        if rest[:1] == ["--floors"]:
            return run_floor_tests(rest[1:])
        return run_tests(ensure_venv("test"), rest)
    if command == "lock":
        return lock()
    env = dict(os.environ)
    args = rest if command == "run" else ["bench", *rest]
    if command == "run" and opens_window(rest) and not has_display(env):
        # The window (and its first-start or login dialog) would wait forever where nobody sees it.
        print("[bootstrap] 没有图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开窗口。请在桌面环境中运行；"
              "不需要窗口的工作可用命令行，例如：python3 bootstrap.py run --help", file=sys.stderr)
        return 2
    ensure_debian_packages("run")
    python = ensure_venv("run")
    # The caller's folder, not the project's: `--db demo.sqlite3` (and every other relative path)
    # means the file where the user typed it.
    return subprocess.run([str(python), "-m", "app", *absolute_db(args)], cwd=Path.cwd(), env=env).returncode


def opens_window(args: list[str]) -> bool:
    """`run` with only --db (or nothing) opens the window; anything else is a command-line call."""
    rest, i = [], 0
    while i < len(args):
        if args[i] == "--db":
            i += 2
            continue
        if not args[i].startswith("--db="):
            rest.append(args[i])
        i += 1
    return not rest


def has_display(env: dict[str, str]) -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def is_url(value: str) -> bool:
    """A server database (`postgresql://…`) is passed on as typed, not taken for a file name."""
    return value.lower().startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def absolute_db(args: list[str], cwd: Path | None = None) -> list[str]:
    """--db FILE relative to the caller's folder, made absolute (the program may change folder)."""
    cwd = cwd or Path.cwd()
    out, i = [], 0
    while i < len(args):
        arg = args[i]
        if arg == "--db" and i + 1 < len(args):
            given = args[i + 1]
            out += ["--db", given if is_url(given) else str((cwd / Path(given).expanduser()).resolve())]
            i += 2
            continue
        if arg.startswith("--db=") and not is_url(arg.split("=", 1)[1]):
            arg = "--db=" + str((cwd / Path(arg.split("=", 1)[1]).expanduser()).resolve())
        out.append(arg)
        i += 1
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
