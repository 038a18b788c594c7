"""`xuncha bench` times the launch as the user feels it: a new `xuncha --db FILE` process until its
window (or a team laptop's login dialog) is usable, beside a bare PySide6 window's process. Starts
real processes (a few seconds)."""

from __future__ import annotations

from pathlib import Path

from app.services.benchmark import launch_figures


def test_launch_is_timed_in_new_processes_beside_a_bare_window(world):
    world.finding()
    path = Path(world.ctx.db.url.removeprefix("sqlite:///"))
    world.ctx.db.dispose()

    figures = {f.id: f for f in launch_figures(path, repeat=1, login=False)}

    launch, bare, ratio = figures["launch_process"], figures["launch_bare_pyside6"], figures["launch_ratio_bare_pyside6"]
    assert launch.unit == bare.unit == "ms" and launch.budget == 1500
    # The application does everything the bare window does and more: its database, its pages.
    assert 0 < bare.value < launch.value < 120_000
    assert abs(ratio.value - launch.value / bare.value) < 1e-9 and ratio.budget == 4.0


def test_the_launch_to_a_team_laptops_login_dialog_is_timed_beside_the_bare_window(world):
    """An encrypted file with an account (made by the bench) asks who is working: the figure runs
    until that dialog takes input, under the same launch budget, with its ratio to the bare window."""
    path = Path(world.ctx.db.url.removeprefix("sqlite:///"))
    world.ctx.db.dispose()

    figures = {f.id: f for f in launch_figures(path, repeat=1)}

    login, bare, ratio = (figures[k] for k in ("launch_login_dialog", "launch_bare_pyside6",
                                                "launch_login_ratio_bare_pyside6"))
    assert login.unit == "ms" and login.budget == 1500 and ratio.unit == "×" and ratio.budget == 4.0
    assert 0 < bare.value < login.value < 120_000  # a real dialog of the application, not the bare window
    assert abs(ratio.value - login.value / bare.value) < 1e-9
    ids = list(figures)
    assert ids.index("launch_login_dialog") > ids.index("launch_ratio_bare_pyside6")  # after the window's launch


def test_the_launch_runs_from_byte_code_even_where_writing_it_is_off(monkeypatch, tmp_path):
    """As installed (the bundle ships byte-code), not recompiling every module on every measured
    launch: with PYTHONDONTWRITEBYTECODE set the launches write and read byte-code in the user's
    cache folder, never beside the sources."""
    from app.services.benchmark import _bytecode_env

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    env = _bytecode_env()
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert Path(env["PYTHONPYCACHEPREFIX"]).is_relative_to(tmp_path / "cache")
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE")
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    assert "PYTHONPYCACHEPREFIX" not in _bytecode_env()  # byte-code is written beside the sources as usual
