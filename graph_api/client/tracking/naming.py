"""Property names of the tracking convention, and stable externalIds of tracked artifacts.

The API accepts property names matching `^[A-Za-z_][A-Za-z0-9_]*$`, at most 128
characters. Hyperparameter and metric names are free text (`learning-rate`,
`val/auc`), so each is sanitised once, the same way everywhere: every other character
becomes `_`, and `_` goes in front of a name starting with a digit. Distinct names can
meet (`a-b` and `a_b`); the last value logged under the stored name wins.
"""

from __future__ import annotations

import hashlib
import re

MAX_PROPERTY_NAME = 128
_INVALID = re.compile(r"[^A-Za-z0-9_]")
_VALID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def sanitise(name: str) -> str:
    """`name` as letters, digits and `_`, not starting with a digit.

    Raises:
        ValueError: `name` is empty.
    """
    if not name:
        raise ValueError("a name must not be empty")
    clean = _INVALID.sub("_", name)
    return f"_{clean}" if clean[0].isdigit() else clean


def property_name(prefix: str, name: str) -> str:
    """The property `prefix + sanitise(name)`, cut to the API's 128 characters."""
    full = (prefix + sanitise(name))[:MAX_PROPERTY_NAME]
    if not _VALID.match(full):
        raise ValueError(f"{full!r} is not a property name")
    return full


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:40]


def dataset_external_id(uri: str, version: str | None) -> str:
    """One dataset per (uri, version), whichever run logs it."""
    return f"dataset-{_digest(uri, version or '')}"


def run_artifact_external_id(kind: str, run_external_id: str, name: str, uri: str) -> str:
    """One artifact per (run, name, uri): logging it again updates it."""
    return f"{kind}-{_digest(run_external_id, name, uri)}"
