"""Node ids are UUIDv7 strings that sort by creation."""

from __future__ import annotations

import itertools
import threading
import time
import uuid

from graph_api.ids import new_id

COUNT = 10_000


def test_id_is_a_canonical_uuid_version_7() -> None:
    value = new_id()
    parsed = uuid.UUID(value)

    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
    assert str(parsed) == value
    assert len(value) == 36
    assert value == value.lower()


def test_ten_thousand_ids_are_unique_and_strictly_increasing_as_strings() -> None:
    ids = [new_id() for _ in range(COUNT)]

    assert len(set(ids)) == COUNT
    assert all(a < b for a, b in itertools.pairwise(ids))
    assert all(uuid.UUID(i).version == 7 for i in ids)


def test_id_carries_its_creation_time_in_milliseconds() -> None:
    before = time.time_ns() // 1_000_000
    value = new_id()
    after = time.time_ns() // 1_000_000

    millis = uuid.UUID(value).int >> 80

    # A burst of ids may run a few milliseconds ahead of the clock, never behind it.
    assert before <= millis <= after + 5


def test_ids_from_concurrent_threads_are_unique() -> None:
    results: list[list[str]] = [[] for _ in range(4)]

    def work(out: list[str]) -> None:
        out.extend(new_id() for _ in range(2_500))

    threads = [threading.Thread(target=work, args=(out,)) for out in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    every = [i for out in results for i in out]
    assert len(set(every)) == len(every) == COUNT
    for out in results:
        assert out == sorted(out)
