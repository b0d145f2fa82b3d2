"""The web UI's build served at `/` by the API server: files, SPA fallback, caching, safety.

One server runs over a throwaway build (an `index.html` and a hashed asset), another over a
directory with no build, both on the session's graph database.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_api.config import Settings, default_ui_dir
from tests.graph_server import GraphServer
from tests.integration.api import Api, running_api, settings_for

INDEX = ('<!doctype html><html><body><div id="root"></div>'
         '<script type="module" src="/assets/app-3f2a9c.js"></script></body></html>')
ASSET = "console.log('lineage-explorer');\n"
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A UI build as Vite lays it out, next to a file that must never be served."""
    base = tmp_path_factory.mktemp("ui")
    (base / "secret.txt").write_text("outside the build")
    root = base / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    (root / "assets" / "app-3f2a9c.js").write_text(ASSET)
    (root / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (root / ".env").write_text("hidden")
    (root / "escape.txt").symlink_to(base / "secret.txt")
    return root


@pytest.fixture(scope="module")
def ui_api(graph_server: GraphServer, dist: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Api]:
    settings = settings_for(graph_server, tmp_path_factory.mktemp("api"), LINEAGE_UI_DIR=str(dist))
    with running_api(settings) as api:
        yield api


@pytest.fixture(scope="module")
def unbuilt_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    empty = tmp_path_factory.mktemp("no-ui") / "dist"
    empty.mkdir()
    return empty


@pytest.fixture(scope="module")
def unbuilt_api(graph_server: GraphServer, unbuilt_dir: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    settings = settings_for(graph_server, tmp_path_factory.mktemp("api"),
                            LINEAGE_UI_DIR=str(unbuilt_dir))
    with running_api(settings) as api:
        yield api


def raw_get(url: str, target: str) -> tuple[int, bytes]:
    """GET with the request target sent exactly as given (clients normalise `..` away)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    status = int(response.split(b" ", 2)[1])
    return status, response.partition(b"\r\n\r\n")[2]


def test_index_is_served_at_root_and_revalidated(ui_api: Api) -> None:
    response = ui_api.client.get(f"{ui_api.url}/")
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    again = ui_api.client.get(f"{ui_api.url}/", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_hashed_assets_are_cached_for_good(ui_api: Api) -> None:
    response = ui_api.client.get(f"{ui_api.url}/assets/app-3f2a9c.js")
    assert response.status_code == 200
    assert response.text == ASSET
    assert "javascript" in response.headers["content-type"]
    assert response.headers["cache-control"] == IMMUTABLE


def test_other_files_of_the_build_are_served_and_revalidated(ui_api: Api) -> None:
    response = ui_api.client.get(f"{ui_api.url}/favicon.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/lineage/01a2b3c4-0000-7000-8000-000000000001?up=2",
                                  "/impact/01a2b3c4-0000-7000-8000-000000000001",
                                  "/lineage/some.artifact/deeper", "/index.html",
                                  "/lineage/" + "x" * 300, "/lineage/a%3Fb%23c"])
def test_deep_links_get_the_app(ui_api: Api, path: str) -> None:
    response = ui_api.client.get(f"{ui_api.url}{path}")
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["cache-control"] == "no-cache"


def test_head_of_a_deep_link(ui_api: Api) -> None:
    response = ui_api.client.head(f"{ui_api.url}/lineage/x")
    assert response.status_code == 200
    assert response.headers["content-length"] == str(len(INDEX))


def test_a_missing_asset_is_not_found_not_the_page(ui_api: Api) -> None:
    response = ui_api.client.get(f"{ui_api.url}/assets/app-000000.js")
    assert response.status_code == 404
    assert INDEX not in response.text


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
    "/..%2fsecret.txt", "/assets/..%5c..%5csecret.txt", "/escape.txt", "/.env", "/%00index.html",
])
def test_nothing_outside_the_build_is_served(ui_api: Api, target: str) -> None:
    status, body = raw_get(ui_api.url, target)
    assert b"outside the build" not in body
    assert b"hidden" not in body
    # Refused, or (a symlink leading out is no file of the build) the app's page.
    assert status in (400, 404) or (status == 200 and body == INDEX.encode()), (target, status)


def test_the_api_routes_are_not_shadowed(ui_api: Api) -> None:
    assert ui_api.data("{ __typename }") == {"__typename": "Query"}
    graphiql = ui_api.client.get(f"{ui_api.url}/graphql", headers={"Accept": "text/html"})
    assert graphiql.status_code == 200
    assert "graphiql" in graphiql.text.lower()
    assert ui_api.client.get(f"{ui_api.url}/healthz").json() == {"status": "ok"}
    assert ui_api.client.get(f"{ui_api.url}/readyz").status_code == 200
    export = ui_api.client.get(f"{ui_api.url}/api/v1/impact")
    assert export.status_code == 400
    assert export.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api", "/api/", "/graphql/extra", "/healthz/x",
                                  "/readyz/"])
def test_the_servers_namespaces_never_get_the_app(ui_api: Api, path: str) -> None:
    for method in ("GET", "POST"):
        response = ui_api.client.request(method, f"{ui_api.url}{path}")
        assert response.status_code == 404, (method, path)
        assert INDEX not in response.text


def test_pages_are_read_only(ui_api: Api) -> None:
    response = ui_api.client.post(f"{ui_api.url}/lineage/x")
    assert response.status_code == 405


def test_without_a_build_the_page_says_how_to_build_it(unbuilt_api: Api) -> None:
    for path in ("/", "/lineage/abc"):
        response = unbuilt_api.client.get(f"{unbuilt_api.url}{path}")
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("text/html")
        assert "not built" in response.text
        assert "npm ci --prefix ui &amp;&amp; npm run build --prefix ui" in response.text
        assert "scripts/run" in response.text
    assert unbuilt_api.data("{ __typename }") == {"__typename": "Query"}
    assert unbuilt_api.client.get(f"{unbuilt_api.url}/readyz").status_code == 200


def test_a_build_made_while_the_server_runs_is_served(unbuilt_api: Api, unbuilt_dir: Path) -> None:
    index = unbuilt_dir / "index.html"
    index.write_text(INDEX)
    try:
        response = unbuilt_api.client.get(f"{unbuilt_api.url}/lineage/abc")
        assert response.status_code == 200
        assert response.text == INDEX
    finally:
        index.unlink()
    assert unbuilt_api.client.get(f"{unbuilt_api.url}/").status_code == 503


def test_ui_dir_setting() -> None:
    assert Settings.from_env({}).ui_dir == default_ui_dir()
    assert default_ui_dir() == Path(__file__).resolve().parents[2] / "ui" / "dist"
    assert Settings.from_env({"LINEAGE_UI_DIR": "/app/ui/dist"}).ui_dir == Path("/app/ui/dist")
    assert Settings.from_env({"LINEAGE_UI_DIR": ""}).ui_dir == default_ui_dir()
