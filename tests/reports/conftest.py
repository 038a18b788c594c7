"""Fixtures for the PDF tests."""

from __future__ import annotations

import pytest

from app.reports import FontSet


@pytest.fixture(scope="session")
def bundled() -> FontSet:
    """Only the shipped fonts: results do not depend on what the machine has installed."""
    fs = FontSet.bundled()
    fs.preload()
    return fs
