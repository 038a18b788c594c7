"""Server URLs as people type them: TLS with the certificate checked unless the URL says otherwise,
passwords never shown, and libpq's refusals as one Chinese line."""

from __future__ import annotations

import pytest

from app.models.db import Database, display_url


@pytest.mark.parametrize("url, sslmode", [
    ("postgresql://xuncha_app@db.office.example/xuncha", "verify-full"),
    ("postgres://xuncha_app@10.0.0.5:5432/xuncha", "verify-full"),
    ("postgresql://xuncha_app@db.office.example/xuncha?sslmode=require", "require"),
    ("postgresql://xuncha_app@localhost/xuncha?sslmode=disable", "disable"),
    ("postgresql://xuncha_app@/xuncha?host=/var/run/postgresql", None),  # a unix socket: no TLS to ask for
    ("postgresql://xuncha_app@/xuncha", None),
])
def test_over_the_network_tls_is_required_and_checked_by_default(url, sslmode):
    db = Database.open_url(url)  # builds the engine; connects to nothing
    try:
        assert db.engine.url.query.get("sslmode") == sslmode
    finally:
        db.dispose()


def test_the_password_is_never_shown(monkeypatch):
    monkeypatch.setenv("XUNCHA_DB_PASSWORD", "秘密-口令")
    db = Database.open_url("postgresql://xuncha_app@db.office.example/xuncha")
    try:
        assert db.engine.url.password == "秘密-口令"
        assert "秘密" not in db.location and "秘密" not in display_url("postgresql://u:秘密@h/x")
    finally:
        db.dispose()
