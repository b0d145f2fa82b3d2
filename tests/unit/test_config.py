"""Settings come from the environment, with safe defaults and errors that name the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_api.config import ConfigError, Limits, Settings

INT_VARIABLES = [
    "LINEAGE_DEFAULT_HOPS",
    "LINEAGE_MAX_HOPS",
    "LINEAGE_MAX_NODES",
    "LINEAGE_MAX_PAGE_SIZE",
    "LINEAGE_MAX_DEPTH",
    "LINEAGE_MAX_TOKENS",
    "LINEAGE_MAX_EVENT_BYTES",
    "LINEAGE_PORT",
    "LINEAGE_WRITE_CONCURRENCY",
]
SECONDS_VARIABLES = ["LINEAGE_QUERY_TIMEOUT", "LINEAGE_CONNECT_TIMEOUT"]


def test_defaults_listen_on_loopback_port_8000_with_the_embedded_engine() -> None:
    settings = Settings.from_env({})

    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.neo4j_uri is None
    assert settings.neo4j_user == "neo4j"
    assert settings.neo4j_password is None
    assert settings.neo4j_database is None
    assert settings.embedded_heap == "2g"
    assert settings.record_cypher is None
    assert settings.data_dir.name == "lineage-explorer"
    assert settings.connect_timeout == 2.0


def test_default_caps() -> None:
    limits = Settings.from_env({}).limits

    assert limits == Limits(
        default_hops=20, max_hops=100, max_nodes=10_000, max_page_size=1_000, query_timeout=30.0,
        max_depth=15, max_aliases=30, max_tokens=5_000,
    )


def test_empty_variables_mean_the_default() -> None:
    env = dict.fromkeys([*INT_VARIABLES, *SECONDS_VARIABLES, "LINEAGE_MAX_ALIASES", "NEO4J_URI",
                         "LINEAGE_HOST"], "")

    assert Settings.from_env(env) == Settings.from_env({})


def test_every_variable_overrides_its_setting() -> None:
    settings = Settings.from_env({
        "NEO4J_URI": "bolt://db:7687",
        "NEO4J_USER": "lineage",
        "NEO4J_PASSWORD": "pw",
        "NEO4J_DATABASE": "meta",
        "LINEAGE_DATA_DIR": "/srv/lineage",
        "LINEAGE_EMBEDDED_HEAP": "512m",
        "LINEAGE_HOST": "0.0.0.0",  # noqa: S104 - an override, not a bind
        "LINEAGE_PORT": "9000",
        "LINEAGE_DEFAULT_HOPS": "5",
        "LINEAGE_MAX_HOPS": "50",
        "LINEAGE_MAX_NODES": "200",
        "LINEAGE_MAX_PAGE_SIZE": "25",
        "LINEAGE_QUERY_TIMEOUT": "2.5",
        "LINEAGE_MAX_DEPTH": "8",
        "LINEAGE_MAX_ALIASES": "4",
        "LINEAGE_MAX_TOKENS": "900",
        "LINEAGE_CONNECT_TIMEOUT": "0.5",
        "LINEAGE_WRITE_CONCURRENCY": "4",
        "LINEAGE_RECORD_CYPHER": "/tmp/cypher.jsonl",  # noqa: S108 - a path, never opened
    })

    assert settings == Settings(
        neo4j_uri="bolt://db:7687",
        neo4j_user="lineage",
        neo4j_password="pw",
        neo4j_database="meta",
        data_dir=Path("/srv/lineage"),
        embedded_heap="512m",
        host="0.0.0.0",  # noqa: S104
        port=9000,
        limits=Limits(
            default_hops=5, max_hops=50, max_nodes=200, max_page_size=25, query_timeout=2.5,
            max_depth=8, max_aliases=4, max_tokens=900,
        ),
        connect_timeout=0.5,
        write_concurrency=4,
        record_cypher=Path("/tmp/cypher.jsonl"),  # noqa: S108
    )


def test_default_hops_may_equal_max_hops() -> None:
    limits = Settings.from_env({"LINEAGE_DEFAULT_HOPS": "7", "LINEAGE_MAX_HOPS": "7"}).limits

    assert limits.default_hops == limits.max_hops == 7


@pytest.mark.parametrize("variable", INT_VARIABLES)
@pytest.mark.parametrize("raw", ["abc", "1.5", "10k", "0x10"])
def test_non_integer_is_refused_naming_the_variable(variable: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=variable) as caught:
        Settings.from_env({variable: raw})

    assert repr(raw) in str(caught.value)


@pytest.mark.parametrize("variable", INT_VARIABLES)
@pytest.mark.parametrize("raw", ["0", "-1"])
def test_zero_or_negative_integer_is_refused_naming_the_variable(variable: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env({variable: raw})


@pytest.mark.parametrize("variable", SECONDS_VARIABLES)
@pytest.mark.parametrize("raw", ["soon", "0", "-1", "-0.5", "nan", "inf", "-inf"])
def test_unusable_timeout_is_refused_naming_the_variable(variable: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env({variable: raw})


def test_zero_aliases_may_be_allowed_but_not_fewer() -> None:
    assert Settings.from_env({"LINEAGE_MAX_ALIASES": "0"}).limits.max_aliases == 0
    with pytest.raises(ConfigError, match="LINEAGE_MAX_ALIASES"):
        Settings.from_env({"LINEAGE_MAX_ALIASES": "-1"})
    with pytest.raises(ConfigError, match="LINEAGE_MAX_ALIASES"):
        Settings.from_env({"LINEAGE_MAX_ALIASES": "many"})


def test_the_field_cache_may_be_switched_off_but_not_made_negative() -> None:
    assert Settings.from_env({}).topology.field_cache == 200_000
    assert Settings.from_env({"LINEAGE_TOPOLOGY_FIELD_CACHE": "0"}).topology.field_cache == 0
    with pytest.raises(ConfigError, match="LINEAGE_TOPOLOGY_FIELD_CACHE"):
        Settings.from_env({"LINEAGE_TOPOLOGY_FIELD_CACHE": "-1"})


def test_default_hops_above_max_hops_is_refused_naming_both() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"LINEAGE_DEFAULT_HOPS": "50", "LINEAGE_MAX_HOPS": "10"})

    assert "LINEAGE_DEFAULT_HOPS" in str(caught.value)
    assert "LINEAGE_MAX_HOPS" in str(caught.value)


def test_default_hops_above_the_default_max_is_refused() -> None:
    with pytest.raises(ConfigError, match="LINEAGE_MAX_HOPS"):
        Settings.from_env({"LINEAGE_DEFAULT_HOPS": "101"})


def test_config_error_is_a_value_error() -> None:
    assert issubclass(ConfigError, ValueError)


def test_password_is_kept_but_never_shown_in_repr() -> None:
    settings = Settings.from_env({"NEO4J_PASSWORD": "s3cr3t-pw", "NEO4J_URI": "bolt://db"})

    assert settings.neo4j_password == "s3cr3t-pw"
    assert "s3cr3t-pw" not in repr(settings)
    assert "s3cr3t-pw" not in str(settings)
    assert "bolt://db" in repr(settings)


def test_from_env_reads_the_process_environment_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LINEAGE_PORT", "8123")

    assert Settings.from_env().port == 8123


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf"])
def test_a_non_finite_timeout_is_refused(raw: str) -> None:
    with pytest.raises(ConfigError, match="LINEAGE_QUERY_TIMEOUT"):
        Settings.from_env({"LINEAGE_QUERY_TIMEOUT": raw})


def test_write_concurrency_is_one_by_default_and_at_most_32() -> None:
    assert Settings.from_env({}).write_concurrency == 1
    with pytest.raises(ConfigError, match="LINEAGE_WRITE_CONCURRENCY"):
        Settings.from_env({"LINEAGE_WRITE_CONCURRENCY": "33"})


def test_a_port_above_65535_is_refused() -> None:
    with pytest.raises(ConfigError, match="LINEAGE_PORT"):
        Settings.from_env({"LINEAGE_PORT": "70000"})


def test_the_default_data_dir_follows_xdg_data_home_of_the_given_env() -> None:
    settings = Settings.from_env({"XDG_DATA_HOME": "/srv/data"})
    assert settings.data_dir == Path("/srv/data/lineage-explorer")
