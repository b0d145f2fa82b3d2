"""Property values that JSON has no kind for."""

from __future__ import annotations

import base64
import binascii
from typing import Any


class ProtoValue(dict[str, str]):
    """A packed protobuf message, MLMD's `proto_value` (a `google.protobuf.Any`): the
    message's type URL and its serialized bytes.

    It is the map `{"typeUrl": ..., "value": <the bytes in base64>}` — the `Any` message's
    two fields as proto3's JSON mapping writes them — so that every JSON encoder (GraphQL's,
    the compact table's, the SDK's) writes it as the API shows it. The store keeps it
    apart from a map (a STRUCT) by its key prefix, so it comes back as a `ProtoValue`.
    """

    __slots__ = ()

    def __init__(self, type_url: str, data: bytes) -> None:
        super().__init__(typeUrl=type_url, value=base64.b64encode(data).decode("ascii"))

    @property
    def type_url(self) -> str:
        return self["typeUrl"]

    @property
    def data(self) -> bytes:
        return base64.b64decode(self["value"])

    @classmethod
    def from_json(cls, value: Any) -> ProtoValue:
        """The value of its JSON form, `{"typeUrl": str, "value": base64 str}`.

        Raises:
            ValueError: `value` is not that map, or its `value` is not base64.
        """
        if isinstance(value, ProtoValue):
            return value
        if not isinstance(value, dict) or set(value) != {"typeUrl", "value"} or not all(
                isinstance(v, str) for v in value.values()):
            raise ValueError('a proto value is {"typeUrl": string, "value": base64 string}')
        try:
            data = base64.b64decode(value["value"], validate=True)
        except binascii.Error:
            raise ValueError("a proto value's value must be base64") from None
        return cls(value["typeUrl"], data)
