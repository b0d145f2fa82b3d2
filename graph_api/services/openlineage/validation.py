"""An OpenLineage event as it arrives: a body of bounded size (gzip or not), JSON, valid
against the OpenLineage JSON schema (spec 2-0-2, which the older 1-0-x events the Spark
integration sends also satisfy), and run ids that are 128-bit hex.

The schema is the specification's own file, shipped with the package
(`spec/OpenLineage.json`, see `spec/NOTICE`); nothing is read from outside the package.
"""

from __future__ import annotations

import json
import re
import zlib
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from graph_api.errors import InvalidInput, LimitExceeded
from graph_api.model.openlineage import EventKind

#: Longest message text quoted from the schema validator (it may quote the value).
_MESSAGE_CHARS = 200
_HEX128 = re.compile(r"^[0-9a-fA-F]{32}$")
_REQUIRED = re.compile(r"^'([^']+)' is a required property")
_GZIP_MAGIC = b"\x1f\x8b"


class InvalidEvent(InvalidInput):
    """Well-formed JSON that is not a valid OpenLineage event (HTTP 422)."""


class TooLarge(LimitExceeded):
    """A body, or what it decompresses to, is larger than the cap (HTTP 413)."""


@cache
def _spec() -> dict[str, Any]:
    text = (resources.files(__package__) / "spec" / "OpenLineage.json").read_text("utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


@cache
def _validator(kind: EventKind) -> Draft202012Validator:
    spec = _spec()
    return Draft202012Validator({"$schema": spec["$schema"], "$defs": spec["$defs"],
                                 "$ref": f"#/$defs/{kind.value}"})


def decode_body(body: bytes, max_bytes: int, *, gzipped: bool = False) -> Any:
    """The JSON value of a request body, gunzipped when it says so (or starts like gzip).

    Raises:
        TooLarge: the body, or what it decompresses to, exceeds `max_bytes`.
        InvalidInput: not gzip when it says so, or not JSON.
    """
    if len(body) > max_bytes:
        raise TooLarge(f"body: larger than {max_bytes} bytes (maxEventBytes)", field="body")
    if gzipped or body.startswith(_GZIP_MAGIC):
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(body, max_bytes + 1)
        except zlib.error:
            raise InvalidInput("body: not valid gzip", field="body") from None
        if len(body) > max_bytes or inflater.unconsumed_tail:
            raise TooLarge(f"body: decompresses to more than {max_bytes} bytes "
                           "(maxEventBytes)", field="body")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(f"body: not JSON ({error})", field="body") from None


def kind_of(event: Any) -> EventKind:
    """Which kind of event a document claims to be: a run event has a `run` (or neither
    `dataset` nor `job`: the schema then names what it lacks), a dataset event a
    `dataset`, a job event a `job` only."""
    if not isinstance(event, dict):
        raise InvalidEvent("event: expected a JSON object", field="event")
    if "run" in event or ("dataset" not in event and "job" not in event):
        return EventKind.RUN
    return EventKind.DATASET if "dataset" in event else EventKind.JOB


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _error(error: ValidationError) -> InvalidEvent:
    where = _path(error.absolute_path)
    message = error.message
    if error.validator == "required":
        missing = _REQUIRED.match(message)
        if missing:
            where = f"{where}.{missing.group(1)}" if where else missing.group(1)
            return InvalidEvent(f"{where}: required", field=where)
    if len(message) > _MESSAGE_CHARS:
        message = message[:_MESSAGE_CHARS] + "…"
    where = where or "event"
    return InvalidEvent(f"{where}: {message}", field=where)


def run_id(value: str, where: str) -> str:
    """A run id as stored: 32 lower-case hex digits in UUID form (any 128-bit hex is a run
    id, RFC 4122 or not).

    Raises:
        InvalidEvent: not 128 bits of hex.
    """
    digits = value.replace("-", "")
    if not _HEX128.match(digits):
        raise InvalidEvent(f"{where}: {value[:64]!r} is not a 128-bit hex run id", field=where)
    digits = digits.lower()
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def event_time_us(value: str, where: str = "eventTime") -> int:
    """Microseconds since the epoch of an ISO 8601 time (without an offset: UTC).

    Raises:
        InvalidEvent: not an ISO 8601 date-time.
    """
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidEvent(f"{where}: {value[:64]!r} is not an ISO 8601 date-time",
                           field=where) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    delta = parsed - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def validate(event: Any) -> EventKind:
    """Check a document against the OpenLineage schema, and the values the mapping reads
    that the schema leaves loose (run ids, event times).

    Returns:
        The event's kind.
    Raises:
        InvalidEvent: naming the first offending field (`run.runId`, `inputs[0].name`).
    """
    kind = kind_of(event)
    found = best_match(_validator(kind).iter_errors(event))
    if found is not None:
        raise _error(found)
    if "eventTime" in event:
        event_time_us(event["eventTime"])
    if kind is EventKind.RUN:
        run_id(event["run"]["runId"], "run.runId")
        parent = (event["run"].get("facets") or {}).get("parent")
        if isinstance(parent, dict):
            _check_parent(parent, "run.facets.parent")
    return kind


def _check_parent(parent: dict[str, Any], where: str) -> None:
    """The parent run facet's run ids and jobs, which the mapping reads (the core schema
    leaves facets open)."""
    for part, value in (("run", parent.get("run")), ("root", parent.get("root"))):
        if value is None:
            continue
        run = value.get("run") if part == "root" and isinstance(value, dict) else value
        at = f"{where}.{part}.run.runId" if part == "root" else f"{where}.run.runId"
        if not isinstance(run, dict) or not isinstance(run.get("runId"), str):
            raise InvalidEvent(f"{at}: required", field=at)
        run_id(run["runId"], at)
    job = parent.get("job")
    if job is not None and not (isinstance(job, dict) and isinstance(job.get("namespace"), str)
                                and isinstance(job.get("name"), str)):
        raise InvalidEvent(f"{where}.job: needs a namespace and a name", field=f"{where}.job")
    root = parent.get("root")
    if isinstance(root, dict):
        rjob = root.get("job")
        if not (isinstance(rjob, dict) and isinstance(rjob.get("namespace"), str)
                and isinstance(rjob.get("name"), str)):
            raise InvalidEvent(f"{where}.root.job: needs a namespace and a name",
                               field=f"{where}.root.job")
