"""The relation tests' fixture: the services with the types the tests write."""

from __future__ import annotations

import pytest

from graph_api.model.types import PropertyType, TypeInput
from graph_api.services.container import Services
from tests.integration.relations.helpers import A, C, E


@pytest.fixture
async def typed(services: Services) -> Services:
    await services.types.put(A, TypeInput(name="Dataset", properties={"rows": PropertyType.INT}))
    await services.types.put(A, TypeInput(name="Model"))
    await services.types.put(E, TypeInput(name="Trainer", properties={"lr": PropertyType.DOUBLE}))
    await services.types.put(C, TypeInput(name="Experiment"))
    await services.types.put(C, TypeInput(name="Pipeline"))
    return services
