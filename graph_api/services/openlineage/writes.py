"""One OpenLineage event written in one transaction: what is stored of its datasets, run,
job and parents is read, merged with the event (`mapping`), and written as one batch
through the batch write statement (so the topology index learns its INPUT and OUTPUT
edges from the batch's delta), then the dataset identities and parent links that need
the batch's ids. A node the event leaves as it is stays out of the batch (it is only
named by id), so re-sending an event writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph_api.errors import Conflict
from graph_api.ids import new_id
from graph_api.model.enums import EventType, ExecutionState, NodeKind
from graph_api.model.nodes import (
    Artifact,
    ArtifactInput,
    ContextInput,
    Execution,
    ExecutionInput,
    Node,
    NodeInput,
)
from graph_api.model.openlineage import EventKind, Identity, IngestResult
from graph_api.services.batches import Batch, End, Event, Ids
from graph_api.services.node_writes import NodeRows, now_ms
from graph_api.services.openlineage import mapping as m
from graph_api.services.openlineage.validation import event_time_us, run_id
from graph_api.store import nodes as node_rows
from graph_api.store import openlineage as ol_rows
from graph_api.store import relations as relation_rows
from graph_api.store.connection import Tx

A, E, C = NodeKind.ARTIFACT, NodeKind.EXECUTION, NodeKind.CONTEXT


class Raced(Exception):
    """Another event created a node this event's plan found absent: plan anew."""


@dataclass(eq=False)
class _Node:
    """A node of the event: a row to write, or a stored node it leaves as it is."""

    kind: NodeKind
    row: NodeInput | None
    stored_id: str | None
    end: End = 0
    id: str = ""


def _same(stored: Node, new: NodeInput) -> bool:
    """Whether writing `new` over `stored` would change nothing a reader sees (rows carry
    what other writers set on the node, its uri and properties, as stored)."""
    return (stored.type == new.type and stored.external_id == new.external_id
            and stored.name == getattr(new, "name", None)
            and getattr(stored, "state", None) == getattr(new, "state", None)
            and stored.custom_properties == new.custom_properties
            and stored.properties == new.properties)


def _node(kind: NodeKind, stored: Node | None, new: NodeInput) -> _Node:
    if stored is None:
        return _Node(kind, new, None)
    if _same(stored, new):
        return _Node(kind, None, stored.id)
    return _Node(kind, new.model_copy(update={"id": stored.id}), stored.id)


@dataclass
class _Group:
    """Occurrences of one dataset in an event (as input, output, or under other names
    that symlinks join): one artifact."""

    occurrences: list[tuple[str, dict[str, Any], list[Identity]]] = field(default_factory=list)
    node: _Node | None = None
    aliases: list[Identity] = field(default_factory=list)


class _Find:
    """Union-find over the occurrences of an event's datasets."""

    def __init__(self, size: int) -> None:
        self.up = list(range(size))

    def root(self, i: int) -> int:
        while self.up[i] != i:
            self.up[i] = self.up[self.up[i]]
            i = self.up[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.up[self.root(i)] = self.root(j)


class EventWrite:
    """The plan of one event's write; `plan` builds the batch, `finish` writes what needs
    its ids. Made anew for each attempt of the transaction."""

    def __init__(self, kind: EventKind, event: Mapping[str, Any]) -> None:
        self.kind = kind
        self.event = event
        self.time = event_time_us(event["eventTime"])
        self.nodes: list[_Node] = []
        self.groups: list[_Group] = []
        self.events: list[tuple[_Node, _Node, EventType]] = []
        self.attributions: list[tuple[_Node, _Node]] = []
        self.associations: list[tuple[_Node, _Node]] = []
        self.links: list[tuple[_Node, _Node]] = []
        self.execution: _Node | None = None
        self.contexts: list[_Node] = []
        self.grandparent: tuple[_Node, m.RunRef] | None = None
        self.batch: Batch | None = None

    # -- what the event names ------------------------------------------------------------

    def _datasets(self) -> list[tuple[str, dict[str, Any]]]:
        if self.kind is EventKind.DATASET:
            return [("INPUT", dict(self.event["dataset"]))]
        return ([("INPUT", dict(d)) for d in self.event.get("inputs") or []]
                + [("OUTPUT", dict(d)) for d in self.event.get("outputs") or []])

    def _run(self) -> tuple[str, m.RunRef | None, m.RunRef | None]:
        run = self.event["run"]
        parent, root = m.parent_refs(run.get("facets") or {})
        return run_id(run["runId"], "run.runId"), parent, root

    # -- the plan ------------------------------------------------------------------------

    async def plan(self, tx: Tx) -> Batch:
        datasets = self._datasets()
        occurrences = [(role, d, m.identities(d)) for role, d in datasets]
        keys = sorted({i.key for _, _, ids in occurrences for i in ids})
        executions: list[str] = []
        contexts: list[str] = []
        job = self.event.get("job")
        run = parent = root = None
        if self.kind is EventKind.RUN:
            run, parent, root = self._run()
            executions.append(m.run_external_id(run))
            contexts.append(m.parent_run_external_id(run))
            for ref in (parent, root):
                if ref is not None:
                    contexts.append(m.parent_run_external_id(ref.run_id))
            if parent is not None:
                executions.append(m.run_external_id(parent.run_id))
        if job is not None:
            contexts += [m.namespace_external_id(job["namespace"]),
                         m.job_external_id(job["namespace"], job["name"])]
        stored = await ol_rows.stored(tx, keys, executions, contexts)
        by_xid = {n.external_id: n for n in (*stored.executions.values(),
                                             *stored.contexts.values())}
        self._plan_datasets(occurrences, stored)
        job_node = self._plan_job(job, by_xid) if job is not None else None
        if job_node is not None:
            for group in self.groups:
                assert group.node is not None
                self.attributions.append((group.node, job_node))
        if run is not None:
            assert job is not None and job_node is not None
            self._plan_run(run, parent, root, job, job_node, by_xid)
        self.batch = self._batch()
        return self.batch

    def _plan_datasets(self, occurrences: list[tuple[str, dict[str, Any], list[Identity]]],
                       stored: ol_rows.Stored) -> None:
        owner = {i.key: artifact for artifact, ids in stored.identities.items() for i in ids}
        find = _Find(len(occurrences))
        first: dict[str, int] = {}
        for k, (_, _, ids) in enumerate(occurrences):
            for ident in ids:
                for joined in (ident.key, owner.get(ident.key)):
                    if joined is not None:
                        find.join(k, first.setdefault(joined, k))
        groups: dict[int, _Group] = {}
        for k, occurrence in enumerate(occurrences):
            groups.setdefault(find.root(k), _Group()).occurrences.append(occurrence)
        for group in groups.values():
            self._plan_dataset(group, stored, owner)
            self.groups.append(group)

    def _plan_dataset(self, group: _Group, stored: ol_rows.Stored, owner: Mapping[str, str]
                      ) -> None:
        found = sorted((ident.rank(), owner[ident.key]) for _, _, ids in group.occurrences
                       for ident in ids if ident.key in owner)
        target = found[0][1] if found else None
        known = {i.key: i for i in stored.identities.get(target, [])} if target else {}
        names = dict(known)
        for _, _, ids in group.occurrences:
            for ident in ids:
                if owner.get(ident.key, target) != target:
                    continue  # another artifact's name: left to it (artifacts never merge)
                names[ident.key] = names[ident.key].union(ident) if ident.key in names else ident
        group.aliases = [i for key, i in names.items() if known.get(key) != i]
        shown = min(names.values(), key=Identity.rank)
        artifact = stored.artifacts.get(target) if target else None
        custom = dict(artifact.custom_properties) if artifact else {}
        for _, dataset, _ in group.occurrences:
            custom = m.merge_facets(custom, m.dataset_facets(dataset), self.time)
        custom["namespace"] = shown.namespace
        custom["identities"] = sorted(f"{i.namespace}:{i.name}" for i in names.values())
        group.node = self._add(_node(A, artifact, ArtifactInput(
            type=m.DATASET_TYPE, external_id=m.dataset_external_id(shown.namespace, shown.name),
            name=shown.name, state=m.dataset_state(m.facets_of(custom)),
            uri=artifact.uri if isinstance(artifact, Artifact) else None,
            properties=artifact.properties if artifact else {}, custom_properties=custom)))

    def _plan_job(self, job: Mapping[str, Any], by_xid: Mapping[str | None, Node]) -> _Node:
        namespace, name = job["namespace"], job["name"]
        space = self._add(_node(C, by_xid.get(m.namespace_external_id(namespace)), ContextInput(
            type=m.NAMESPACE_TYPE, external_id=m.namespace_external_id(namespace),
            name=namespace)))
        stored = by_xid.get(m.job_external_id(namespace, name))
        custom = m.merge_facets(stored.custom_properties if stored else {},
                                job.get("facets") or {}, self.time)
        custom.update(namespace=namespace, jobName=name)
        node = self._add(_node(C, stored, ContextInput(
            type=m.JOB_TYPE, external_id=m.job_external_id(namespace, name),
            name=m.job_context_name(namespace, name),
            properties=stored.properties if stored else {}, custom_properties=custom)))
        if space.stored_id is None or stored is None:  # linked when either is new
            self.links.append((node, space))
        return node

    def _parent_context(self, ref: m.RunRef, by_xid: Mapping[str | None, Node]) -> _Node:
        stored = by_xid.get(m.parent_run_external_id(ref.run_id))
        custom = dict(stored.custom_properties) if stored else {}
        custom.update(runId=ref.run_id, jobNamespace=ref.job_namespace, jobName=ref.job_name)
        return self._add(_node(C, stored, ContextInput(
            type=m.PARENT_RUN_TYPE, external_id=m.parent_run_external_id(ref.run_id),
            name=m.parent_run_name(ref.job_name, ref.run_id),
            properties=stored.properties if stored else {}, custom_properties=custom)))

    def _plan_run(self, run: str, parent: m.RunRef | None, root: m.RunRef | None,
                  job: Mapping[str, Any], job_node: _Node,
                  by_xid: Mapping[str | None, Node]) -> None:
        stored = by_xid.get(m.run_external_id(run))
        facets = dict(self.event["run"].get("facets") or {})
        facets.update({m.JOB_FACET + k: v for k, v in (job.get("facets") or {}).items()})
        custom = m.merge_facets(stored.custom_properties if stored else {}, facets, self.time)
        custom.update(runId=run, jobNamespace=job["namespace"], jobName=job["name"])
        state = stored.state if isinstance(stored, Execution) else ExecutionState.UNKNOWN
        rank = m.state_rank(self.event.get("eventType"), self.time)
        old = m.stored_rank(custom)
        if rank is not None and (old is None or rank > old):
            custom.update(eventType=self.event["eventType"], eventTime=self.event["eventTime"])
            state = m.STATES[self.event["eventType"]]
        execution = self._add(_node(E, stored, ExecutionInput(
            type=m.RUN_TYPE, external_id=m.run_external_id(run), name=job["name"], state=state,
            properties=stored.properties if stored else {}, custom_properties=custom)))
        self.execution = execution
        self.associations.append((execution, job_node))
        for group in self.groups:
            assert group.node is not None
            for role in sorted({r for r, _, _ in group.occurrences}):
                self.events.append((group.node, execution, EventType(role)))
        own = by_xid.get(m.parent_run_external_id(run))
        if own is not None:  # this run has children already: it joins their context
            own_node = self._add(_Node(C, None, own.id))
            self.associations.append((execution, own_node))
        else:
            own_node = None
        if parent is None:
            return
        parent_node = self._parent_context(parent, by_xid)
        self.associations.append((execution, parent_node))
        if own_node is not None:
            self.links.append((own_node, parent_node))
        parent_run = by_xid.get(m.run_external_id(parent.run_id))
        if parent_run is not None:  # the parent's own run: in its context, under its parent
            self.associations.append((self._add(_Node(E, None, parent_run.id)), parent_node))
            above = m.parent_of(parent_run.custom_properties)
            if above is not None and parent_node.stored_id is None:
                self.grandparent = (parent_node, above)
        if root is not None:
            self.links.append((parent_node, self._parent_context(root, by_xid)))

    def _add(self, node: _Node) -> _Node:
        self.nodes.append(node)
        return node

    # -- the batch -----------------------------------------------------------------------

    def _batch(self) -> Batch:
        rows: dict[NodeKind, list[NodeInput]] = {A: [], E: [], C: []}
        for node in self.nodes:
            if node.row is not None:
                node.end = len(rows[node.kind])
                rows[node.kind].append(node.row)
        batch = Batch({kind: NodeRows.of(kind, rows[kind], f"openlineage.{kind.value.lower()}s")
                       for kind in (C, A, E)},
                      [("nodes", C), ("nodes", A), ("nodes", E), ("refs", C), ("refs", A),
                       ("refs", E)])
        for node in self.nodes:
            if node.row is None:
                assert node.stored_id is not None
                node.end = batch.ref(node.kind, f"stored {node.kind.value.lower()}",
                                     node.stored_id)
        ts = self.time // 1000
        batch.events = [Event(a.end, x.end, kind, "[]", ts) for a, x, kind in self.events]
        batch.attributions = [(a.end, c.end) for a, c in self.attributions]
        batch.associations = [(x.end, c.end) for x, c in self.associations]
        return batch

    def _raced(self, ids: Ids) -> bool:
        """Whether a node this plan found absent was there when the batch wrote: another
        event created it meanwhile, and the batch wrote this event's view of it over that
        one's (which this plan never read)."""
        assert self.batch is not None
        for node in self.nodes:
            if node.row is not None and node.stored_id is None:
                rows = self.batch.nodes[node.kind]
                [position] = rows.positions([node.end])
                if ids[node.kind][node.end] != rows.sent[position].get("n"):
                    return True
        return False

    async def finish(self, tx: Tx, ids: Ids) -> IngestResult:
        """Write what needs the batch's ids: dataset identities, parent links.

        Raises:
            Raced: a node planned as new was created by another event meanwhile, or a
                dataset name this plan found free was given to another artifact (the
                transaction is rolled back; plan again).
        """
        if self._raced(ids):
            raise Raced()
        for node in self.nodes:
            node.id = ids[node.kind][node.end] if node.row is not None else str(node.stored_id)
        rows: list[dict[str, Any]] = [
            {"key": i.key, "artifactId": g.node.id, "namespace": i.namespace, "name": i.name,
             "primary": i.primary, "location": i.location}
            for g in self.groups if g.node is not None for i in g.aliases]
        owners = await ol_rows.put_aliases(tx, rows)
        if any(owners.get(row["key"]) != row["artifactId"] for row in rows):
            raise Raced()  # another event gave one of these names to its artifact meanwhile
        links = [(child.id, parent.id) for child, parent in self.links]
        if self.grandparent is not None:
            node, above = self.grandparent
            found = await node_rows.by_external_ids(
                tx, C, [m.parent_run_external_id(above.run_id)])
            links += [(node.id, n.id) for n in found]
        await _link(tx, links)
        return IngestResult(self.kind, self.execution.id if self.execution else None,
                            [g.node.id for g in self.groups if g.node is not None],
                            _unique(n.id for n in self.nodes if n.kind is C))


async def _link(tx: Tx, links: Sequence[tuple[str, str]]) -> None:
    """Merge CHILD_OF links; a link that would make a context its own ancestor (parent
    facets that loop) is refused, and with it the event."""
    links = [(c, p) for c, p in dict.fromkeys(links) if c != p]
    if not links:
        return
    await relation_rows.put_parent_links(tx, [{"childId": c, "parentId": p} for c, p in links],
                                         delta_id=new_id(), now=now_ms())
    if await relation_rows.cyclic(tx, sorted({c for c, _ in links})):
        raise Conflict("run.facets.parent: the parent runs would form a cycle",
                       field="run.facets.parent")


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
