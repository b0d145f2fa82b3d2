"""What a request selects under the field being resolved, looking through fragments."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


def _names(selections: Iterable[Selection]) -> set[str]:
    names: set[str] = set()
    for s in selections:
        if isinstance(s, SelectedField):
            names.add(s.name)
        elif isinstance(s, FragmentSpread | InlineFragment):
            names |= _names(s.selections)
    return names


def selected(info: strawberry.Info) -> set[str]:
    """The names of the fields selected directly under the field being resolved."""
    return _names(s for field in info.selected_fields if isinstance(field, SelectedField)
                  for s in field.selections)


def selects(info: strawberry.Info, name: str) -> bool:
    """Whether the field being resolved selects `name` (through fragments too)."""
    return name in selected(info)
