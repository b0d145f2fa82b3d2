"""Static checks of the container files: docker-compose.yaml, Dockerfile, .dockerignore.

No Docker engine is needed. The Compose file is validated against the Compose
Specification's JSON schema, as vendored by the `check-jsonschema` package
(check_jsonschema/builtin_schemas/vendor/compose-spec.json), with `jsonschema`.
What matters for this stack, which no schema can say, is checked by reading the
parsed files.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

INSTALL_HINT = (
    "install the Compose Specification schema and its validator: "
    "pip install 'check-jsonschema>=0.35' "
    "(it vendors compose-spec.json and brings jsonschema)"
)
SCHEMA_PACKAGE = "check_jsonschema.builtin_schemas.vendor"
SCHEMA_NAME = "compose-spec.json"

LOOPBACK = {"127.0.0.1", "::1", "[::1]"}
# MLMD's gRPC service: the port of Kubeflow Pipelines' metadata-grpc-service, which the
# README tells KFP to point at.
MLMD_PORT = "8080"
# Inside the container the API must listen on every address (Docker publishes it).
ALL_INTERFACES = "0.0.0.0"  # noqa: S104


# --------------------------------------------------------------------------- helpers


def _load_yaml(path: Path) -> Any:
    try:
        import yaml
    except ImportError:  # pragma: no cover - depends on the environment
        pytest.fail("PyYAML is missing: pip install 'pyyaml>=6'", pytrace=False)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _compose_schema() -> dict[str, Any]:
    try:
        vendor = resources.files(SCHEMA_PACKAGE)
    except ModuleNotFoundError:
        vendor = None
    if vendor is None:
        pytest.fail(f"No Compose Specification schema found: {INSTALL_HINT}", pytrace=False)
    schema_file = vendor / SCHEMA_NAME
    if not schema_file.is_file():
        pytest.fail(
            f"{SCHEMA_PACKAGE} has no {SCHEMA_NAME} (changed layout?): {INSTALL_HINT}",
            pytrace=False,
        )
    schema: dict[str, Any] = json.loads(schema_file.read_text(encoding="utf-8"))
    return schema


def _compose_errors(document: Any) -> list[str]:
    """Every violation of the Compose Specification in `document`, as 'path: message'."""
    schema = _compose_schema()  # first: its message covers jsonschema too
    try:
        from jsonschema.validators import validator_for
    except ImportError:
        validator_for = None
    if validator_for is None:
        pytest.fail(f"jsonschema is missing: {INSTALL_HINT}", pytrace=False)
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    return [f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in errors]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    assert COMPOSE_FILE.is_file(), f"{COMPOSE_FILE} is missing"
    document = _load_yaml(COMPOSE_FILE)
    assert isinstance(document, dict), "docker-compose.yaml must be a mapping"
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = compose.get("services")
    assert isinstance(found, dict), "docker-compose.yaml has no services"
    assert {"neo4j", "api"} <= found.keys(), f"expected services neo4j and api, got {sorted(found)}"
    return found


def _environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's `environment`, in either Compose form (mapping or list of K=V)."""
    raw = service.get("environment") or {}
    if isinstance(raw, dict):
        return {str(k): "" if v is None else str(v) for k, v in raw.items()}
    env: dict[str, str] = {}
    for item in raw:
        key, _, value = str(item).partition("=")
        env[key] = value
    return env


def _host_ip(port: Any) -> str | None:
    """The host address a published port binds to, or None when it binds to all."""
    if isinstance(port, dict):  # long syntax
        return None if port.get("host_ip") is None else str(port["host_ip"])
    spec = str(port).split("/", 1)[0]  # drop "/tcp"
    if spec.startswith("["):  # "[::1]:8000:8000"
        return spec[: spec.index("]") + 1]
    parts = spec.split(":")
    return parts[0] if len(parts) == 3 else None


def _published(port: Any) -> str:
    if isinstance(port, dict):
        return str(port.get("published", ""))
    spec = str(port).split("/", 1)[0]
    if spec.startswith("["):
        spec = spec[spec.index("]") + 2 :]
    parts = spec.split(":")
    return parts[-2] if len(parts) >= 2 else ""


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _healthcheck_command(service: dict[str, Any]) -> str:
    check = service.get("healthcheck")
    assert isinstance(check, dict), "no healthcheck"
    assert not check.get("disable"), "healthcheck is disabled"
    test = check.get("test")
    assert test, "healthcheck has no test"
    command = test if isinstance(test, str) else " ".join(map(str, test))
    assert not command.startswith("NONE"), "healthcheck test is NONE"
    return command


# ------------------------------------------------------------- compose: the schema


def test_compose_file_matches_compose_spec(compose: dict[str, Any]) -> None:
    errors = _compose_errors(compose)
    assert not errors, "docker-compose.yaml breaks the Compose Specification:\n" + "\n".join(errors)


def test_compose_spec_validation_is_strict(compose: dict[str, Any]) -> None:
    """The schema really bites: a misspelt key and a wrong condition are refused."""
    broken = copy.deepcopy(compose)
    broken["services"]["api"]["imagee"] = "typo"
    broken["services"]["api"]["depends_on"] = {"neo4j": {"condition": "healthy"}}
    errors = _compose_errors(broken)
    assert any("imagee" in e for e in errors), errors
    assert any("depends_on" in e for e in errors), errors


def test_compose_interpolation_is_well_formed(compose: dict[str, Any]) -> None:
    """Every `$` is `$$` (left to the container) or a valid `${VAR...}` / `$VAR`."""
    token = re.compile(
        r"\$\$"
        r"|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?+][^}]*)?\}"
        r"|\$[A-Za-z_][A-Za-z0-9_]*"
    )
    bad = [s for s in _strings(compose) if "$" in token.sub("", s)]
    assert not bad, f"strings Compose would refuse to interpolate: {bad}"


# --------------------------------------------------------- compose: what matters


def test_neo4j_is_a_pinned_5x_community_image(services: dict[str, dict[str, Any]]) -> None:
    image = services["neo4j"].get("image", "")
    assert re.fullmatch(r"neo4j:5\.\d+(\.\d+)?-community(-[a-z0-9]+)?", image), (
        f"neo4j image must be a Neo4j 5.x community tag such as neo4j:5.26-community, got {image!r}"
    )


def test_neo4j_has_a_healthcheck_that_queries_bolt(services: dict[str, dict[str, Any]]) -> None:
    command = _healthcheck_command(services["neo4j"])
    assert "cypher-shell" in command or "7687" in command, (
        f"neo4j healthcheck should prove that Bolt answers (cypher-shell), got {command!r}"
    )


def test_neo4j_keeps_data_on_a_named_volume(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    declared = set((compose.get("volumes") or {}).keys())
    sources: list[str] = []
    for volume in services["neo4j"].get("volumes") or []:
        if isinstance(volume, dict):
            if volume.get("target") == "/data" and volume.get("type", "volume") == "volume":
                sources.append(str(volume.get("source", "")))
        else:
            source, _, rest = str(volume).partition(":")
            if rest.split(":", 1)[0] == "/data":
                sources.append(source)
    assert sources, "neo4j mounts nothing at /data"
    assert all(s in declared for s in sources), (
        f"/data must be on a named volume declared under `volumes:`; sources {sources}, "
        f"declared {sorted(declared)}"
    )


def test_neo4j_environment_is_safe_for_the_image(services: dict[str, dict[str, Any]]) -> None:
    env = _environment(services["neo4j"])
    assert env.get("NEO4J_AUTH", "").startswith("neo4j/"), "neo4j needs NEO4J_AUTH=neo4j/<pwd>"
    # The image's entrypoint turns NEO4J_* variables into config settings and
    # Neo4j 5 refuses unknown settings: these two would stop it from starting.
    assert not {"NEO4J_PASSWORD", "NEO4J_USER"} & env.keys()


def test_api_waits_for_a_healthy_neo4j(services: dict[str, dict[str, Any]]) -> None:
    depends_on = services["api"].get("depends_on")
    assert isinstance(depends_on, dict), "api.depends_on must use the long form with a condition"
    assert depends_on.get("neo4j", {}).get("condition") == "service_healthy"


def test_api_connects_to_the_neo4j_service(services: dict[str, dict[str, Any]]) -> None:
    env = _environment(services["api"])
    uri = urlsplit(env.get("NEO4J_URI", ""))
    assert uri.scheme in {"bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc"}, uri
    assert uri.hostname == "neo4j" and "neo4j" in services, f"NEO4J_URI={env.get('NEO4J_URI')}"
    assert env.get("NEO4J_USER") == "neo4j"
    assert env.get("NEO4J_DATABASE")
    assert env.get("LINEAGE_HOST") == ALL_INTERFACES, (
        "the API must listen on all container addresses"
    )


def test_api_and_neo4j_share_one_password_variable(services: dict[str, dict[str, Any]]) -> None:
    variable = re.compile(r"\$\{NEO4J_PASSWORD(?::?[-?][^}]*)?\}")
    api_password = _environment(services["api"]).get("NEO4J_PASSWORD", "")
    neo4j_auth = _environment(services["neo4j"]).get("NEO4J_AUTH", "")
    assert variable.fullmatch(api_password), f"api NEO4J_PASSWORD={api_password!r}"
    assert variable.fullmatch(neo4j_auth.removeprefix("neo4j/")), f"NEO4J_AUTH={neo4j_auth!r}"


def test_api_has_a_python_healthcheck_on_healthz(services: dict[str, dict[str, Any]]) -> None:
    command = _healthcheck_command(services["api"])
    assert "python" in command and "/healthz" in command, command
    assert "curl" not in command and "wget" not in command, "slim images have neither"


def test_api_is_built_here_and_restarts(services: dict[str, dict[str, Any]]) -> None:
    api = services["api"]
    build = api.get("build")
    context = build if isinstance(build, str) else (build or {}).get("context")
    dockerfile = "Dockerfile" if isinstance(build, str) else (build or {}).get("dockerfile")
    assert context in {".", "./"}, f"api.build.context: {context!r}"
    assert (ROOT / (dockerfile or "Dockerfile")).is_file()
    for name in ("api", "neo4j"):
        assert services[name].get("restart") in {"unless-stopped", "always", "on-failure"}, name


def test_published_ports_bind_to_loopback_only(services: dict[str, dict[str, Any]]) -> None:
    exposed = [
        f"{name}: {port}"
        for name, service in services.items()
        for port in service.get("ports") or []
        if _host_ip(port) not in LOOPBACK
    ]
    assert not exposed, f"ports published beyond 127.0.0.1: {exposed}"
    assert {"8000", MLMD_PORT} <= {_published(p) for p in services["api"].get("ports") or []}


def _target(port: Any) -> str:
    """The container port a published port forwards to."""
    if isinstance(port, dict):
        return str(port.get("target", ""))
    return str(port).split("/", 1)[0].rsplit(":", 1)[-1]


def test_api_serves_mlmds_grpc_service_on_a_published_port(
    services: dict[str, dict[str, Any]],
) -> None:
    """LINEAGE_MLMD_PORT turns the gRPC service on, on LINEAGE_HOST (every container
    address); the host reaches it on loopback at the same port number."""
    api = services["api"]
    env = _environment(api)
    assert env.get("LINEAGE_MLMD_PORT") == MLMD_PORT, "the API does not serve MLMD's gRPC service"
    published = {_target(p): _published(p) for p in api.get("ports") or []}
    assert published.get(MLMD_PORT) == MLMD_PORT, f"container port {MLMD_PORT} is not published"
    # ml-metadata has x86_64 Linux wheels only: the image builds for amd64 everywhere.
    assert api.get("platform") == "linux/amd64"


def test_readme_points_kubeflow_at_the_port_compose_serves() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Use with TFX / Kubeflow Pipelines / MLMD"):]
    section = section[: section.find("\n## ", 1)]
    assert f"METADATA_GRPC_SERVICE_PORT` to `{MLMD_PORT}`" in section, section
    assert f"port {MLMD_PORT}" in section and "docker compose" in section, section


# ------------------------------------------------------------------- Dockerfile


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def _dockerfile() -> list[Instruction]:
    """Instructions of the Dockerfile: continuations joined, comments dropped."""
    assert DOCKERFILE.is_file(), f"{DOCKERFILE} is missing"
    instructions: list[Instruction] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # comments may also sit inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        text = pending + line
        pending = ""
        keyword, _, arguments = text.partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip()))
    assert not pending, "Dockerfile ends inside a continued line"
    return instructions


def _stages(instructions: list[Instruction]) -> list[list[Instruction]]:
    stages: list[list[Instruction]] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def _base_image(from_instruction: Instruction, arg_defaults: dict[str, str]) -> str:
    words = [w for w in from_instruction.arguments.split() if not w.startswith("--")]
    return re.sub(
        r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: arg_defaults.get(m[1], m[0]), words[0]
    )


def _global_args(instructions: list[Instruction]) -> dict[str, str]:
    defaults: dict[str, str] = {}
    for instruction in instructions:
        if instruction.keyword == "FROM":
            break
        if instruction.keyword == "ARG":
            name, _, value = instruction.arguments.partition("=")
            defaults[name.strip()] = value.strip().strip("\"'")
    return defaults


def test_dockerfile_is_multi_stage_on_python_311_slim() -> None:
    instructions = _dockerfile()
    stages = _stages(instructions)
    assert len(stages) >= 2, "the Dockerfile must be multi-stage (a builder and a runtime)"
    args = _global_args(instructions)
    bases = [_base_image(stage[0], args) for stage in stages]
    assert bases[-1] == "python:3.11-slim", f"runtime stage is on {bases[-1]}"
    builders = [
        stage
        for stage in stages[:-1]
        if any(
            i.keyword == "RUN" and ("pip wheel" in i.arguments or "-m build" in i.arguments)
            for i in stage
        )
    ]
    assert builders, "no earlier stage builds wheels (pip wheel / python -m build)"
    assert all(_base_image(stage[0], args) == "python:3.11-slim" for stage in builders)


def test_dockerfile_runtime_runs_as_non_root() -> None:
    runtime = _stages(_dockerfile())[-1]
    users = [i.arguments.split(":", 1)[0] for i in runtime if i.keyword == "USER"]
    assert users, "the runtime stage sets no USER: it would run as root"
    assert users[-1] not in {"root", "0"}, f"the runtime stage runs as {users[-1]!r}"


def test_dockerfile_does_not_install_the_embedded_extra() -> None:
    for instruction in _dockerfile():
        text = instruction.arguments.lower()
        assert "arcadedb" not in text, instruction
        assert not re.search(r"\[[^\]]*embedded[^\]]*\]", text), instruction
        assert not re.search(r"\[[^\]]*\bdev\b[^\]]*\]", text), f"dev pulls embedded: {instruction}"


def test_dockerfile_installs_the_mlmd_extra() -> None:
    """The image can serve MLMD: its default extras hold `mlmd`, the builder makes wheels of
    the extras' dependencies, the runtime installs the project with them and imports MLMD's
    gRPC modules at build time."""
    instructions = _dockerfile()
    extras = _global_args(instructions).get("LINEAGE_EXTRAS", "")
    assert "mlmd" in [e.strip() for e in extras.split(",")], f"LINEAGE_EXTRAS={extras!r}"
    builder, runtime = _stages(instructions)[-2:]
    for stage in (builder, runtime):
        assert Instruction("ARG", "LINEAGE_EXTRAS") in stage, stage[0]
    wheels = [i.arguments for i in builder if i.keyword == "RUN" and "pip wheel" in i.arguments]
    assert any("optional-dependencies" in w and "LINEAGE_EXTRAS" in w for w in wheels), wheels
    assert any("[$LINEAGE_EXTRAS]" in w for w in wheels), wheels
    [install] = [i.arguments for i in runtime if i.keyword == "RUN" and "pip install" in i.arguments]
    assert "[$LINEAGE_EXTRAS]" in install and "--no-index" in install, install
    assert "import grpc, ml_metadata" in install, install


def test_dockerfiles_requirements_step_lists_the_mlmd_extra(tmp_path: Path) -> None:
    """The builder's requirements step, run on pyproject.toml, asks for ml-metadata and
    grpcio with the default extras, and for neither without extras."""
    instructions = _dockerfile()
    builder = _stages(instructions)[-2]
    [step] = [i.arguments for i in builder if i.keyword == "RUN" and "tomllib" in i.arguments]
    command = step.split(" > /tmp/requirements.txt", 1)[0]
    (tmp_path / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())

    def requirements(extras: str) -> str:
        run = subprocess.run(
            ["/bin/sh", "-c", command.replace("python ", f"{sys.executable} ", 1)],
            cwd=tmp_path, env={"LINEAGE_EXTRAS": extras, "PATH": os.environ.get("PATH", "")},
            capture_output=True, text=True, check=True,
        )
        return run.stdout

    with_mlmd = requirements(_global_args(instructions)["LINEAGE_EXTRAS"])
    assert "ml-metadata==1.17.1" in with_mlmd and "grpcio" in with_mlmd, with_mlmd
    assert "neo4j" in with_mlmd and "arcadedb" not in with_mlmd, with_mlmd
    without = requirements("")
    assert "ml-metadata" not in without and "neo4j" in without, without


def test_dockerfile_runtime_serves_on_8000() -> None:
    runtime = _stages(_dockerfile())[-1]
    exposed = {
        p.split("/")[0] for i in runtime if i.keyword == "EXPOSE" for p in i.arguments.split()
    }
    assert {"8000", MLMD_PORT} <= exposed
    commands = [i for i in runtime if i.keyword == "CMD"]
    assert commands, "the runtime stage has no CMD"
    assert json.loads(commands[-1].arguments) == [
        "lineage",
        "serve",
        "--host",
        ALL_INTERFACES,
        "--port",
        "8000",
    ]


def test_dockerignore_keeps_the_context_small() -> None:
    assert DOCKERIGNORE.is_file(), f"{DOCKERIGNORE} is missing"
    patterns = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    required = {".git", ".venv", "node_modules", "ui/node_modules", "tests"}
    assert required <= patterns, f"missing from .dockerignore: {sorted(required - patterns)}"
    assert any("__pycache__" in p for p in patterns)
    needed_by_the_build = {"pyproject.toml", "README.md", "graph_api", "ui", "*", "*.md"}
    assert not needed_by_the_build & patterns, sorted(needed_by_the_build & patterns)
