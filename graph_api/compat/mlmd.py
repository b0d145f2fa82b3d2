"""MLMD's Python `MetadataStore`, talking to this server's gRPC MetadataStoreService.

It is MLMD's own class (every method, keyword and message as MLMD documents them),
given a gRPC client config for `url`; the semantics are the server's:

    from graph_api.compat.mlmd import MetadataStore

    store = MetadataStore("127.0.0.1:8080")    # `lineage serve --mlmd-port 8080`
    [type_id] = [store.put_artifact_type(pb.ArtifactType(name="Dataset"))]

Needs the `mlmd` extra.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb

__all__ = ["MetadataStore", "client_config"]


def client_config(url: str, **channel: Any) -> Any:
    """MLMD's `MetadataStoreClientConfig` for `host:port` (or `grpc://host:port`), with
    `channel` as its `channel_arguments` (e.g. `max_receive_message_length`).

    Raises:
        ValueError: `url` names no host and port.
    """
    parsed = urlparse(url if "//" in url else f"grpc://{url}")
    if not parsed.hostname or parsed.port is None:
        raise ValueError(f"expected host:port for MLMD's gRPC service, got {url!r}")
    config = pb.MetadataStoreClientConfig(host=parsed.hostname, port=parsed.port)
    for key, value in channel.items():
        setattr(config.channel_arguments, key, value)
    return config


class MetadataStore(metadata_store.MetadataStore):  # type: ignore[misc]
    """MLMD's `MetadataStore` over this server's gRPC service at `url` (`host:port`)."""

    def __init__(self, url: str, **channel: Any) -> None:
        super().__init__(client_config(url, **channel))
