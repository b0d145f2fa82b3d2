"""Per-request DataLoaders: every nested field batches into one store call per level.

A load function returns results in key order (None for a key with no node), so a
request that lists 100 artifacts with their producers sends one query for the producers
of all 100, not 100 queries.
"""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from graph_api.model.enums import NodeKind
from graph_api.model.nodes import Node
from graph_api.store.store import GraphStore


class Loaders:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.artifacts = self._by_id(NodeKind.ARTIFACT)
        self.executions = self._by_id(NodeKind.EXECUTION)
        self.contexts = self._by_id(NodeKind.CONTEXT)

    def by_kind(self, kind: NodeKind) -> DataLoader[str, Node | None]:
        return {NodeKind.ARTIFACT: self.artifacts, NodeKind.EXECUTION: self.executions,
                NodeKind.CONTEXT: self.contexts}[kind]

    def _by_id(self, kind: NodeKind) -> DataLoader[str, Node | None]:
        async def load(ids: Sequence[str]) -> list[Node | None]:
            found = {n.id: n for n in await self.store.nodes.by_ids(kind, list(ids))}
            return [found.get(i) for i in ids]

        return DataLoader(load_fn=load)
