"""The topology index: every artifact and execution that has an INPUT or OUTPUT edge, and
those edges, as compact integer arrays in the API process; and the contexts with their
members (attributions and associations) and parent links, for impact analysis.

Each node has a *number* (its position in the arrays, given in the order nodes arrive).
Per node: its id as fixed-width bytes, its kind (0 artifact, 1 execution, 2 context) and
the code of its type name. Edges are held both ways as compressed sparse rows (CSR): the out-edges of
node `n` are `out_to[out_ptr[n]:out_ptr[n + 1]]` with their event codes in `out_event`,
the in-edges likewise. Memberships (member -> context) and parent links (child -> parent)
are rows of the same form, one way only. Edges added since the rows were last built wait in small overlay
lists per node, and nodes added since the id lookup was last sorted wait in a dict; both
are folded in when they grow past a fraction of the whole.

About 80 bytes a node on lineage graphs of two edges a node, each node in one context: 36
for the id, 4 for the sorted id lookup, 5 for kind and type, 8 for the row pointers, 10 an
edge (a 4-byte end and a 1-byte event, once each way), about 9 for its membership (a
4-byte context, a 1-byte code and a row pointer). Nothing here is a Python object per node or edge, so
the collector has nothing to trace however large the graph.

Plain numpy, not a graph library: a walk needs, per level, the edges out of a whole
frontier at once (`neighbours`), which is two `repeat`s over the row pointers; the
libraries answer reachability but not the edges and levels a lineage answer lists, and
hold per-node objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from graph_api.model.enums import EventType, NodeKind

Numbers = npt.NDArray[np.int32]
#: Event kinds by code: an edge's event is one byte.
EVENTS: list[EventType] = list(EventType)
EVENT_CODE = {e.value: code for code, e in enumerate(EVENTS)}
#: Whether an event code is an input (artifact -> execution) or an output.
IS_INPUT = np.array([e.is_input for e in EVENTS], dtype=bool)
KINDS = (NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT)
KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}
#: Overlays are folded into the arrays when they pass this many entries, or an eighth of
#: the whole, whichever is more: cheap to keep, cheap to fold.
FOLD_AT = 65_536

_EMPTY = np.zeros(0, dtype=np.int32)


def _grow(array: npt.NDArray[np.generic], needed: int) -> npt.NDArray[np.generic]:
    """`array` with room for at least `needed` entries (capacity doubles)."""
    if needed <= len(array):
        return array
    grown = np.zeros(max(needed, 2 * len(array), 1024), dtype=array.dtype)
    grown[:len(array)] = array
    return grown


class Rows:
    """One direction's edges in compressed sparse rows, and an overlay of edges added
    since: node `n`'s neighbours are `to[ptr[n]:ptr[n + 1]]` (for `n` below `len(ptr) - 1`)
    and then `extra[n]`, each extra entry `(neighbour << 8) | event`."""

    def __init__(self) -> None:
        self.ptr: npt.NDArray[np.integer[Any]] = np.zeros(1, dtype=np.int32)
        self.to: Numbers = _EMPTY
        self.event: npt.NDArray[np.int8] = np.zeros(0, dtype=np.int8)
        self.extra: dict[int, list[int]] = {}
        self.extra_count = 0
        self._extra_keys: Numbers | None = _EMPTY

    @property
    def rows(self) -> int:
        """How many nodes the compressed rows cover."""
        return len(self.ptr) - 1

    def build(self, size: int, node: Numbers, neighbour: Numbers,
              event: npt.NDArray[np.int8]) -> None:
        """Replace everything with these edges (unique), as rows for `size` nodes."""
        order = np.lexsort((event, neighbour, node))
        self.to = np.ascontiguousarray(neighbour[order], dtype=np.int32)
        self.event = np.ascontiguousarray(event[order], dtype=np.int8)
        self.ptr = np.zeros(size + 1, dtype=np.int32 if len(order) < 2**31 else np.int64)
        np.cumsum(np.bincount(node, minlength=size), out=self.ptr[1:])
        self.extra = {}
        self.extra_count = 0
        self._extra_keys = _EMPTY

    def add(self, node: int, neighbour: int, event: int) -> None:
        """Add one edge to the overlay, known not to be held yet."""
        self.extra.setdefault(node, []).append((neighbour << 8) | event)
        self.extra_count += 1
        self._extra_keys = None

    def neighbours(self, frontier: Numbers) -> tuple[Numbers, Numbers, npt.NDArray[np.int8]]:
        """Every edge out of the frontier's nodes: (frontier node, neighbour, event)."""
        inside = frontier[frontier < self.rows]
        begin = self.ptr[inside]
        counts = self.ptr[inside + 1] - begin
        total = int(counts.sum())
        offsets = np.repeat(begin - np.cumsum(counts) + counts, counts) + np.arange(total)
        node = np.repeat(inside, counts)
        neighbour = self.to[offsets]
        event = self.event[offsets]
        if self.extra:
            more = self._extra_of(frontier)
            if more is not None:
                node = np.concatenate((node, more[0]))
                neighbour = np.concatenate((neighbour, more[1]))
                event = np.concatenate((event, more[2]))
        return node, neighbour, event

    def _extra_of(self, frontier: Numbers
                  ) -> tuple[Numbers, Numbers, npt.NDArray[np.int8]] | None:
        if self._extra_keys is None:
            self._extra_keys = np.fromiter(self.extra, dtype=np.int32, count=len(self.extra))
        hits = frontier[np.isin(frontier, self._extra_keys)]
        if not hits.size:
            return None
        nodes: list[int] = []
        packed: list[int] = []
        for n in hits.tolist():
            entries = self.extra[n]
            nodes.extend([n] * len(entries))
            packed.extend(entries)
        keys = np.array(packed, dtype=np.int64)
        return (np.array(nodes, dtype=np.int32), (keys >> 8).astype(np.int32),
                (keys & 0xFF).astype(np.int8))

    def edges(self) -> tuple[Numbers, Numbers, npt.NDArray[np.int8]]:
        """Every edge held: (node, neighbour, event)."""
        everyone = np.arange(max(self.rows, 0), dtype=np.int32)
        if self.extra:
            everyone = np.union1d(everyone, np.fromiter(self.extra, dtype=np.int32))
        return self.neighbours(everyone.astype(np.int32))

    def nbytes(self) -> int:
        return (self.ptr.nbytes + self.to.nbytes + self.event.nbytes
                + 64 * self.extra_count + 100 * len(self.extra))


class Topology:
    """The INPUT/OUTPUT adjacency of one graph, as of the deltas applied to it.

    Attributes:
        epoch: the delta log's epoch this index was built in.
    """

    def __init__(self, epoch: str) -> None:
        self.epoch = epoch
        self.size = 0
        self.ids: npt.NDArray[np.bytes_] = np.zeros(1024, dtype="S36")
        self.kinds: npt.NDArray[np.int8] = np.zeros(1024, dtype=np.int8)
        self.types: Numbers = np.zeros(1024, dtype=np.int32)
        self.type_names: list[str] = []
        self._type_code: dict[str, int] = {}
        self._sorted: Numbers = _EMPTY  # numbers in id order (those of `_recent` aside)
        self._recent: dict[str, int] = {}
        self.out = Rows()
        self.into = Rows()
        self.edge_count = 0
        self.held_by = Rows()  # member -> the contexts holding it
        self.parents = Rows()  # context -> its parent contexts

    # --- nodes ---------------------------------------------------------------------------

    def number_of(self, node_id: str) -> int | None:
        """The node's number, or None when the index does not hold it."""
        number = int(self.numbers_of([node_id])[0])
        return None if number < 0 else number

    def numbers_of(self, node_ids: Sequence[str]) -> Numbers:
        """The numbers of many ids at once; -1 for an id the index does not hold."""
        numbers = np.full(len(node_ids), -1, dtype=np.int32)
        width = self.ids.dtype.itemsize
        encoded = [i.encode() for i in node_ids]
        fits = np.array([k for k, e in enumerate(encoded) if len(e) <= width], dtype=np.int64)
        if self._sorted.size and fits.size:
            keys = np.array([encoded[k] for k in fits.tolist()], dtype=self.ids.dtype)
            at = self._search(keys)
            hit = self.ids[self._sorted[at]] == keys
            numbers[fits[hit]] = self._sorted[at[hit]]
        if self._recent:
            for k in np.flatnonzero(numbers < 0).tolist():
                numbers[k] = self._recent.get(node_ids[k], -1)
        return numbers

    def _search(self, keys: npt.NDArray[np.bytes_]) -> npt.NDArray[np.int64]:
        """Where each key is, or would go, in the sorted lookup (clipped to its last
        entry): a binary search over the ids in sorted order (`sorter`), which costs no
        second copy of the ids."""
        at = np.searchsorted(self.ids[:len(self._sorted)], keys, sorter=self._sorted)
        return np.minimum(at, len(self._sorted) - 1).astype(np.int64)

    def add_node(self, node_id: str, kind: NodeKind, type_name: str) -> int:
        """The node's number, numbering it first if the index does not hold it yet."""
        number = self.number_of(node_id)
        if number is not None:
            return number
        key = node_id.encode()
        if len(key) > self.ids.dtype.itemsize:
            self.ids = self.ids.astype(f"S{len(key)}")
        number = self.size
        self.size += 1
        self.ids = _grow(self.ids, self.size)  # type: ignore[assignment]
        self.kinds = _grow(self.kinds, self.size)  # type: ignore[assignment]
        self.types = _grow(self.types, self.size)  # type: ignore[assignment]
        self.ids[number] = key
        self.kinds[number] = KIND_CODE[kind]
        self.types[number] = self._code_of(type_name)
        self._recent[node_id] = number
        if len(self._recent) > max(FOLD_AT, self.size // 8):
            self.sort_ids()
        return number

    def add_nodes(self, node_ids: Sequence[str], kind: NodeKind, type_names: Sequence[str]
                  ) -> Numbers:
        """The numbers of many nodes of one kind, numbering those the index lacks."""
        numbers = self.numbers_of(node_ids)
        missing = np.flatnonzero(numbers < 0).tolist()
        if not missing:
            return numbers
        new: dict[str, int] = {}
        for k in missing:
            node_id = node_ids[k]
            number = new.get(node_id)
            if number is None:
                number = new[node_id] = self.size + len(new)
                self._recent[node_id] = number
            numbers[k] = number
        first = list(new)  # in number order
        width = max(len(i.encode()) for i in first)
        if width > self.ids.dtype.itemsize:
            self.ids = self.ids.astype(f"S{width}")
        size = self.size + len(new)
        self.ids = _grow(self.ids, size)  # type: ignore[assignment]
        self.kinds = _grow(self.kinds, size)  # type: ignore[assignment]
        self.types = _grow(self.types, size)  # type: ignore[assignment]
        self.ids[self.size:size] = np.array([i.encode() for i in first], dtype=self.ids.dtype)
        self.kinds[self.size:size] = KIND_CODE[kind]
        type_of = dict(zip(node_ids, type_names, strict=True))
        self.types[self.size:size] = [self._code_of(type_of[i]) for i in first]
        self.size = size
        if len(self._recent) > max(FOLD_AT, self.size // 8):
            self.sort_ids()
        return numbers

    def _code_of(self, type_name: str) -> int:
        code = self._type_code.get(type_name)
        if code is None:
            code = self._type_code[type_name] = len(self.type_names)
            self.type_names.append(type_name)
        return code

    def sort_ids(self) -> None:
        """Fold the recently numbered nodes into the sorted id lookup."""
        self._sorted = np.argsort(self.ids[:self.size], kind="stable").astype(np.int32)
        self._recent = {}

    def trim(self) -> None:
        """Give back the arrays' spare capacity (after a build)."""
        self.ids = self.ids[:self.size].copy()
        self.kinds = self.kinds[:self.size].copy()
        self.types = self.types[:self.size].copy()

    def id_list(self, numbers: Numbers) -> list[str]:
        """The ids of some nodes, as strings."""
        return [b.decode() for b in self.ids[numbers].tolist()]

    # --- edges ---------------------------------------------------------------------------

    def add_edge(self, source: int, target: int, event: int) -> bool:
        """Add an edge in the data-flow direction (by node number and event code); False
        when the index already holds it."""
        return self.add_edges(np.array([source], dtype=np.int32),
                              np.array([target], dtype=np.int32),
                              np.array([event], dtype=np.int8)) == 1

    def add_edges(self, source: Numbers, target: Numbers, event: npt.NDArray[np.int8]) -> int:
        """Add edges in the data-flow direction; those already held (or repeated) are
        skipped. Returns how many were new.

        Vectorised: the edges are sorted together with those their sources already have,
        so applying a delta again costs a sort, not a search per edge.
        """
        if not len(source):
            return 0
        have_source, have_target, have_event = self.out.neighbours(np.unique(source))
        s = np.concatenate((have_source, source))
        t = np.concatenate((have_target, target))
        e = np.concatenate((have_event, event))
        offered = np.concatenate((np.zeros(len(have_source), dtype=bool),
                                  np.ones(len(source), dtype=bool)))
        order = np.lexsort((offered, e, t, s))  # a held edge sorts before its copies
        s, t, e, offered = s[order], t[order], e[order], offered[order]
        first = np.ones(len(s), dtype=bool)
        first[1:] = (s[1:] != s[:-1]) | (t[1:] != t[:-1]) | (e[1:] != e[:-1])
        new = first & offered
        s, t, e = s[new], t[new], e[new]
        if self.out.extra_count + len(s) > max(FOLD_AT, self.edge_count // 8):
            held = self.out.edges()
            self.set_edges(np.concatenate((held[0], s)), np.concatenate((held[1], t)),
                           np.concatenate((held[2], e)))
            return len(s)
        for a, b, c in zip(s.tolist(), t.tolist(), e.tolist(), strict=True):
            self.out.add(a, b, c)
            self.into.add(b, a, c)
        self.edge_count += len(s)
        return len(s)

    def set_edges(self, source: Numbers, target: Numbers, event: npt.NDArray[np.int8]
                  ) -> None:
        """Replace every edge with these (duplicates are dropped)."""
        order = np.lexsort((event, target, source))
        source, target, event = source[order], target[order], event[order]
        unique = np.ones(len(order), dtype=bool)
        unique[1:] = ((source[1:] != source[:-1]) | (target[1:] != target[:-1])
                      | (event[1:] != event[:-1]))
        source, target, event = source[unique], target[unique], event[unique]
        self.out.build(self.size, source, target, event)
        self.into.build(self.size, target, source, event)
        self.edge_count = len(source)

    def fold(self) -> None:
        """Rebuild the compressed rows with the overlay's edges in them."""
        source, target, event = self.out.edges()
        self.set_edges(source, target, event)

    def downstream(self, frontier: Numbers) -> tuple[Numbers, Numbers, npt.NDArray[np.int8]]:
        """Edges along the arrows out of the frontier: (frontier node, reached, event)."""
        return self.out.neighbours(frontier)

    def upstream(self, frontier: Numbers) -> tuple[Numbers, Numbers, npt.NDArray[np.int8]]:
        """Edges against the arrows out of the frontier: (frontier node, reached, event)."""
        return self.into.neighbours(frontier)

    def edges_among(self, members: Numbers) -> tuple[Numbers, Numbers, npt.NDArray[np.int8]]:
        """Every edge whose two ends are among `members` (sorted, unique numbers)."""
        source, target, event = self.out.neighbours(members)
        at = np.minimum(np.searchsorted(members, target), len(members) - 1)
        inside = members[at] == target if len(members) else np.zeros(0, dtype=bool)
        return source[inside], target[inside], event[inside]

    def neighbour_counts(self, numbers: Numbers) -> tuple[Numbers, Numbers]:
        """How many distinct nodes lie one edge against the arrows (up) and one along them
        (down) of each node, in `numbers`' order (0 for a number below 0: a node the index
        does not hold, which has no edge)."""
        return _distinct_neighbours(self.into, numbers), _distinct_neighbours(self.out, numbers)

    # --- contexts ------------------------------------------------------------------------

    def add_memberships(self, member: Numbers, context: Numbers) -> int:
        """Record that each `member` (artifact or execution) is held by its `context`;
        those held already are skipped. Returns how many were new."""
        return _add_pairs(self.held_by, self.size, member, context)

    def add_parents(self, child: Numbers, parent: Numbers) -> int:
        """Record that each context `child` is part of its `parent`; those held already
        are skipped. Returns how many were new."""
        return _add_pairs(self.parents, self.size, child, parent)

    def memberships(self, members: Numbers) -> tuple[Numbers, Numbers]:
        """Every (member, context) pair of these artifacts and executions."""
        member, context, _ = self.held_by.neighbours(members)
        return member, context

    def parents_of(self, contexts: Numbers) -> tuple[Numbers, Numbers]:
        """Every (child, parent) link out of these contexts."""
        child, parent, _ = self.parents.neighbours(contexts)
        return child, parent

    def nbytes(self) -> int:
        """The memory the index holds, in bytes (arrays at their capacity, overlays
        estimated)."""
        return (self.ids.nbytes + self.kinds.nbytes + self.types.nbytes
                + self._sorted.nbytes
                + 120 * len(self._recent) + self.out.nbytes() + self.into.nbytes()
                + self.held_by.nbytes() + self.parents.nbytes())


def _distinct_neighbours(rows: Rows, numbers: Numbers) -> Numbers:
    """For each of `numbers`, how many distinct nodes its edges in `rows` reach (two
    events between one pair of nodes count once)."""
    counts = np.zeros(len(numbers), dtype=np.int32)
    held = numbers >= 0
    known = np.unique(numbers[held])
    node, neighbour, _ = rows.neighbours(known)
    pairs = np.unique((node.astype(np.int64) << 32) | neighbour.astype(np.int64))
    heads = pairs >> 32
    per_known = (np.searchsorted(heads, known, side="right")
                 - np.searchsorted(heads, known, side="left"))
    counts[held] = per_known[np.searchsorted(known, numbers[held])].astype(np.int32)
    return counts


def _add_pairs(rows: Rows, size: int, node: Numbers, neighbour: Numbers) -> int:
    """Add (node, neighbour) pairs to one-way `rows` over `size` nodes, skipping those held
    or repeated (one sort, as `Topology.add_edges`); returns how many were new."""
    if not len(node):
        return 0
    have_node, have_neighbour, _ = rows.neighbours(np.unique(node))
    n = np.concatenate((have_node, node))
    m = np.concatenate((have_neighbour, neighbour))
    offered = np.concatenate((np.zeros(len(have_node), dtype=bool),
                              np.ones(len(node), dtype=bool)))
    order = np.lexsort((offered, m, n))
    n, m, offered = n[order], m[order], offered[order]
    first = np.ones(len(n), dtype=bool)
    first[1:] = (n[1:] != n[:-1]) | (m[1:] != m[:-1])
    new = first & offered
    n, m = n[new], m[new]
    if (not len(rows.to) and not rows.extra_count) or (
            rows.extra_count + len(n) > max(FOLD_AT, (len(rows.to) + rows.extra_count) // 8)):
        held_node, held_neighbour, _ = rows.edges()
        all_node = np.concatenate((held_node, n))
        rows.build(size, all_node, np.concatenate((held_neighbour, m)),
                   np.zeros(len(all_node), dtype=np.int8))
        return len(n)
    for a, b in zip(n.tolist(), m.tolist(), strict=True):
        rows.add(a, b, 0)
    return len(n)


def codes(events: Iterable[str]) -> npt.NDArray[np.int8]:
    """Event kinds as codes."""
    return np.array([EVENT_CODE[e] for e in events], dtype=np.int8)
