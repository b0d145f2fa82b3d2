"""Pause Python's cyclic garbage collector around synchronous bursts of allocations."""

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
