"""Impact analysis's contexts from the topology index: which contexts hold some nodes (and
how many of them, at what smallest degree), and every ancestor of those contexts, found in
memory (see `services.impact.contexts_of`, which reads the same from the database when
there is no index)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from graph_api.model.impact import Holding
from graph_api.services.topology.index import Numbers, Topology


@dataclass(frozen=True, slots=True)
class IndexedClosure:
    """A closure as ids: `held` per context directly holding some of the nodes, `parents`
    (child, parent) for each parent link walked, and `contexts` — every context named, but
    those the caller already knew — with its type name."""

    held: dict[str, Holding]
    parents: list[tuple[str, str]]
    contexts: dict[str, str]


def closure(topo: Topology, node_ids: Sequence[str], degrees: Sequence[int],
            known: Collection[str] = ()) -> IndexedClosure | None:
    """The contexts holding the nodes `node_ids` (artifacts and executions, at `degrees`)
    and all their ancestors; contexts in `known` are not walked up again and left out of
    `contexts`. None when a node is not in the index (the database answers instead)."""
    nodes = topo.numbers_of(node_ids)
    if (nodes < 0).any():
        return None
    member, context = topo.memberships(nodes)
    held = _holdings(topo, nodes, np.asarray(degrees, dtype=np.int64), member, context)
    seen = np.zeros(topo.size, dtype=bool)
    known_numbers = topo.numbers_of(list(known)) if known else np.zeros(0, dtype=np.int32)
    seen[known_numbers[known_numbers >= 0]] = True
    frontier = np.unique(context)
    frontier = frontier[~seen[frontier]]
    seen[frontier] = True
    found: list[Numbers] = [frontier]
    children: list[Numbers] = []
    parents: list[Numbers] = []
    while frontier.size:  # parent links form a DAG (the store refuses cycles)
        child, parent = topo.parents_of(frontier)
        children.append(child)
        parents.append(parent)
        frontier = np.unique(parent)
        frontier = frontier[~seen[frontier]]
        seen[frontier] = True
        found.append(frontier)
    contexts = np.concatenate(found)
    child = np.concatenate(children) if children else np.zeros(0, dtype=np.int32)
    parent = np.concatenate(parents) if parents else np.zeros(0, dtype=np.int32)
    return IndexedClosure(
        held, list(zip(topo.id_list(child), topo.id_list(parent), strict=True)),
        dict(zip(topo.id_list(contexts),
                 [topo.type_names[t] for t in topo.types[contexts].tolist()], strict=True)))


def _holdings(topo: Topology, nodes: Numbers, degrees: np.ndarray, member: Numbers,
              context: Numbers) -> dict[str, Holding]:
    """Per context among `context`: how many of its (member, context) pairs there are and
    the smallest degree of those members (each member's degree is its node's)."""
    if not len(member):
        return {}
    order = np.argsort(nodes, kind="stable")
    member_degree = degrees[order[np.searchsorted(nodes[order], member)]]
    holders, at = np.unique(context, return_inverse=True)
    counts = np.bincount(at, minlength=len(holders))
    smallest = np.full(len(holders), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, at, member_degree)
    return {i: Holding(c, d) for i, c, d in zip(topo.id_list(holders), counts.tolist(),
                                                smallest.tolist(), strict=True)}
