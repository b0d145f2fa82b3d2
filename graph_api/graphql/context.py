"""What every resolver receives: the store, the per-request loaders and the limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph_api.config import Limits
from graph_api.graphql.loaders import Loaders
from graph_api.store.store import GraphStore


@dataclass
class GraphContext:
    """Built once per request by the app; DataLoaders live exactly as long as the request."""

    store: GraphStore
    limits: Limits
    request_id: str
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.store)
