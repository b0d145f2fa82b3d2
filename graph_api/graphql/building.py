"""Input objects built straight from their GraphQL values.

Strawberry converts an argument field by field, resolving each field's type again for
every object of a list: ~60 µs for each row of a batch write (a 10-pipeline lineage batch,
~3,300 rows, spent ~70% of its request there). graphql-core has already checked and
coerced the values — scalars parsed, enum members made — so an input whose fields are
leaves only needs them passed to its class; the fields that hold input objects are
converted as Strawberry would. `fast_input` installs that as the type's `from_input` hook
(`StrawberryObjectDefinition.from_input`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from strawberry.types.arguments import InputContext
from strawberry.types.base import (
    StrawberryList,
    StrawberryOptional,
    StrawberryType,
    has_object_definition,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Field:
    graphql_name: str
    python_name: str
    nested: StrawberryType | type | None  # the field's type, when it holds input objects


def _holds_objects(type_: StrawberryType | type) -> bool:
    while isinstance(type_, StrawberryOptional | StrawberryList):
        type_ = type_.of_type
    return has_object_definition(type_)


def fast_input(cls: type[T]) -> type[T]:
    """Build `cls` (a Strawberry input) from its GraphQL value without re-resolving the
    types of its leaf fields for every object."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    plan: list[_Field] = []

    def fields(context: InputContext) -> list[_Field]:
        if not plan:
            for field in definition.fields:
                type_ = field.resolve_type(type_definition=definition)
                plan.append(_Field(context.config.name_converter.from_field(field),
                                   field.python_name,
                                   type_ if _holds_objects(type_) else None))
        return plan

    def build(target: type, value: Mapping[str, Any], context: InputContext) -> Any:
        kwargs: dict[str, Any] = {}
        for field in fields(context):
            if field.graphql_name not in value:
                continue
            item = value[field.graphql_name]
            if field.nested is not None and item is not None:
                item = context.convert(item, field.nested, field.graphql_name)
            elif isinstance(item, list):
                item = list(item)  # graphql-core shares defaults between requests
            kwargs[field.python_name] = item
        return target(**kwargs)

    hook: Callable[[type, Mapping[str, Any], InputContext], Any] = build
    definition.from_input = hook
    return cls
