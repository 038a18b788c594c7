"""The PostgreSQL variants run wherever they can: only a developer's machine without the server's
packages skips them, with the reason; CI and `bootstrap.py test` as root (which installs them) fail."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from conftest import require_server_binaries

from pg import server

ROOT = Path(__file__).resolve().parents[2]


def load_bootstrap():
    spec = importlib.util.spec_from_file_location("bootstrap_under_test", ROOT / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def no_server(monkeypatch):
    monkeypatch.setattr(server, "available", lambda: False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("XUNCHA_REQUIRE_POSTGRESQL", raising=False)


def test_a_developer_machine_without_postgresql_skips_with_the_reason(no_server):
    with pytest.raises(pytest.skip.Exception, match="postgresql-15"):
        require_server_binaries()


@pytest.mark.parametrize("variable", ["CI", "XUNCHA_REQUIRE_POSTGRESQL"])
def test_ci_without_postgresql_fails_instead_of_skipping(no_server, monkeypatch, variable):
    monkeypatch.setenv(variable, "1")
    with pytest.raises(pytest.fail.Exception, match="must test the server variants"):
        require_server_binaries()


def test_bootstrap_as_root_requires_the_server_variants(monkeypatch):
    bootstrap = load_bootstrap()
    seen = []

    class Done:
        returncode = 0

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(bootstrap.subprocess, "run", lambda cmd, **kw: (seen.append(kw["env"]), Done())[1])
    assert bootstrap.run_tests(bootstrap.venv_python(), ["-q"]) == 0
    assert seen and all(env.get("XUNCHA_REQUIRE_POSTGRESQL") == "1" for env in seen)
    # …and bootstrap installs the server for the tests, beside Qt's libraries.
    assert "postgresql-15" in bootstrap.DEBIAN_PACKAGES["test"]
