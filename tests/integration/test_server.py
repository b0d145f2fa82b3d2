"""The HTTP server, run by uvicorn on loopback: /healthz, /readyz, /graphql."""

from __future__ import annotations

from tests.integration.api import Api


def test_healthz_and_readyz_answer_on_a_reachable_database(api: Api) -> None:
    assert api.client.get(f"{api.url}/healthz").json() == {"status": "ok"}
    ready = api.client.get(f"{api.url}/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


def test_unknown_paths_of_the_api_are_404(api: Api) -> None:
    # any other path is a page of the web UI (tests/integration/test_static_ui.py)
    for path in ("/api/nope", "/api/v1/nope", "/graphql/nope", "/healthz/nope"):
        assert api.client.get(f"{api.url}{path}").status_code == 404, path


def test_graphiql_is_served_to_a_browser(api: Api) -> None:
    page = api.client.get(f"{api.url}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_a_graphql_syntax_error_has_a_code(api: Api) -> None:
    error = api.error("{ artifact(id: ")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
