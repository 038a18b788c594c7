"""Which service writes each table: one lookup for every door that has only a table's name (conflict
resolution, the audit's labels)."""

from __future__ import annotations

import functools

from .crud import EntityService


@functools.cache
def services() -> dict[str, type[EntityService]]:
    """table → the entity service that owns its rules (the most specific one declaring the model)."""
    from . import (  # noqa: F401 - imported for their EntityService subclasses
        accounts,
        attachments,
        checklists,
        clues,
        documents,
        fieldwork,
        findings,
        inspections,
        inspectors,
        rectifications,
        reference,
        units,
    )
    from .office import followup  # noqa: F401

    found: dict[str, type[EntityService]] = {}
    todo = list(EntityService.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        model = cls.__dict__.get("model")
        if model is not None:
            found.setdefault(model.__tablename__, cls)
    return found


def service_for(table: str) -> type[EntityService] | None:
    return services().get(table)
