"""Versioning benchmark: commit, diff, merge and log, through the services, in process.

Times (p50 and p90 over `--repeats`, in milliseconds):
- a commit of one config blob of `--config-keys` keys (every value changed each time);
- a commit of one dataset blob of `--components` hashed components (one changed each time);
- a three-dot diff of two branches each changing every config key;
- a three-way merge of two branches that changed disjoint halves of the config keys
  (a dry run, so every repeat merges the same two heads);
- the first and the last page (50) of the log of a branch of `--history` commits (the
  history is written in batches through the store, then walked page by page to get the
  last page's cursor).

The embedded engine is used unless NEO4J_URI is set.

    python bench/versioning_bench.py --repeats 20 --config-keys 1000 --components 10000 \
        --history 10000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph_api.config import Settings
from graph_api.ids import new_id
from graph_api.model.versioning import BlobInput, BlobKind, Change, Commit, Committed, Merged
from graph_api.runtime import open_runtime
from graph_api.services.versioning.canonical import commit_sha, tree_sha
from graph_api.services.versioning.service import VersioningService
from graph_api.store import versioning as rows
from graph_api.store.connection import Tx


async def timed(work: Callable[[], Awaitable[Any]], repeats: int) -> tuple[float, float]:
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        await work()
        seconds.append((time.perf_counter() - start) * 1000)
    ordered = sorted(seconds)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def _config(n: int, salt: int) -> BlobInput:
    return BlobInput(BlobKind.CONFIG, {f"k{i:05d}": i * 0.5 + salt for i in range(n)})


def _dataset(n: int, salt: int) -> BlobInput:
    return BlobInput(BlobKind.DATASET, {"source": "s3", "uri": "s3://bench/data/", "components": [
        {"path": f"part-{i:06d}.parquet", "sha256": f"{(i + (salt if i == 0 else 0)):064x}",
         "size": 1000 + i} for i in range(n)]})


async def write_history(v: VersioningService, repo: str, count: int, batch: int = 500) -> None:
    """`count` linear commits on `repo`'s main, written in batches through the store."""
    async def head(tx: Tx) -> Commit:
        sha = await v.resolve(tx, repo, "main")
        return await v._commit(tx, sha)

    parent = await v.db.read(head)
    tree = tree_sha({})
    written = 0
    while written < count:
        commits = []
        for _ in range(min(batch, count - written)):
            created = parent.created_at + 1
            meta: dict[str, Any] = {}
            sha = commit_sha(tree=tree, parents=[parent.sha], author="bench",
                             message=f"c{written}", created_at=created, metadata=meta)
            parent = Commit(sha, repo, f"c{written}", "bench", created, parent.generation + 1,
                            tree, [commits[-1].sha if commits else parent.sha], meta)
            commits.append(parent)
            written += 1

        async def put(tx: Tx, commits: list[Commit] = commits) -> None:
            old = await rows.lock_branch(tx, f"{repo}/main", new_id())
            await rows.put_objects(tx, [], [(tree, {})], commits)
            assert old is not None
            await rows.set_head(tx, f"{repo}/main", old, commits[-1].sha)

        await v.db.write(put)


async def run(args: argparse.Namespace) -> list[str]:
    env = dict(os.environ)
    env.setdefault("LINEAGE_DATA_DIR", tempfile.mkdtemp(prefix="versioning-bench-"))
    env.setdefault("LINEAGE_EMBEDDED_HEAP", "2g")
    runtime = await open_runtime(Settings.from_env(env))
    v = runtime.services.versioning
    lines = []
    try:
        async with runtime.db.driver.session(database=runtime.db.database) as session:
            await session.run("MATCH (n) DETACH DELETE n")
        await v.create_repository("bench")
        salt = iter(range(1, 1_000_000))

        async def commit_config() -> None:
            out = await v.commit("bench", "main", "config", [
                Change("config/train", _config(args.config_keys, next(salt)))])
            assert isinstance(out, Committed)

        async def commit_data() -> None:
            out = await v.commit("bench", "main", "data", [
                Change("data/train", _dataset(args.components, next(salt)))])
            assert isinstance(out, Committed)

        for name, work in ((f"commit config ({args.config_keys} keys)", commit_config),
                           (f"commit dataset ({args.components} components)", commit_data)):
            await timed(work, 3)  # warm-up
            p50, p90 = await timed(work, args.repeats)
            lines.append(f"{name:<42} p50 {p50:9.1f} ms   p90 {p90:9.1f} ms")

        keys = args.config_keys
        base = {f"k{i:05d}": i * 0.5 for i in range(keys)}
        await v.commit("bench", "main", "base", [Change("config/train", BlobInput(
            BlobKind.CONFIG, base))])
        await v.create_branch("bench", "left", "main")
        await v.create_branch("bench", "right", "main")
        await v.commit("bench", "left", "all", [Change("config/train", BlobInput(
            BlobKind.CONFIG, {k: x + 1 if int(k[1:]) < keys // 2 else x
                              for k, x in base.items()}))])
        await v.commit("bench", "right", "all", [Change("config/train", BlobInput(
            BlobKind.CONFIG, {k: x + 2 if int(k[1:]) >= keys // 2 else x
                              for k, x in base.items()}))])

        async def diff() -> None:
            await v.diff("bench", "left", "right")

        async def merge() -> None:
            out = await v.merge("bench", "right", "left", dry_run=True)
            assert isinstance(out, Merged), out

        for name, work in ((f"diff three-dot ({keys} keys changed)", diff),
                           (f"merge dry run ({keys} keys, disjoint)", merge)):
            await timed(work, 3)
            p50, p90 = await timed(work, args.repeats)
            lines.append(f"{name:<42} p50 {p50:9.1f} ms   p90 {p90:9.1f} ms")

        await v.create_repository("history")
        start = time.perf_counter()
        await write_history(v, "history", args.history)
        lines.append(f"{'write ' + str(args.history) + ' commits (store, batches)':<42} "
                     f"{time.perf_counter() - start:9.1f} s")
        cursor = None
        pages = 0
        while True:
            page = await v.log("history", "main", first=50, after=cursor)
            pages += 1
            if not page.has_next:
                break
            cursor = page.end_cursor
        last_cursor = cursor  # the cursor that asks for the last page

        async def first_page() -> None:
            await v.log("history", "main", first=50)

        async def last_page() -> None:
            page = await v.log("history", "main", first=50, after=last_cursor)
            assert not page.has_next

        for name, work in ((f"log first page of {args.history + 1}", first_page),
                           (f"log last page of {args.history + 1} ({pages} pages)", last_page)):
            await timed(work, 3)
            p50, p90 = await timed(work, args.repeats)
            lines.append(f"{name:<42} p50 {p50:9.1f} ms   p90 {p90:9.1f} ms")
    finally:
        await runtime.close()
        if runtime.engine is not None:
            runtime.engine.stop()
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--config-keys", type=int, default=1_000)
    parser.add_argument("--components", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=10_000)
    args = parser.parse_args(argv)
    for line in asyncio.run(run(args)):
        print(line)


if __name__ == "__main__":
    main()
