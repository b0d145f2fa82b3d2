"""One async driver per process, transaction functions, and error translation.

Repositories hand a transaction function to `Database.read` / `Database.write`; the
function runs catalog statements through a `Tx`. Driver errors are translated here into
the project's own error types, so nothing above the store imports `neo4j.exceptions`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncSession, AsyncTransaction
from neo4j import exceptions as neo4j_errors

from graph_api import consistency
from graph_api.errors import Conflict, LineageError, Timeout, Unavailable
from graph_api.store import catalog

log = logging.getLogger(__name__)

T = TypeVar("T")
Record = dict[str, Any]

#: Seconds during which a transaction that failed transiently is tried again: a MERGE
#: race on a unique key (design §5), a write conflict. A dropped or refused connection is
#: tried again only within the connect timeout, so a database that went away answers
#: UNAVAILABLE within seconds.
RETRY_WINDOW = 10.0

#: Seconds the client waits beyond the transaction timeout before it abandons a
#: transaction itself: a server that enforces the timeout (Neo4j) answers first; one that
#: ignores it (the embedded engine) is cut off here.
TIMEOUT_GRACE = 0.5


@dataclass
class StatementLog:
    """Counts statements sent, and optionally records each distinct text to a file.

    The recording feeds the Cypher linter in the tests; the count lets tests prove that a
    request sends a fixed number of statements.
    """

    path: Path | None = None
    sent: int = 0
    _seen: set[str] = field(default_factory=set)

    def record(self, text: str) -> None:
        self.sent += 1
        if self.path is None or text in self._seen:
            return
        self._seen.add(text)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(text) + "\n")


class Tx:
    """A unit of work as repositories see it: run catalog statements by name.

    A write's statements run in one explicit transaction, atomically. A read's run as
    auto-commit queries of one session, which chains them by its bookmarks: both engines
    isolate a transaction's reads at read-committed, so a read transaction would see no
    more consistent a state, and it costs two round trips more (BEGIN and COMMIT) — on
    the embedded engine as much as the statement of a small lineage answer. A read that
    carries a node's handle from one statement to the next (a walk in Cypher) asks for one
    transaction (`Database.read(one_transaction=True)`): only while it is open is the
    handle sure to name the same node.
    """

    def __init__(self, runner: AsyncTransaction | AsyncSession, log_: StatementLog,
                 timeout: float | None = None) -> None:
        self._runner = runner
        self._log = log_
        self._timeout = timeout

    async def run(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        fragments: Mapping[str, str] | None = None,
    ) -> list[Record]:
        """Run statement `name` with `params`; return every record as a dict."""
        text = catalog.get(name).render(fragments)
        self._log.record(text)
        values = dict(params or {})
        result = await (self._runner.run(neo4j.Query(text, timeout=self._timeout), values)
                        if isinstance(self._runner, AsyncSession)
                        else self._runner.run(text, values))
        # keys/values, not record.data(): data() walks every value to convert graph
        # types, which costs as much as the query on a large collected list.
        return [dict(zip(record.keys(), record.values(), strict=True)) async for record in result]

    async def single(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        fragments: Mapping[str, str] | None = None,
    ) -> Record:
        """Run a statement that returns exactly one row (e.g. an aggregation)."""
        rows = await self.run(name, params, fragments)
        if len(rows) != 1:
            raise RuntimeError(f"statement {name!r} returned {len(rows)} rows, expected 1")
        return rows[0]


def translate(error: Exception) -> LineageError:
    """Map a driver error onto the project's error types (messages without driver text)."""
    if isinstance(error, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired):
        return Unavailable("the graph database is unavailable")
    if isinstance(error, OSError | asyncio.TimeoutError):
        return Unavailable("the graph database is unavailable")
    code = getattr(error, "code", None) or ""
    if "TransactionTimedOut" in code or "Transaction.Terminated" in code:
        return Timeout("the database query exceeded the configured timeout")
    if isinstance(error, neo4j_errors.TransientError):
        return Unavailable("the graph database is busy (conflicting writes); retry")
    if isinstance(error, neo4j_errors.ConstraintError):
        return Conflict("the write conflicts with a stored node (a unique key is taken)")
    if "Schema.ConstraintCreationFailed" in code:  # e.g. an Enterprise-only constraint
        log.warning("the graph database refused to create a constraint: %s", code)
        return LineageError("the graph database refused to create a constraint")
    if isinstance(error, neo4j_errors.AuthError):  # unexpected for clients; says why at start
        log.error("the graph database refused the credentials: %s", code)
        return LineageError("the graph database refused the credentials (NEO4J_USER, "
                            "NEO4J_PASSWORD)")
    log.error("unexpected database error: %s", code or type(error).__name__)
    return LineageError("internal database error")


class Database:
    """The driver, the target database and the per-statement settings of one process."""

    def __init__(
        self,
        driver: AsyncDriver,
        *,
        database: str | None = None,
        timeout: float = 30.0,
        connect_timeout: float = 2.0,
        write_concurrency: int = 1,
        statement_log: StatementLog | None = None,
    ) -> None:
        self.driver = driver
        self.database = database
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.statements = statement_log or StatementLog()
        self._writers = asyncio.Semaphore(write_concurrency)

    @classmethod
    def connect(
        cls,
        uri: str,
        user: str,
        password: str | None,
        *,
        database: str | None = None,
        timeout: float = 30.0,
        connect_timeout: float = 2.0,
        write_concurrency: int = 1,
        record_to: Path | None = None,
    ) -> Database:
        """Create the process's driver. Connection happens lazily on first use.

        Args:
            timeout: seconds one transaction may run before it fails with `Timeout`.
            connect_timeout: seconds to wait for the database to accept a connection (and
                to retry a refused or dropped one) before failing with `Unavailable`.
            write_concurrency: write transactions run at once (see `write`).
        """
        driver = AsyncGraphDatabase.driver(
            uri,
            auth=(user, password or ""),
            connection_timeout=connect_timeout,
            max_transaction_retry_time=5.0,
            connection_acquisition_timeout=max(10.0, connect_timeout),
            max_connection_pool_size=50,
        )
        return cls(driver, database=database, timeout=timeout, connect_timeout=connect_timeout,
                   write_concurrency=write_concurrency, statement_log=StatementLog(record_to))

    async def close(self) -> None:
        await self.driver.close()

    async def ping(self) -> str:
        """Check connectivity within the connect timeout; return the server agent string."""
        try:
            async with asyncio.timeout(self.connect_timeout):
                info = await self.driver.get_server_info()
        except Exception as error:  # the driver raises many types for "cannot connect"
            raise translate(error) from error
        return str(info.agent)

    async def read(self, work: Callable[[Tx], Awaitable[T]], *,
                   one_transaction: bool = False) -> T:
        """Run `work`'s statements as auto-commit queries of one session (see `Tx`), or,
        with `one_transaction`, in one read transaction: for work that carries a node's
        handle (its elementId) from one statement to the next, which a transaction keeps
        from being reused. It may run again after a transient failure."""
        return await self._execute(work, write=False, one_transaction=one_transaction)

    async def write(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `work` in a write transaction, atomically; it may run again.

        A concurrent MERGE on a unique key can fail with a constraint violation on both
        engines, and concurrent writers to one node can fail with a transient conflict;
        the function then re-runs, sees the winner's writes and merges onto them.

        The process runs `write_concurrency` write transactions at a time (default one);
        the others wait their turn, within their timeout. Nearly every write takes the
        next MLMD ids from its kinds' one sequence node, which concurrent writers of one
        process would only fight over (on the embedded engine, whose transactions are
        optimistic, a conflict and a retry each time); meanwhile the waiting requests
        prepare their statements, so the engine and this process work at once.
        """
        return await self._execute(work, write=True)

    async def _execute(self, work: Callable[[Tx], Awaitable[T]], *, write: bool,
                       one_transaction: bool = True) -> T:
        """Own retry loop (not the driver's): short jittered back-off within a time window.

        The driver's managed transactions back off a second and more between attempts,
        which under write contention lets writers run out of time together; here attempts
        start after a few milliseconds and double up to 0.2 s. A refused or dropped
        connection is retried only until the database has been unreachable for the
        connect timeout.

        Each attempt is bounded here too, not only by the transaction timeout sent to the
        server: the embedded engine ignores that one (it keeps running the statement after
        the client gave up, until it ends).
        """
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        deadline = time.monotonic() + RETRY_WINDOW
        unreachable_since: float | None = None
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                # A write's turn is given back on a timeout: at worst, a conflict.
                async with (asyncio.timeout(self.timeout + TIMEOUT_GRACE),
                            self._writers if write else contextlib.nullcontext()):
                    return await _detached(self._attempt(work, mode, one_transaction))
            except LineageError:
                raise
            except TimeoutError as error:  # before OSError, of which it is a subclass
                raise self._timed_out() from error
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as error:
                now = time.monotonic()
                if _unreachable(error):
                    unreachable_since = started if unreachable_since is None else unreachable_since
                    give_up = now - unreachable_since >= self.connect_timeout
                else:
                    give_up = now > deadline
                if give_up or not _retryable(error, write):
                    translated = translate(error)
                    raise (self._timed_out() if isinstance(translated, Timeout)
                           else translated) from error
                log.debug("retrying a transaction after %s", type(error).__name__)
                await asyncio.sleep(random.uniform(0.5, 1.0) * min(0.2, 0.005 * 2**attempt))
                attempt += 1

    def _timed_out(self) -> Timeout:
        return Timeout(f"the database query ran longer than queryTimeout ({self.timeout:g} s)")

    async def _attempt(self, work: Callable[[Tx], Awaitable[T]], mode: str,
                       one_transaction: bool) -> T:
        after = consistency.AFTER.get()
        async with self.driver.session(
                database=self.database, default_access_mode=mode,
                bookmarks=neo4j.Bookmarks.from_raw_values(after) if after else None,
        ) as session:
            if not one_transaction:  # a read's auto-commit queries: see `Tx`
                return await work(Tx(session, self.statements, self.timeout))
            tx = await session.begin_transaction(timeout=self.timeout)
            try:
                result = await work(Tx(tx, self.statements))
            except BaseException:
                await tx.close()
                raise
            await tx.commit()
            written = consistency.WRITTEN.get()
            if written is not None and mode == neo4j.WRITE_ACCESS:
                written.extend((await session.last_bookmarks()).raw_values)
            return result


_running: set[asyncio.Task[Any]] = set()


def _settle(task: asyncio.Task[Any]) -> None:
    _running.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: an abandoned attempt's failure is not an error


async def _detached(attempt: Coroutine[Any, Any, T]) -> T:
    """Await a transaction attempt that the caller's cancellation cannot interrupt.

    A request can be cancelled mid-transaction (a timeout here, a failing sibling field in
    GraphQL); cancelling the driver mid-exchange would leave its connection half-read and
    unclosed. The attempt runs as its own task instead: the caller stops waiting, the
    attempt finishes (or fails) and closes its transaction and session cleanly.
    """
    task = asyncio.ensure_future(attempt)
    _running.add(task)
    task.add_done_callback(_settle)
    return await asyncio.shield(task)


def _unreachable(error: Exception) -> bool:
    return isinstance(error, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired
                      | OSError)


def _retryable(error: Exception, write: bool) -> bool:
    code = getattr(error, "code", None) or ""
    if "TimedOut" in code or "Terminated" in code:
        return False
    if isinstance(error, neo4j_errors.ConstraintError):
        return write
    return isinstance(error, neo4j_errors.TransientError | neo4j_errors.ServiceUnavailable
                      | neo4j_errors.SessionExpired | OSError)
