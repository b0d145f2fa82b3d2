"""OpenLineage ingestion end to end: the integrations' events posted by the official
client to `POST /api/v1/lineage`, the graph they make checked against what the events say,
arrival order, re-sending, bad input, symlinks, column lineage, Marquez's read route, and
one graph with what the SDK writes."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest
from openlineage.client import OpenLineageClient

from graph_api.client import (
    ArtifactAndEvent,
    ArtifactInput,
    EventType,
    ExecutionInput,
    TypeInput,
    connect_async,
)
from graph_api.store.connection import Database
from tests.graph_server import GraphServer
from tests.integration.api import Api
from tests.integration.openlineage_events import (
    EVENT_FILES,
    expected,
    graph_size,
    load,
    made_by,
    official_client,
    post_all,
    snapshot,
)

pytestmark = pytest.mark.integration

DOCS = [load(path) for path in EVENT_FILES]
RUN_TYPE, DATASET = "JobRun", "Dataset"
COLUMNS = """
query Columns($id: ID!) {
  datasetColumns(artifactId: $id) {
    name type
    inputs { namespace name field artifactId }
  }
}
"""


def _rows(shot: dict[str, list[str]], name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in shot[name]]


def _custom(node: dict[str, Any], key: str) -> Any:
    if "c_" + key in node:
        return node["c_" + key]
    return json.loads(node["cs_" + key]) if "cs_" + key in node else None


async def test_the_events_make_the_graph_they_describe(
        api: Api, clean_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(DOCS) == 63
    with official_client(api.url, monkeypatch) as client:
        post_all(client, DOCS)
    want = expected(DOCS)
    shot = await snapshot(clean_db)

    artifacts = {a["externalId"]: a for a in _rows(shot, "artifacts")}
    datasets = {frozenset(_custom(a, "identities")): a for a in artifacts.values()}
    assert set(datasets) == want.datasets
    assert all(a["type"] == DATASET for a in artifacts.values())
    executions = {_custom(e, "runId"): e for e in _rows(shot, "executions")}
    assert {run: (f"{_custom(e, 'jobNamespace')}:{_custom(e, 'jobName')}", e["state"])
            for run, e in executions.items()} == want.runs
    assert all(e["type"] == RUN_TYPE and e["name"] == _custom(e, "jobName")
               for e in executions.values())
    contexts = {c["externalId"]: c for c in _rows(shot, "contexts")}
    jobs = {c["name"] for c in contexts.values() if c["type"] == "Job"}
    assert jobs == want.jobs
    assert {c["name"] for c in contexts.values() if c["type"] == "Namespace"} == want.namespaces

    identities_of = {a["externalId"]: frozenset(_custom(a, "identities"))
                     for a in artifacts.values()}
    run_of = {e["externalId"]: run for run, e in executions.items()}
    edges = {(identities_of[r["a"]], run_of[r["e"]], r["kind"])
             for r in _rows(shot, "inputs") + _rows(shot, "outputs")}
    assert edges == want.edges

    member_of: dict[str, set[str]] = defaultdict(set)
    for r in _rows(shot, "associations"):
        member_of[run_of[r["e"]]].add(r["c"])
    for run, (job, _) in want.runs.items():
        assert f"openlineage:job:{job}" in member_of[run]
    for run, parent in want.parents.items():
        assert f"openlineage:parentRun:{parent}" in member_of[run]
        assert contexts[f"openlineage:parentRun:{parent}"]["type"] == "ParentRun"
    for parent in set(want.parents.values()) & set(want.runs):  # a parent's own run
        assert f"openlineage:parentRun:{parent}" in member_of[parent]
    links = {(r["c"], r["p"]) for r in _rows(shot, "parents")}
    chained = {(f"openlineage:parentRun:{c}", f"openlineage:parentRun:{p}")
               for c, ps in want.above.items() for p in ps}
    assert chained and chained <= links
    assert {c for c, _ in links if c.startswith("openlineage:parentRun:")} == {
        c for c, _ in chained}
    job_links = {(c, p) for c, p in links if c.startswith("openlineage:job:")}
    assert job_links == {
        (f"openlineage:job:{d['job']['namespace']}:{d['job']['name']}",
         f"openlineage:namespace:{d['job']['namespace']}") for d in DOCS}

    # dbt's three levels: a SQL statement's run under the model's run under dbt's run
    assert ("openlineage:parentRun:e8ed7eba-abf8-5199-aa52-42b94f881960",
            "openlineage:parentRun:9b14a41f-c046-58b3-b898-6b70010e35eb") in links
    # the Airflow DAG run sends no event of its own: its context is there all the same
    dag_run = contexts["openlineage:parentRun:c823d0f5-b8e7-55d3-a1f6-8aa3ffb85ba3"]
    assert _custom(dag_run, "jobName") == "bash_dag"
    # START and FAIL at the same eventTime: FAIL wins
    assert executions["aaaa0000-0000-0000-0000-000000000000"]["state"] == "FAILED"
    # a streaming job that never completes still shows its inputs and outputs
    flink = executions["a3d98cab-41b6-5d62-a840-749cd5cc538b"]
    assert flink["state"] == "RUNNING"
    assert {k for (_, run, k) in edges if run == "a3d98cab-41b6-5d62-a840-749cd5cc538b"} == {
        "INPUT", "OUTPUT"}
    # facets kept on runs, jobs and datasets
    failed = executions["0a26170e-7f94-5343-906b-e2cb9ca0a19f"]
    assert "message" in _custom(failed, "errorMessage")
    hive = executions["110c7532-d9b1-559b-ae6a-b768a4f82f3a"]
    assert _custom(hive, "processing_engine")["name"] == "hive"
    assert "INSERT" in _custom(hive, "job_sql")["query"].upper()
    nominal = executions["b6ca9a9b-811c-5f0c-b1cf-8da872da1298"]
    assert "nominalStartTime" in _custom(nominal, "nominalTime")
    iceberg = datasets[frozenset({"file:/tmp/iceberg/default/append_table",
                                  "file:/tmp/iceberg:default.append_table"})]
    assert _custom(iceberg, "version") and _custom(iceberg, "schema")["fields"]
    assert iceberg["name"] == "/tmp/iceberg/default/append_table"  # noqa: S108
    assert _custom(iceberg, "namespace") == "file"


async def test_any_arrival_order_makes_the_same_graph(
        api: Api, clean_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with official_client(api.url, monkeypatch) as client:
        in_order = await made_by(clean_db, client, DOCS)
        shuffled = list(DOCS)
        random.Random(14).shuffle(shuffled)
        post_all(client, shuffled)
    again = await snapshot(clean_db)
    in_order.pop("deltas"), again.pop("deltas")  # edges come in other batches
    assert again == in_order


async def test_resending_an_event_writes_nothing(
        api: Api, clean_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with official_client(api.url, monkeypatch) as client:
        post_all(client, DOCS)
        before = await snapshot(clean_db, keep_volatile=True)
        post_all(client, DOCS)
    assert await snapshot(clean_db, keep_volatile=True) == before


def _bad_requests(api: Api) -> list[tuple[httpx.Response, int, str]]:
    good = DOCS[56]
    missing_run = json.loads(json.dumps(good))
    del missing_run["run"]["runId"]
    unknown_type = {**good, "eventType": "FINISHED"}
    not_hex = json.loads(json.dumps(good))
    not_hex["run"]["runId"] = "not-a-run-id"
    huge = json.dumps({**good, "producer": "x" * (20 * 1024 * 1024)}).encode()
    bomb = gzip.compress(b" " * (20 * 1024 * 1024))
    post, http = f"{api.url}/api/v1/lineage", api.client
    return [
        (http.post(post, content=b'{"eventTime": ', headers={"content-type":
                                                              "application/json"}),
         400, "body"),
        (http.post(post, json=missing_run), 422, "run.runId"),
        (http.post(post, json=unknown_type), 422, "eventType"),
        (http.post(post, json=not_hex), 422, "run.runId"),
        (http.post(post, json=[good]), 422, "event"),
        (http.post(post, content=huge, headers={"content-type": "application/json"}),
         413, "body"),
        (http.post(post, content=bomb, headers={"content-encoding": "gzip"}), 413, "body"),
    ]


async def test_bad_events_are_refused_and_write_nothing(api: Api, clean_db: Database) -> None:
    assert api.client.post(f"{api.url}/api/v1/lineage", json=DOCS[0]).status_code == 201
    before = await graph_size(clean_db)
    for response, status, field in _bad_requests(api):
        assert response.status_code == status, response.text
        answer = response.json()
        assert field in answer["message"] and "Traceback" not in response.text
    assert await graph_size(clean_db) == before


async def test_gzip_bodies_and_the_older_spec(api: Api, clean_db: Database) -> None:
    http = api.client
    older = DOCS[0]  # a verbatim 1-0-2 event of the Spark integration
    assert older["schemaURL"].startswith("https://openlineage.io/spec/1-0-")
    answer = http.post(f"{api.url}/api/v1/lineage", json=older)
    assert answer.status_code == 201, answer.text
    body = gzip.compress(json.dumps(DOCS[1]).encode())
    zipped = http.post(f"{api.url}/api/v1/lineage", content=body,
                       headers={"content-type": "application/json",
                                "content-encoding": "gzip"})
    assert zipped.status_code == 201, zipped.text
    assert zipped.json()["kind"] == "RunEvent" and zipped.json()["artifactIds"]


def _spark_and_hive(order: list[int]) -> list[dict[str, Any]]:
    """Spark names a table by its location (the table a symlink); Hive by its name (the
    location a symlink); a third job reads the location alone."""
    base = {"eventType": "COMPLETE", "producer": "https://example.com/test",
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"}
    location = {"namespace": "file", "name": "/warehouse/sales.db/orders"}
    table = {"namespace": "hive://metastore:9083", "name": "sales.orders"}
    link = "https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json"

    def dataset(own: dict[str, str], other: dict[str, str], kind: str) -> dict[str, Any]:
        return {**own, "facets": {"symlinks": {
            "_producer": base["producer"], "_schemaURL": link,
            "identifiers": [{**other, "type": kind}]}}}

    events = [
        {**base, "eventTime": "2026-01-01T00:00:00Z", "job": {"namespace": "spark", "name": "w"},
         "run": {"runId": "0195f3a1-0000-7000-8000-000000000001"},
         "outputs": [dataset(location, table, "TABLE")]},
        {**base, "eventTime": "2026-01-01T00:01:00Z", "job": {"namespace": "hive", "name": "r"},
         "run": {"runId": "0195f3a1-0000-7000-8000-000000000002"},
         "inputs": [dataset(table, location, "LOCATION")]},
        {**base, "eventTime": "2026-01-01T00:02:00Z", "job": {"namespace": "spark", "name": "x"},
         "run": {"runId": "0195f3a1-0000-7000-8000-000000000003"}, "inputs": [location]},
    ]
    return [events[i] for i in order]


@pytest.mark.parametrize("order", [[0, 1, 2], [1, 0, 2], [2, 1, 0], [2, 0, 1]])
async def test_spark_and_hive_names_of_a_table_meet(
        api: Api, clean_db: Database, monkeypatch: pytest.MonkeyPatch, order: list[int]) -> None:
    with official_client(api.url, monkeypatch) as client:
        post_all(client, _spark_and_hive(order))
    shot = await snapshot(clean_db)
    [artifact] = _rows(shot, "artifacts")
    assert _custom(artifact, "identities") == ["file:/warehouse/sales.db/orders",
                                               "hive://metastore:9083:sales.orders"]
    assert artifact["name"] == "sales.orders"  # a table's name over its location
    assert len(_rows(shot, "outputs")) == 1 and len(_rows(shot, "inputs")) == 2


async def test_column_lineage_is_queryable(
        api: Api, clean_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with official_client(api.url, monkeypatch) as client:
        post_all(client, DOCS)
    want = expected(DOCS)
    shot = await snapshot(clean_db)
    by_identity = {i: a["externalId"] for a in _rows(shot, "artifacts")
                   for i in _custom(a, "identities")}
    checked = 0
    for output, columns in want.columns.items():
        [artifact] = await _by_external_id(api, by_identity[output])
        got = api.data(COLUMNS, {"id": artifact})["datasetColumns"]
        lineage = {c["name"]: {f"{i['namespace']}:{i['name']}:{i['field']}" for i in c["inputs"]}
                   for c in got if c["inputs"]}
        assert lineage == columns
        for column in got:
            for source in column["inputs"]:
                known = by_identity.get(f"{source['namespace']}:{source['name']}")
                assert (source["artifactId"] is not None) == (known is not None)
        checked += 1
    assert checked >= 5


async def _by_external_id(api: Api, external_id: str) -> list[str]:
    store = connect_async(api.url)
    try:
        return [a.id for a in await store.get_artifacts_by_external_ids([external_id])]
    finally:
        await store.close()


async def test_marquez_lineage_route(
        api: Api, clean_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with official_client(api.url, monkeypatch) as client:
        post_all(client, DOCS[55:59])
    http = api.client
    answer = http.get(f"{api.url}/api/v1/lineage", params={
        "nodeId": "dataset:postgres://postgres:5432:food_delivery.public.top_delivery_times",
        "depth": 5})
    assert answer.status_code == 200, answer.text
    graph = {n["id"]: n for n in answer.json()["graph"]}
    job = "job:food_delivery:postgres_orders_popular_day_of_week.postgres_insert"
    out = "dataset:postgres://postgres:5432:food_delivery.public.popular_orders_day_of_week"
    assert {job, out} <= set(graph)
    assert graph[job]["type"] == "JOB" and graph[out]["type"] == "DATASET"
    assert {"origin": job, "destination": out} in graph[job]["outEdges"]
    assert {"origin": job, "destination": out} in graph[out]["inEdges"]
    assert graph[job]["data"]["latestRun"]["state"] == "COMPLETE"
    assert [f["name"] for f in graph[out]["data"]["fields"]] == [
        "order_day_of_week", "order_placed_on", "orders_placed"]
    by_job = http.get(f"{api.url}/api/v1/lineage", params={"nodeId": job})
    assert by_job.status_code == 200 and out in {n["id"] for n in by_job.json()["graph"]}
    assert http.get(f"{api.url}/api/v1/lineage",
                    params={"nodeId": "dataset:nope:nothing"}).status_code == 404
    assert http.get(f"{api.url}/api/v1/lineage",
                    params={"nodeId": "table:x"}).status_code == 400


async def test_impact_of_a_postgres_table_reaches_the_models_trained_on_it(
        api: Api, clean_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    airflow = [d for d in DOCS if d["producer"].endswith("integration/airflow")]
    with official_client(api.url, monkeypatch) as client:
        post_all(client, airflow)
    store = connect_async(api.url)
    try:
        [table] = await store.get_artifacts_by_external_ids(
            ["openlineage:dataset:postgres://postgres:5432:food_delivery.public.top_delivery_times"])
        [written] = await store.get_artifacts_by_external_ids([
            "openlineage:dataset:postgres://postgres:5432:"
            "food_delivery.public.popular_orders_day_of_week"])
        await store.put_execution_type(TypeInput(name="Trainer", base_type="TRAIN"))
        await store.put_artifact_type(TypeInput(name="Model", base_type="MODEL"))
        trained = await store.put_execution(
            ExecutionInput(type="Trainer", name="train-demand-model"),
            [ArtifactAndEvent(artifact_id=written.id, event_type=EventType.INPUT),
             ArtifactAndEvent(artifact=ArtifactInput(type="Model", uri="s3://models/demand-1",
                                                     name="demand-1"),
                              event_type=EventType.OUTPUT)])
        impact = await store.get_impact([table.id])
    finally:
        await store.close()
    reached = {n.id for n in impact.nodes}
    assert {written.id, trained.execution_id, trained.artifact_ids[1]} <= reached
    assert "food_delivery:postgres_orders_popular_day_of_week.postgres_insert" in {
        c.name for c in impact.contexts}  # the job whose run read the table
    hits = api.data('query { search(text: "popular_orders", kinds: [ARTIFACT]) { id } }')
    assert written.id in {h["id"] for h in hits["search"]}


async def test_lineage_import_openlineage_replays_files(
        clean_db: Database, graph_server: GraphServer, tmp_path: Path) -> None:
    ndjson = tmp_path / "events" / "airflow.ndjson"
    ndjson.parent.mkdir()
    lines = [json.dumps(d) for d in DOCS[55:59]]
    lines.insert(2, '{"eventTime": "2026-01-01T00:00:00Z", "run": {}}')
    ndjson.write_text("\n".join(lines) + "\n")
    (tmp_path / "events" / "dbt.json").write_text(json.dumps(DOCS[33:39]))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "LINEAGE_"))}
    env.update(NEO4J_URI=graph_server.uri, NEO4J_USER=graph_server.user,
               NEO4J_PASSWORD=graph_server.password or "", LINEAGE_DATA_DIR=str(tmp_path))
    if graph_server.database:
        env["NEO4J_DATABASE"] = graph_server.database
    result = await asyncio.to_thread(
        subprocess.run, [str(Path(sys.executable).parent / "lineage"), "import", "openlineage",
                         str(tmp_path / "events")],
        env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stderr  # one bad event
    assert f"{ndjson}:3: " in result.stderr and "Traceback" not in result.stderr
    assert "10 of 11 events from 2 files written" in result.stdout
    shot = await snapshot(clean_db)
    assert {_custom(e, "runId") for e in _rows(shot, "executions")} == {
        d["run"]["runId"] for d in DOCS[33:39] + DOCS[55:59]}


async def test_events_posted_at_once_make_the_same_graph(
        api: Api, clean_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with official_client(api.url, monkeypatch) as client:
        one_by_one = await made_by(clean_db, client, DOCS)
    shares = [DOCS[i::8] for i in range(8)]  # a run's events in different clients
    with official_client(api.url, monkeypatch) as first:
        clients = [first, *(OpenLineageClient() for _ in shares[1:])]
        await asyncio.gather(*(asyncio.to_thread(post_all, client, share)
                               for client, share in zip(clients, shares, strict=True)))
    at_once = await snapshot(clean_db)
    one_by_one.pop("deltas"), at_once.pop("deltas")
    assert at_once == one_by_one


async def test_dataset_and_job_events(
        api: Api, clean_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    schema = {"_producer": "https://example.com/test",
              "_schemaURL": "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json",
              "fields": [{"name": "id", "type": "int"}]}
    dataset_event = {"eventTime": "2026-01-01T00:00:00Z", "producer": "https://example.com/test",
                     "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json"
                                  "#/$defs/DatasetEvent",
                     "dataset": {"namespace": "s3://lake", "name": "raw/orders",
                                 "facets": {"schema": schema}}}
    job_event = {"eventTime": "2026-01-01T00:00:01Z", "producer": "https://example.com/test",
                 "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json"
                              "#/$defs/JobEvent",
                 "job": {"namespace": "etl", "name": "load_orders"},
                 "inputs": [{"namespace": "s3://lake", "name": "raw/orders"}],
                 "outputs": [{"namespace": "postgres://db:5432", "name": "shop.orders"}]}
    with official_client(api.url, monkeypatch) as client:
        post_all(client, [dataset_event, job_event])
    shot = await snapshot(clean_db)
    artifacts = {a["externalId"]: a for a in _rows(shot, "artifacts")}
    assert set(artifacts) == {"openlineage:dataset:s3://lake:raw/orders",
                              "openlineage:dataset:postgres://db:5432:shop.orders"}
    assert _custom(artifacts["openlineage:dataset:s3://lake:raw/orders"], "schema")[
        "fields"] == schema["fields"]
    assert {c["externalId"] for c in _rows(shot, "contexts")} == {
        "openlineage:job:etl:load_orders", "openlineage:namespace:etl"}
    assert len(_rows(shot, "attributions")) == 2
    assert not _rows(shot, "executions") and not _rows(shot, "inputs")


async def test_what_other_writers_set_on_a_dataset_stays(
        api: Api, clean_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    airflow = [d for d in DOCS if d["producer"].endswith("integration/airflow")]
    with official_client(api.url, monkeypatch) as client:
        post_all(client, airflow[:3])
        store = connect_async(api.url)
        try:
            external_id = ("openlineage:dataset:postgres://postgres:5432:"
                           "food_delivery.public.popular_orders_day_of_week")
            [table] = await store.get_artifacts_by_external_ids([external_id])
            await store.put_artifacts([ArtifactInput(
                id=table.id, type=table.type, name=table.name, external_id=external_id,
                uri="postgres://postgres:5432/food_delivery/popular_orders_day_of_week",
                state=table.state,
                custom_properties={**table.custom_properties, "owner": "data-eng"})])
            post_all(client, airflow[3:])
            [after] = await store.get_artifacts_by_id([table.id])
        finally:
            await store.close()
    assert after.uri == "postgres://postgres:5432/food_delivery/popular_orders_day_of_week"
    assert after.custom_properties["owner"] == "data-eng"
    assert "columnLineage" in after.custom_properties  # the later event's facet, merged in


@pytest.mark.parametrize("round_", range(3))
async def test_names_of_a_table_posted_at_once_meet(
        api: Api, clean_db: Database, monkeypatch: pytest.MonkeyPatch, round_: int) -> None:
    """Each event is posted by two clients at once (as a client does that re-sends an event
    it stopped waiting for), onto an emptied database: every post is answered 201 while
    the server registers its types anew under the others."""
    events = _spark_and_hive([0, 1, 2]) * 2
    with official_client(api.url, monkeypatch) as first:
        clients = [first, *(OpenLineageClient() for _ in events[1:])]
        await asyncio.gather(*(asyncio.to_thread(post_all, client, [event])
                               for client, event in zip(clients, events, strict=True)))
    shot = await snapshot(clean_db)
    [artifact] = _rows(shot, "artifacts")
    assert _custom(artifact, "identities") == ["file:/warehouse/sales.db/orders",
                                               "hive://metastore:9083:sales.orders"]
    assert len(_rows(shot, "aliases")) == 2
    assert len(_rows(shot, "executions")) == 3
