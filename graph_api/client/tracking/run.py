"""A tracked run: an execution of type `Run` whose logs are buffered and flushed in batches.

Storage convention (fixed; the UI's run comparison reads it) — all custom properties of
the run's execution:

=======================  ====================================================================
property                 holds
=======================  ====================================================================
``param_<name>``         a hyperparameter (JSON value; anything else as its ``str``)
``metric_<name>``        the latest value of a metric (float)
``metric_history``       every value of every metric: ``{name: [[step, value, ts_ms], …]}``
``tags``                 the run's tags (list of strings, in the order first logged)
``code_git_commit``,     the code version: commit, repository, whether the work tree was
``code_repo``,           dirty
``code_dirty``
``env_python``,          the environment: Python version, platform, installed
``env_platform``,        distributions (``{name: version}``)
``env_packages``
``metric_history_thinned`` true when the history outgrew the API's 1 MB struct cap and
                         every k-th point (and the last) of each metric was stored
``error``                of a FAILED run: ``{"type": …, "message": …}``
``start_time_ms``,       when the run started and ended (ms since the epoch)
``end_time_ms``
=======================  ====================================================================

``<name>`` is sanitised to ``[A-Za-z0-9_]`` and does not start with a digit (`naming.py`).
A non-finite metric value (NaN, ±inf) is kept in the history as ``null`` and does not
replace the latest value. Datasets are input artifacts (type `Dataset`, event path
``[name]``) identified by (uri, version), so every run logging the same data shares one
node; models (`Model`) and other files (`RunArtifact`) are the run's outputs.

Logging only touches memory. A flush writes the run's whole state and its new artifacts
with one `putExecution` request (plus one to attribute new artifacts to the experiment
and project); it happens every `flush_every` records, every `flush_interval` seconds, and
when the run ends — at the end of its `with` block, or at interpreter exit for a run
that was started without one. Re-sending a flush is harmless: the run and its artifacts
carry externalIds.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import math
import time
import weakref
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import orjson

from graph_api.client.models import (
    ArtifactAndEvent,
    ArtifactInput,
    ArtifactState,
    Association,
    Attribution,
    EventType,
    ExecutionInput,
    ExecutionState,
)
from graph_api.client.tracking import environment, naming, schema
from graph_api.client.versioning import CommitInfo, ModelVersionInfo
from graph_api.ids import new_id

if TYPE_CHECKING:
    from graph_api.client.tracking.projects import AsyncExperiment

log = logging.getLogger(__name__)

#: Records (log calls) buffered before a flush, and seconds between timed flushes.
FLUSH_EVERY = 1000
FLUSH_INTERVAL = 5.0
#: Most bytes of `metric_history` as compact JSON: the API stores a struct of at most
#: 1 MB (as JSON with spaces after separators, some 15 % longer).
HISTORY_BUDGET = 800_000


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _thin(points: list[list[Any]], stride: int) -> list[list[Any]]:
    kept = points[::stride]
    if points and kept[-1] is not points[-1]:
        kept.append(points[-1])
    return kept


def fit_history(history: dict[str, list[list[Any]]], budget: int = HISTORY_BUDGET
                ) -> tuple[dict[str, list[list[Any]]], bool]:
    """`history` as stored: whole if its JSON fits `budget` bytes, else every k-th point of
    each metric (and its last), with the smallest power of two k that fits; and whether
    it was thinned. The run keeps the whole history in `run.metric_history`."""
    if len(orjson.dumps(history)) <= budget:
        return history, False
    stride = 2
    while True:
        thinned = {name: _thin(points, stride) for name, points in history.items()}
        if len(orjson.dumps(thinned)) <= budget or stride > 1 << 30:
            return thinned, True
        stride *= 2


def _json_value(value: Any) -> Any:
    """`value` if the API stores it as is (JSON scalars, lists, maps), else `str(value)`."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item) and getattr(value, "shape", None) == ():
        return _json_value(item())
    return str(value)


class AsyncRun:
    """One run of an experiment. Use as `async with experiment.run("name") as run:`."""

    def __init__(self, experiment: AsyncExperiment, name: str, *, external_id: str | None = None,
                 flush_every: int = FLUSH_EVERY, flush_interval: float = FLUSH_INTERVAL) -> None:
        self.experiment = experiment
        self.client = experiment.client
        self.name = name
        self.external_id = external_id or f"run-{new_id()}"
        self.id: str | None = None
        self.state = ExecutionState.NEW
        self.flush_every = flush_every
        self.flush_interval = flush_interval
        #: Ids of the run's artifacts by the name they were logged under (after a flush).
        self.artifact_ids: dict[str, str] = {}
        self.params: dict[str, Any] = {}
        self.metrics: dict[str, float] = {}
        self.metric_history: dict[str, list[list[Any]]] = {}
        self.tags: list[str] = []
        self._properties: dict[str, Any] = {}
        self._pending: list[tuple[str, ArtifactAndEvent]] = []
        self._unflushed = 0
        self._flush_lock: asyncio.Lock | None = None
        self._timer: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"AsyncRun({self.name!r}, id={self.id!r}, state={self.state.value})"

    # -- lifecycle --------------------------------------------------------------------

    async def start(self) -> AsyncRun:
        """Record the run as RUNNING in its experiment and project (two requests)."""
        await self.client.tracking_types.ensure(self.client)
        self.state = ExecutionState.RUNNING
        self._properties["start_time_ms"] = _now_ms()
        self._flush_lock = asyncio.Lock()
        await self.flush(force=True)
        assert self.id is not None
        await self.client.put_attributions_and_associations(associations=[
            Association(execution_id=self.id, context_id=c) for c in self._context_ids()])
        _live_runs.add(self)
        if self.flush_interval > 0:
            self._timer = asyncio.create_task(self._flush_periodically())
        return self

    async def end(self, state: ExecutionState = ExecutionState.COMPLETE,
                  error: BaseException | None = None) -> None:
        """Mark the run COMPLETE (or `state`, FAILED with `error`) and flush everything."""
        if self.state not in (ExecutionState.RUNNING, ExecutionState.NEW):
            await self.flush()
            return
        timer, self._timer = self._timer, None
        if timer is not None and timer.get_loop() is asyncio.get_running_loop():
            timer.cancel()  # (a timer of a loop that is gone, at exit, died with it)
            with contextlib.suppress(asyncio.CancelledError):
                await timer
        self.state = state
        if error is not None:
            self._properties["error"] = {"type": type(error).__qualname__, "message": str(error)}
        self._properties["end_time_ms"] = _now_ms()
        _live_runs.discard(self)
        await self.flush(force=True)

    async def __aenter__(self) -> AsyncRun:
        return await self.start()

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if exc is None:
            await self.end()
            return
        try:
            await self.end(ExecutionState.FAILED, exc)
        except Exception:
            # The caller's exception goes on; the failed flush must not replace it.
            log.exception("could not record the failure of run %s", self.name)

    @property
    def active(self) -> bool:
        return self.state is ExecutionState.RUNNING

    def _context_ids(self) -> list[str]:
        return [self.experiment.id, self.experiment.project.id]

    # -- logging ----------------------------------------------------------------------

    async def _recorded(self, records: int = 1) -> None:
        self._unflushed += records
        if self.state is not ExecutionState.RUNNING or self._unflushed >= self.flush_every:
            await self.flush()  # a finished run writes at once

    async def log_hyperparameters(self, params: Mapping[str, Any]) -> None:
        """Hyperparameters, each stored as `param_<name>`."""
        for name, value in params.items():
            self.params[naming.property_name("param_", name)] = _json_value(value)
        await self._recorded(len(params))

    async def log_hyperparameter(self, name: str, value: Any) -> None:
        await self.log_hyperparameters({name: value})

    async def log_metric(self, name: str, value: float, step: int | None = None,
                         timestamp_ms: int | None = None) -> None:
        """One value of a metric at `step` (default: the metric's next step)."""
        key = naming.sanitise(name)
        history = self.metric_history.setdefault(key, [])
        value = float(value)
        finite = math.isfinite(value)
        history.append([len(history) if step is None else int(step), value if finite else None,
                        timestamp_ms if timestamp_ms is not None else _now_ms()])
        if finite:
            self.metrics[naming.property_name("metric_", key)] = value
        await self._recorded()

    async def log_metrics(self, metrics: Mapping[str, float], step: int | None = None) -> None:
        for name, value in metrics.items():
            await self.log_metric(name, value, step)

    async def log_tags(self, tags: Iterable[str]) -> None:
        for tag in tags:
            if str(tag) not in self.tags:
                self.tags.append(str(tag))
        await self._recorded()

    async def log_code_version(self, git_commit: str, repo: str | None = None,
                               dirty: bool = False) -> None:
        self._properties.update(code_git_commit=git_commit, code_repo=repo, code_dirty=dirty)
        await self._recorded()

    async def log_environment(self) -> None:
        """Python version, platform and installed distributions, captured here and now."""
        self._properties.update(env_python=environment.python_version(),
                                env_platform=environment.platform_description(),
                                env_packages=environment.installed_packages())
        await self._recorded()

    async def log_dataset(self, name: str, uri: str, properties: Mapping[str, Any] | None = None,
                          *, version: str | None = None) -> None:
        """An input dataset; one node per (uri, version) however many runs log it."""
        props = {k: _json_value(v) for k, v in (properties or {}).items()}
        if version is None and props.get("version") is not None:
            version = str(props["version"])
        artifact = ArtifactInput(
            type=schema.DATASET, uri=uri, name=name, state=ArtifactState.LIVE,
            external_id=naming.dataset_external_id(uri, version), custom_properties=props)
        await self._add(name, artifact, EventType.INPUT)

    async def log_model(self, uri: str, properties: Mapping[str, Any] | None = None, *,
                        name: str = "model", register: str | None = None
                        ) -> ModelVersionInfo | None:
        """The run's output model; with `register`, flushed and registered as the next
        version of that model (returned)."""
        await self._output(schema.MODEL, "model", name, uri, properties)
        if register is None:
            return None
        await self.flush(force=True)
        return await self.client.register_model_version(register, self.artifact_ids[name])

    async def use_ingredients(self, commit: CommitInfo | str, *, repo: str | None = None,
                              keys: Mapping[str, str] | None = None) -> None:
        """Record the commit of ingredients this run uses (once per run). `commit` is what
        a commit returned (its repository is remembered) or a ref of `repo`."""
        if self.id is None:
            raise RuntimeError(f"run {self.name!r} was not started")
        ref = commit if isinstance(commit, str) else commit.sha
        where = repo or (None if isinstance(commit, str) else commit.repo)
        if where is None:
            raise ValueError("use_ingredients: give repo= with a ref")
        await self.client.transport.execute(
            "mutation($id: ID!, $r: String!, $f: String!, $k: JSON) { useIngredients(runId: $id,"
            " repo: $r, ref: $f, keys: $k) { commit } }",
            {"id": self.id, "r": where, "f": ref, "k": dict(keys or {})})

    async def log_artifact(self, name: str, uri: str,
                           properties: Mapping[str, Any] | None = None) -> None:
        """Any other output file of the run (a plot, a report…)."""
        await self._output(schema.RUN_ARTIFACT, "artifact", name, uri, properties)

    async def _output(self, type_name: str, kind: str, name: str, uri: str,
                      properties: Mapping[str, Any] | None) -> None:
        artifact = ArtifactInput(
            type=type_name, uri=uri, name=name, state=ArtifactState.LIVE,
            external_id=naming.run_artifact_external_id(kind, self.external_id, name, uri),
            custom_properties={k: _json_value(v) for k, v in (properties or {}).items()})
        await self._add(name, artifact, EventType.OUTPUT)

    async def _add(self, name: str, artifact: ArtifactInput, event: EventType) -> None:
        self._pending.append((name, ArtifactAndEvent(artifact=artifact, event_type=event,
                                                     path=[name])))
        await self._recorded()

    # -- flushing ---------------------------------------------------------------------

    def _execution(self) -> ExecutionInput:
        custom: dict[str, Any] = {**self._properties, **self.params, **self.metrics}
        if self.metric_history:
            custom["metric_history"], thinned = fit_history(self.metric_history)
            if thinned:
                custom["metric_history_thinned"] = True
        if self.tags:
            custom["tags"] = list(self.tags)
        return ExecutionInput(id=self.id, external_id=self.external_id, type=schema.RUN,
                              name=self.name, state=self.state,
                              custom_properties={k: v for k, v in custom.items() if v is not None})

    async def flush(self, force: bool = False) -> None:
        """Write what was logged since the last flush (nothing to write: no request)."""
        if self._flush_lock is None:
            raise RuntimeError(f"run {self.name!r} was not started")
        async with self._flush_lock:
            if not force and not self._unflushed and not self._pending:
                return
            pending, records = list(self._pending), self._unflushed
            execution = self._execution()
            result = await self.client.put_execution(execution, [ae for _, ae in pending])
            # Only what this flush wrote is dropped: records logged meanwhile stay.
            del self._pending[:len(pending)]
            self._unflushed -= records
            self.id = result.execution_id
            new = dict(zip((name for name, _ in pending), result.artifact_ids, strict=True))
            self.artifact_ids.update(new)
            if new:
                await self.client.put_attributions_and_associations(attributions=[
                    Attribution(artifact_id=a, context_id=c)
                    for a in dict.fromkeys(new.values()) for c in self._context_ids()])

    async def _flush_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.flush_interval)
            try:
                await self.flush()
            except Exception as error:  # kept for the next flush
                log.warning("run %s: flush failed (%s); kept for the next one", self.name,
                            error)


# -- runs left running at interpreter exit ---------------------------------------------

_live_runs: weakref.WeakSet[AsyncRun] = weakref.WeakSet()


def _end_live_runs() -> None:
    """End every run still running (started without `with`), flushing its records."""
    for run in list(_live_runs):
        try:
            run.client.run_at_exit(run.end())
        except Exception:
            log.exception("could not end run %s at exit", run.name)


atexit.register(_end_live_runs)
