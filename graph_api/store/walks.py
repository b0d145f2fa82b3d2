"""The statements a lineage walk is made of: one hop from a frontier (by handle within one
transaction, or by id across transactions), and several hops from a small frontier."""

from __future__ import annotations

from collections.abc import Sequence

from graph_api.model.enums import Direction, NodeKind
from graph_api.model.walk import Hops, Reach, Step
from graph_api.store.connection import Tx
from graph_api.store.filters import Compiled

EXPAND = {Direction.UPSTREAM: "lineage/expand_upstream",
          Direction.DOWNSTREAM: "lineage/expand_downstream"}
REACH = {Direction.UPSTREAM: "lineage/reach_upstream",
         Direction.DOWNSTREAM: "lineage/reach_downstream"}
STEP = {Direction.UPSTREAM: "lineage/step_upstream",
        Direction.DOWNSTREAM: "lineage/step_downstream"}
NODES = {Direction.UPSTREAM: "lineage/nodes_upstream",
         Direction.DOWNSTREAM: "lineage/nodes_downstream"}
#: Most hops one `reach` round trip covers (the statements' variable-length bound).
REACH_DEPTH = 6
KINDS = {"A": NodeKind.ARTIFACT, "E": NodeKind.EXECUTION}


def _stop(stop: Compiled | None) -> tuple[dict[str, str], dict[str, object]]:
    """The stop slot's fragment (a test that is never null: collect() drops nulls, which
    would misalign the parallel lists) and its parameters."""
    if stop is None:
        return {}, {}
    return ({"stop": f"CASE WHEN {stop.expression} THEN true ELSE false END"},
            dict(stop.params))


async def expand(tx: Tx, direction: Direction, artifacts: Sequence[str],
                 executions: Sequence[str], stop: Compiled | None = None) -> Hops:
    """One hop `direction`-wards from a frontier given by handles, split by kind."""
    fragments, params = _stop(stop)
    row = await tx.single(EXPAND[direction],
                          {"artifacts": list(artifacts), "executions": list(executions),
                           **params}, fragments)
    return Hops(row["source"], row["id"], row["handle"], [KINDS[k] for k in row["kind"]],
                row["type"], row["event"], row["stop"])


async def reach(tx: Tx, direction: Direction, artifacts: Sequence[str],
                executions: Sequence[str], depth: int) -> Reach:
    """Every node within `depth` (1 to `REACH_DEPTH`) hops of a frontier given by handles."""
    row = await tx.single(REACH[direction], {"artifacts": list(artifacts),
                                             "executions": list(executions), "depth": depth})
    return Reach(row["id"], row["handle"], row["distance"], [KINDS[k] for k in row["kind"]],
                 row["type"])


async def step(tx: Tx, direction: Direction, artifacts: Sequence[str],
               executions: Sequence[str], stop: Compiled | None = None) -> Step:
    """One hop `direction`-wards from a frontier given by ids, split by kind."""
    fragments, params = _stop(stop)
    row = await tx.single(STEP[direction],
                          {"artifacts": list(artifacts), "executions": list(executions),
                           **params}, fragments)
    return Step(row["source"], row["id"], [KINDS[k] for k in row["kind"]], row["type"],
                row["event"], row["stop"], row["name"], row["uri"], row["state"])


async def nodes(tx: Tx, direction: Direction, artifacts: Sequence[str],
                executions: Sequence[str], stop: Compiled | None = None) -> Step:
    """The distinct nodes one hop `direction`-wards from a frontier given by ids, without
    the edges (`source` and `event` are empty)."""
    fragments, params = _stop(stop)
    row = await tx.single(NODES[direction],
                          {"artifacts": list(artifacts), "executions": list(executions),
                           **params}, fragments)
    return Step([], row["id"], [KINDS[k] for k in row["kind"]], row["type"], [], row["stop"],
                row["name"], row["uri"], row["state"])
