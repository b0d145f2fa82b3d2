"""The MLMD commands without the `mlmd` extra: a message naming the extra, no traceback;
and how `--mysql` URIs are read."""

from __future__ import annotations

import importlib.util

import pytest

from graph_api import cli, mlmd_cli


@pytest.mark.parametrize("argv", [["serve", "--mlmd-port", "8080"],
                                  ["import", "mlmd", "--sqlite", "/nonexistent.sqlite"]])
def test_an_mlmd_command_without_the_extra_says_how_to_get_it(
        argv: list[str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "needs the 'mlmd' extra" in err and "pip install 'lineage-explorer[mlmd]'" in err


def test_a_mysql_uri_decodes_a_percent_encoded_password_and_defaults_the_port() -> None:
    source = mlmd_cli.parse_mysql_uri(
        "mysql://ml%20user:p%40ss%3Aw%2Frd%25%3F%23+x@db.example:3307/ml%5Fmd")
    assert (source.host, source.port, source.database) == ("db.example", 3307, "ml_md")
    assert (source.user, source.password) == ("ml user", "p@ss:w/rd%?#+x")
    assert "p@ss" not in repr(source)
    assert mlmd_cli.parse_mysql_uri("mysql://u:p@db.example/mlmd").port == 3306
    assert mlmd_cli.parse_mysql_uri("mysql://u@db.example/mlmd").password == ""


def test_a_mysql_uri_reaches_localhost_over_tcp_unless_it_names_a_socket() -> None:
    tcp = mlmd_cli.parse_mysql_uri("mysql://u:p@localhost/mlmd")
    assert (tcp.host, tcp.port, tcp.socket, tcp.where) == ("127.0.0.1", 3306, None,
                                                           "127.0.0.1:3306")
    unix = mlmd_cli.parse_mysql_uri("mysql://u:p@localhost/mlmd?socket=/run/mysqld/mysqld.sock")
    assert (unix.socket, unix.where) == ("/run/mysqld/mysqld.sock", "/run/mysqld/mysqld.sock")


@pytest.mark.parametrize(("uri", "said"), [
    ("postgres://u:secret@h/db", "expected mysql://user:password@host[:port]/database"),
    ("mysql://u:secret@h:3306/", "expected mysql://user:password@host[:port]/database"),
    ("mysql://u:secret@h:33x6/db", "the port is not a port number"),
    ("mysql://u:secret@h:99999/db", "the port is not a port number"),
    ("mysql://u:secret@h/db?ssl=1", "the only option after ? is socket=PATH"),
    ("mysql://u:secret@h/db?socket=/s.sock", "a socket= is reached through the host localhost"),
])
def test_a_malformed_mysql_uri_is_refused_without_repeating_it(uri: str, said: str) -> None:
    with pytest.raises(mlmd_cli.ImportError_) as refused:
        mlmd_cli.parse_mysql_uri(uri)
    assert said in str(refused.value) and "secret" not in str(refused.value)
