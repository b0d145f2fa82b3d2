"""The engine's floor for ingestion: the nodes and edges `store ingest` writes, written by
the simplest statement that writes them (`bench/cypher/ingest_floor.cypher`), one
transaction per chunk of pipelines. It keeps none of the store's guarantees (no upsert,
no key or type checks, no MLMD ids, no topology delta), so no batch path of the store
can beat it on the same engine: `api_bench` times it as the `engine floor` way, beside
the store's ways and MLMD's rate, to show how much of a gap the engine itself leaves.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import synthetic
from graph_api.ids import new_id
from graph_api.runtime import Runtime

STATEMENT = (Path(__file__).parent / "cypher" / "ingest_floor.cypher").read_text()


def _node(external_id: str, name: str, type_name: str, mlmd_id: int, now: int,
          **fields: str) -> dict[str, Any]:
    return {"id": new_id(), "type": type_name, "typeVersion": "", "externalId": external_id,
            "name": name, "createdAt": now, "updatedAt": now, "mlmdId": mlmd_id, **fields}


class FloorWriter:
    """Writes a synthetic graph chunk by chunk; numbers MLMD-style ids per kind itself."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.ids: dict[str, str] = {}
        self._mlmd = {kind: itertools.count(1) for kind in ("c", "a", "x")}

    def _artifact(self, a: synthetic.SynArtifact, now: int) -> dict[str, Any]:
        return _node(a.external_id, a.name, a.type, next(self._mlmd["a"]), now, uri=a.uri,
                     state="LIVE")

    async def raw_datasets(self, graph: synthetic.SyntheticGraph) -> None:
        """The graph's raw datasets, in one transaction (as `store ingest` writes them)."""
        await self._write({"contexts": [], "executions": [], "refs": [],
                           "artifacts": self._rows("a", graph.raw_datasets, self._artifact),
                           **_edges([], [], [], [])})

    async def chunk(self, pipelines: Sequence[synthetic.Pipeline]) -> None:
        """One chunk's contexts, artifacts, executions and edges, in one transaction."""
        artifacts = [a for p in pipelines for a in p.artifacts]
        executions = [e for p in pipelines for e in p.executions]
        position = {a.external_id: i for i, a in enumerate(artifacts)}
        refs: list[str] = []

        def artifact(external_id: str) -> int:
            if external_id not in position:
                position[external_id] = len(artifacts) + len(refs)
                refs.append(self.ids[external_id])
            return position[external_id]

        execution = {e.external_id: i for i, e in enumerate(executions)}
        inputs, outputs, attributions, associations = [], [], [], []
        for c, p in enumerate(pipelines):
            inputs += [(artifact(a), execution[e]) for a, e in p.inputs]
            outputs += [(artifact(a), execution[e]) for e, a in p.outputs]
            attributions += [(artifact(a), c) for a in p.attributed_external_ids()]
            associations += [(execution[e.external_id], c) for e in p.executions]
        await self._write({
            "contexts": self._rows("c", pipelines, lambda p, now: _node(
                p.context_external_id, p.context_name, synthetic.CONTEXT_TYPE,
                next(self._mlmd["c"]), now)),
            "artifacts": self._rows("a", artifacts, self._artifact),
            "executions": self._rows("x", executions, lambda e, now: _node(
                e.external_id, e.name, e.type, next(self._mlmd["x"]), now,
                state="COMPLETE")),
            "refs": refs, **_edges(inputs, outputs, attributions, associations)})

    def _rows(self, kind: str, items: Sequence[Any],
              make: Callable[[Any, int], dict[str, Any]]) -> list[dict[str, Any]]:
        now = int(time.time() * 1000)
        rows = []
        for item in items:
            p = make(item, now)
            self.ids[p["externalId"]] = p["id"]
            rows.append({"p": p, "t": _TYPES[kind].index(p["type"])})
        return rows

    async def _write(self, params: dict[str, Any]) -> None:
        params.update(contextTypes=list(_TYPES["c"]), artifactTypes=list(_TYPES["a"]),
                      executionTypes=list(_TYPES["x"]), now=int(time.time() * 1000))

        async def work(tx: Any) -> None:
            await (await tx.run(STATEMENT, params)).consume()

        db = self.runtime.db
        async with db.driver.session(database=db.database) as session:
            await session.execute_write(work)


_TYPES = {"c": (synthetic.CONTEXT_TYPE,), "a": synthetic.ARTIFACT_TYPES,
          "x": synthetic.EXECUTION_TYPES}


def _edges(inputs: list[tuple[int, int]], outputs: list[tuple[int, int]],
           attributions: list[tuple[int, int]], associations: list[tuple[int, int]]
           ) -> dict[str, dict[str, list[int]]]:
    def lists(pairs: list[tuple[int, int]], a: str, b: str) -> dict[str, list[int]]:
        return {a: [p[0] for p in pairs], b: [p[1] for p in pairs]}

    return {"inputs": lists(inputs, "artifact", "execution"),
            "outputs": lists(outputs, "artifact", "execution"),
            "attributions": lists(attributions, "artifact", "context"),
            "associations": lists(associations, "execution", "context")}


async def ingest_floor(runtime: Runtime, graph: synthetic.SyntheticGraph, chunk: int) -> None:
    """Write `graph` (its types already registered) the floor's way."""
    writer = FloorWriter(runtime)
    await writer.raw_datasets(graph)
    for start in range(0, len(graph.pipelines), chunk):
        await writer.chunk(graph.pipelines[start:start + chunk])
