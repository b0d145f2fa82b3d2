"""`GET /api/v1/subgraph`: a lineage answer as one compact JSON table, or streamed as NDJSON.

Query parameters (as GraphQL's `lineage(input:)`, and `LineageGraph.table`'s columns):

* `artifactId`, `executionId` — repeatable (or comma-separated) start nodes; `contextId`
  — start from every member of a context; give at least one;
* `direction` — `UPSTREAM`, `DOWNSTREAM` or `BOTH` (default);
* `maxHops` — default `LINEAGE_DEFAULT_HOPS`, cap `LINEAGE_MAX_HOPS`;
* `maxNodes` — `format=json` only: default and cap `LINEAGE_MAX_NODES` (the nearest nodes
  are kept and `truncated` is true);
* `stopAt` — a filter as JSON (GraphQL's `FilterInput`), e.g.
  `{"field": "type", "op": "EQ", "value": "Model"}`; `includeStopNodes` — `true` (default)
  or `false`;
* `kind`, `type` — repeatable: list only nodes of these kinds (`ARTIFACT`, `EXECUTION`)
  and type names (the start nodes are always listed);
* `columns` — repeatable or comma-separated: `name`, `uri`, `state`, `neighbors`,
  `properties`;
* `format` — `json` (default): one table, `application/json`; `ndjson`: partial tables, one
  a line, `application/x-ndjson`, streamed as the walk runs with no node cap, the last
  line `{"end": {"nodes": N, "edges": M}}` (see `services.subgraph`).

Errors before the first byte are JSON `{"code", "message"}`: 400 for a bad parameter or a
cap, 404 for a start that does not exist, 503 / 504 when the database is unavailable or
too slow. A failure after the first byte of a stream aborts the response, so a cut-off
stream cannot pass for a complete one (and it has no `end` line).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from graph_api.errors import InvalidInput, LineageError
from graph_api.http.errors import error_response
from graph_api.http.params import Params
from graph_api.model.enums import Direction, NodeKind
from graph_api.model.filters import Filter
from graph_api.model.lineage import LineageRequest
from graph_api.model.table import Column, Table

PARAMETERS = frozenset({"artifactId", "executionId", "contextId", "direction", "maxHops",
                        "maxNodes", "stopAt", "includeStopNodes", "kind", "type", "columns",
                        "format"})
FORMATS = ("json", "ndjson")
_DIRECTIONS = {d.name: d for d in Direction}
_KINDS = {k.name: k for k in (NodeKind.ARTIFACT, NodeKind.EXECUTION)}
_COLUMNS = {c.name: c for c in Column}


def _stop_at(raw: str | None) -> Filter | None:
    if raw is None:
        return None
    try:
        return Filter.model_validate_json(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        detail = f"{where}: {first['msg']}" if where else first["msg"]
        raise InvalidInput(f"stopAt: not a filter ({detail})", field="stopAt") from None


def parse(request: Request) -> tuple[LineageRequest, list[Column], str]:
    """The lineage request, the columns and the format a request asks for.

    Raises:
        InvalidInput: an unknown or malformed parameter.
    """
    params = Params(request.query_params, PARAMETERS)
    fmt = (params.string("format") or "json").lower()
    if fmt not in FORMATS:
        raise InvalidInput(f"format: {fmt!r} is not json or ndjson", field="format")
    types = params.strings("type")
    lineage = LineageRequest(
        start_artifact_ids=params.strings("artifactId"),
        start_execution_ids=params.strings("executionId"),
        start_context_id=params.string("contextId"),
        direction=params.choice("direction", _DIRECTIONS, Direction.BOTH),
        max_hops=params.integer("maxHops"),
        max_nodes=params.integer("maxNodes"),
        stop_at=_stop_at(params.string("stopAt")),
        include_stop_nodes=params.boolean("includeStopNodes", True),
        include_kinds=params.choices("kind", _KINDS),
        include_types=types or None)
    return lineage, params.choices("columns", _COLUMNS) or [], fmt


async def _ndjson(lines: AsyncIterator[Table]) -> AsyncIterator[bytes]:
    async for line in lines:
        yield orjson.dumps(line) + b"\n"


async def subgraph(request: Request) -> Response:
    """Answer a lineage question as a table (see the module doc)."""
    service = request.app.state.runtime.services.subgraph
    try:
        lineage, columns, fmt = parse(request)
        if fmt == "json":
            table = await service.table(lineage, columns)
            return Response(orjson.dumps(table), media_type="application/json")
        lines = await service.stream(lineage, columns)
    except LineageError as error:
        return error_response(error)
    return StreamingResponse(_ndjson(lines), media_type="application/x-ndjson")
