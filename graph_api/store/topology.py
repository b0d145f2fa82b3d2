"""The statements behind the topology index: its delta log (read by every process that
holds an index; the batch write statement appends to it), the log's epoch, and the scan
that builds an index from the graph."""

from __future__ import annotations

from collections.abc import Sequence

from graph_api.model.topology import ContextPage, DeltaRows, EdgePage, LogState
from graph_api.store.connection import Tx

#: The key of the one `TopologyLog` node.
LOG_KEY = "topology"


async def open_log(tx: Tx, epoch: str) -> LogState:
    """The log's state, first giving it `epoch` if it has none (an empty or wiped graph)."""
    row = await tx.single("topology/open_log", {"key": LOG_KEY, "epoch": epoch})
    return LogState(row["epoch"], row["prunedBefore"])


async def deltas(tx: Tx, floor: str, applied: Sequence[str]) -> DeltaRows:
    """The log's state and every delta with an id above `floor` not in `applied`, oldest
    first, with the edges' and memberships' ends as ids."""
    row = await tx.single("topology/read_deltas", {"key": LOG_KEY, "floor": floor,
                                                   "applied": list(applied)})
    out = DeltaRows(LogState(row["epoch"], row["prunedBefore"]), [], [], [], [], [], [], [],
                    [], [])
    for d in row["deltas"]:
        artifacts, executions, contexts = d["artifactIds"], d["executionIds"], d["contextIds"]
        out.id.append(d["id"])
        out.artifact.append([artifacts[p] for p in d["edgeArtifact"]])
        out.execution.append([executions[p] for p in d["edgeExecution"]])
        out.event.append(d["edgeEvent"])
        out.member.append([*(artifacts[p] for p in d["attributedArtifact"]),
                           *(executions[p] for p in d["associatedExecution"])])
        out.context.append([contexts[p] for p in (*d["attributedContext"],
                                                  *d["associatedContext"])])
        out.child.append(d["child"])
        out.parent.append(d["parent"])
        out.updated.append(d["updated"])
    return out


async def renew_epoch(tx: Tx, epoch: str) -> None:
    """Give the log a new epoch: every index built before is dropped and rebuilt. Any
    write that deletes nodes or edges calls this in its transaction."""
    await tx.run("topology/renew_epoch", {"key": LOG_KEY, "epoch": epoch})


async def prune(tx: Tx, before: str, limit: int) -> int:
    """Delete up to `limit` deltas with ids below `before`, and record that the log holds
    none below it; returns how many were deleted."""
    row = await tx.single("topology/prune_deltas", {"key": LOG_KEY, "before": before,
                                                    "limit": limit})
    deleted: int = row["deleted"]
    return deleted


async def executions_after(tx: Tx, after: str, limit: int) -> list[str]:
    """Up to `limit` execution ids above `after`, in id order: the pages of a build."""
    row = await tx.single("topology/executions_page", {"after": after, "limit": limit})
    ids: list[str] = row["id"]
    return ids


async def contexts_after(tx: Tx, after: str, limit: int) -> list[str]:
    """Up to `limit` context ids above `after`, in id order: the pages of a build."""
    row = await tx.single("topology/contexts_page", {"after": after, "limit": limit})
    ids: list[str] = row["id"]
    return ids


async def links_of(tx: Tx, contexts: Sequence[str]) -> ContextPage:
    """These contexts with their types, members and parent links."""
    row = await tx.single("topology/links_of_contexts", {"contexts": list(contexts)})
    return ContextPage(row["context"], row["contextType"], row["artifact"],
                       row["artifactType"], row["artifactContext"], row["execution"],
                       row["executionType"], row["executionContext"], row["child"],
                       row["parent"], row["parentType"])


async def edges_of(tx: Tx, executions: Sequence[str]) -> EdgePage:
    """Every INPUT and OUTPUT edge of the given executions, with both ends' types."""
    row = await tx.single("topology/edges_of_executions", {"executions": list(executions)})
    return EdgePage(row["artifact"], row["artifactType"], row["execution"],
                    row["executionType"], row["event"])
