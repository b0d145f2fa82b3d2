"""`/api/v1/lineage`, Marquez's routes, which OpenLineage clients post to by default.

* `POST` — one OpenLineage event (a run, dataset or job event; gzip bodies too), written
  in one transaction: 201 `{"kind", "executionId", "artifactIds", "contextIds"}`; 400 a
  body that is not JSON (or not gzip when it says so); 413 a body, or what it
  decompresses to, above `LINEAGE_MAX_EVENT_BYTES`; 422 an event the OpenLineage schema
  refuses, naming the field (`{"code", "message", "field"}`); 409 parent runs that would
  form a cycle. Nothing is written when it fails.
* `GET ?nodeId=dataset:NS:NAME|job:NS:NAME&depth=N` — Marquez's lineage graph (see
  `services.openlineage.marquez`); 404 an unknown node.
"""

from __future__ import annotations

import logging

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from graph_api.errors import Conflict, InvalidInput, LineageError
from graph_api.http.errors import error_response
from graph_api.http.params import Params
from graph_api.services.openlineage.validation import InvalidEvent, TooLarge, decode_body

log = logging.getLogger(__name__)

#: Marquez's default depth of a lineage graph.
DEFAULT_DEPTH = 20


def _failure(error: LineageError) -> JSONResponse:
    status = (413 if isinstance(error, TooLarge) else 422 if isinstance(error, InvalidEvent)
              else 409 if isinstance(error, Conflict) else None)
    if status is None:
        return error_response(error)
    return JSONResponse({"code": error.code, "message": error.message, "field": error.field},
                        status_code=status)


async def _body(request: Request, limit: int) -> bytes:
    """The body, read no further than `limit` bytes past which it is refused."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"body: larger than {limit} bytes (maxEventBytes)", field="body")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"body: larger than {limit} bytes (maxEventBytes)", field="body")
        chunks.append(chunk)
    return b"".join(chunks)


async def post_event(request: Request) -> Response:
    """Write one OpenLineage event (see the module doc)."""
    services = request.app.state.runtime.services
    limit = services.limits.max_event_bytes
    try:
        body = await _body(request, limit)
        gzipped = "gzip" in request.headers.get("content-encoding", "").lower()
        result = await services.openlineage.ingest(decode_body(body, limit, gzipped=gzipped))
    except LineageError as error:
        return _failure(error)
    except ClientDisconnect:
        return Response(status_code=400)
    except (KeyError, TypeError, ValueError, AttributeError):
        # A shape the schema lets through and the mapping cannot read: the client's
        # event, not the server, is at fault; the trace is for the log only.
        log.exception("OpenLineage event not understood")
        return _failure(InvalidEvent("event: a value has a shape that cannot be read",
                                     field="event"))
    return JSONResponse({"kind": result.kind.value, "executionId": result.execution_id,
                         "artifactIds": result.artifact_ids, "contextIds": result.context_ids},
                        status_code=201)


async def get_lineage(request: Request) -> Response:
    """Marquez's lineage graph around a dataset or a job."""
    services = request.app.state.runtime.services
    try:
        params = Params(request.query_params, {"nodeId", "depth"})
        node_id = params.string("nodeId")
        if node_id is None:
            raise InvalidInput("nodeId: required", field="nodeId")
        depth = params.integer("depth")
        graph = await services.openlineage.marquez_lineage(
            node_id, DEFAULT_DEPTH if depth is None else depth)
    except LineageError as error:
        return _failure(error)
    return JSONResponse(graph)
