"""Lines that tests add to the end of the run's report (`pytest_terminal_summary` in
`tests/conftest.py`), for figures a reader wants to see, such as how many of MLMD's own
tests passed."""

from __future__ import annotations

import pytest

LINES = pytest.StashKey[list[str]]()


def report(config: pytest.Config, line: str) -> None:
    """Show `line` in the summary at the end of the run."""
    config.stash.setdefault(LINES, []).append(line)
