"""What every resolver receives: the services, the per-request loaders and the limits."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry

from graph_api.config import Limits
from graph_api.graphql.loaders import Loaders
from graph_api.services.container import Services


@dataclass
class GraphContext:
    """Built once per request by the app; DataLoaders live exactly as long as the request."""

    services: Services
    limits: Limits
    request_id: str
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.services)


#: What a resolver's `info` argument is.
Info = strawberry.Info[GraphContext, None]


def doc(text: str) -> object:
    """An argument's description, for `Annotated[type, doc("…")]`."""
    return strawberry.argument(description=text)
