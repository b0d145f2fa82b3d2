"""Opaque keyset cursors: the sort field, the row's sort value and its id."""

from __future__ import annotations

import base64
import json
from typing import Any

from graph_api.errors import InvalidInput


def encode(field: str, value: Any, node_id: str) -> str:
    raw = json.dumps([field, value, node_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, field: str) -> tuple[Any, str]:
    """Return (sort value, id). Raises `InvalidInput` for a foreign or damaged cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_field, value, node_id = json.loads(raw)
    except (ValueError, TypeError):
        raise InvalidInput("after: not a cursor of this listing", field="after") from None
    if not isinstance(node_id, str):
        raise InvalidInput("after: not a cursor of this listing", field="after")
    if cursor_field != field:
        raise InvalidInput(
            f"after: the cursor belongs to a listing ordered by {cursor_field!r}", field="after"
        )
    if isinstance(value, dict | list):
        raise InvalidInput("after: not a cursor of this listing", field="after")
    return value, node_id
