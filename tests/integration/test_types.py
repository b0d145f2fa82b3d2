"""Registering types: round trip, MLMD's evolution rules, bad input."""

from __future__ import annotations

import pytest

from graph_api.errors import Conflict, InvalidInput, NotFound
from graph_api.model.enums import NodeKind, PropertyType
from graph_api.model.types import TypeInput
from graph_api.store.store import GraphStore

P = PropertyType


def model_type(**properties: PropertyType) -> TypeInput:
    return TypeInput(name="Model", base_type="MODEL", description="a trained model",
                     properties=properties)


async def test_a_type_round_trips_with_its_schema(store: GraphStore) -> None:
    put = await store.types.put(NodeKind.ARTIFACT, model_type(framework=P.STRING, layers=P.INT))
    got = await store.types.get(NodeKind.ARTIFACT, "Model")
    assert got == put
    assert got.properties == {"framework": P.STRING, "layers": P.INT}
    assert got.base_type == "MODEL" and got.description == "a trained model"
    assert got.version is None


async def test_reregistering_an_identical_type_returns_it(store: GraphStore) -> None:
    first = await store.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT))
    again = await store.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT))
    assert again == first
    assert [t.id for t in await store.types.list(NodeKind.ARTIFACT)] == [first.id]


async def test_versions_are_distinct_types(store: GraphStore) -> None:
    v1 = await store.types.put(NodeKind.EXECUTION, TypeInput(name="Trainer", version="1"))
    v2 = await store.types.put(NodeKind.EXECUTION, TypeInput(name="Trainer", version="2",
                                                             properties={"lr": P.DOUBLE}))
    assert v1.id != v2.id
    listed = await store.types.list(NodeKind.EXECUTION)
    assert [(t.name, t.version) for t in listed] == [("Trainer", "1"), ("Trainer", "2")]
    assert (await store.types.get(NodeKind.EXECUTION, "Trainer", "2")).properties == {"lr": P.DOUBLE}


async def test_kinds_have_separate_type_namespaces(store: GraphStore) -> None:
    await store.types.put(NodeKind.ARTIFACT, TypeInput(name="Thing"))
    await store.types.put(NodeKind.CONTEXT, TypeInput(name="Thing"))
    assert len(await store.types.list(NodeKind.ARTIFACT)) == 1
    assert len(await store.types.list(NodeKind.CONTEXT)) == 1
    assert await store.types.list(NodeKind.EXECUTION) == []


async def test_adding_fields_needs_can_add_fields(store: GraphStore) -> None:
    await store.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT))
    with pytest.raises(Conflict, match="canAddFields"):
        await store.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT, loss=P.DOUBLE))
    assert (await store.types.get(NodeKind.ARTIFACT, "Model")).properties == {"layers": P.INT}
    grown = await store.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT, loss=P.DOUBLE),
                                  can_add_fields=True)
    assert grown.properties == {"layers": P.INT, "loss": P.DOUBLE}


async def test_omitting_fields_needs_can_omit_fields_and_keeps_them(store: GraphStore) -> None:
    await store.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT, loss=P.DOUBLE))
    with pytest.raises(Conflict, match="canOmitFields"):
        await store.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT))
    kept = await store.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT), can_omit_fields=True)
    assert kept.properties == {"layers": P.INT, "loss": P.DOUBLE}


async def test_changing_a_property_type_is_a_conflict_even_with_both_flags(
    store: GraphStore,
) -> None:
    await store.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT))
    with pytest.raises(Conflict, match=r"properties\.layers") as caught:
        await store.types.put(NodeKind.ARTIFACT, model_type(layers=P.STRING),
                              can_add_fields=True, can_omit_fields=True)
    assert caught.value.field == "properties.layers"
    assert (await store.types.get(NodeKind.ARTIFACT, "Model")).properties == {"layers": P.INT}


async def test_base_type_must_be_one_of_mlmds(store: GraphStore) -> None:
    with pytest.raises(InvalidInput, match="baseType"):
        await store.types.put(NodeKind.EXECUTION, TypeInput(name="Trainer", base_type="MODEL"))
    assert await store.types.list(NodeKind.EXECUTION) == []
    for base in ("TRAIN", "TRANSFORM", "PROCESS", "EVALUATE", "DEPLOY"):
        await store.types.put(NodeKind.EXECUTION, TypeInput(name=base.title(), base_type=base))
    for base in ("DATASET", "MODEL", "METRICS", "STATISTICS"):
        await store.types.put(NodeKind.ARTIFACT, TypeInput(name=base.title(), base_type=base))
    assert len(await store.types.list(NodeKind.EXECUTION)) == 5


async def test_property_names_must_be_identifiers(store: GraphStore) -> None:
    with pytest.raises(InvalidInput, match=r"properties\.bad name"):
        await store.types.put(NodeKind.ARTIFACT, TypeInput(name="X", properties={"bad name": P.INT}))


async def test_unknown_type_is_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFound, match="'Nope'"):
        await store.types.get(NodeKind.ARTIFACT, "Nope")
