"""What a listing should return, computed in Python from the nodes as stored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from graph_api.model.nodes import Artifact, Node


def field_value(node: Node, name: str) -> Any:
    """The value a filter or order field names, read from the Python model."""
    if name.startswith("properties."):
        return node.properties.get(name.removeprefix("properties."))
    if name.startswith("customProperties."):
        return node.custom_properties.get(name.removeprefix("customProperties."))
    attribute = {"externalId": "external_id", "createdAt": "created_at",
                 "updatedAt": "updated_at"}.get(name, name)
    value = getattr(node, attribute, None)
    return value.value if hasattr(value, "value") else value


def expected_order(nodes: Sequence[Node], name: str, descending: bool) -> list[str]:
    """Order by (value, id) in the direction asked; nodes without the value last, by id."""
    present = [n for n in nodes if field_value(n, name) is not None]
    absent = [n for n in nodes if field_value(n, name) is None]
    present.sort(key=lambda n: (field_value(n, name), n.id), reverse=descending)
    absent.sort(key=lambda n: n.id, reverse=descending)
    return [n.id for n in present + absent]


def has(name: str, test: Callable[[Any], bool]) -> Callable[[Artifact], bool]:
    """Cypher's rule: a condition on a missing value is not true, so it does not match."""
    return lambda a: (v := field_value(a, name)) is not None and test(v)
