"""MLMD's model and calls on the domain's services (needs the `mlmd` extra)."""

from __future__ import annotations

from graph_api.services.mlmd.service import MlmdService

__all__ = ["MlmdService"]
