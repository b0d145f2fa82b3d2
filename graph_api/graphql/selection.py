"""What a request selects under the field being resolved, looking through fragments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


def _fields(selections: Iterable[Selection]) -> list[SelectedField]:
    found: list[SelectedField] = []
    for s in selections:
        if isinstance(s, SelectedField):
            found.append(s)
        elif isinstance(s, FragmentSpread | InlineFragment):
            found += _fields(s.selections)
    return found


def _under(info: strawberry.Info) -> list[SelectedField]:
    return _fields(s for field in info.selected_fields if isinstance(field, SelectedField)
                   for s in field.selections)


def selected(info: strawberry.Info) -> set[str]:
    """The names of the fields selected directly under the field being resolved."""
    return {f.name for f in _under(info)}


def arguments_of(info: strawberry.Info, name: str) -> list[dict[str, Any]]:
    """The arguments of each selection of the field `name` directly under the field being
    resolved (variables replaced by their values)."""
    return [f.arguments for f in _under(info) if f.name == name]


def selects(info: strawberry.Info, name: str) -> bool:
    """Whether the field being resolved selects `name` (through fragments too)."""
    return name in selected(info)


def below(info: strawberry.Info, *path: str) -> list[SelectedField]:
    """The fields selected at `path` under the field being resolved (e.g. `("edges",
    "node")` under a connection), looking through fragments; a field selected more than
    once (aliases) appears once per selection."""
    fields = _under(info)
    for name in path:
        fields = under([f for f in fields if f.name == name])
    return fields


def under(fields: Iterable[SelectedField]) -> list[SelectedField]:
    """The fields selected directly under each of `fields`, looking through fragments."""
    return _fields(s for f in fields for s in f.selections)
