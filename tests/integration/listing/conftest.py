"""The listing tests' fixtures: a small world of nodes with properties."""

from __future__ import annotations

import asyncio

import pytest

from graph_api.model.enums import PropertyType
from graph_api.model.nodes import Artifact, ArtifactInput, ContextInput
from graph_api.model.relations import Attribution
from graph_api.model.types import TypeInput
from graph_api.services.container import Services
from tests.integration.listing.helpers import SPECS, A, C, World


@pytest.fixture
async def world(services: Services) -> World:
    await services.types.put(A, TypeInput(name="Dataset", properties={
        "rows": PropertyType.INT, "score": PropertyType.DOUBLE, "format": PropertyType.STRING}))
    await services.types.put(A, TypeInput(name="Model", properties={"layers": PropertyType.INT}))
    await services.types.put(C, TypeInput(name="Experiment"))
    ids: list[str] = []
    for start in range(0, len(SPECS), 3):
        ids += await services.ingest.put_nodes(A, [ArtifactInput(**s) for s in SPECS[start:start + 3]])
        await asyncio.sleep(0.005)  # the next batch gets a later createdAt
    stored = await services.nodes.by_ids(A, ids)
    contexts = dict(zip(("red", "blue", "empty"), await services.ingest.put_nodes(
        C, [ContextInput(type="Experiment", name=n) for n in ("red", "blue", "empty")]),
        strict=True))
    members = {"red": {ids[0], ids[2], ids[7], ids[9]}, "blue": {ids[2], ids[3]}, "empty": set()}
    await services.ingest.put_memberships(
        [Attribution(artifact_id=a, context_id=contexts[c])
         for c, artifacts in members.items() for a in sorted(artifacts)], [])
    return World(services, [a for a in stored if isinstance(a, Artifact)], contexts, members)
