"""The cyclic garbage collector: paused around synchronous bursts of allocations, and tuned
for a long-running server."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a synchronous burst of allocations.

    Turning a large lineage answer into tuples, or completing it into GraphQL's dicts,
    allocates hundreds of thousands of objects, and the collector's repeated passes over
    them cost as much as the work itself. Use it only around code without `await`, so no
    other task runs while the collector is paused.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: The youngest generation is collected every this many net allocations (Python's default
#: is 700). Answering a large lineage question allocates hundreds of thousands of objects,
#: nearly all freed by reference counting as soon as the answer is sent; scanning them
#: every 700 allocations costs ~10 % of a 2,000-node answer and finds nothing.
YOUNG_THRESHOLD = 20_000


_running = 0  # servers running in this process
_python_thresholds = gc.get_threshold()  # what the first of them found


@contextmanager
def server_collector() -> Iterator[None]:
    """The collector's settings for a long-running server, restored afterwards.

    Everything alive at start-up (modules, the GraphQL schema, the driver) is moved out of
    the collector's sight (`gc.freeze`), so full collections scan only what requests
    allocate; and young collections run less often (`YOUNG_THRESHOLD`). Together they
    halve the collector's share of a large answer's time. Apps that run side by side in
    one process (tests) share the settings: the last one to stop restores Python's.
    """
    global _running, _python_thresholds
    if not _running:
        gc.collect()
        gc.freeze()
        _python_thresholds = gc.get_threshold()
        gc.set_threshold(YOUNG_THRESHOLD, 20, 20)
    _running += 1
    try:
        yield
    finally:
        _running -= 1
        if not _running:
            gc.set_threshold(*_python_thresholds)
            gc.unfreeze()
