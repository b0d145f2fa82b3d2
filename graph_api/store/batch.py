"""A batch write as one statement: nodes of the three kinds upserted or looked up, the
events, attributions and associations between them bound by position in the batch, and
the topology delta of its events — one round trip however large the batch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph_api.model.enums import NodeKind
from graph_api.model.ingest import StoredKey
from graph_api.store import records
from graph_api.store.connection import Tx

#: What the statement did with a node row that did not create its node: wrote it onto
#: the stored node, only looked it up (a refused batch), refused it (the service names
#: the error), left it because its type changed (the service tries again), refused a
#: row that had to create its node because a stored node holds its key, or refused one
#: whose node was updated since the caller read it.
UPDATE, REF, SKIP, STALE, TAKEN, MOVED = "update", "ref", "skip", "stale", "taken", "moved"


@dataclass
class KindRows:
    """One kind's part of a batch, as the statement takes them (see
    `cypher/write/put_batch.cypher`): its types, its node rows, and the ids of the stored
    nodes its edges name (refs: positions after the rows')."""

    types: list[dict[str, str]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)


@dataclass
class EdgeRows:
    """Edges as parallel lists: ends as positions in the kinds' rows then refs."""

    columns: dict[str, list[Any]]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What happened to one node row that did not create its node, and what each of its
    keys found before the write."""

    mode: str
    id: str | None
    by_id: StoredKey | None
    by_external_id: StoredKey | None
    by_name: StoredKey | None


@dataclass(frozen=True)
class BatchOutcome:
    """Each kind's rows that did not create their node, by position (the others did), its
    refs' ids (None: no such node), and how many edges of each relationship were merged."""

    rows: Mapping[NodeKind, dict[int, RowOutcome]]
    refs: Mapping[NodeKind, list[str | None]]
    inputs: int
    outputs: int
    attributions: int
    associations: int


def _key(found: Mapping[str, Any] | None) -> StoredKey | None:
    if found is None:
        return None
    return StoredKey(found["id"], found["type"], records.version_out(found.get("typeVersion")),
                     found.get("externalId"), found.get("name"))


def _outcomes(rows: Sequence[Mapping[str, Any]]) -> dict[int, RowOutcome]:
    return {r["k"]: RowOutcome(r["mode"], r["id"], _key(r["byId"]), _key(r["byExternalId"]),
                               _key(r.get("byName"))) for r in rows}


async def write(tx: Tx, nodes: Mapping[NodeKind, KindRows], inputs: EdgeRows,
                outputs: EdgeRows, attributions: EdgeRows, associations: EdgeRows, *,
                now: int, delta_id: str, fresh: bool) -> BatchOutcome:
    """Run the batch statement; rows of a kind absent from `nodes` are none. With `fresh`,
    an edge one of whose ends the statement creates is created without looking for it:
    each such edge must be given once, and no two rows of a kind may name one node."""
    empty = KindRows()
    params: dict[str, Any] = {"now": now, "deltaId": delta_id, "fresh": fresh,
                              "inputs": inputs.columns, "outputs": outputs.columns,
                              "attributions": attributions.columns,
                              "associations": associations.columns}
    for kind, name in ((NodeKind.CONTEXT, "context"), (NodeKind.ARTIFACT, "artifact"),
                       (NodeKind.EXECUTION, "execution")):
        part = nodes.get(kind, empty)
        params[f"{name}Types"] = part.types
        params[f"{name}s"] = part.rows
        params[f"{name}Refs"] = part.refs
    row = await tx.single("write/put_batch", params)
    return BatchOutcome(
        {NodeKind.CONTEXT: _outcomes(row["contextRows"]),
         NodeKind.ARTIFACT: _outcomes(row["artifactRows"]),
         NodeKind.EXECUTION: _outcomes(row["executionRows"])},
        {NodeKind.CONTEXT: row["contextRefIds"], NodeKind.ARTIFACT: row["artifactRefIds"],
         NodeKind.EXECUTION: row["executionRefIds"]},
        row["inputs"], row["outputs"], row["attributions"], row["associations"])
