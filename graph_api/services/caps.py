"""The caps on what one request may ask of the database, checked in one place.

Each check returns the value to use (a default when none was asked for) or raises an error
that names the argument, the cap and its value: `LimitExceeded` above the cap,
`InvalidInput` below what makes sense.
"""

from __future__ import annotations

from collections.abc import Sized

from graph_api.config import Limits
from graph_api.errors import InvalidInput, LimitExceeded

#: Most rows one batch write may carry.
MAX_BATCH = 10_000


def bounded_hops(limits: Limits, hops: int | None, *, default: int | None = None) -> int:
    """How many hops a walk may take: `hops`, or `default` (the cap if None) when unset.

    Raises:
        LimitExceeded: above `LINEAGE_MAX_HOPS`.
        InvalidInput: negative.
    """
    value = (limits.max_hops if default is None else default) if hops is None else hops
    if value > limits.max_hops:
        raise LimitExceeded(f"maxHops: {value} exceeds the cap maxHops ({limits.max_hops})",
                            field="maxHops")
    if value < 0:
        raise InvalidInput("maxHops: must not be negative", field="maxHops")
    return value


def bounded_nodes(limits: Limits, nodes: int | None) -> int:
    """How many nodes an answer may hold: `nodes`, default and cap `LINEAGE_MAX_NODES`.

    Raises:
        LimitExceeded: above the cap.
        InvalidInput: below 1.
    """
    value = limits.max_nodes if nodes is None else nodes
    if value > limits.max_nodes:
        raise LimitExceeded(f"maxNodes: {value} exceeds the cap maxNodes ({limits.max_nodes})",
                            field="maxNodes")
    if value < 1:
        raise InvalidInput("maxNodes: must be at least 1", field="maxNodes")
    return value


def start_set_within(count: int, max_nodes: int, what: str = "the start set") -> None:
    """Refuse a start set (or a context) larger than the node cap of its answer.

    Raises:
        LimitExceeded: `count` is above `max_nodes`.
    """
    if count > max_nodes:
        raise LimitExceeded(f"maxNodes: {what} has {count} nodes, more than maxNodes "
                            f"({max_nodes})", field="maxNodes")


def bounded_page(limits: Limits, size: int, field: str = "limit") -> int:
    """A page size: at most `LINEAGE_MAX_PAGE_SIZE`.

    Raises:
        LimitExceeded: above the cap.
        InvalidInput: below 1.
    """
    if size > limits.max_page_size:
        raise LimitExceeded(f"{field}: {size} exceeds maxPageSize ({limits.max_page_size})",
                            field=field)
    if size < 1:
        raise InvalidInput(f"{field}: must be at least 1", field=field)
    return size


def bounded_batch(rows: Sized, where: str) -> None:
    """Refuse a batch write of more than `MAX_BATCH` rows.

    Raises:
        LimitExceeded: naming `where`.
    """
    if len(rows) > MAX_BATCH:
        raise LimitExceeded(f"{where}: at most {MAX_BATCH} rows per batch (maxBatch)",
                            field=where)
