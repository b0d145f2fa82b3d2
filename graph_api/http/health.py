"""`/healthz` (the process is up) and `/readyz` (the database answers, the schema is applied).

`/healthz` never touches the database: a liveness probe must not restart a server because
its database is down. `/readyz` answers within the connect timeout (LINEAGE_CONNECT_TIMEOUT)
when the database is down:

- 200 `{"status": "ready"}`;
- 503 `{"status": "unavailable", "code": "UNAVAILABLE"}` — the database cannot be reached
  (or `TIMEOUT`: it did not answer);
- 503 `{"status": "schema incomplete", "missing": [...]}` — the database answers but lacks
  constraints or indexes (a new, wiped or replaced database); they are being applied.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from graph_api.errors import LineageError
from graph_api.runtime import Runtime


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    runtime: Runtime = request.app.state.runtime
    try:
        health = runtime.services.health
        await health.ping()
        # The database answers: apply the schema now if it is still pending, rather than
        # wait for the background retry.
        await runtime.ensure_schema()
        missing = await health.missing_schema()
    except LineageError as error:
        return JSONResponse({"status": "unavailable", "code": error.code}, status_code=503)
    if missing:
        runtime.schema_lost()
        return JSONResponse({"status": "schema incomplete", "missing": missing}, status_code=503)
    return JSONResponse({"status": "ready"})
