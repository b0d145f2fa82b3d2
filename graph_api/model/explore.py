"""What search and the home page show: matches, counts by type, node summaries with
neighbour counts."""

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


class NodeSummary(NamedTuple):
    """What a drawing of many nodes shows of each, and, when counted, its distinct direct
    neighbours in the whole graph against (`up`) and along (`down`) the arrows."""

    name: str | None
    uri: str | None
    state: str
    up: int | None = None
    down: int | None = None
