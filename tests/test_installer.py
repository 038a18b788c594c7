"""The frozen bundle works on a machine without Python: build it, copy it away, run it.

The bundle tests are slow (a PyInstaller build: about a minute here, more on a cold cache), so they
run only when asked; the self-test from source runs always:

    XUNCHA_BUILD_INSTALLER=1 .venv/bin/python -m pytest tests/test_installer.py
    .venv/bin/python -m pytest -m installer

XUNCHA_BUNDLE=PATH tests an already built bundle folder instead of building one.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = ROOT / "installer" / "build.py"

installer = pytest.mark.installer


def _build_module():
    spec = importlib.util.spec_from_file_location("xuncha_installer_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def _only_when_asked(request):
    asked = os.environ.get("XUNCHA_BUILD_INSTALLER") == "1" or "installer" in (request.config.option.markexpr or "")
    if not asked:
        pytest.skip("builds the PyInstaller bundle (minutes): set XUNCHA_BUILD_INSTALLER=1 or run with -m installer")


@pytest.fixture(scope="module")
def build():
    return _build_module()


@pytest.fixture(scope="module")
def bundle(_only_when_asked, build, tmp_path_factory) -> Path:
    """The bundle, copied to a fresh folder away from the source tree and the virtualenv."""
    given = os.environ.get("XUNCHA_BUNDLE")
    if given:
        source = Path(given)
    else:
        started = time.perf_counter()
        subprocess.run([sys.executable, str(BUILD_SCRIPT), "--no-installer"], cwd=ROOT, check=True, timeout=3600)
        print(f"\nbundle built in {time.perf_counter() - started:.0f} s")
        source = ROOT / "dist" / "xuncha"
    target = tmp_path_factory.mktemp("installed") / "xuncha"
    shutil.copytree(source, target, symlinks=True)
    print(build.size_report(target))
    return target


@pytest.fixture
def clean_env(build, tmp_path) -> dict[str, str]:
    env = build.clean_environment(tmp_path / "home")
    assert shutil.which("python3", path=env["PATH"]) is None
    assert shutil.which("python", path=env["PATH"]) is None
    return env


# --- from source: fast, always run ---------------------------------------------------------------

def test_self_test_from_source():
    result = subprocess.run([sys.executable, "-m", "app", "--self-test"], cwd=ROOT, capture_output=True, text=True,
                            encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr
    assert "(source," in result.stdout and "self-test passed" in result.stdout
    assert "demo words: " in result.stdout  # the first-start demo's phrase tables are where it looks


def test_self_test_fails_in_one_line(monkeypatch, tmp_path, capsys):
    from app import selftest

    monkeypatch.setenv("XUNCHA_FONTS_DIR", str(tmp_path / "no-fonts"))
    assert selftest.main() == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("self-test failed: pdf: bundled font missing:"), err


# --- the frozen bundle: slow, only when asked ---------------------------------------------------

def _run(program: Path, args: list[str], env: dict[str, str], cwd: Path, timeout: float = 300):
    return subprocess.run([str(program), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=timeout)


@installer
def test_self_test_passes_without_python(build, bundle, clean_env, tmp_path):
    result = _run(build.executable(bundle), ["--self-test"], clean_env, tmp_path)
    print(result.stdout)
    assert result.returncode == 0, result.stderr
    assert "(frozen," in result.stdout
    assert "ok  database:" in result.stdout
    assert "ok  pdf:" in result.stdout
    assert "ok  demo words:" in result.stdout  # resources/demo is in the bundle
    assert "self-test passed" in result.stdout
    # It worked in a temporary folder: nothing was written to the user's home or data folder.
    home = Path(clean_env["HOME"])
    assert not [p for p in home.rglob("*") if p.is_file()]
    assert not list((home / "tmp").iterdir())


@installer
def test_self_test_reports_a_broken_bundle_in_one_line(build, bundle, clean_env, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(bundle, broken, symlinks=True)
    fonts = next(broken.rglob("resources/fonts"))
    (fonts / "FandolFang-Regular.ttf").unlink()
    result = _run(build.executable(broken), ["--self-test"], clean_env, tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("self-test failed: pdf: bundled font missing:")


@installer
def test_command_line_works_frozen(build, bundle, clean_env, tmp_path):
    clean_env["XUNCHA_PASSWORD"] = "selftest-password"  # a new database may be encrypted
    db = tmp_path / "cli.sqlite3"
    result = _run(build.executable(bundle), ["--db", str(db), "init"], clean_env, tmp_path)
    assert result.returncode == 0, result.stderr
    result = _run(build.executable(bundle), ["--db", str(db), "check", "--json"], clean_env, tmp_path)
    assert result.returncode == 0, result.stderr


def _window_stays_up(program: Path, env: dict[str, str], cwd: Path, seconds: float = 12) -> None:
    """Start the window; it must still be running after `seconds` and have printed no traceback."""
    process = subprocess.Popen([str(program)], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8", errors="replace")
    try:
        time.sleep(seconds)
        alive = process.poll() is None
    finally:
        process.terminate()
        try:
            _out, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, err = process.communicate()
    assert alive, f"the window exited with status {process.returncode}: {err}"
    assert "Traceback" not in err, err
    assert "Could not load the Qt platform plugin" not in err, err


@installer
def test_window_starts_offscreen(build, bundle, clean_env, tmp_path):
    # Offscreen nobody could answer the first-start wizard: the window needs to be told it may run so.
    from app.ui.application import ALLOW_HEADLESS

    env = {**clean_env, "XUNCHA_DATA_DIR": str(tmp_path / "data"), ALLOW_HEADLESS: "1"}
    _window_stays_up(build.executable(bundle, console=False), env, tmp_path)


@installer
@pytest.mark.skipif(sys.platform != "linux" or not shutil.which("Xvfb"), reason="needs Xvfb (Debian: xvfb)")
def test_window_starts_on_x11(build, bundle, clean_env, tmp_path):
    """The xcb platform plugin and the libraries it needs are all in the bundle or on the system."""
    server = subprocess.Popen([shutil.which("Xvfb"), "-displayfd", "1", "-nolisten", "tcp", "-screen", "0",
                               "1280x800x24"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        display = server.stdout.readline().strip()
        assert display, "Xvfb did not start"
        env = {**clean_env, "DISPLAY": f":{display}", "QT_QPA_PLATFORM": "xcb",
               "XUNCHA_DATA_DIR": str(tmp_path / "data")}
        _window_stays_up(build.executable(bundle, console=False), env, tmp_path)
    finally:
        server.terminate()
        server.wait(timeout=20)


@installer
def test_bundle_is_lean(bundle):
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*")}
    # Test tools by their folder (pypdfium2, the 公文 preview's renderer, is wanted: not "pypdf").
    unwanted_packages = {"pytest", "_pytest", "hypothesis", "pypdf", "pdfplumber", "pdfminer", "fontTools", "importlinter"}
    unwanted = ("Qt6Quick", "Qt6Qml", "Qt6WebEngine", "Qt6Network", "Qt6Pdf", "opengl32sw", "plugins/sqldrivers",
                "plugins/platformthemes", "qml/")
    found = sorted({n for n in names for u in unwanted if u in n}
                   | {n for n in names if unwanted_packages & set(n.split("/"))})
    assert not found, found
    # The application's own files are there as files: Alembic reads the migrations from disk.
    assert any(n.endswith("app/models/migrations/env.py") for n in names)
    assert any("app/models/migrations/versions/0001" in n for n in names)
    assert any(n.endswith("app/models/migrations/sqlite_head.json") for n in names)  # fast new databases
    assert any(n.endswith("resources/translations/xuncha_en.qm") for n in names)
    assert any(n.endswith("PySide6/Qt/translations/qtbase_zh_CN.qm") or n.endswith("PySide6/translations/qtbase_zh_CN.qm")
               for n in names)
    total = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    assert total < 260 * 2**20, f"bundle grew to {total / 2**20:.0f} MiB"
