"""The API servers a benchmark times, in processes of their own on loopback over the
bench's database: this checkout's, and optionally another commit's (checked out into a
temporary git worktree), so that before and after are measured in one run."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import orjson

from graph_api.embedded import USER, free_port
from graph_api.runtime import Runtime

CHECKOUT = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    """A running API server: what it serves (`label`), where, and its process."""

    label: str
    url: str
    process: subprocess.Popen[bytes]


def start(runtime: Runtime, env: dict[str, str], source: Path = CHECKOUT,
          label: str = "after") -> Server:
    """The API of the code in `source`, over the bench's database."""
    server_env = dict(env, PYTHONPATH=str(source))
    if runtime.engine is not None:
        server_env.update(NEO4J_URI=runtime.uri, NEO4J_USER=USER,
                          NEO4J_PASSWORD=runtime.engine.password())
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "graph_api.server:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=server_env, cwd=source)
    return Server(label, f"http://127.0.0.1:{port}", process)


@contextmanager
def checked_out(ref: str) -> Iterator[Path]:
    """The repository at `ref`, in a temporary git worktree removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-before-") as tmp:
        path = Path(tmp) / "checkout"
        subprocess.run(["git", "-C", str(CHECKOUT), "worktree", "add", "--detach", "--quiet",
                        str(path), ref], check=True)
        try:
            yield path
        finally:
            subprocess.run(["git", "-C", str(CHECKOUT), "worktree", "remove", "--force",
                            str(path)], check=False)


async def wait_ready(server: Server) -> None:
    """Wait until the server answers `/readyz` (at most two minutes)."""
    deadline = time.monotonic() + 120
    async with httpx.AsyncClient(timeout=10) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise SystemExit(f"the {server.label} API server exited with "
                                 f"{server.process.returncode}")
            try:
                if (await client.get(f"{server.url}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"the {server.label} API server did not become ready")


def stop(servers: list[Server]) -> None:
    for server in servers:
        server.process.terminate()
    for server in servers:
        server.process.wait(timeout=30)


async def shut_down(servers: list[Server], runtime: Runtime) -> None:
    """Stop the API servers, close the bench's runtime and stop its engine."""
    stop(servers)
    await runtime.close()
    if runtime.engine is not None:
        runtime.engine.stop()


def _data(answer: dict[str, Any]) -> dict[str, Any]:
    if answer.get("errors"):
        raise SystemExit(f"GraphQL error: {answer['errors'][0]}")
    data: dict[str, Any] = answer["data"]
    return data


class Reader:
    """How the bench asks a server: aiohttp's client (a C-accelerated HTTP parser, a
    connection pool), decoding with orjson, whose own cost is close to a browser's."""

    def __init__(self, session: aiohttp.ClientSession, server: Server) -> None:
        self.session = session
        self.url = server.url

    async def graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        async with self.session.post(f"{self.url}/graphql",
                                     json={"query": query, "variables": variables}) as response:
            return _data(orjson.loads(await response.read()))

    async def json(self, path: str, params: list[tuple[str, str]]) -> Any:
        async with self.session.get(f"{self.url}{path}", params=params) as response:
            if response.status != 200:
                raise SystemExit(f"GET {path}: {response.status} {await response.text()}")
            return orjson.loads(await response.read())

    async def lines(self, path: str, params: list[tuple[str, str]],
                    each: Callable[[bytes], None] | None = None) -> int:
        """Read a streamed answer line by line, as it comes; how many lines it had."""
        count = 0
        rest = b""
        async with self.session.get(f"{self.url}{path}", params=params) as response:
            async for chunk in response.content.iter_any():
                *complete, rest = (rest + chunk).split(b"\n")
                for line in complete:
                    count += 1
                    if each is not None:
                        each(line)
        return count


async def graphql(client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any]
                  ) -> dict[str, Any]:
    """One GraphQL request through httpx (the SDK's client): for the writes."""
    response = await client.post(f"{url}/graphql", json={"query": query, "variables": variables})
    return _data(orjson.loads(response.content))


Timed = Callable[[int], Awaitable[int]]  # run the i-th request; return the answer's size


def environment(data_dir: Path) -> dict[str, str]:
    """The bench's settings: a data directory of its own, a 4 GB engine heap, and a node
    cap that lets every question's whole answer through."""
    env = dict(os.environ)
    env.setdefault("LINEAGE_DATA_DIR", str(data_dir))
    env.setdefault("LINEAGE_EMBEDDED_HEAP", "4g")
    env.setdefault("LINEAGE_MAX_NODES", "100000")
    return env
