"""The tracking API (projects, experiments, runs) over the metadata store's model."""

from graph_api.client.tracking.projects import AsyncExperiment, AsyncProject
from graph_api.client.tracking.run import AsyncRun

__all__ = ["AsyncExperiment", "AsyncProject", "AsyncRun"]
