"""Errors a service raises; their messages are written for the user, in Chinese."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error meant to be shown to a user as it is."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ValidationError(ServiceError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(ServiceError):
    pass


class PermissionDeniedError(ServiceError):
    pass


class StateError(ServiceError):
    """The record is not in a state that allows the operation (e.g. approving a draft)."""


class StaleEditError(StateError):
    """Someone else saved the same field since the caller read it: saving would silently overwrite
    their change (two office workstations on one server, or two windows on one file)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
