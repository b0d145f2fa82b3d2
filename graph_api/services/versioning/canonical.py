"""Canonical JSON (RFC 8785, JCS) and the content addresses built on it.

One deliberate departure from RFC 8785: JSON numbers carry no type, so JCS writes the
float `1.0` as `1`, like the integer. Ingredients keep their type (a learning rate of
`1` and one of `1.0` are different configs), so a float whose shortest form has neither
a fraction nor an exponent is written with `.0` (`1.0`). Every other value, integers
included, is written exactly as RFC 8785 says; its published examples hold.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

BLOB_PREFIX = b"blob/v1\0"
TREE_PREFIX = b"tree/v1\0"
COMMIT_PREFIX = b"commit/v1\0"


def _float(value: float) -> str:
    """ECMAScript's Number::toString of `value` (RFC 8785 §3.2.2.3), `.0` on integral ones."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError("NaN and Infinity are not JSON numbers")
    if value == 0:
        return "0.0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    raw = whole + fraction
    leading = len(raw) - len(raw.lstrip("0"))
    digits = raw.strip("0")
    # value = 0.<digits> x 10^n
    n = len(whole) + (int(exponent) if exponent else 0) - leading
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        text = (digits[0] + ("." + digits[1:] if k > 1 else "")
                + "e" + ("+" if e > 0 else "-") + str(abs(e)))
    if "." not in text and "e" not in text:
        text += ".0"
    return sign + text


def _key(name: str) -> bytes:
    # RFC 8785 sorts member names by their UTF-16 code units.
    return name.encode("utf-16-be")


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Mapping):
        if not all(isinstance(name, str) for name in value):
            raise ValueError("object member names must be strings")
        out.append("{")
        for i, name in enumerate(sorted(value, key=_key)):
            if i:
                out.append(",")
            out.append(json.dumps(name, ensure_ascii=False))
            out.append(":")
            _write(value[name], out)
        out.append("}")
    elif isinstance(value, Sequence):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise ValueError(f"{type(value).__name__} is not a JSON value")


def canonical(value: Any) -> str:
    """`value` as canonical JSON text.

    Raises:
        ValueError: `value` holds something JSON cannot (NaN, a set, a non-string key).
    """
    out: list[str] = []
    _write(value, out)
    return "".join(out)


def _sha(prefix: bytes, *parts: str) -> str:
    digest = hashlib.sha256(prefix)
    for i, part in enumerate(parts):
        if i:
            digest.update(b"\0")
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()


def blob_sha(kind: str, content: Any) -> str:
    """`sha256("blob/v1\\0" + kind + "\\0" + JCS(content))`."""
    return _sha(BLOB_PREFIX, kind, canonical(content))


def tree_sha(entries: Mapping[str, str]) -> str:
    """`sha256("tree/v1\\0" + JCS([[path, blobSha], …] sorted by path))`."""
    return _sha(TREE_PREFIX, canonical([[p, entries[p]] for p in sorted(entries)]))


def commit_sha(*, tree: str, parents: Sequence[str], author: str, message: str,
               created_at: int, metadata: Mapping[str, Any]) -> str:
    """`sha256("commit/v1\\0" + JCS({tree, parents (in order), author, message, createdAt,
    metadata}))`."""
    return _sha(COMMIT_PREFIX, canonical({
        "tree": tree, "parents": list(parents), "author": author, "message": message,
        "createdAt": created_at, "metadata": dict(metadata)}))
