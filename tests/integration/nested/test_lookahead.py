"""A listing loads the relations its request selects ahead, level by level, so that the
nested fields complete from what is loaded; nothing it does not select is loaded, and no
statement is sent beyond the DataLoaders' own."""

from __future__ import annotations

from typing import TypeVar

import pytest
from strawberry.dataloader import DataLoader
from strawberry.types.nodes import SelectedField

from graph_api.config import Limits
from graph_api.graphql.loaders import Loaders, loaded
from graph_api.graphql.nodes import types
from graph_api.graphql.nodes.lookahead import load_ahead
from graph_api.model.enums import NodeKind
from graph_api.model.nodes import Node
from graph_api.services.container import Services
from graph_api.store.connection import Database
from tests.integration.nested.helpers import Server, pipeline

T = TypeVar("T")


def field(name: str, *under: SelectedField) -> SelectedField:
    return SelectedField(name=name, directives={}, arguments={}, selections=list(under))


async def test_a_page_loads_the_relations_selected_under_it_and_nothing_else(
        clean_db: Database, limits: Limits) -> None:
    services = Services.create(clean_db, limits)
    p = await pipeline(services)
    loaders = Loaders(services)
    page = [p.ids[n] for n in ("raw", "features", "model-a", "model-b", "metrics")]
    selection = [field("id"), field("producedBy", field("id"), field("inputs", field("id")),
                                    field("contexts", field("name")))]

    before = clean_db.statements.sent
    await load_ahead(loaders, NodeKind.ARTIFACT, page, selection)

    assert clean_db.statements.sent - before == 3  # the producers; their inputs; contexts
    producers = {name: [n.id for n in found.result()] for name in ("raw", "model-b")
                 if (found := loaded(loaders.producers, p.ids[name])) is not None}
    assert producers == {"raw": [], "model-b": [p.ids["train-b"]]}
    inputs = loaded(loaders.inputs, p.ids["train-b"])
    assert inputs is not None
    assert {n.id for n in inputs.result()} == {p.ids["features"], p.ids["raw"]}
    contexts = loaded(loaders.contexts_of[NodeKind.EXECUTION], p.ids["eval"])
    assert contexts is not None and [c.id for c in contexts.result()] == [p.ids["exp-2"]]
    assert loaded(loaders.consumers, p.ids["raw"]) is None  # not selected: not loaded
    assert loaded(loaders.outputs, p.ids["train-b"]) is None


async def test_a_relation_selected_deeper_than_the_look_ahead_loads_when_reached(
        clean_db: Database, limits: Limits) -> None:
    services = Services.create(clean_db, limits)
    p = await pipeline(services)
    loaders = Loaders(services)
    selection = [field("producedBy", field("inputs", field("producedBy", field("id"))))]

    await load_ahead(loaders, NodeKind.ARTIFACT, [p.ids["model-b"]], selection)

    assert loaded(loaders.inputs, p.ids["train-b"]) is not None
    assert loaded(loaders.producers, p.ids["features"]) is None  # a third level: later


async def test_a_listings_nested_relations_complete_without_waiting(
        services: Services, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    p = await pipeline(services)
    results: list[object] = []
    related = types.related

    def recorded(loader: DataLoader[str, list[Node]], key: str, cls: type[T]) -> list[T]:
        result = related(loader, key, cls)
        results.append(result)
        return result

    monkeypatch.setattr(types, "related", recorded)
    data, sent = server.sent("""{ artifacts(first: 10) { edges { node {
      id producedBy { id inputs { id } contexts { id } } } } } }""")

    assert sent == 4  # the page, the producers, their inputs, their contexts
    producers = {e["node"]["id"]: [x["id"] for x in e["node"]["producedBy"]]
                 for e in data["artifacts"]["edges"]}
    assert producers[p.ids["model-b"]] == [p.ids["train-b"]]
    assert len(results) == len(producers) + 2 * 4  # every artifact; 4 producers, 2 fields
    assert all(isinstance(r, list) for r in results)  # none had to wait for its batch
