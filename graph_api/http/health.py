"""`/healthz` (the process is up) and `/readyz` (the database answers, the schema is applied)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from graph_api.errors import LineageError
from graph_api.runtime import Runtime
from graph_api.store.migrations import missing_schema


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    runtime: Runtime = request.app.state.runtime
    try:
        await runtime.db.ping()
        missing = sorted(await missing_schema(runtime.db))
    except LineageError as error:
        return JSONResponse({"status": "unavailable", "code": error.code}, status_code=503)
    if missing:
        return JSONResponse({"status": "schema incomplete", "missing": missing}, status_code=503)
    return JSONResponse({"status": "ready"})
