"""Impact analysis: what bad artifacts affect, and which contexts hold it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from graph_api.model.enums import NodeKind
from graph_api.model.lineage import LineageGraph


@dataclass(frozen=True)
class Include:
    """Which affected nodes to list: of these kinds and of these type names (None: any)."""

    kinds: frozenset[NodeKind] | None = None
    types: frozenset[str] | None = None

    @classmethod
    def of(cls, kinds: Iterable[NodeKind] | None = None,
           types: Iterable[str] | None = None) -> Include:
        return cls(frozenset(kinds) if kinds is not None else None,
                   frozenset(types) if types is not None else None)

    def admits(self, kind: NodeKind, type_: str) -> bool:
        return ((self.kinds is None or kind in self.kinds)
                and (self.types is None or type_ in self.types))


@dataclass(frozen=True, slots=True)
class AffectedContext:
    """A context holding affected nodes (`direct`), or an ancestor of one.

    `degree` is the smallest degree among the affected nodes it holds or, for an
    ancestor, among its affected child contexts; `affected_members` counts the affected
    artifacts and executions it holds directly.
    """

    id: str
    type: str
    name: str
    degree: int
    direct: bool
    affected_members: int


@dataclass(frozen=True)
class ImpactAnswer:
    """The whole impact of some artifacts, at most `maxNodes` nodes of it: the listed
    affected artifacts and executions (nearest first) with the edges among them, the
    affected contexts (nearest first) and the counts of what is listed."""

    graph: LineageGraph
    contexts: list[AffectedContext]
    counts_by_kind: dict[NodeKind, int]
    counts_by_type: dict[tuple[NodeKind, str], int]

    @property
    def truncated(self) -> bool:
        return self.graph.truncated


@dataclass
class ExportRows:
    """Affected nodes of the export — artifacts, executions and contexts — as parallel
    lists, one entry per row."""

    kind: list[NodeKind] = field(default_factory=list)
    id: list[str] = field(default_factory=list)
    type: list[str] = field(default_factory=list)
    degree: list[int] = field(default_factory=list)
    name: list[str | None] = field(default_factory=list)
    uri: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.id)

    def rows(self) -> zip[tuple[NodeKind, str, str, int, str | None, str | None]]:
        """(kind, id, type, degree, name, uri) of each row."""
        return zip(self.kind, self.id, self.type, self.degree, self.name, self.uri,
                   strict=True)


class ContextRef(NamedTuple):
    id: str
    type: str
    name: str


class Holding(NamedTuple):
    """What a context directly holds of some nodes: how many (`members`), and the smallest
    degree among them."""

    members: int
    degree: int


@dataclass
class ContextClosure:
    """The contexts holding some nodes, and every ancestor of those contexts.

    `held`: for each context directly holding some of the nodes, its `Holding`; `parents`:
    (child id, parent id) for each CHILD_OF link walked; `contexts`: every context named in
    either, by id, except those the caller said it already knew.
    """

    held: dict[str, Holding] = field(default_factory=dict)
    parents: list[tuple[str, str]] = field(default_factory=list)
    contexts: dict[str, ContextRef] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Memberships:
    """Direct memberships of some nodes (or parent links of some contexts), as parallel
    lists (`member[i]` belongs to `context[i]`), and the distinct contexts named."""

    member: list[str]
    context: list[str]
    contexts: list[ContextRef]
