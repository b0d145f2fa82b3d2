"""The node tests' fixtures: the services with the types the tests write."""

from __future__ import annotations

import pytest

from graph_api.services.container import Services
from tests.integration.nodes.helpers import register_types


@pytest.fixture
async def typed(services: Services) -> Services:
    """The store with Dataset/Model artifact, Trainer execution, Experiment/Pipeline types."""
    await register_types(services)
    return services
