"""The field cache: answers in the order asked, drops the least recently used first, and
never keeps a read that began before a node was forgotten."""

from __future__ import annotations

from graph_api.model.table import Details
from graph_api.services.topology.fields import FieldCache


def details(*ids: str, version: int = 1) -> Details:
    n = len(ids)
    return Details(list(ids), [f"{i}-name" for i in ids], [None] * n, ["LIVE"] * n,
                   [None] * n, [None] * n, [{"v": version} for _ in ids], [{}] * n, [1] * n,
                   [version] * n)


def test_held_fields_come_back_in_the_order_asked_with_the_missing_positions() -> None:
    cache = FieldCache(10)
    cache.put(details("a", "b", "c"), cache.generation)

    held, missing = cache.get(["c", "x", "a"])

    assert held.id == ["c", "a"] and held.name == ["c-name", "a-name"]
    assert missing == [1]


def test_past_its_capacity_the_least_recently_used_go_first() -> None:
    cache = FieldCache(3)
    cache.put(details("a", "b", "c"), cache.generation)
    cache.get(["a"])  # a is now the most recently used

    cache.put(details("d"), cache.generation)

    assert cache.get(["a", "b", "c", "d"])[1] == [1]  # b went
    assert len(cache) == 3


def test_a_read_older_than_a_forget_is_not_kept() -> None:
    cache = FieldCache(10)
    cache.put(details("a"), cache.generation)
    since = cache.generation  # a read begins...
    cache.forget(["a"])  # ...a write to a is applied meanwhile...
    cache.put(details("a", version=0), since)  # ...and the read brings the old value back

    assert cache.get(["a"])[1] == [0]  # not held: the next answer reads it anew
    cache.put(details("a", version=2), cache.generation)
    assert cache.get(["a"])[0].properties == [{"v": 2}]


def test_a_cache_of_capacity_zero_holds_nothing() -> None:
    cache = FieldCache(0)
    cache.put(details("a"), cache.generation)
    assert len(cache) == 0
