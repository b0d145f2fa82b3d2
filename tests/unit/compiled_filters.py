"""What the filter tests share: hostile inputs, and checks that compiled filters are
parameterised."""

from __future__ import annotations

import re

from graph_api.model.filters import Op
from graph_api.store.filters import (
    Compiled,
)

HOSTILE = "x' OR 1=1 //"
HOSTILE_PROPERTY = "properties.a) DETACH DELETE n //"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def referenced_params(compiled: Compiled) -> set[str]:
    return set(_PARAM.findall(compiled.expression))


def assert_parameterised(compiled: Compiled, prefix: str = "f") -> None:
    """Every `$name` in the text is a parameter, every parameter is used, names are `$<prefix><n>`."""
    assert referenced_params(compiled) == set(compiled.params)
    for name in compiled.params:
        assert re.fullmatch(rf"{prefix}\d+", name), name


# --- one condition per operator ------------------------------------------------------------

COMPARISONS = [
    (Op.EQ, "="),
    (Op.NE, "<>"),
    (Op.LT, "<"),
    (Op.LE, "<="),
    (Op.GT, ">"),
    (Op.GE, ">="),
]
