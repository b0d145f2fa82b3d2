"""The environment a run ran in: Python, platform, installed distributions."""

from __future__ import annotations

import importlib.metadata
import platform
import sys


def python_version() -> str:
    return f"{platform.python_implementation()} {sys.version.split()[0]}"


def platform_description() -> str:
    return platform.platform()


def installed_packages() -> dict[str, str]:
    """Every installed distribution, name -> version, sorted by name (first one wins)."""
    found: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name and name not in found:
            found[name] = dist.version
    return dict(sorted(found.items(), key=lambda kv: kv[0].lower()))
