"""Offline sync in the interface: exchanging packages by USB stick, and working through conflicts."""
