"""What the re-key's checkpoint result means (crypto._checkpoint_rekeyed): done only when no page
under the old key can be left in the file."""

from __future__ import annotations

import pytest

from app.models import crypto


class _Conn:
    def __init__(self, answers):
        self.answers, self.calls = list(answers), 0

    def execute(self, _sql):
        self.calls += 1
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return type("Row", (), {"fetchone": lambda _self: answer})()


@pytest.fixture(autouse=True)
def no_pause(monkeypatch):
    monkeypatch.setattr(crypto, "_CHECKPOINT_PAUSE_S", 0)


@pytest.mark.parametrize("answer", [(0, 0, 0), (0, 120, 120), (0, -1, -1), (1, 120, 120)],
                         ids=["truncated", "copied", "rollback-journal", "copied-truncation-blocked"])
def test_every_frame_copied_is_done(answer):
    conn = _Conn([answer])
    crypto._checkpoint_rekeyed(conn)
    assert conn.calls == 1


def test_another_checkpoint_in_the_way_is_waited_for():
    # (1, -1, -1): another connection held the checkpoint lock; SQLite does not wait for it itself.
    conn = _Conn([(1, -1, -1), (1, -1, -1), (0, 0, 0)])
    crypto._checkpoint_rekeyed(conn)
    assert conn.calls == 3


@pytest.mark.parametrize("answers", [[(1, 120, 30)], [(1, -1, -1)]], ids=["reader", "lock-never-free"])
def test_old_pages_left_in_the_file_are_an_error(answers):
    with pytest.raises(crypto.OldPagesLeftError, match="其他程序"):
        crypto._checkpoint_rekeyed(_Conn(answers))
