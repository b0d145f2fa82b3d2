"""Walks of commit history, bounded: merge bases, ancestry, and the keyset-paged log.

History is read in *generation windows*: every commit of the repository whose generation
lies in a range, one statement per window (`versioning/commit_window`). A walk goes down
from its starting commits, window by window, and stops as soon as its answer is known; it
never reads more than `max_commits` commits (`LimitExceeded` beyond).
"""

from __future__ import annotations

import base64
import heapq
import json
from collections.abc import Sequence
from dataclasses import dataclass

from graph_api.errors import InvalidInput, LimitExceeded, NotFound
from graph_api.model.versioning import Commit
from graph_api.store import versioning as rows
from graph_api.store.connection import Tx
from graph_api.store.versioning import StoredCommit

#: Commits one walk may read before it gives up.
MAX_WALK = 200_000
#: Generations per window: the first window, and the largest one (the width doubles).
FIRST_WINDOW = 64
MAX_WINDOW = 4_096
#: Commits per window statement; a window cut short ends at its last whole generation.
WINDOW_ROWS = 10_000
#: Commits a log cursor may hold pending (the width of history at the cut).
MAX_FRONTIER = 1_000


class History:
    """Commits of one repository as a walk has read them, within one transaction."""

    def __init__(self, tx: Tx, repo: str, *, path: str | None = None,
                 max_commits: int = MAX_WALK) -> None:
        self.tx = tx
        self.repo = repo
        self.path = path
        self.max_commits = max_commits
        self.known: dict[str, StoredCommit] = {}
        self._low: int | None = None  # every commit with generation >= _low is known
        self._high: int | None = None
        self._window = FIRST_WINDOW

    def _remember(self, found: Sequence[StoredCommit]) -> None:
        for c in found:
            self.known[c.commit.sha] = c
        if len(self.known) > self.max_commits:
            raise LimitExceeded(f"the walk read more than {self.max_commits} commits of "
                                f"{self.repo!r}; narrow it (a nearer ref, a path)")

    async def load(self, shas: Sequence[str]) -> list[StoredCommit]:
        """The commits `shas` (reading those not known yet); NotFound for a missing one."""
        missing = [s for s in dict.fromkeys(shas) if s not in self.known]
        if missing:
            self._remember(await rows.commits_by_sha(self.tx, missing, self.path))
        for sha in shas:
            if sha not in self.known:
                raise NotFound(f"no commit {sha!r} in {self.repo!r}")
        return [self.known[s] for s in shas]

    async def get(self, sha: str) -> StoredCommit:
        return (await self.load([sha]))[0]

    async def _prefetch(self, hi: int) -> None:
        """Read the window of generations ending at `hi` (windows only save round trips:
        a commit they miss is read by sha)."""
        lo = max(hi - self._window + 1, 0)
        found = await rows.commit_window(self.tx, self.repo, lo, hi, WINDOW_ROWS, self.path)
        if len(found) == WINDOW_ROWS:  # cut short: keep its whole generations only
            cut = found[-1].commit.generation
            if cut < hi:
                found = [c for c in found if c.commit.generation > cut]
                lo = cut + 1
        self._remember(found)
        if self._low is None or self._high is None or hi != self._low - 1:
            self._high = hi
        self._low = lo
        self._window = min(self._window * 2, MAX_WINDOW)

    async def parents(self, c: StoredCommit, first_only: bool = False) -> list[StoredCommit]:
        """The commit's parents (its first only, with `first_only`)."""
        shas = c.commit.parents[:1] if first_only else c.commit.parents
        if any(s not in self.known for s in shas):
            hi = c.commit.generation - 1
            if self._low is not None and self._high is not None \
                    and self._low <= hi <= self._high:
                hi = self._low - 1
            if hi >= 0:
                await self._prefetch(hi)
        return await self.load(shas)

    async def merge_base(self, a: str, b: str) -> str | None:
        """The best common ancestor of `a` and `b`: of the common ancestors, the one with
        the highest generation (then the smallest sha); None when they share none.

        Walks down by generation from both, so when a commit reached from both sides is
        popped, every commit of higher generation has been seen: none of them is a common
        ancestor of higher rank.
        """
        if a == b:
            return a
        ca, cb = await self.load([a, b])
        flags = {a: 1, b: 2}
        heap = [(-ca.commit.generation, a), (-cb.commit.generation, b)]
        heapq.heapify(heap)
        pending = {1: 1, 2: 1, 3: 0}  # queued commits per flag set
        while heap:
            if pending[3] == 0 and (pending[1] == 0 or pending[2] == 0):
                return None  # only one side's ancestors remain: they meet nowhere
            neg, sha = heapq.heappop(heap)
            flag = flags[sha]
            pending[flag] -= 1
            if flag == 3:
                tied = [s for g, s in heap if g == neg and flags[s] == 3]
                return min([sha, *tied])
            for p, old, new in await self._spread(sha, flag, flags):
                if old:
                    pending[old] -= 1
                else:
                    heapq.heappush(heap, (-p.commit.generation, p.commit.sha))
                pending[new] += 1
        return None

    async def _spread(self, sha: str, flag: int, flags: dict[str, int]
                      ) -> list[tuple[StoredCommit, int, int]]:
        """Mark the parents of `sha` reachable from the sides `flag` says too: those whose
        marks grew, with their marks before and after (`flags` is updated)."""
        grown = []
        for p in await self.parents(self.known[sha]):
            old = flags.get(p.commit.sha, 0)
            new = old | flag
            if new != old:
                flags[p.commit.sha] = new
                grown.append((p, old, new))
        return grown

    async def is_ancestor(self, ancestor: str, of: str) -> bool:
        """Whether `ancestor` is `of` or one of its ancestors."""
        return await self.merge_base(ancestor, of) == ancestor

    async def ahead_behind(self, a: str, b: str) -> tuple[int, int]:
        """(commits reachable from `a` only, commits reachable from `b` only).

        Walks down by generation from both, marking each commit with the sides it is
        reachable from; once every queued commit is reachable from both, no commit below
        can be one side's only.
        """
        if a == b:
            return 0, 0
        ca, cb = await self.load([a, b])
        flags = {a: 1, b: 2}
        heap = [(-ca.commit.generation, a), (-cb.commit.generation, b)]
        heapq.heapify(heap)
        counts = {1: 0, 2: 0}
        mixed = 2  # queued commits reachable from one side only
        while heap and mixed:
            _, sha = heapq.heappop(heap)
            flag = flags[sha]
            if flag != 3:
                counts[flag] += 1
                mixed -= 1
            for p, old, new in await self._spread(sha, flag, flags):
                if not old:
                    heapq.heappush(heap, (-p.commit.generation, p.commit.sha))
                    mixed += new != 3
                elif new == 3:
                    mixed -= 1
        return counts[1], counts[2]


@dataclass(frozen=True)
class LogPage:
    """Commits with a cursor each, whether more follow, and where the next page starts."""

    commits: list[Commit]
    cursors: list[str]
    has_next: bool
    end_cursor: str | None


def _order(c: StoredCommit) -> tuple[int, int, str]:
    # generation desc, then createdAt desc, then sha
    return (-c.commit.generation, -c.commit.created_at, c.commit.sha)


def encode_cursor(frontier: Sequence[str]) -> str:
    raw = json.dumps(["log", list(frontier)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[str]:
    try:
        tag, frontier = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        raise InvalidInput("after: not a cursor of this log", field="after") from None
    if tag != "log" or not isinstance(frontier, list) or not all(
            isinstance(s, str) for s in frontier):
        raise InvalidInput("after: not a cursor of this log", field="after")
    return frontier


async def log(history: History, starts: Sequence[str], *, first: int, first_parent: bool,
              path: str | None, max_scan: int) -> LogPage:
    """Up to `first` commits reachable from `starts`, newest first; with `path`, only those
    whose blob at `path` differs from their first parent's.

    A cursor is the walk's pending set at the end of its page, so the next page resumes
    exactly there whatever merges history holds. At most `max_scan` commits are examined
    per page; a page cut short by that still has a cursor.
    """
    queue: list[tuple[tuple[int, int, str], str]] = []
    seen: set[str] = set()
    for c in await history.load(starts):
        if c.commit.sha not in seen:
            seen.add(c.commit.sha)
            heapq.heappush(queue, (_order(c), c.commit.sha))
    out: list[Commit] = []
    cursors: list[str] = []
    scanned = 0
    while queue and len(out) < first and scanned < max_scan:
        _, sha = heapq.heappop(queue)
        current = history.known[sha]
        scanned += 1
        parents = await history.parents(current, first_only=first_parent)
        for p in parents:
            if p.commit.sha not in seen:
                seen.add(p.commit.sha)
                heapq.heappush(queue, (_order(p), p.commit.sha))
        if len(queue) > MAX_FRONTIER:
            raise LimitExceeded(f"history is wider than {MAX_FRONTIER} branches here; "
                                "use firstParent")
        if path is not None:
            before = parents[0].path_blob if current.commit.parents and parents else None
            if before == current.path_blob:
                continue
        out.append(current.commit)
        cursors.append(encode_cursor([s for _, s in sorted(queue)]))
    # Commits skipped after the last one listed need not be read again.
    end = encode_cursor([s for _, s in sorted(queue)]) if queue else (
        cursors[-1] if cursors else None)
    return LogPage(out, cursors, bool(queue), end)
