"""Registering types: round trip, MLMD's evolution rules, bad input."""

from __future__ import annotations

import pytest

from graph_api.errors import Conflict, InvalidInput, NotFound
from graph_api.model.enums import NodeKind, PropertyType
from graph_api.model.types import TypeInput
from graph_api.services.container import Services

P = PropertyType


def model_type(**properties: PropertyType) -> TypeInput:
    return TypeInput(name="Model", base_type="MODEL", description="a trained model",
                     properties=properties)


async def test_a_type_round_trips_with_its_schema(services: Services) -> None:
    put = await services.types.put(NodeKind.ARTIFACT, model_type(framework=P.STRING, layers=P.INT))
    got = await services.types.get(NodeKind.ARTIFACT, "Model")
    assert got == put
    assert got.properties == {"framework": P.STRING, "layers": P.INT}
    assert got.base_type == "MODEL" and got.description == "a trained model"
    assert got.version is None


async def test_reregistering_an_identical_type_returns_it(services: Services) -> None:
    first = await services.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT))
    again = await services.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT))
    assert again == first
    assert [t.id for t in await services.types.list(NodeKind.ARTIFACT)] == [first.id]


async def test_versions_are_distinct_types(services: Services) -> None:
    v1 = await services.types.put(NodeKind.EXECUTION, TypeInput(name="Trainer", version="1"))
    v2 = await services.types.put(NodeKind.EXECUTION, TypeInput(name="Trainer", version="2",
                                                             properties={"lr": P.DOUBLE}))
    assert v1.id != v2.id
    listed = await services.types.list(NodeKind.EXECUTION)
    assert [(t.name, t.version) for t in listed] == [("Trainer", "1"), ("Trainer", "2")]
    assert (await services.types.get(NodeKind.EXECUTION, "Trainer", "2")).properties == {"lr": P.DOUBLE}


async def test_kinds_have_separate_type_namespaces(services: Services) -> None:
    await services.types.put(NodeKind.ARTIFACT, TypeInput(name="Thing"))
    await services.types.put(NodeKind.CONTEXT, TypeInput(name="Thing"))
    assert len(await services.types.list(NodeKind.ARTIFACT)) == 1
    assert len(await services.types.list(NodeKind.CONTEXT)) == 1
    assert await services.types.list(NodeKind.EXECUTION) == []


async def test_adding_fields_needs_can_add_fields(services: Services) -> None:
    await services.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT))
    with pytest.raises(Conflict, match="canAddFields"):
        await services.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT, loss=P.DOUBLE))
    assert (await services.types.get(NodeKind.ARTIFACT, "Model")).properties == {"layers": P.INT}
    grown = await services.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT, loss=P.DOUBLE),
                                  can_add_fields=True)
    assert grown.properties == {"layers": P.INT, "loss": P.DOUBLE}


async def test_omitting_fields_needs_can_omit_fields_and_keeps_them(services: Services) -> None:
    await services.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT, loss=P.DOUBLE))
    with pytest.raises(Conflict, match="canOmitFields"):
        await services.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT))
    kept = await services.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT), can_omit_fields=True)
    assert kept.properties == {"layers": P.INT, "loss": P.DOUBLE}


async def test_changing_a_property_type_is_a_conflict_even_with_both_flags(
    services: Services,
) -> None:
    await services.types.put(NodeKind.ARTIFACT, model_type(layers=P.INT))
    with pytest.raises(Conflict, match=r"properties\.layers") as caught:
        await services.types.put(NodeKind.ARTIFACT, model_type(layers=P.STRING),
                              can_add_fields=True, can_omit_fields=True)
    assert caught.value.field == "properties.layers"
    assert (await services.types.get(NodeKind.ARTIFACT, "Model")).properties == {"layers": P.INT}


async def test_base_type_must_be_one_of_mlmds(services: Services) -> None:
    with pytest.raises(InvalidInput, match="baseType"):
        await services.types.put(NodeKind.EXECUTION, TypeInput(name="Trainer", base_type="MODEL"))
    assert await services.types.list(NodeKind.EXECUTION) == []
    for base in ("TRAIN", "TRANSFORM", "PROCESS", "EVALUATE", "DEPLOY"):
        await services.types.put(NodeKind.EXECUTION, TypeInput(name=base.title(), base_type=base))
    for base in ("DATASET", "MODEL", "METRICS", "STATISTICS"):
        await services.types.put(NodeKind.ARTIFACT, TypeInput(name=base.title(), base_type=base))
    assert len(await services.types.list(NodeKind.EXECUTION)) == 5


async def test_property_names_must_be_identifiers(services: Services) -> None:
    with pytest.raises(InvalidInput, match=r"properties\.bad name"):
        await services.types.put(NodeKind.ARTIFACT, TypeInput(name="X", properties={"bad name": P.INT}))


async def test_unknown_type_is_not_found(services: Services) -> None:
    with pytest.raises(NotFound, match="'Nope'"):
        await services.types.get(NodeKind.ARTIFACT, "Nope")
