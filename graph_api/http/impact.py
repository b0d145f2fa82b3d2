"""`GET /api/v1/impact`: the whole impact answer as CSV or JSON, streamed as the walk runs.

Query parameters:

* `artifactId` — a bad artifact; repeat it for several (at least one);
* `format` — `csv` or `json` (default `json`);
* `maxHops` — how far downstream (default and cap `LINEAGE_MAX_HOPS`);
* `kind`, `type` — repeatable; list only nodes of these kinds (`ARTIFACT`, `EXECUTION`,
  `CONTEXT`) and type names, as GraphQL's `impact(include:)`.

The answer is the same set as GraphQL's `impact` with no `maxNodes` cap: the given
artifacts (degree 0), every artifact and execution downstream, every context holding one
and the ancestors of those contexts. Rows come in walk order (by degree). CSV has a header
line `kind,id,type,degree,name,uri`, one row per node; JSON is one object
`{"artifactIds": [...], "maxHops": n, "nodes": [{kind, id, type, degree, name, uri}, ...],
"countsByKind": {kind: n}, "countsByType": [{kind, type, count}]}` whose `nodes` are
written as they are found and whose counts come last.

Errors before the first byte are JSON `{"code", "message"}`: 400 for a missing or bad
parameter or a cap, 404 for an id that names no artifact, 503 / 504 when the database is
unavailable or too slow. A failure after the first byte aborts the response (the chunked
body never ends properly), so a cut-off export cannot pass for a complete one.

Memory: what `ImpactService.export` holds (the walk's visited sets and frontiers, one
step's rows) plus the counts by type; a batch of rows is encoded into one chunk and sent
before the next step runs (the server waits while the client's socket is full).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from graph_api.errors import InvalidInput, LineageError
from graph_api.http.errors import error_response
from graph_api.http.params import Params
from graph_api.model.enums import NodeKind
from graph_api.model.impact import ExportRows, Include
from graph_api.services.caps import bounded_hops

PARAMETERS = frozenset({"artifactId", "format", "maxHops", "kind", "type"})
COLUMNS = ("kind", "id", "type", "degree", "name", "uri")
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
_KINDS = {k.name: k for k in NodeKind}


class _Request:
    """The validated query parameters."""

    def __init__(self, request: Request) -> None:
        params = Params(request.query_params, PARAMETERS)
        self.artifact_ids = params.strings("artifactId")
        if not self.artifact_ids:
            raise InvalidInput("artifactId: give at least one artifact id", field="artifactId")
        self.format = params.string("format") or "json"
        if self.format not in MEDIA:
            raise InvalidInput(f"format: {self.format!r} is not csv or json", field="format")
        self.max_hops = params.integer("maxHops")
        kinds = params.choices("kind", _KINDS)
        types = params.strings("type")
        self.include = Include.of(kinds, types or None)


_KIND_NAMES = {kind: kind.name for kind in NodeKind}


def _csv(rows: ExportRows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # Column by column into the writer's C loop: no Python step per row.
    writer.writerows(zip(map(_KIND_NAMES.__getitem__, rows.kind), rows.id, rows.type,
                         rows.degree, [n or "" for n in rows.name],
                         [u or "" for u in rows.uri], strict=True))
    return out.getvalue()


def _json(rows: ExportRows, first: bool) -> str:
    parts = [json.dumps({"kind": kind.name, "id": i, "type": t, "degree": d, "name": name,
                         "uri": uri}) for kind, i, t, d, name, uri in rows.rows()]
    text = ",\n".join(parts)
    return text if first or not text else ",\n" + text


async def _encode(query: _Request, max_hops: int, batches: AsyncIterator[ExportRows]
                  ) -> AsyncIterator[str]:
    counts: Counter[tuple[NodeKind, str]] = Counter()
    if query.format == "csv":
        yield ",".join(COLUMNS) + "\r\n"
        async for rows in batches:
            yield _csv(rows)
        return
    yield ('{"artifactIds": ' + json.dumps(query.artifact_ids)
           + f', "maxHops": {max_hops}, "nodes": [\n')
    first = True
    async for rows in batches:
        counts.update(zip(rows.kind, rows.type, strict=True))
        chunk = _json(rows, first)
        first = first and not chunk
        yield chunk
    by_kind: Counter[str] = Counter()
    for (kind, _), n in counts.items():
        by_kind[kind.name] += n
    by_type = [{"kind": k.name, "type": t, "count": n} for (k, t), n in sorted(counts.items())]
    yield ("\n], " + f'"countsByKind": {json.dumps(dict(sorted(by_kind.items())))}, '
           + f'"countsByType": {json.dumps(by_type)}' + "}\n")


async def impact_export(request: Request) -> Response:
    """Stream the impact of `artifactId`s as CSV or JSON (see the module doc)."""
    services = request.app.state.runtime.services
    try:
        query = _Request(request)
        max_hops = bounded_hops(services.limits, query.max_hops)
        batches = await services.impact.export(query.artifact_ids, max_hops=max_hops,
                                               include=query.include)
    except LineageError as error:
        return error_response(error)
    headers = {"content-disposition": f'attachment; filename="impact.{query.format}"'}
    return StreamingResponse(_encode(query, max_hops, batches),
                             media_type=MEDIA[query.format], headers=headers)
