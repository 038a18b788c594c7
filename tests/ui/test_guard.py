"""The "changing it ourselves" flag is cleared however its block ends."""

from __future__ import annotations

import pytest

from app.ui.widgets.guard import Guard


def test_a_guard_is_set_inside_its_block_only_and_cleared_when_the_block_raises():
    guard = Guard()
    assert not guard
    with guard:
        assert guard
        with guard:  # nested: still set until the outer block ends
            pass
        assert guard
    assert not guard
    with pytest.raises(RuntimeError), guard:
        raise RuntimeError("a fill that failed")
    assert not guard  # with the old flag, the page would ignore every later selection
