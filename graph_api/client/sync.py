"""The synchronous client: the async client's coroutines run on a private event loop.

Nothing here knows what a method does. `facade(AsyncCls)` derives a class whose methods
are the async class's public methods, each running on the loop in a background thread
and returning when it finishes; objects of other facaded classes it returns (projects,
experiments, runs) come back wrapped the same way, and `async with` becomes `with`. The
logic exists once, in the async classes.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from graph_api.client.client import AsyncLineageClient
from graph_api.client.tracking import AsyncExperiment, AsyncProject, AsyncRun
from graph_api.client.versioning import AsyncBranch, AsyncRepository

T = TypeVar("T")
F = TypeVar("F", bound="type[SyncFacade]")


class LoopThread:
    """An event loop running forever in a daemon thread; `run` waits for a coroutine."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="lineage-client",
                                       daemon=True)
        self.thread.start()

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        if threading.current_thread() is self.thread:
            work.close()
            raise RuntimeError("the sync client cannot be called from its own event loop; "
                               "use the async client there")
        if self.loop.is_closed():
            work.close()
            raise RuntimeError("the client is closed")
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    def stop(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


_FACADES: dict[type, type[SyncFacade]] = {}


def _wrap(value: Any, runner: LoopThread) -> Any:
    facade = _FACADES.get(type(value))
    if facade is not None:
        return facade(value, runner)
    if isinstance(value, list) and value and type(value[0]) in _FACADES:
        return [_wrap(v, runner) for v in value]
    return value


def _unwrap(value: Any) -> Any:
    if isinstance(value, SyncFacade):
        return value._target
    if isinstance(value, list | tuple) and any(isinstance(v, SyncFacade) for v in value):
        return type(value)(_unwrap(v) for v in value)
    return value


class SyncFacade:
    """A blocking view of an async SDK object."""

    __slots__ = ("_runner", "_target")

    def __init__(self, target: Any, runner: LoopThread) -> None:
        self._target = target
        self._runner = runner

    def __repr__(self) -> str:
        return repr(self._target).removeprefix("Async")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SyncFacade) and other._target is self._target

    def __hash__(self) -> int:
        return id(self._target)

    if TYPE_CHECKING:
        def __getattr__(self, name: str) -> Any: ...
    else:
        def __getattr__(self, name: str) -> Any:
            """Plain attributes and properties of the async object (wrapped if facaded)."""
            return _wrap(getattr(self._target, name), self._runner)


def _method(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(fn):
        def method(self: SyncFacade, *args: Any, **kwargs: Any) -> Any:
            work = getattr(self._target, name)(*map(_unwrap, args),
                                               **{k: _unwrap(v) for k, v in kwargs.items()})
            return _wrap(self._runner.run(work), self._runner)
    else:
        def method(self: SyncFacade, *args: Any, **kwargs: Any) -> Any:
            result = getattr(self._target, name)(*map(_unwrap, args),
                                                 **{k: _unwrap(v) for k, v in kwargs.items()})
            return _wrap(result, self._runner)
    functools.update_wrapper(method, fn)
    del method.__wrapped__  # type: ignore[attr-defined]  # help() shows a plain method
    return method


def _enter(self: SyncFacade) -> SyncFacade:
    self._runner.run(self._target.__aenter__())
    return self


def _exit(self: SyncFacade, exc_type: type[BaseException] | None, exc: BaseException | None,
          tb: TracebackType | None) -> None:
    self._runner.run(self._target.__aexit__(exc_type, exc, tb))


def facade(async_cls: type) -> Callable[[F], F]:
    """Give the decorated class a blocking twin of each public method of `async_cls`."""
    def decorate(cls: F) -> F:
        for name, fn in inspect.getmembers(async_cls, inspect.isfunction):
            if not name.startswith("_") and name not in cls.__dict__:
                setattr(cls, name, _method(name, fn))
        if hasattr(async_cls, "__aenter__") and "__enter__" not in cls.__dict__:
            cls.__enter__ = _enter  # type: ignore[attr-defined]
            cls.__exit__ = _exit  # type: ignore[attr-defined]
        _FACADES[async_cls] = cls
        return cls
    return decorate


@facade(AsyncRun)
class Run(SyncFacade):
    """A tracked run (see `AsyncRun`); `with experiment.run("name") as run:`."""

    __slots__ = ()


@facade(AsyncExperiment)
class Experiment(SyncFacade):
    """An experiment of a project (see `AsyncExperiment`)."""

    __slots__ = ()


@facade(AsyncProject)
class Project(SyncFacade):
    """A tracking project (see `AsyncProject`)."""

    __slots__ = ()


@facade(AsyncBranch)
class Branch(SyncFacade):
    """A branch of a repository (see `AsyncBranch`)."""

    __slots__ = ()


@facade(AsyncRepository)
class Repository(SyncFacade):
    """A repository of versioned ingredients (see `AsyncRepository`)."""

    __slots__ = ()


@facade(AsyncLineageClient)
class LineageClient(SyncFacade):
    """The blocking client: every method of `AsyncLineageClient`, waited for."""

    __slots__ = ()

    def close(self) -> None:
        """Close the connections and stop the client's event loop."""
        try:
            self._runner.run(self._target.close())
        finally:
            self._runner.stop()

    def __enter__(self) -> LineageClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @classmethod
    def wrapping(cls, client: AsyncLineageClient) -> LineageClient:
        """A blocking client over `client`, with an event loop thread of its own."""
        runner = LoopThread()
        client._exit_runner = runner.run
        return cls(client, runner)
