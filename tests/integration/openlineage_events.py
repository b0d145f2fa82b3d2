"""The OpenLineage test events (`tests/fixtures/openlineage/`, real integrations' events),
posted by the official `openlineage-python` client, and what the graph must hold after
them — worked out here from the events alone, independently of the server's mapping."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import (
    DatasetEvent,
    InputDataset,
    Job,
    JobEvent,
    OutputDataset,
    Run,
    RunEvent,
    RunState,
    StaticDataset,
)
from openlineage.client.generated import tags_job, tags_run

from graph_api.store.connection import Database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "openlineage"
EVENT_FILES = sorted((FIXTURES / "events").glob("*.json"))

STATES = {"START": "RUNNING", "RUNNING": "RUNNING", "COMPLETE": "COMPLETE", "FAIL": "FAILED",
          "ABORT": "CANCELED"}
_PRIORITY = {"START": 0, "RUNNING": 1, "COMPLETE": 2, "ABORT": 3, "FAIL": 4}


def load(path: Path) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return event


def _tagged(facets: Mapping[str, Any], facet: type[Any], fields: type[Any]) -> dict[str, Any]:
    """Facets as they are, but tags: the client adds its own tag to a tags facet, which it
    then needs as its class."""
    out = dict(facets)
    if isinstance(out.get("tags"), dict):
        out["tags"] = facet(tags=[fields(key=t["key"], value=t["value"], source=t.get("source"))
                                  for t in out["tags"].get("tags") or []],
                            producer=out["tags"].get("_producer", ""))
    return out


def client_event(doc: Mapping[str, Any]) -> RunEvent | DatasetEvent | JobEvent:
    """The official client's event object for a JSON event (facets as they are)."""
    if "dataset" in doc:
        d = doc["dataset"]
        return DatasetEvent(eventTime=doc["eventTime"], producer=doc["producer"],
                            dataset=StaticDataset(namespace=d["namespace"], name=d["name"],
                                                  facets=d.get("facets") or {}))
    job = Job(namespace=doc["job"]["namespace"], name=doc["job"]["name"],
              facets=_tagged(doc["job"].get("facets") or {}, tags_job.TagsJobFacet,
                             tags_job.TagsJobFacetFields))
    inputs = [InputDataset(namespace=i["namespace"], name=i["name"], facets=i.get("facets") or {},
                           inputFacets=i.get("inputFacets") or {})
              for i in doc.get("inputs") or []]
    outputs = [OutputDataset(namespace=o["namespace"], name=o["name"],
                             facets=o.get("facets") or {}, outputFacets=o.get("outputFacets") or {})
               for o in doc.get("outputs") or []]
    if "run" not in doc:
        return JobEvent(eventTime=doc["eventTime"], producer=doc["producer"],
                        job=job, inputs=inputs, outputs=outputs)
    return RunEvent(eventTime=doc["eventTime"], producer=doc["producer"],
                    eventType=RunState(doc["eventType"]) if doc.get("eventType") else None,
                    run=Run(runId=doc["run"]["runId"],
                            facets=_tagged(doc["run"].get("facets") or {}, tags_run.TagsRunFacet,
                                           tags_run.TagsRunFacetFields)),
                    job=job, inputs=inputs, outputs=outputs)


@contextmanager
def official_client(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenLineageClient]:
    """`OpenLineageClient()` configured as users configure it: `OPENLINEAGE_URL`."""
    for name in ("OPENLINEAGE_CONFIG", "OPENLINEAGE_API_KEY", "OPENLINEAGE_DISABLED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENLINEAGE_URL", url)
    client = OpenLineageClient()
    assert type(client.transport).__name__ == "HttpTransport"
    try:
        yield client
    finally:
        client.close()


def post_all(client: OpenLineageClient, docs: Iterable[Mapping[str, Any]]) -> None:
    for doc in docs:
        client.emit(client_event(doc))


# -- what the events say ----------------------------------------------------------------


def _time(value: str) -> float:
    parsed = datetime.fromisoformat(value)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def _run_id(value: str) -> str:
    digits = value.replace("-", "").lower()
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


@dataclass
class Expected:
    """The graph the events describe, in the terms of the mapping's definition."""

    #: each dataset: the set of its identities "ns:name" (symlinks join them)
    datasets: set[frozenset[str]] = field(default_factory=set)
    #: run id -> (job "ns:name", final state)
    runs: dict[str, tuple[str, str]] = field(default_factory=dict)
    jobs: set[str] = field(default_factory=set)
    namespaces: set[str] = field(default_factory=set)
    #: (dataset identities, run id, INPUT | OUTPUT)
    edges: set[tuple[frozenset[str], str, str]] = field(default_factory=set)
    #: run id -> its parent run id
    parents: dict[str, str] = field(default_factory=dict)
    #: parent run -> the parent runs above it (its own parent facet, and the root facets
    #: of its children)
    above: dict[str, set[str]] = field(default_factory=dict)
    #: output dataset identity "ns:name" -> column -> input "ns:name:field"s
    columns: dict[str, dict[str, set[str]]] = field(default_factory=dict)


def _identities(dataset: Mapping[str, Any]) -> list[str]:
    own = f"{dataset['namespace']}:{dataset['name']}"
    links = ((dataset.get("facets") or {}).get("symlinks") or {}).get("identifiers") or []
    return [own, *(f"{s['namespace']}:{s['name']}" for s in links)]


def expected(docs: Sequence[Mapping[str, Any]]) -> Expected:
    """Work the expected graph out of the events."""
    out = Expected()
    group: dict[str, str] = {}

    def find(x: str) -> str:
        while group.setdefault(x, x) != x:
            x = group[x]
        return x

    datasets = [d for doc in docs for d in (doc.get("inputs") or []) + (doc.get("outputs") or [])]
    for d in datasets:
        first, *rest = _identities(d)
        for other in rest:
            group[find(other)] = find(first)
    members: dict[str, set[str]] = defaultdict(set)
    for d in datasets:
        for ident in _identities(d):
            members[find(ident)].add(ident)
    of = {ident: frozenset(members[find(ident)]) for ident in group}
    out.datasets = set(of.values())
    ranks: dict[str, tuple[bool, float, int]] = {}
    parents_of: dict[str, str] = {}
    for doc in docs:
        run = _run_id(doc["run"]["runId"])
        job = f"{doc['job']['namespace']}:{doc['job']['name']}"
        out.jobs.add(job)
        out.namespaces.add(doc["job"]["namespace"])
        kind = doc.get("eventType")
        state = out.runs.get(run, (job, "UNKNOWN"))[1]
        if kind in STATES:
            rank = (kind in ("COMPLETE", "FAIL", "ABORT"), _time(doc["eventTime"]), _PRIORITY[kind])
            if run not in ranks or rank > ranks[run]:
                ranks[run], state = rank, STATES[kind]
        out.runs[run] = (job, state)
        for role, key in (("INPUT", "inputs"), ("OUTPUT", "outputs")):
            for d in doc.get(key) or []:
                out.edges.add((of[_identities(d)[0]], run, role))
        parent = (doc["run"].get("facets") or {}).get("parent")
        if parent:
            p = _run_id(parent["run"]["runId"])
            out.parents[run] = p
            parents_of[run] = p
            root = parent.get("root")
            if root and _run_id(root["run"]["runId"]) != p:
                out.above.setdefault(p, set()).add(_run_id(root["run"]["runId"]))
        for d in doc.get("outputs") or []:
            lineage = ((d.get("facets") or {}).get("columnLineage") or {}).get("fields") or {}
            for column, spec in lineage.items():
                out.columns.setdefault(f"{d['namespace']}:{d['name']}", {}).setdefault(
                    column, set()).update(f"{i['namespace']}:{i['name']}:{i['field']}"
                                          for i in spec.get("inputFields") or [])
    for run, parent in parents_of.items():  # a parent run's own parent, when it has one
        if run in out.parents.values() and run in parents_of:
            out.above.setdefault(run, set()).add(parent)
    return out


# -- what the graph holds ---------------------------------------------------------------

SNAPSHOT = {
    "artifacts": "MATCH (a:Artifact) RETURN a {.*} AS n",
    "executions": "MATCH (e:Execution) RETURN e {.*} AS n",
    "contexts": "MATCH (c:Context) RETURN c {.*} AS n",
    "aliases": "MATCH (d:DatasetAlias) RETURN d {.*} AS n",
    "inputs": "MATCH (a:Artifact)-[r:INPUT]->(e:Execution) "
              "RETURN {a: a.externalId, e: e.externalId, kind: r.kind} AS n",
    "outputs": "MATCH (e:Execution)-[r:OUTPUT]->(a:Artifact) "
               "RETURN {a: a.externalId, e: e.externalId, kind: r.kind} AS n",
    "attributions": "MATCH (a:Artifact)-[:ATTRIBUTED_TO]->(c:Context) "
                    "RETURN {a: a.externalId, c: c.externalId} AS n",
    "associations": "MATCH (e:Execution)-[:ASSOCIATED_WITH]->(c:Context) "
                    "RETURN {e: e.externalId, c: c.externalId} AS n",
    "parents": "MATCH (c:Context)-[:CHILD_OF]->(p:Context) "
               "RETURN {c: c.externalId, p: p.externalId} AS n",
    "deltas": "MATCH (d:TopologyDelta) RETURN {events: size(d.edgeEvent)} AS n",
}

#: Differ between two writes of the same graph: the server's ids (MLMD's int64 ids count
#: in arrival order) and clocks.
VOLATILE = frozenset({"id", "mlmdId", "createdAt", "updatedAt", "artifactId"})


async def snapshot(db: Database, *, keep_volatile: bool = False) -> dict[str, list[str]]:
    """Every node and edge of the graph as sorted JSON lines, by what they are."""
    out: dict[str, list[str]] = {}
    async with db.driver.session(database=db.database) as session:
        for name, query in SNAPSHOT.items():
            rows = [record["n"] async for record in await session.run(query)]
            out[name] = sorted(json.dumps({k: v for k, v in row.items()
                                           if keep_volatile or k not in VOLATILE},
                                          sort_keys=True, default=str) for row in rows)
    return out


async def made_by(db: Database, client: OpenLineageClient, docs: Sequence[Mapping[str, Any]]
                  ) -> dict[str, list[str]]:
    """The snapshot of the graph `docs` make, posted in this order; the database is emptied
    afterwards, for another way of posting them."""
    post_all(client, docs)
    made = await snapshot(db)
    async with db.driver.session(database=db.database) as session:
        await session.run("MATCH (n) DETACH DELETE n")
    return made


async def graph_size(db: Database) -> tuple[int, int]:
    async with db.driver.session(database=db.database) as session:
        nodes = await (await session.run("MATCH (n) RETURN count(n) AS c")).single()
        edges = await (await session.run("MATCH ()-[r]->() RETURN count(r) AS c")).single()
    assert nodes is not None and edges is not None
    return int(nodes["c"]), int(edges["c"])
