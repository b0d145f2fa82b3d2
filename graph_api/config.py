"""Settings from the environment — the one place the project reads configuration."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


class ConfigError(ValueError):
    """A setting is present but unusable; the message names the variable."""


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    """Per-user data directory: `$XDG_DATA_HOME/lineage-explorer` or `~/.local/share/...`."""
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "lineage-explorer"


def default_ui_dir() -> Path:
    """The web UI's build in a source checkout: `ui/dist` beside the `graph_api` package.

    Used when `LINEAGE_UI_DIR` is unset; when that directory holds no build, the server
    answers `/` with a page saying how to build the UI.
    """
    return Path(__file__).resolve().parent.parent / "ui" / "dist"


def _int(env: Mapping[str, str], key: str, default: int, minimum: int = 1,
         maximum: int | None = None) -> int:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"Config '{key}' must be an integer, got {raw!r}.") from None
    if value < minimum:
        raise ConfigError(f"Config '{key}' must be at least {minimum}, got {value}.")
    if maximum is not None and value > maximum:
        raise ConfigError(f"Config '{key}' must be at most {maximum}, got {value}.")
    return value


def _float(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"Config '{key}' must be a number, got {raw!r}.") from None
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"Config '{key}' must be a positive finite number, got {raw!r}.")
    return value


@dataclass(frozen=True)
class Limits:
    """Caps that keep one request from exhausting the server or the database.

    The store enforces the hop, node and page caps and the query timeout (seconds per
    database transaction); the GraphQL layer enforces depth, aliases and tokens of a
    document before running it; `max_event_bytes` caps an OpenLineage event's body, and
    what a gzip body decompresses to.
    """

    default_hops: int = 20
    max_hops: int = 100
    max_nodes: int = 10_000
    max_page_size: int = 1_000
    query_timeout: float = 30.0
    max_depth: int = 15
    max_aliases: int = 30
    max_tokens: int = 5_000
    max_event_bytes: int = 5 * 1024 * 1024


@dataclass(frozen=True)
class TopologySettings:
    """The topology index each API process may hold (see `services.topology`).

    Attributes:
        enabled: hold one (`LINEAGE_TOPOLOGY_INDEX=on`, the default) or walk in Cypher.
        max_nodes: past this many nodes the index is dropped and walks run in Cypher.
        wait: seconds a request waits for a build in progress before walking in Cypher.
        retention: seconds the delta log keeps a delta; an index that has not caught up
            for longer rebuilds.
        field_cache: stored fields of up to this many nodes of large answers held with
            the index, kept fresh by the same deltas (0: off).
    """

    enabled: bool = True
    max_nodes: int = 20_000_000
    wait: float = 5.0
    retention: float = 3600.0
    field_cache: int = 200_000


@dataclass(frozen=True)
class Settings:
    """Everything configurable. `neo4j_uri` unset means: use the embedded engine."""

    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str | None = None
    data_dir: Path = field(default_factory=default_data_dir)
    embedded_heap: str = "2g"
    host: str = "127.0.0.1"
    port: int = 8000
    #: MLMD's gRPC MetadataStoreService on this port too (None: off; 0: any free port).
    mlmd_port: int | None = None
    limits: Limits = field(default_factory=Limits)
    topology: TopologySettings = field(default_factory=TopologySettings)
    connect_timeout: float = 2.0
    #: Write transactions one process runs at a time; more wait their turn.
    write_concurrency: int = 1
    record_cypher: Path | None = None
    ui_dir: Path = field(default_factory=default_ui_dir)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read settings from `env` (default: `os.environ`)."""
        env = os.environ if env is None else env
        limits = Limits(
            default_hops=_int(env, "LINEAGE_DEFAULT_HOPS", 20),
            max_hops=_int(env, "LINEAGE_MAX_HOPS", 100),
            max_nodes=_int(env, "LINEAGE_MAX_NODES", 10_000),
            max_page_size=_int(env, "LINEAGE_MAX_PAGE_SIZE", 1_000),
            query_timeout=_float(env, "LINEAGE_QUERY_TIMEOUT", 30.0),
            max_depth=_int(env, "LINEAGE_MAX_DEPTH", 15),
            max_aliases=_int(env, "LINEAGE_MAX_ALIASES", 30, minimum=0),
            max_tokens=_int(env, "LINEAGE_MAX_TOKENS", 5_000),
            max_event_bytes=_int(env, "LINEAGE_MAX_EVENT_BYTES", 5 * 1024 * 1024),
        )
        if limits.default_hops > limits.max_hops:
            raise ConfigError(
                f"Config 'LINEAGE_DEFAULT_HOPS' ({limits.default_hops}) exceeds "
                f"'LINEAGE_MAX_HOPS' ({limits.max_hops})."
            )
        record = env.get("LINEAGE_RECORD_CYPHER")
        switch = (env.get("LINEAGE_TOPOLOGY_INDEX") or "on").lower()
        if switch not in ("on", "off"):
            raise ConfigError(f"Config 'LINEAGE_TOPOLOGY_INDEX' must be on or off, got "
                              f"{switch!r}.")
        topology = TopologySettings(
            enabled=switch == "on",
            max_nodes=_int(env, "LINEAGE_TOPOLOGY_MAX_NODES", 20_000_000),
            wait=_float(env, "LINEAGE_TOPOLOGY_WAIT", 5.0),
            retention=_float(env, "LINEAGE_TOPOLOGY_RETENTION", 3600.0),
            field_cache=_int(env, "LINEAGE_TOPOLOGY_FIELD_CACHE", 200_000, minimum=0),
        )
        return cls(
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_user=env.get("NEO4J_USER") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE") or None,
            data_dir=(Path(env["LINEAGE_DATA_DIR"]) if env.get("LINEAGE_DATA_DIR")
                      else default_data_dir(env)),
            embedded_heap=env.get("LINEAGE_EMBEDDED_HEAP") or "2g",
            host=env.get("LINEAGE_HOST") or "127.0.0.1",
            port=_int(env, "LINEAGE_PORT", 8000, maximum=65535),
            mlmd_port=(_int(env, "LINEAGE_MLMD_PORT", 0, minimum=0, maximum=65535)
                       if env.get("LINEAGE_MLMD_PORT") else None),
            limits=limits,
            topology=topology,
            connect_timeout=_float(env, "LINEAGE_CONNECT_TIMEOUT", 2.0),
            write_concurrency=_int(env, "LINEAGE_WRITE_CONCURRENCY", 1, maximum=32),
            record_cypher=Path(record) if record else None,
            ui_dir=(Path(env["LINEAGE_UI_DIR"]).expanduser().absolute()
                    if env.get("LINEAGE_UI_DIR") else default_ui_dir()),
        )
