"""Per-request DataLoaders: every nested field batches into one service call per level.

A load function makes one service call for all the keys gathered in a tick and returns
the results in key order (None for a key with no node, an exception in the slot of a key
that failed), so a request that lists 100 artifacts with their producers sends one query
for the producers of all 100, not 100 queries. Loaders cache by key for the request's
lifetime and are created anew for every request (`GraphContext`).

Service calls are shielded from cancellation (`detached`): when one field fails, GraphQL
execution cancels its siblings and strawberry cancels the batches nobody awaits any more;
a database call cancelled in the middle of a transaction drops its connection without
closing it. Shielded, the call runs to its end (bounded by the query timeout) and hands
its connection back to the pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterator, Sequence
from functools import cached_property, partial
from typing import NamedTuple, TypeVar

from strawberry.dataloader import DataLoader

from graph_api.errors import LineageError
from graph_api.model.enums import NodeKind
from graph_api.model.explore import NodeSummary
from graph_api.model.filters import ListOptions
from graph_api.model.nodes import Node
from graph_api.model.pages import Page
from graph_api.model.relations import Event
from graph_api.model.types import NodeType
from graph_api.services.container import Services
from graph_api.services.nodes import MemberQuery

K = TypeVar("K")
V = TypeVar("V")

#: A type's identity: (name, version or None).
TypeKey = tuple[str, str | None]


class MembersKey(NamedTuple):
    """One page of the artifacts or executions of a context."""

    context_id: str
    options: ListOptions
    with_total: bool


class SummaryKey(NamedTuple):
    """What a drawing shows of one node; `counted`: with its neighbour counts."""

    kind: NodeKind
    id: str
    counted: bool


def _members_cache_key(key: MembersKey) -> Hashable:
    return (key.context_id, key.options.model_dump_json(), key.with_total)


async def detached(work: Awaitable[V]) -> V:
    """Await `work` (a service call) so that cancelling the caller does not cancel it."""
    return await asyncio.shield(work)


def loaded(loader: DataLoader[K, V], key: K) -> asyncio.Future[V] | None:
    """The finished load of `key` (its value or its failure), None when not loaded yet."""
    future = loader.cache_map.get(key)
    return future if future is not None and future.done() else None


def _loader(load: Callable[[list[K]], Awaitable[Sequence[V | BaseException]]],
            cache_key_fn: Callable[[K], Hashable] | None = None) -> DataLoader[K, V]:
    """A DataLoader whose load function runs detached from the request's cancellations."""

    def run(keys: list[K]) -> Awaitable[Sequence[V | BaseException]]:
        return detached(load(keys))

    return DataLoader(load_fn=run, cache_key_fn=cache_key_fn)


def _by_key(fetch: Callable[[list[str]], Awaitable[dict[str, list[V]]]]
            ) -> DataLoader[str, list[V]]:
    """A loader of lists by node id over a read that answers for many ids at once."""

    async def load(ids: Sequence[str]) -> list[list[V]]:
        found = await fetch(list(ids))
        return [found.get(i, []) for i in ids]

    return _loader(load)


class PerKind(dict[NodeKind, V]):
    """One value per node kind, each made on first use."""

    def __init__(self, make: Callable[[NodeKind], V]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, kind: NodeKind) -> V:
        value = self[kind] = self._make(kind)
        return value


class Loaders:
    """The request's loaders; each load function is one service call for all its keys.

    Each loader is made on first use: most requests use two or three of them.
    """

    def __init__(self, services: Services) -> None:
        self.services = services
        nodes = services.nodes
        #: Type of a node, by (name, version), per kind.
        self.types: PerKind[DataLoader[TypeKey, NodeType | None]] = PerKind(self._types)
        #: Events of an artifact or an execution, by its id.
        self.events: PerKind[DataLoader[str, list[Event]]] = PerKind(
            lambda kind: _by_key(partial(nodes.events_of, kind)))
        #: Contexts an artifact or an execution belongs to, by its id.
        self.contexts_of: PerKind[DataLoader[str, list[Node]]] = PerKind(
            lambda kind: _by_key(partial(nodes.contexts_of, kind)))
        #: Pages of the artifacts and of the executions of contexts.
        self.members: PerKind[DataLoader[MembersKey, Page[Node]]] = PerKind(self._members)

    @cached_property
    def artifacts(self) -> DataLoader[str, Node | None]:
        return self._by_id(NodeKind.ARTIFACT)

    @cached_property
    def executions(self) -> DataLoader[str, Node | None]:
        return self._by_id(NodeKind.EXECUTION)

    @cached_property
    def contexts(self) -> DataLoader[str, Node | None]:
        return self._by_id(NodeKind.CONTEXT)

    # Neighbours along events; the nodes they load also prime the by-id loaders.

    @cached_property
    def producers(self) -> DataLoader[str, list[Node]]:
        return _by_key(self._priming("producers", lambda: self.executions))

    @cached_property
    def consumers(self) -> DataLoader[str, list[Node]]:
        return _by_key(self._priming("consumers", lambda: self.executions))

    @cached_property
    def inputs(self) -> DataLoader[str, list[Node]]:
        return _by_key(self._priming("inputs", lambda: self.artifacts))

    @cached_property
    def outputs(self) -> DataLoader[str, list[Node]]:
        return _by_key(self._priming("outputs", lambda: self.artifacts))

    # Direct parent and child contexts of a context, by its id.

    @cached_property
    def parents(self) -> DataLoader[str, list[Node]]:
        return _by_key(self._primed(self.services.nodes.parents_of, lambda: self.contexts))

    @cached_property
    def children(self) -> DataLoader[str, list[Node]]:
        return _by_key(self._primed(self.services.nodes.children_of, lambda: self.contexts))

    @cached_property
    def summaries(self) -> DataLoader[SummaryKey, NodeSummary | None]:
        """Name, uri and state of artifacts and executions, with their neighbour counts
        when a key asks for them: one statement for all the keys of a tick (the counts'
        statement reads the summary too)."""

        async def load(keys: Sequence[SummaryKey]) -> list[NodeSummary | None]:
            found = await self.services.search.summaries(
                list({k.id for k in keys if k.kind is NodeKind.ARTIFACT}),
                list({k.id for k in keys if k.kind is NodeKind.EXECUTION}),
                counts=any(k.counted for k in keys))
            return [found.get(k.id) for k in keys]

        return _loader(load)

    def by_kind(self, kind: NodeKind) -> DataLoader[str, Node | None]:
        return {NodeKind.ARTIFACT: self.artifacts, NodeKind.EXECUTION: self.executions,
                NodeKind.CONTEXT: self.contexts}[kind]

    def _by_id(self, kind: NodeKind) -> DataLoader[str, Node | None]:
        async def load(ids: Sequence[str]) -> list[Node | None]:
            found = {n.id: n for n in await self.services.nodes.by_ids(kind, list(ids))}
            return [found.get(i) for i in ids]

        return _loader(load)

    def _types(self, kind: NodeKind) -> DataLoader[TypeKey, NodeType | None]:
        async def load(keys: Sequence[TypeKey]) -> list[NodeType | None]:
            found = {(t.name, t.version): t
                     for t in await self.services.types.by_keys(kind, list(keys))}
            return [found.get(k) for k in keys]

        return _loader(load)

    def _priming(self, which: str, by_id: Callable[[], DataLoader[str, Node | None]]
                 ) -> Callable[[list[str]], Awaitable[dict[str, list[Node]]]]:
        return self._primed(partial(self.services.nodes.neighbours, which), by_id)

    @staticmethod
    def _primed(fetch: Callable[[list[str]], Awaitable[dict[str, list[Node]]]],
                by_id: Callable[[], DataLoader[str, Node | None]]
                ) -> Callable[[list[str]], Awaitable[dict[str, list[Node]]]]:
        async def primed(ids: list[str]) -> dict[str, list[Node]]:
            found = await fetch(ids)
            by_id().prime_many({n.id: n for nodes in found.values() for n in nodes})
            return found

        return primed

    def _members(self, kind: NodeKind) -> DataLoader[MembersKey, Page[Node]]:
        nodes = self.services.nodes

        async def load(keys: Sequence[MembersKey]) -> list[Page[Node] | BaseException]:
            errors: dict[int, LineageError] = {}
            for i, key in enumerate(keys):
                try:
                    nodes.check_list_options(key.options, kind)
                except LineageError as error:  # this key's slot fails, the others load
                    errors[i] = error
            valid = [i for i in range(len(keys)) if i not in errors]
            pages: Iterator[Page[Node]] = iter(await nodes.list_in_contexts(kind, [
                MemberQuery(keys[i].context_id, keys[i].options, keys[i].with_total)
                for i in valid]))
            return [errors[i] if i in errors else next(pages) for i in range(len(keys))]

        return _loader(load, _members_cache_key)
