"""The web UI's build (`ui/dist`, or `LINEAGE_UI_DIR`) served at `/`, single-page-app style.

- A file of the build is served as it is. Vite names the files under `/assets/` by a hash
  of their content, so they are cached for a year (`immutable`); anything else — above
  all `index.html`, which names the current assets — is `no-cache` (revalidated by ETag).
- Any other GET path gets `index.html`, so that the UI's own routes (`/lineage/<id>?up=2`,
  `/impact/<id>`) survive a reload or a shared link. Except: the server's own namespaces
  (`/graphql…`, `/api/…`, `/healthz`, `/readyz`) answer 404 rather than a page, and a
  missing `/assets/…` file is a 404 too (a stale hashed name must not come back as HTML).
- A path that would leave the build directory (`..`, a symlink pointing out, a backslash,
  a NUL) or names a dotfile is refused with 404.
- With no build (no `index.html`), every page answers 503 with a short HTML page saying
  how to build the UI; the API itself is not affected.

The build directory is looked at on each request, so building the UI while the server
runs takes effect at once.
"""

from __future__ import annotations

import html
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.staticfiles import NotModifiedResponse
from starlette.types import Receive, Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ASSETS = "assets"

#: Paths the server owns: never answered with the UI's page.
RESERVED_EXACT = frozenset({"/graphql", "/api", "/healthz", "/readyz"})
RESERVED_PREFIXES = ("/graphql/", "/api/", "/healthz/", "/readyz/")

NOT_BUILT = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>lineage-explorer: the web UI is not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; line-height: 1.5">
<h1>The web UI is not built</h1>
<p>This server found no <code>index.html</code> in <code>{ui_dir}</code>.</p>
<p>Build it from the repository (needs Node.js 20+ with npm):</p>
<pre>npm ci --prefix ui &amp;&amp; npm run build --prefix ui</pre>
<p>or just run <code>scripts/run</code>, which builds it when needed and serves it.
To serve a build from elsewhere, set <code>LINEAGE_UI_DIR</code> to its directory.</p>
<p>The API works meanwhile: <a href="/graphql">GraphQL (GraphiQL in a browser)</a>,
<a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a>.</p>
</body>
</html>
"""


def is_reserved(path: str) -> bool:
    """Whether `path` belongs to the server's own routes rather than to the UI."""
    return path in RESERVED_EXACT or path.startswith(RESERVED_PREFIXES)


def safe_parts(path: str) -> list[str] | None:
    """The segments of a URL path, or None when one of them could escape or hide.

    The path is already percent-decoded by the server, so `%2e%2e` arrives as `..`.
    """
    parts = [p for p in path.split("/") if p]
    for part in parts:
        if part in {".", ".."} or part.startswith(".") or "\\" in part or "\x00" in part:
            return None
    return parts


class StaticUI:
    """The ASGI app of the catch-all route (every method: a POST to `/api/x` is a 404, not
    a 405); `root` is the UI build directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def locate(self, parts: list[str]) -> Path | None:
        """The regular file the segments name inside the build, following no way out."""
        if not parts:
            return None
        try:
            root = self.root.resolve()
            candidate = root.joinpath(*parts).resolve()
            if not candidate.is_relative_to(root) or not candidate.is_file():
                return None
        except OSError:  # a name too long for the file system, a loop of links…
            return None
        return candidate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(Request(scope, receive))
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        path: str = request.scope["path"]  # percent-decoded, unlike the raw URL
        if is_reserved(path):
            return PlainTextResponse("Not Found", status_code=404)
        if request.method not in {"GET", "HEAD"}:
            return PlainTextResponse("Method Not Allowed", status_code=405,
                                     headers={"Allow": "GET, HEAD"})
        index = self.root / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT.format(ui_dir=html.escape(str(self.root))),
                                status_code=503, headers={"Cache-Control": "no-store"})
        parts = safe_parts(path)
        if parts is None:
            return PlainTextResponse("Not Found", status_code=404)
        found = self.locate(parts)
        if found is not None:
            cache = IMMUTABLE if parts[0] == ASSETS and len(parts) > 1 else REVALIDATE
            return self.file(request, found, cache)
        if parts and parts[0] == ASSETS:
            return PlainTextResponse("Not Found", status_code=404)
        return self.file(request, index, REVALIDATE)

    @staticmethod
    def file(request: Request, path: Path, cache: str) -> Response:
        response = FileResponse(path, headers={"Cache-Control": cache}, stat_result=path.stat())
        etag = response.headers["etag"]
        if_none_match = request.headers.get("if-none-match")
        if if_none_match and etag in {t.strip().removeprefix("W/") for t in if_none_match.split(",")}:
            return NotModifiedResponse(response.headers)
        return response
