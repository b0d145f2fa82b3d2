"""The topology index's arrays: numbering, id lookup, edges both ways, overlays folded."""

from __future__ import annotations

import numpy as np
import pytest

from graph_api.model.enums import EventType, NodeKind
from graph_api.services.topology import index as index_module
from graph_api.services.topology.index import EVENT_CODE, Topology

INPUT, OUTPUT = EVENT_CODE[EventType.INPUT.value], EVENT_CODE[EventType.OUTPUT.value]


def numbered(topo: Topology, *names: str) -> list[int]:
    return [topo.add_node(n, NodeKind.ARTIFACT if n.startswith("a") else NodeKind.EXECUTION,
                          "T") for n in names]


def reached(topo: Topology, frontier: list[int], downstream: bool = True) -> set[tuple[int, int, int]]:
    step = topo.downstream if downstream else topo.upstream
    node, other, event = step(np.array(frontier, dtype=np.int32))
    return set(zip(node.tolist(), other.tolist(), event.tolist(), strict=True))


def test_nodes_keep_their_number_and_are_found_by_id_before_and_after_sorting() -> None:
    topo = Topology("e")
    numbers = numbered(topo, "a2", "x1", "a1")
    assert numbers == [0, 1, 2]
    assert topo.numbers_of(["a1", "nope", "a2"]).tolist() == [2, -1, 0]
    topo.sort_ids()
    assert topo.numbers_of(["a1", "nope", "a2", "x1"]).tolist() == [2, -1, 0, 1]
    assert numbered(topo, "a1", "a3") == [2, 3]  # known ids keep their number
    assert topo.id_list(np.array([3, 1], dtype=np.int32)) == ["a3", "x1"]


def test_a_longer_id_widens_the_ids_and_nothing_is_cut() -> None:
    topo = Topology("e")
    numbered(topo, "a1")
    topo.sort_ids()
    long = "a" + "x" * 100
    [number] = numbered(topo, long)
    assert topo.numbers_of([long, long[:36], "a1"]).tolist() == [number, -1, 0]
    assert topo.id_list(np.array([number], dtype=np.int32)) == [long]


def test_bulk_numbering_numbers_each_new_id_once() -> None:
    topo = Topology("e")
    numbered(topo, "a0")
    numbers = topo.add_nodes(["a1", "a0", "a1", "a2"], NodeKind.ARTIFACT, ["T", "T", "T", "U"])
    assert numbers.tolist() == [1, 0, 1, 2]
    assert topo.type_names[topo.types[2]] == "U"
    assert topo.kinds[:3].tolist() == [0, 0, 0]


def test_edges_are_held_both_ways_once_and_across_folds() -> None:
    topo = Topology("e")
    a, x, b = numbered(topo, "a", "x", "b")
    topo.set_edges(np.array([a, a], dtype=np.int32), np.array([x, x], dtype=np.int32),
                   np.array([INPUT, INPUT], dtype=np.int8))
    assert topo.edge_count == 1  # a duplicate is dropped

    assert topo.add_edge(x, b, OUTPUT)       # into the overlay
    assert not topo.add_edge(x, b, OUTPUT)   # already held
    assert not topo.add_edge(a, x, INPUT)    # already in the rows
    c = numbered(topo, "c")[0]               # a node the rows do not cover
    assert topo.add_edge(c, x, INPUT)

    before = (reached(topo, [a, c]), reached(topo, [x], downstream=False))
    topo.fold()
    after = (reached(topo, [a, c]), reached(topo, [x], downstream=False))

    assert before == after == ({(a, x, INPUT), (c, x, INPUT)}, {(x, a, INPUT), (x, c, INPUT)})
    assert reached(topo, [x]) == {(x, b, OUTPUT)}
    assert topo.edge_count == 3


def test_the_overlay_folds_itself_when_it_grows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "FOLD_AT", 4)
    topo = Topology("e")
    nodes = numbered(topo, *(f"a{i}" for i in range(10)), "x")
    for a in nodes[:-1]:
        topo.add_edge(a, nodes[-1], INPUT)
    assert topo.out.extra_count < 10  # folded on the way
    assert len(reached(topo, [nodes[-1]], downstream=False)) == 10


def test_edges_among_keeps_only_edges_with_both_ends_inside() -> None:
    topo = Topology("e")
    a, x, b, y = numbered(topo, "a", "x", "b", "y")
    for s, t, e in ((a, x, INPUT), (x, b, OUTPUT), (b, y, INPUT)):
        topo.add_edge(s, t, e)
    source, target, _ = topo.edges_among(np.array(sorted([a, x, b]), dtype=np.int32))
    assert set(zip(source.tolist(), target.tolist(), strict=True)) == {(a, x), (x, b)}


def pairs(found: tuple[np.ndarray, np.ndarray]) -> set[tuple[int, int]]:
    return set(zip(found[0].tolist(), found[1].tolist(), strict=True))


def test_memberships_and_parent_links_are_held_once_whatever_the_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "FOLD_AT", 4)
    topo = Topology("e")
    a, x = numbered(topo, "a", "x")
    run, experiment, project = topo.add_nodes(["run", "exp", "proj"], NodeKind.CONTEXT,
                                              ["Run", "Experiment", "Project"]).tolist()
    first = np.array([a, x, a], dtype=np.int32), np.array([run, run, run], dtype=np.int32)
    assert topo.add_memberships(*first) == 2  # built at once: the repeat is dropped
    assert topo.add_memberships(*first) == 0  # again: nothing new
    b = numbered(topo, "b")[0]  # a node numbered after the rows were built
    assert topo.add_memberships(np.array([b, a], dtype=np.int32),
                                np.array([experiment, experiment], dtype=np.int32)) == 2
    assert topo.add_parents(np.array([run, experiment, run], dtype=np.int32),
                            np.array([experiment, project, experiment], dtype=np.int32)) == 2

    everyone = np.array([a, x, b], dtype=np.int32)
    assert pairs(topo.memberships(everyone)) == {(a, run), (x, run), (a, experiment),
                                                 (b, experiment)}
    assert pairs(topo.parents_of(np.array([run, experiment], dtype=np.int32))) == {
        (run, experiment), (experiment, project)}
    assert topo.kinds[run] == 2 and topo.type_names[topo.types[project]] == "Project"
    for more in range(5):  # past the fold threshold: rebuilt rows, the same pairs
        c = numbered(topo, f"c{more}")[0]
        topo.add_memberships(np.array([c], dtype=np.int32), np.array([run], dtype=np.int32))
    assert topo.held_by.extra_count < 5
    assert (a, run) in pairs(topo.memberships(everyone))
    assert len(pairs(topo.memberships(np.arange(topo.size, dtype=np.int32)))) == 9


def test_neighbour_counts_count_each_distinct_neighbour_once_both_ways() -> None:
    topo = Topology("e")
    a, b, x, y = numbered(topo, "a", "b", "x", "y")
    topo.set_edges(np.array([a, a, b, x], dtype=np.int32), np.array([x, x, x, b], dtype=np.int32),
                   np.array([INPUT, OUTPUT, INPUT, OUTPUT], dtype=np.int8))
    c = numbered(topo, "c")[0]  # in the overlay only
    topo.add_edge(c, y, INPUT)
    topo.add_edge(a, y, INPUT)
    up, down = topo.neighbour_counts(np.array([x, a, -1, y, x, c], dtype=np.int32))
    # x: a (twice, two events) and b upstream, b downstream; y: a and c upstream
    assert up.tolist() == [2, 0, 0, 2, 2, 0]
    assert down.tolist() == [1, 2, 0, 0, 1, 1]
