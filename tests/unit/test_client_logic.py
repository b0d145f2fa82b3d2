"""Pure logic of the SDK: names, content hashes, the backoff schedule, wire conversion."""

from __future__ import annotations

import itertools
import random
import re

import numpy as np
import orjson
import pytest

from graph_api.client import ArtifactInput, ContextInput, Filter, Op, RetryPolicy
from graph_api.client.errors import (
    BadUserInput,
    Conflict,
    NotFound,
    ServerError,
    Unavailable,
    from_graphql,
)
from graph_api.client.integrations.content_hash import content_hash
from graph_api.client.store_api import with_external_id
from graph_api.client.tracking import naming
from graph_api.client.tracking.run import _json_value
from graph_api.client.wire import filter_input, millis

VALID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@pytest.mark.parametrize(("name", "expected"), [
    ("learning_rate", "learning_rate"), ("learning-rate", "learning_rate"),
    ("val/auc@5", "val_auc_5"), ("3d", "_3d"), ("é", "_"), ("clf__C", "clf__C")])
def test_sanitise(name: str, expected: str) -> None:
    assert naming.sanitise(name) == expected


def test_property_names_are_valid_and_bounded() -> None:
    assert naming.property_name("param_", "lr") == "param_lr"
    long = naming.property_name("metric_", "x" * 500)
    assert len(long) == 128 and VALID.match(long)
    for name in ("9", "a b", "--", "ü", "_"):
        assert VALID.match(naming.property_name("param_", name))
    with pytest.raises(ValueError):
        naming.sanitise("")


def test_dataset_ids_follow_uri_and_version() -> None:
    a = naming.dataset_external_id("s3://x", "1")
    assert a == naming.dataset_external_id("s3://x", "1")
    assert a != naming.dataset_external_id("s3://x", "2")
    assert a != naming.dataset_external_id("s3://y", "1")
    assert naming.dataset_external_id("s3://x", None) == naming.dataset_external_id("s3://x", "")


def test_content_hash_follows_content_not_memory() -> None:
    x = np.arange(12, dtype=np.float64).reshape(3, 4)
    y = np.array([0, 1, 1])
    assert content_hash(x, y) == content_hash(x.copy(), list(y))
    assert content_hash(x, y) == content_hash(np.asfortranarray(x), y)  # layout
    assert content_hash(x, y) != content_hash(x, y[::-1])
    assert content_hash(x) != content_hash(x.astype(np.float32))  # dtype
    assert content_hash(x) != content_hash(x.reshape(4, 3))  # shape
    assert content_hash(x, None) != content_hash(x)
    assert len(content_hash([["a", 1]])) == 64


def test_backoff_grows_to_its_cap_with_jitter() -> None:
    policy = RetryPolicy(attempts=8, initial=0.1, multiplier=2, max_delay=1.0, deadline=100,
                         rng=random.Random(1))
    ceilings = [policy.ceiling(i) for i in range(7)]
    assert ceilings == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0]
    delays = list(policy.delays())
    assert len(delays) == 7
    assert all(c / 2 <= d <= c for c, d in zip(ceilings, delays, strict=True))
    assert len(set(delays)) == 7  # jittered
    assert list(RetryPolicy(attempts=1).delays()) == []


def test_backoff_stops_at_the_deadline() -> None:
    delays = list(RetryPolicy(attempts=100, initial=1, max_delay=1, deadline=3.2).delays())
    assert sum(delays) <= 3.2 and len(delays) >= 3
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)


def test_errors_map_by_code() -> None:
    error = from_graphql([{"message": "no artifact 'x'", "extensions": {
        "code": "NOT_FOUND", "field": "id"}}])
    assert isinstance(error, NotFound) and error.field == "id" and error.code == "NOT_FOUND"
    assert isinstance(from_graphql([{"message": "m", "extensions": {"code": "BAD_USER_INPUT"}}]),
                      BadUserInput)
    assert isinstance(from_graphql([{"message": "m", "extensions": {"code": "CONFLICT"}}]),
                      Conflict)
    assert isinstance(from_graphql([{"message": "m", "extensions": {"code": "UNAVAILABLE"}}]),
                      Unavailable)
    masked = from_graphql([{"message": "Internal", "extensions": {
        "code": "INTERNAL_SERVER_ERROR", "requestId": "r1"}}])
    assert isinstance(masked, ServerError) and masked.request_id == "r1"  # type: ignore[attr-defined]
    unknown = from_graphql([{"message": "m", "extensions": {"code": "TEAPOT"}}])
    assert isinstance(unknown, ServerError) and unknown.code == "TEAPOT"


def test_writes_get_external_ids_unless_keyed() -> None:
    fresh = with_external_id(ArtifactInput(type="D"))
    assert fresh.external_id and fresh.external_id != with_external_id(
        ArtifactInput(type="D")).external_id
    assert with_external_id(ArtifactInput(type="D", id="1")).external_id is None
    assert with_external_id(ArtifactInput(type="D", external_id="x")).external_id == "x"
    assert with_external_id(ContextInput(type="C", name="n")).external_id is None


def test_wire_conversions() -> None:
    where = Filter.all_of(Filter.where("type", Op.EQ, "D"),
                          Filter.negate(Filter.where("uri", Op.IS_NULL)))
    assert filter_input(where) == {"and": [{"field": "type", "op": "EQ", "value": "D"},
                                           {"not": {"field": "uri", "op": "IS_NULL"}}]}
    assert millis("1970-01-01T00:00:01.5+00:00") == 1500
    assert millis("1970-01-01T00:00:02") == 2000


def test_property_values_become_json() -> None:
    assert _json_value(np.float32(0.5)) == 0.5 and _json_value(np.int64(3)) == 3
    assert _json_value((1, [2, {"a": None}])) == [1, [2, {"a": None}]]
    assert _json_value(float("inf")) == "inf"
    assert _json_value(len) == str(len)


def test_metric_history_is_thinned_to_fit_the_struct_cap() -> None:
    from graph_api.client.tracking.run import fit_history

    small = {"loss": [[i, 0.5, 1_700_000_000_000] for i in range(10)]}
    assert fit_history(small) == (small, False)
    big = {"loss": [[i, 1 / (i + 1), 1_700_000_000_000 + i] for i in range(50_000)],
           "auc": [[0, 0.5, 1]]}
    stored, thinned = fit_history(big, budget=200_000)
    assert thinned and len(orjson.dumps(stored)) <= 200_000
    assert stored["auc"] == big["auc"]
    assert stored["loss"][0] == big["loss"][0] and stored["loss"][-1] == big["loss"][-1]
    steps = [p[0] for p in stored["loss"][:-1]]
    assert len({b - a for a, b in itertools.pairwise(steps)}) == 1  # evenly spaced
