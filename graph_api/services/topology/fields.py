"""The stored fields of recently answered nodes, held next to the topology index.

A large answer's columns cost an index seek and a decode per node; asked again (the same
hub's impact, an export after a look), they come from here. Like the index, it is a cache,
never a second source of truth: it lives and dies with the index it belongs to (a rebuild
starts it empty), and the deltas that keep the index fresh also name the nodes each write
updated, which are forgotten before any answer is read (`TopologyCache.fresh`).

Filling races with writes: a read that began before a write committed may bring back the
value from before it. So `forget` moves a generation counter on, and `put` keeps nothing
read before the last forget (`since`): a forgotten node is never brought back by a read
older than its forgetting.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from graph_api.model.table import Details

#: One node's fields, in the order of `Details`' lists after `id`.
Entry = tuple[Any, ...]
_FIELDS = ("name", "uri", "state", "external_id", "type_version", "properties",
           "custom_properties", "created_at", "updated_at")


class FieldCache:
    """The fields of up to `capacity` nodes, the least recently used dropped first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.generation = 0
        self._entries: OrderedDict[str, Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, ids: Sequence[str]) -> tuple[Details, list[int]]:
        """The held fields of `ids` (as `Details`, in the order of `ids`) and the positions
        in `ids` of those not held."""
        entries = self._entries
        found: list[str] = []
        rows: list[Entry] = []
        missing: list[int] = []
        for k, node_id in enumerate(ids):
            entry = entries.get(node_id)
            if entry is None:
                missing.append(k)
                continue
            entries.move_to_end(node_id)
            found.append(node_id)
            rows.append(entry)
        # A column at a time: zip(*rows) over tens of thousands of rows is several times
        # slower (it steps one iterator per row for every column).
        columns = [list(map(itemgetter(j), rows)) for j in range(len(_FIELDS))]
        return Details(found, *columns), missing

    def put(self, details: Details, since: int) -> None:
        """Hold the fields read in `details`, unless a node was forgotten after the read
        began (`since`: the generation before it)."""
        if since != self.generation or self.capacity <= 0:
            return
        entries = self._entries
        for row in zip(details.id, *(getattr(details, f) for f in _FIELDS), strict=True):
            entries[row[0]] = row[1:]
            entries.move_to_end(row[0])
        while len(entries) > self.capacity:
            entries.popitem(last=False)

    def forget(self, ids: Sequence[str]) -> None:
        """Drop these nodes (a write updated them)."""
        if not ids:
            return
        self.generation += 1
        for node_id in ids:
            self._entries.pop(node_id, None)

    def clear(self) -> None:
        """Drop every node."""
        self.generation += 1
        self._entries.clear()
