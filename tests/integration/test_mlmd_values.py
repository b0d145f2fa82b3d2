"""Every kind of MLMD property value, put and read back through MLMD's real client on the
gRPC service, comes back exactly as it was put — in `properties` and `custom_properties`,
of artifacts, executions and contexts, through writes and updates — and shows in the
GraphQL API as JSON. Values the store cannot keep are refused with MLMD's status code and
a message that names the property."""

from __future__ import annotations

import base64
import math
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from graph_api.embedded import free_port
from tests.graph_server import GraphServer
from tests.integration.api import Api, running_api, settings_for

pytest.importorskip("ml_metadata", reason="ml-metadata is not installed: its wheels exist for "
                                          "CPython 3.11 on glibc Linux and macOS only (the "
                                          "'mlmd' extra)")

from google.protobuf import any_pb2, struct_pb2
from ml_metadata import errors
from ml_metadata.metadata_store.metadata_store import MetadataStore
from ml_metadata.proto import metadata_store_pb2 as pb

TYPE_URL = "type.googleapis.com/tensorflow.metadata.v0.Anomalies"
RAW = b"\x00\x01\xff\x80raw bytes, not UTF-8"


def _struct(value: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(value)
    return struct


def _packed() -> any_pb2.Any:
    """A real message packed by protobuf itself: its type URL and serialized bytes."""
    packed = any_pb2.Any()
    packed.Pack(pb.Artifact(uri="s3://inside", name="packed"))
    return packed


#: Each case: (declared property type, value). Edge values of each kind included.
CASES: dict[str, tuple[Any, pb.Value]] = {
    "int_min": (pb.INT, pb.Value(int_value=-(2**63))),
    "int_max": (pb.INT, pb.Value(int_value=2**63 - 1)),
    "int_zero": (pb.INT, pb.Value(int_value=0)),
    "double": (pb.DOUBLE, pb.Value(double_value=0.1)),
    "double_whole": (pb.DOUBLE, pb.Value(double_value=3.0)),
    "double_negative_zero": (pb.DOUBLE, pb.Value(double_value=-0.0)),
    "double_huge": (pb.DOUBLE, pb.Value(double_value=1.7976931348623157e308)),
    "string": (pb.STRING, pb.Value(string_value="héllo\nwörld")),
    "string_empty": (pb.STRING, pb.Value(string_value="")),
    "string_of_json": (pb.STRING, pb.Value(string_value='{"not": "a struct"}')),
    "struct_nested": (pb.STRUCT, pb.Value(struct_value=_struct({
        "layers": [64, {"units": 10, "activation": "softmax"}, [[], [1.5, None]]],
        "config": {"optimizer": {"name": "adam", "lr": 0.001}, "nesterov": False},
        "empty": {}, "nothing": None, "negative_zero": -0.0, "big": 1e300}))),
    "struct_empty": (pb.STRUCT, pb.Value(struct_value=_struct({}))),
    "struct_shaped_like_a_proto": (pb.STRUCT, pb.Value(struct_value=_struct(
        {"typeUrl": TYPE_URL, "value": "AAE="}))),
    "proto_raw": (pb.PROTO, pb.Value(proto_value=any_pb2.Any(type_url=TYPE_URL, value=RAW))),
    "proto_packed": (pb.PROTO, pb.Value(proto_value=_packed())),
    "proto_empty": (pb.PROTO, pb.Value(proto_value=any_pb2.Any())),
    "bool_true": (pb.BOOLEAN, pb.Value(bool_value=True)),
    "bool_false": (pb.BOOLEAN, pb.Value(bool_value=False)),
}

KINDS = {
    "artifact": (pb.ArtifactType, pb.Artifact, "put_artifact_type", "put_artifacts",
                 "get_artifacts_by_id"),
    "execution": (pb.ExecutionType, pb.Execution, "put_execution_type", "put_executions",
                  "get_executions_by_id"),
    "context": (pb.ContextType, pb.Context, "put_context_type", "put_contexts",
                "get_contexts_by_id"),
}


def _exact(value: pb.Value) -> bytes:
    """A value's bytes: equal only for the same kind and the same bits (-0.0 is not 0.0)."""
    return value.SerializeToString(deterministic=True)


def _differences(put: Any, got: Any) -> list[str]:
    """The values of `put` that `got` does not hold exactly, as 'side.name: put -> got'."""
    out = []
    for side in ("properties", "custom_properties"):
        sent, back = getattr(put, side), getattr(got, side)
        for name, value in sent.items():
            returned = back.get(name)
            if returned is None or _exact(returned) != _exact(value):
                out.append(f"{side}.{name}: {value} -> {returned}")
        out += [f"{side}.{name}: not put, returned" for name in back if name not in sent]
    return out


@pytest.fixture(scope="module")
def served(graph_server: GraphServer, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[Api, MetadataStore]]:
    """One server for the module (the tests use types of their own); MLMD's client on it."""
    port = free_port()
    settings = settings_for(graph_server, tmp_path_factory.mktemp("mlmd-values"),
                            LINEAGE_MLMD_PORT=str(port))
    with running_api(settings) as api:
        yield api, MetadataStore(pb.MetadataStoreClientConfig(host="127.0.0.1", port=port))


def _name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def _put_every_value(store: MetadataStore, kind: str) -> tuple[Any, int]:
    """A node of `kind` holding every case as a declared and as a custom property."""
    type_class, node_class, put_type, put_nodes, _ = KINDS[kind]
    type_id = getattr(store, put_type)(type_class(
        name=_name(f"Every{kind}"), properties={name: t for name, (t, _) in CASES.items()}))
    node = node_class(type_id=type_id, name=_name(kind))
    for name, (_, value) in CASES.items():
        node.properties[name].CopyFrom(value)
        node.custom_properties[name].CopyFrom(value)
    [node_id] = getattr(store, put_nodes)([node])
    return node, node_id


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_value_kind_round_trips_exactly(
        served: tuple[Api, MetadataStore], kind: str) -> None:
    _, store = served
    put, node_id = _put_every_value(store, kind)

    [got] = getattr(store, KINDS[kind][4])([node_id])

    assert _differences(put, got) == []
    for side in (got.properties, got.custom_properties):
        assert side["proto_raw"].proto_value.type_url == TYPE_URL
        assert side["proto_raw"].proto_value.value == RAW
        unpacked = pb.Artifact()
        assert side["proto_packed"].proto_value.Unpack(unpacked)
        assert unpacked == pb.Artifact(uri="s3://inside", name="packed")
        assert math.copysign(1.0, side["double_negative_zero"].double_value) == -1.0


def test_listings_and_lineage_return_the_same_values(served: tuple[Api, MetadataStore]) -> None:
    _, store = served
    put, node_id = _put_every_value(store, "artifact")
    type_name = store.get_artifact_types_by_id([put.type_id])[0].name

    [listed] = store.get_artifacts_by_type(type_name)
    subgraph = store.get_lineage_subgraph(pb.LineageSubgraphQueryOptions(
        starting_artifacts=pb.LineageSubgraphQueryOptions.StartingNodes(
            filter_query=f"id = {node_id}"), max_num_hops=1))

    assert _differences(put, listed) == []
    assert [_differences(put, a) for a in subgraph.artifacts] == [[]]


def test_updates_keep_every_value_kind(served: tuple[Api, MetadataStore]) -> None:
    """A masked update rewrites only what it names: the stored proto values and structs
    stay proto values and structs; a whole update writes them again as given."""
    _, store = served
    put, node_id = _put_every_value(store, "artifact")

    renamed = pb.Artifact(id=node_id, name=_name("renamed"))
    renamed.custom_properties["added"].proto_value.CopyFrom(
        any_pb2.Any(type_url="t/added", value=b"\x01"))
    store.put_artifacts([renamed], field_mask_paths=["name", "custom_properties.added"])
    [masked] = store.get_artifacts_by_id([node_id])
    store.put_artifacts([masked])
    [whole] = store.get_artifacts_by_id([node_id])

    assert masked.name == renamed.name
    for got in (masked, whole):
        assert _exact(got.custom_properties["added"]) == _exact(
            renamed.custom_properties["added"])
        del got.custom_properties["added"]
        assert _differences(put, got) == []


def test_values_of_another_kind_than_declared_are_refused_as_mlmd_refuses_them(
        served: tuple[Api, MetadataStore]) -> None:
    _, store = served
    type_id = store.put_artifact_type(pb.ArtifactType(name=_name("Strict"), properties={
        "accuracy": pb.DOUBLE, "epochs": pb.INT, "spec": pb.STRUCT, "stats": pb.PROTO}))
    given = {"accuracy": pb.Value(int_value=1), "epochs": pb.Value(double_value=3.0),
             "spec": pb.Value(proto_value=any_pb2.Any(type_url=TYPE_URL)),
             "stats": pb.Value(struct_value=_struct({"a": 1}))}
    [stored_id] = store.put_artifacts([pb.Artifact(type_id=type_id)])

    for name, value in given.items():
        for node_id in (None, stored_id):  # a new node, and an update of a stored one
            artifact = pb.Artifact(type_id=type_id)
            if node_id is not None:
                artifact.id = node_id
            artifact.properties[name].CopyFrom(value)
            with pytest.raises(errors.InvalidArgumentError) as refused:
                store.put_artifacts([artifact])
            message = str(refused.value)
            # MLMD's own words first (clients match them), then what was wrong.
            assert f"Found unmatched property type: {name}" in message
            assert f"artifacts[0].properties.{name}" in message
            assert value.WhichOneof("value") in message


@pytest.mark.parametrize(("value", "says"), [
    (pb.Value(double_value=math.nan), "a double_value of NaN or infinity is not stored"),
    (pb.Value(double_value=-math.inf), "a double_value of NaN or infinity is not stored"),
    (pb.Value(struct_value=_struct({"loss": [0.5, math.inf]})),
     "a struct_value holding NaN or infinity is not stored"),
])
def test_values_json_cannot_hold_are_refused_naming_the_property(
        served: tuple[Api, MetadataStore], value: pb.Value, says: str) -> None:
    _, store = served
    type_id = store.put_artifact_type(pb.ArtifactType(name=_name("NotJson")))
    artifact = pb.Artifact(type_id=type_id)
    artifact.custom_properties["metric"].CopyFrom(value)

    with pytest.raises(errors.InvalidArgumentError) as refused:
        store.put_artifacts([artifact])

    assert f"artifacts[0].custom_properties.metric: {says}" in str(refused.value)
    assert "Traceback" not in str(refused.value)


def test_graphql_shows_mlmds_values_as_json(served: tuple[Api, MetadataStore]) -> None:
    """What a user of the GraphQL API sees of a node a TFX component wrote."""
    api, store = served
    type_id = store.put_artifact_type(pb.ArtifactType(name=_name("ExampleAnomalies"), properties={
        "span": pb.INT, "split_names": pb.STRING, "anomalies": pb.PROTO, "config": pb.STRUCT,
        "blessed": pb.BOOLEAN, "score": pb.DOUBLE}))
    artifact = pb.Artifact(type_id=type_id, uri="s3://anomalies", external_id=_name("anomalies"))
    artifact.properties["span"].int_value = 3
    artifact.properties["split_names"].string_value = '["train", "eval"]'
    artifact.properties["anomalies"].proto_value.CopyFrom(
        any_pb2.Any(type_url=TYPE_URL, value=RAW))
    artifact.properties["config"].struct_value.update(
        {"layers": [64, {"units": 10}], "dropout": 0.5, "nothing": None})
    artifact.properties["blessed"].bool_value = True
    artifact.properties["score"].double_value = 2.0
    artifact.custom_properties["packed"].proto_value.CopyFrom(_packed())
    artifact.custom_properties["tfx_version"].string_value = "1.16.0"
    store.put_artifacts([artifact])

    found = api.data("query($x: String!) { artifact(externalId: $x) { properties "
                     "customProperties type { properties { name type } } } }",
                     {"x": artifact.external_id})["artifact"]

    assert found["properties"] == {
        "span": 3,
        "split_names": '["train", "eval"]',
        "anomalies": {"typeUrl": TYPE_URL, "value": base64.b64encode(RAW).decode()},
        "config": {"layers": [64, {"units": 10}], "dropout": 0.5, "nothing": None},
        "blessed": True,
        "score": 2.0,
    }
    assert type(found["properties"]["score"]) is float
    assert found["customProperties"] == {
        "packed": {"typeUrl": "type.googleapis.com/ml_metadata.Artifact",
                   "value": base64.b64encode(_packed().value).decode()},
        "tfx_version": "1.16.0",
    }
    assert {p["name"]: p["type"] for p in found["type"]["properties"]}["anomalies"] == "PROTO"


def test_a_proto_property_written_through_graphql_is_a_proto_value_for_mlmd(
        served: tuple[Api, MetadataStore]) -> None:
    api, store = served
    type_name, external_id = _name("Schema"), _name("schema")
    api.data("mutation($n: String!) { putArtifactType(input: {name: $n, properties: "
             "[{name: \"schema\", type: PROTO}]}) { name } }", {"n": type_name})
    json_form = {"typeUrl": TYPE_URL, "value": base64.b64encode(RAW).decode()}
    api.data("mutation($t: String!, $x: String!, $p: JSON!) { putArtifacts(input: "
             "[{type: $t, externalId: $x, properties: $p, customProperties: $p}]) }",
             {"t": type_name, "x": external_id, "p": {"schema": json_form}})

    [artifact] = store.get_artifacts_by_external_ids([external_id])

    assert store.get_artifact_type(type_name).properties["schema"] == pb.PROTO
    assert artifact.properties["schema"].proto_value == any_pb2.Any(type_url=TYPE_URL, value=RAW)
    # Undeclared, a JSON object is a struct, whatever its keys.
    assert artifact.custom_properties["schema"].WhichOneof("value") == "struct_value"
    bad = api.error("mutation($t: String!, $p: JSON!) { putArtifacts(input: "
                    "[{type: $t, properties: $p}]) }",
                    {"t": type_name, "p": {"schema": {"typeUrl": TYPE_URL, "value": "%%"}}})
    assert "input[0].properties.schema: expected PROTO" in bad["message"]
