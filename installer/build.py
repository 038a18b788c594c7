"""Build the one-folder bundle of 巡察工作台 for this OS, report its size, and on Windows the installer.

    python installer/build.py                  bundle into dist/xuncha/ (and dist/xuncha-setup-*.exe on Windows)
    python installer/build.py --self-test      ... then run the bundle's --self-test in a clean environment
    python installer/build.py --report-only    only print the size report of an existing dist/xuncha/

Run it with the Python that has the application installed from the lock file:

    python -m pip install --require-hashes -r requirements/build.txt
    python -m pip install --no-deps --no-build-isolation -e .

PyInstaller freezes what that environment holds, so the build first checks that it holds exactly
the versions requirements/build.txt pins (the ones the tests ran with; `--unlocked` skips the check
for an experiment, never for a release). Standard library and PyInstaller (with its `packaging`)
only. On Windows, Inno Setup 6 (ISCC.exe on PATH, in its default folder, or given with --iscc) turns
the bundle into dist/xuncha-setup-VERSION.exe; without it the bundle is still built and the step is
skipped.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "xuncha.spec"
LOCK = ROOT / "requirements" / "build.txt"
ISS = HERE / "xuncha.iss"
NAME = "xuncha"
WINDOWS = sys.platform.startswith("win")
TOP_FILES = 15


def version() -> str:
    text = (ROOT / "app" / "__init__.py").read_text("utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if not match:
        raise SystemExit("build: no __version__ in app/__init__.py")
    return match.group(1)


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0]


def _install_hint() -> str:
    return (f'Run: "{sys.executable}" -m pip install --require-hashes -r "{LOCK}", then '
            f'"{sys.executable}" -m pip install --no-deps --no-build-isolation -e "{ROOT}"')


def locked_versions(lock: Path = LOCK) -> dict[str, str]:
    """name → version of every pin of the lock file that applies to this platform and Python."""
    from packaging.markers import Marker
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    for line in lock.read_text("utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if match and (match.group(3) is None or Marker(match.group(3)).evaluate()):
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def unlocked_packages(pins: dict[str, str]) -> list[str]:
    """Pinned packages this environment lacks or holds in another version, as `name X (lock: Y)`."""
    found = []
    for name, wanted in sorted(pins.items()):
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} missing (lock: {wanted})")
            continue
        if have != wanted:
            found.append(f"{name} {have} (lock: {wanted})")
    return found


def preflight(*, check_lock: bool = True) -> None:
    """Fail early, and clearly, when this Python cannot produce a complete bundle of the tested versions."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    missing = []
    for requirement in [*project["dependencies"], "pyinstaller"]:
        name = _requirement_name(requirement)
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        raise SystemExit(f"build: not installed in {sys.prefix}: {', '.join(missing)}. {_install_hint()}")
    if check_lock:
        wrong = unlocked_packages(locked_versions())
        if wrong:
            raise SystemExit(f"build: {sys.prefix} does not hold the versions of {LOCK.relative_to(ROOT)}: "
                             f"{'; '.join(wrong)}. {_install_hint()}")


def build_bundle(dist: Path, work: Path, clean: bool) -> Path:
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work)]
    if clean:
        command.append("--clean")
    print("build: " + " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, check=True)
    bundle = dist / NAME
    if not executable(bundle).is_file():
        raise SystemExit(f"build: PyInstaller finished but {executable(bundle)} is missing")
    return bundle


def executable(bundle: Path, console: bool = True) -> Path:
    """The program to run commands with: on Windows the console build, elsewhere the one executable."""
    if WINDOWS:
        return bundle / (f"{NAME}-cli.exe" if console else f"{NAME}.exe")
    return bundle / NAME


# --- size report -----------------------------------------------------------------------------------

def _mib(size: int) -> str:
    return f"{size / 2**20:7.1f} MiB"


def size_report(bundle: Path, top: int = TOP_FILES) -> str:
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    sizes = {p: p.stat().st_size for p in files}
    total = sum(sizes.values())
    groups: dict[str, int] = {}
    for path, size in sizes.items():
        rel = path.relative_to(bundle).parts
        inner = rel[1:] if rel[0] == "_internal" and len(rel) > 1 else rel
        key = "/".join(inner[:2]) if inner[0] in ("PySide6", "resources") and len(inner) > 2 else inner[0]
        groups[key] = groups.get(key, 0) + size
    lines = [f"bundle {bundle}: {_mib(total).strip()} in {len(files)} files", f"largest {top} files:"]
    for path, size in sorted(sizes.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"  {_mib(size)}  {path.relative_to(bundle).as_posix()}")
    lines.append("largest parts:")
    for key, size in sorted(groups.items(), key=lambda item: -item[1])[:10]:
        lines.append(f"  {_mib(size)}  {key}")
    return "\n".join(lines)


# --- self-test in a clean environment -------------------------------------------------------------

def clean_environment(home: Path) -> dict[str, str]:
    """No Python on PATH, no virtualenv, a throwaway home and temp folder, no display."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "tmp").mkdir(exist_ok=True)
    (home / "bin").mkdir(exist_ok=True)
    env = {"PATH": str(home / "bin"), "HOME": str(home), "TMPDIR": str(home / "tmp"),
           "TEMP": str(home / "tmp"), "TMP": str(home / "tmp"), "QT_QPA_PLATFORM": "offscreen",
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    if WINDOWS:
        # Windows needs these to start any program; none of them leads to a Python.
        for name in ("SYSTEMROOT", "WINDIR", "COMSPEC"):
            if name in os.environ:
                env[name] = os.environ[name]
        system = Path(os.environ.get("SYSTEMROOT", r"C:\Windows"))
        env["PATH"] = os.pathsep.join([str(system / "System32"), str(system)])
        env.update({"USERPROFILE": str(home), "LOCALAPPDATA": str(home / "AppData" / "Local"),
                    "APPDATA": str(home / "AppData" / "Roaming")})
    return env


def run_self_test(bundle: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="xuncha-build-selftest-") as tmp:
        env = clean_environment(Path(tmp) / "home")
        program = executable(bundle)
        print(f"build: {program} --self-test (clean environment, PATH={env['PATH']})", flush=True)
        return subprocess.run([str(program), "--self-test"], env=env, cwd=tmp, timeout=300).returncode


# --- the Windows installer -------------------------------------------------------------------------

def find_iscc(given: str | None) -> Path | None:
    if given:
        return Path(given)
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    roots = [os.environ.get(name) for name in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA")]
    for root in filter(None, roots):
        for sub in ("Inno Setup 6", os.path.join("Programs", "Inno Setup 6")):
            candidate = Path(root) / sub / "ISCC.exe"
            if candidate.is_file():
                return candidate
    return None


def build_installer(bundle: Path, dist: Path, iscc: Path, chinese_isl: str | None) -> Path:
    app_version = version()
    command = [str(iscc), f"/DSourceDir={bundle}", f"/DAppVersion={app_version}", f"/O{dist}"]
    if chinese_isl:
        command.append(f"/DChineseIsl={Path(chinese_isl).resolve()}")
    command.append(str(ISS))
    print("build: " + " ".join(command), flush=True)
    subprocess.run(command, check=True)
    setup = dist / f"{NAME}-setup-{app_version}.exe"
    if not setup.is_file():
        raise SystemExit(f"build: ISCC finished but {setup} is missing")
    return setup


# --- command line ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller work folder")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first (slower)")
    parser.add_argument("--report-only", action="store_true", help="do not build; report the existing bundle")
    parser.add_argument("--self-test", action="store_true", help="run the bundle's --self-test afterwards")
    parser.add_argument("--no-installer", action="store_true", help="Windows: skip Inno Setup")
    parser.add_argument("--unlocked", action="store_true",
                        help="freeze whatever versions are installed (experiments only; a release uses the lock)")
    parser.add_argument("--iscc", help="Windows: path to ISCC.exe (default: PATH, then Inno Setup 6's folders)")
    parser.add_argument("--chinese-isl", help="Windows: ChineseSimplified.isl to use for the setup's language "
                        "(default: installer/ChineseSimplified.isl or Inno Setup's Languages folder)")
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    started = time.perf_counter()

    if args.report_only:
        bundle = dist / NAME
        if not bundle.is_dir():
            raise SystemExit(f"build: no bundle at {bundle}; build it first")
    else:
        preflight(check_lock=not args.unlocked)
        bundle = build_bundle(dist, args.work.resolve(), args.clean)
        print(f"build: bundle built in {time.perf_counter() - started:.0f} s", flush=True)
    print(size_report(bundle), flush=True)

    if args.self_test:
        code = run_self_test(bundle)
        if code != 0:
            print(f"build: the bundle's self-test failed (exit status {code})", file=sys.stderr)
            return code

    if WINDOWS and not args.report_only and not args.no_installer:
        iscc = find_iscc(args.iscc)
        if iscc is None:
            print("build: Inno Setup 6 (ISCC.exe) not found: installer skipped. Install it from "
                  "jrsoftware.org or pass --iscc PATH.", file=sys.stderr)
        else:
            setup = build_installer(bundle, dist, iscc, args.chinese_isl)
            print(f"build: installer {setup} ({_mib(setup.stat().st_size).strip()})")
    print(f"build: done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
