"""The bench's re-key figure: an encrypted copy of the bench database built once beside it and reused,
an account disabled on a throw-away copy of it, beside the baseline of copying the same bytes."""

from __future__ import annotations

import pytest

from app.models import crypto
from app.services import auth, rekey_benchmark
from app.services.setup import open_database


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    from argon2 import PasswordHasher

    monkeypatch.setattr(crypto, "KDF_PARAMS", {"name": "argon2id", "time_cost": 1, "memory_kib": 8 * 1024,
                                               "parallelism": 1})
    monkeypatch.setattr(auth, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))


def test_the_rekey_figure_is_measured_on_an_encrypted_copy_built_once(tmp_path, monkeypatch):
    plain = tmp_path / "demo-1-0012.sqlite3"
    open_database(plain, create=True).db.dispose()
    said: list[str] = []
    figures = {f.id: f for f in rekey_benchmark.rekey_figures(plain, said.append)}
    assert (figures["rekey"].unit, figures["rekey"].budget) == ("s", 60.0)
    assert figures["rekey"].value > 0 and figures["rekey_cpu"].value > 0 and figures["rekey_copy_baseline"].value > 0
    assert figures["rekey_ratio_copy"].unit == "×"
    assert "更换密钥 100%" in said
    copy = tmp_path / "demo-1-0012-encrypted.sqlite3"
    assert crypto.is_encrypted(copy) and crypto.keyfile_path(copy).exists()
    # Only the cached copy is left behind: the measured one is removed with its files.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([plain.name, copy.name, copy.name + ".keys"])

    def no_second_build(*_args, **_kwargs):
        raise AssertionError("the encrypted copy is built once")

    monkeypatch.setattr(crypto, "export_encrypted", no_second_build)
    again = {f.id: f for f in rekey_benchmark.rekey_figures(plain, said.append)}
    assert again["rekey"].value > 0 and any("复用" in line for line in said)
    # The cached copy itself was never re-keyed: it still opens with its administrator's password.
    open_database(copy, username=rekey_benchmark.ADMIN, password=rekey_benchmark._ADMIN_PASSWORD).db.dispose()
