"""Query parameters of the plain HTTP routes, checked: an unknown or malformed parameter is
refused with `InvalidInput` naming it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import Enum
from typing import TypeVar

from starlette.datastructures import QueryParams

from graph_api.errors import InvalidInput

E = TypeVar("E", bound=Enum)


class Params:
    """A request's query parameters, of which only `allowed` names may appear."""

    def __init__(self, params: QueryParams, allowed: Collection[str]) -> None:
        unknown = sorted(set(params) - set(allowed))
        if unknown:
            raise InvalidInput(f"{unknown[0]}: unknown parameter (expected one of "
                               f"{', '.join(sorted(allowed))})", field=unknown[0])
        self.params = params

    def strings(self, name: str) -> list[str]:
        """Every non-empty value of a repeatable parameter; comma-separated values count
        one by one."""
        return [part for value in self.params.getlist(name) for part in value.split(",")
                if part]

    def string(self, name: str) -> str | None:
        value = self.params.get(name)
        return value if value else None

    def integer(self, name: str) -> int | None:
        raw = self.params.get(name)
        if raw is None or raw == "":
            return None
        try:
            return int(raw)
        except ValueError:
            raise InvalidInput(f"{name}: {raw!r} is not an integer", field=name) from None

    def boolean(self, name: str, default: bool) -> bool:
        raw = self.params.get(name)
        if raw is None or raw == "":
            return default
        if raw.lower() not in ("true", "false"):
            raise InvalidInput(f"{name}: {raw!r} is not true or false", field=name)
        return raw.lower() == "true"

    def choice(self, name: str, choices: Mapping[str, E], default: E) -> E:
        """One of `choices` (by name, ignoring case)."""
        raw = self.params.get(name)
        if raw is None or raw == "":
            return default
        found = choices.get(raw.upper())
        if found is None:
            raise InvalidInput(f"{name}: {raw!r} is not one of {', '.join(choices)}", field=name)
        return found

    def choices(self, name: str, choices: Mapping[str, E]) -> list[E] | None:
        """The values of a repeatable parameter, each one of `choices` (ignoring case);
        None when absent."""
        raw = self.strings(name)
        if not raw:
            return None
        out = []
        for value in raw:
            found = choices.get(value.upper())
            if found is None:
                raise InvalidInput(f"{name}: {value!r} is not one of {', '.join(choices)}",
                                   field=name)
            out.append(found)
        return out
