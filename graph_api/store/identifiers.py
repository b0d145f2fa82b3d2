"""The one gate for text that Cypher cannot take as a parameter.

Labels, property keys and hop bounds are inserted into statements only through these
helpers, which accept validated names and bounded integers — never raw user text.
"""

from __future__ import annotations

import re

from graph_api.errors import InvalidInput

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_NAME_LENGTH = 128


def is_valid_name(name: str) -> bool:
    return len(name) <= MAX_NAME_LENGTH and _NAME.fullmatch(name) is not None


def name(value: str, *, field: str) -> str:
    """Return `value` if it is a safe identifier, else raise `InvalidInput` naming `field`."""
    if not is_valid_name(value):
        raise InvalidInput(
            f"{field}: {value!r} is not a valid name "
            "(letters, digits and '_', not starting with a digit, at most 128 characters)",
            field=field,
        )
    return value


def bounded_int(value: int, *, low: int, high: int, field: str) -> int:
    """Return `value` if it is an int in `[low, high]`, else raise `InvalidInput`."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{field}: must be an integer from {low} to {high}", field=field)
    return value
