"""The gRPC adapter: MLMD's `MetadataStoreService` on `grpc.aio`, in the HTTP server's
event loop, each RPC one call of `MlmdService`.

Errors become MLMD's status codes with the service's message; an unexpected failure is
logged with its request id and answered INTERNAL without a stack trace. RPCs the service
does not implement answer UNIMPLEMENTED, naming themselves.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import pydantic
from ml_metadata.proto import metadata_store_service_pb2 as rpc
from ml_metadata.proto import metadata_store_service_pb2_grpc as rpc_grpc

from graph_api.errors import (
    Conflict,
    FailedPrecondition,
    InvalidInput,
    LimitExceeded,
    LineageError,
    NotFound,
    Timeout,
    Unavailable,
)
from graph_api.runtime import Runtime
from graph_api.services.mlmd import MlmdService

log = logging.getLogger(__name__)

SERVICE = "MetadataStoreService"
#: Largest request or answer, bytes (MLMD's clients default to 4 MiB answers; a large
#: lineage subgraph needs more, which clients ask for with their channel arguments).
MAX_MESSAGE = 64 * 1024 * 1024

_STATUS: list[tuple[type[LineageError], grpc.StatusCode]] = [
    (NotFound, grpc.StatusCode.NOT_FOUND),
    (InvalidInput, grpc.StatusCode.INVALID_ARGUMENT),
    (Conflict, grpc.StatusCode.ALREADY_EXISTS),
    (FailedPrecondition, grpc.StatusCode.FAILED_PRECONDITION),
    (LimitExceeded, grpc.StatusCode.RESOURCE_EXHAUSTED),
    (Unavailable, grpc.StatusCode.UNAVAILABLE),
    (Timeout, grpc.StatusCode.DEADLINE_EXCEEDED),
]

Handler = Callable[[Any, grpc.aio.ServicerContext], Awaitable[Any]]


def method_name(rpc_name: str) -> str:
    """`GetArtifactsByID` → `get_artifacts_by_id`: the service's method for an RPC."""
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", rpc_name).lower()


def status_of(error: LineageError) -> grpc.StatusCode:
    for cls, code in _STATUS:
        if isinstance(error, cls):
            return code
    return grpc.StatusCode.INTERNAL


def _handler(runtime: Runtime, name: str,
             call: Callable[[Any], Awaitable[Any]] | None) -> Handler:
    async def handle(request: Any, context: grpc.aio.ServicerContext) -> Any:
        if call is None:
            await context.abort(grpc.StatusCode.UNIMPLEMENTED,
                                f"{name} is not implemented by this MLMD server")
        assert call is not None
        try:
            await runtime.ensure_schema()
            return await call(request)
        except LineageError as error:
            await context.abort(status_of(error), error.message)
        except pydantic.ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"{where}: {first['msg']}")
        except Exception:
            request_id = uuid.uuid4().hex
            log.exception("request %s: unexpected error in %s", request_id, name)
            await context.abort(grpc.StatusCode.INTERNAL,
                                f"internal error (request {request_id})")
        raise AssertionError("unreachable: abort raises")

    return handle


def servicer(runtime: Runtime, service: MlmdService) -> rpc_grpc.MetadataStoreServiceServicer:
    """A servicer whose every RPC calls the service's method of the same name."""
    methods = rpc.DESCRIPTOR.services_by_name[SERVICE].methods
    handlers = {m.name: _handler(runtime, m.name, getattr(service, method_name(m.name), None))
                for m in methods}

    class Servicer(rpc_grpc.MetadataStoreServiceServicer):  # type: ignore[misc]
        pass

    for rpc_name, handle in handlers.items():
        setattr(Servicer, rpc_name, staticmethod(handle))
    return Servicer()


def implemented() -> list[str]:
    """The RPCs this server answers (the others answer UNIMPLEMENTED)."""
    return [m.name for m in rpc.DESCRIPTOR.services_by_name[SERVICE].methods
            if hasattr(MlmdService, method_name(m.name))]


async def start(runtime: Runtime, host: str, port: int) -> tuple[grpc.aio.Server, int]:
    """Serve MLMD's service on `host:port` (0: any free port) in the running event loop.

    Returns:
        The server (stop it with `await server.stop(grace)`) and the port it listens on.
    Raises:
        RuntimeError: the address cannot be bound.
    """
    server = grpc.aio.server(options=[("grpc.max_receive_message_length", MAX_MESSAGE),
                                      ("grpc.max_send_message_length", MAX_MESSAGE)])
    service = MlmdService.of(runtime.services)
    rpc_grpc.add_MetadataStoreServiceServicer_to_server(servicer(runtime, service), server)
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    bound = server.add_insecure_port(address)
    if bound == 0:
        raise RuntimeError(f"cannot listen on {address} for MLMD's gRPC service")
    await server.start()
    return server, bound
