# syntax=docker/dockerfile:1
#
# Image of the lineage-explorer API server, talking to an external Neo4j 5
# (see docker-compose.yaml). The `embedded` extra (arcadedb-embedded, a large
# local graph engine) is deliberately NOT installed: set NEO4J_URI at run time.
#
# It installs the `mlmd` extra (ml-metadata, grpcio): with LINEAGE_MLMD_PORT set
# (docker-compose.yaml sets 8080, the port of Kubeflow's metadata-grpc-service)
# the server also answers MLMD's gRPC MetadataStoreService. ml-metadata 1.17.1
# publishes wheels for CPython 3.11 on x86_64 Linux only (manylinux_2_17; no
# aarch64 wheel, no sdist): on an arm64 machine build for linux/amd64, or build
# without MLMD with `--build-arg LINEAGE_EXTRAS=`.
#
#   docker build -t lineage-explorer .
#   docker build --platform linux/amd64 -t lineage-explorer .   # on arm64
#
# Needs BuildKit (the default builder since Docker Engine 23, and always used by
# `docker compose build`): the optional UI stage relies on BuildKit letting a
# wildcard COPY match nothing, and the runtime stage uses a bind mount.

ARG PYTHON_IMAGE=python:3.11-slim
ARG NODE_IMAGE=node:20-slim
# Extras of the project to install, comma-separated ("" for none). Never `embedded`
# or `dev` (see above).
ARG LINEAGE_EXTRAS=mlmd

# --- Stage 1: the web UI bundle (optional) ----------------------------------
# Builds ui/ with `npm ci && npm run build` only when ui/package.json exists.
# Plain Dockerfile syntax has no "if the file exists", so: the pattern `u[i]`
# matches the ui/ directory when there is one and nothing otherwise (BuildKit
# accepts an empty wildcard match), and the shell test below does the rest. The
# stage always ends with a /ui/dist directory, empty when there is no UI.
FROM ${NODE_IMAGE} AS ui
WORKDIR /ui
COPY u[i] ./
RUN if [ -f package.json ]; then \
        npm ci --no-audit --no-fund && npm run build; \
    else \
        echo "ui/package.json not found: skipping the UI build"; \
    fi \
    && mkdir -p dist

# --- Stage 2: wheels of the project and of its dependencies ------------------
FROM ${PYTHON_IMAGE} AS builder
ARG LINEAGE_EXTRAS
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src

# Dependencies first, from pyproject.toml alone, so that this (slow) layer is
# reused for as long as pyproject.toml does not change: [project].dependencies and
# the optional dependencies of LINEAGE_EXTRAS only (no `embedded`, no `test`/`lint`).
COPY pyproject.toml ./
RUN python -c "import os, tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; extras = [e.strip() for e in os.environ.get('LINEAGE_EXTRAS', '').split(',') if e.strip()]; print('\n'.join(p.get('dependencies', []) + [r for e in extras for r in p['optional-dependencies'][e]]))" \
        > /tmp/requirements.txt \
    && if [ -s /tmp/requirements.txt ]; then \
        pip wheel --wheel-dir /wheels -r /tmp/requirements.txt; \
    fi

# Then the project itself (.dockerignore keeps tests, tools, caches and
# virtualenvs out of the context), and any dependency the first step missed.
COPY . .
RUN pip wheel --no-deps --wheel-dir /dist . \
    && set -- /dist/*.whl \
    && pip wheel --wheel-dir /wheels --find-links /wheels "$1${LINEAGE_EXTRAS:+[$LINEAGE_EXTRAS]}"

# --- Stage 3: runtime ---------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ARG LINEAGE_EXTRAS
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

RUN groupadd --system --gid 10001 lineage \
    && useradd --system --uid 10001 --gid lineage --create-home \
        --home-dir /home/lineage --shell /usr/sbin/nologin lineage

# Install the project's wheel with LINEAGE_EXTRAS, from the builder's wheels only
# (no index). The wheels are bind-mounted, so they take no space in the image.
# With `mlmd`, the build fails here, not at the first gRPC request, if MLMD's
# service modules cannot be imported.
RUN --mount=type=bind,from=builder,source=/wheels,target=/tmp/wheels \
    --mount=type=bind,from=builder,source=/dist,target=/tmp/dist \
    set -- /tmp/dist/*.whl \
    && pip install --no-index --find-links /tmp/wheels "$1${LINEAGE_EXTRAS:+[$LINEAGE_EXTRAS]}" \
    && case ",${LINEAGE_EXTRAS}," in \
        *,mlmd,*) python -c "import grpc, ml_metadata.proto.metadata_store_service_pb2_grpc" ;; \
    esac

# The UI bundle (an empty directory when the project has no UI: the server's / then
# answers 503 with a page saying the UI is not built). LINEAGE_UI_DIR tells the
# server where the bundle is.
COPY --from=ui /ui/dist /app/ui/dist
ENV LINEAGE_UI_DIR=/app/ui/dist \
    LINEAGE_HOST=0.0.0.0 \
    LINEAGE_PORT=8000

WORKDIR /app
USER 10001:10001
# 8000: HTTP (GraphQL, the UI, /healthz). 8080: MLMD's gRPC service, when
# LINEAGE_MLMD_PORT=8080 (it listens on the same --host as HTTP).
EXPOSE 8000 8080

HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/healthz', timeout=4)"]

CMD ["lineage", "serve", "--host", "0.0.0.0", "--port", "8000"]
