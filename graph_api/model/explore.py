"""What search and the home page show: matches, counts by type, neighbour counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from graph_api.model.enums import NodeKind


class SearchHit(NamedTuple):
    """A node that matches a search, with what a list of matches shows of it."""

    id: str
    kind: NodeKind
    type: str
    name: str | None
    uri: str | None
    external_id: str | None


@dataclass(frozen=True, slots=True)
class TypeCount:
    kind: NodeKind
    type: str
    count: int


class NeighborCount(NamedTuple):
    """Distinct direct neighbours of a node in the whole graph, against and along the arrows."""

    up: int
    down: int
