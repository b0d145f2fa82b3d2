"""The MLMD commands without the `mlmd` extra: a message naming the extra, no traceback."""

from __future__ import annotations

import importlib.util

import pytest

from graph_api import cli


@pytest.mark.parametrize("argv", [["serve", "--mlmd-port", "8080"],
                                  ["import", "mlmd", "--sqlite", "/nonexistent.sqlite"]])
def test_an_mlmd_command_without_the_extra_says_how_to_get_it(
        argv: list[str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "needs the 'mlmd' extra" in err and "pip install 'lineage-explorer[mlmd]'" in err
