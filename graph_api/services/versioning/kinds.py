"""The five kinds of blob: what each may hold, its canonical form, and its *elements*.

Diff and merge work on elements: a blob's content seen as a flat map from an element key
to an atomic value. Config keys are dotted paths (`optimizer.lr`); dataset components are
keyed by their path (and the dataset's own fields by `@name`); environment requirements
by PEP 503 name (`requirements.numpy`), env vars and apt packages by name; code and
repo-ref blobs are one atomic element, keyed `""`. A blob's content is rebuilt from its
elements after a merge, so a merge never has to know a kind's shape twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from graph_api.errors import InvalidInput
from graph_api.model.versioning import BlobKind

Elements = dict[str, Any]

#: An atomic kind's only element key.
WHOLE = ""

_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$")
_SEPARATORS = re.compile(r"[-_.]+")
_SHA = re.compile(r"^[0-9a-f]{7,64}$")


def pep503(name: str) -> str:
    """A distribution name normalised as PEP 503 says (`Scikit_Learn` -> `scikit-learn`)."""
    return _SEPARATORS.sub("-", name).lower()


def requirement_name(requirement: str, where: str) -> str:
    """The normalised name of a requirement line (`numpy==1.26.4` -> `numpy`)."""
    match = _NAME.match(requirement)
    if match is None:
        raise InvalidInput(f"{where}: {requirement!r} is not a requirement", field=where)
    return pep503(match.group(1))


def requirement_spec(requirement: str) -> str:
    """The version specifier of a requirement line (`numpy==1.26.4` -> `==1.26.4`)."""
    match = _NAME.match(requirement)
    return match.group(3).split(";")[0].strip() if match else ""


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{where}: must be a JSON object", field=where)
    return dict(value)


def _only(content: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(content) - allowed)
    if unknown:
        raise InvalidInput(f"{where}.{unknown[0]}: not a field of this kind (allowed: "
                           f"{', '.join(sorted(allowed))})", field=f"{where}.{unknown[0]}")


# -- config ---------------------------------------------------------------------------------

def _flatten(prefix: str, value: Mapping[str, Any], out: Elements, where: str) -> None:
    for name, item in value.items():
        if not name or "." in name:
            raise InvalidInput(f"{where}: config key {name!r} must be non-empty and have no "
                               "'.' (nest objects instead)", field=where)
        key = f"{prefix}.{name}" if prefix else name
        if isinstance(item, Mapping) and item:
            _flatten(key, item, out, where)
        else:
            out[key] = item


def _config(content: Any, where: str) -> dict[str, Any]:
    data = _object(content, where)
    _flatten("", data, {}, where)
    return data


def _config_elements(content: Mapping[str, Any]) -> Elements:
    out: Elements = {}
    _flatten("", content, out, "content")
    return out


def _config_content(elements: Elements) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for key in sorted(elements):
        node = root
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = elements[key]
    return root


# -- dataset --------------------------------------------------------------------------------

_DATASET = {"source", "uri", "components", "query", "external"}
_COMPONENT = {"path", "sha256", "md5", "size", "versionId"}


def _dataset(content: Any, where: str) -> dict[str, Any]:
    data = _object(content, where)
    _only(data, _DATASET, where)
    source = data.get("source", "path")
    if source not in ("path", "s3", "query", "external"):
        raise InvalidInput(f"{where}.source: one of path, s3, query, external",
                           field=f"{where}.source")
    data["source"] = source
    components = data.get("components", [])
    if not isinstance(components, list):
        raise InvalidInput(f"{where}.components: must be a list", field=f"{where}.components")
    seen: set[str] = set()
    for i, component in enumerate(components):
        at = f"{where}.components[{i}]"
        c = _object(component, at)
        _only(c, _COMPONENT, at)
        path = c.get("path")
        if not isinstance(path, str) or not path or path.startswith("@"):
            raise InvalidInput(f"{at}.path: a non-empty path not starting with '@'",
                               field=f"{at}.path")
        if path in seen:
            raise InvalidInput(f"{at}.path: {path!r} is listed twice", field=f"{at}.path")
        seen.add(path)
        size = c.get("size")
        if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
            raise InvalidInput(f"{at}.size: a non-negative integer", field=f"{at}.size")
    # A set of components: its canonical order is by path.
    data["components"] = sorted((dict(c) for c in components), key=lambda c: c["path"])
    if source == "query" and not isinstance(data.get("query"), str):
        raise InvalidInput(f"{where}.query: a query dataset needs its query text",
                           field=f"{where}.query")
    if source == "external" and not isinstance(data.get("external"), Mapping):
        raise InvalidInput(f"{where}.external: an external pin needs its object (e.g. "
                           "{system, ref})", field=f"{where}.external")
    return data


def _dataset_elements(content: Mapping[str, Any]) -> Elements:
    out: Elements = {f"@{k}": v for k, v in content.items() if k != "components"}
    for c in content.get("components", []):
        out[c["path"]] = {k: v for k, v in c.items() if k != "path"}
    return out


def _dataset_content(elements: Elements) -> dict[str, Any]:
    content: dict[str, Any] = {k[1:]: v for k, v in elements.items() if k.startswith("@")}
    content["components"] = [{"path": k, **v} for k, v in sorted(elements.items())
                             if not k.startswith("@")]
    return content


# -- environment ----------------------------------------------------------------------------

_ENVIRONMENT = {"python", "requirements", "constraints", "docker", "envVars", "apt",
                "commandLine"}
_LISTED = ("requirements", "constraints")


def _environment(content: Any, where: str) -> dict[str, Any]:
    data = _object(content, where)
    _only(data, _ENVIRONMENT, where)
    for field in _LISTED:
        lines = data.get(field, [])
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise InvalidInput(f"{where}.{field}: a list of requirement strings",
                               field=f"{where}.{field}")
        names = [requirement_name(x, f"{where}.{field}[{i}]") for i, x in enumerate(lines)]
        if len(set(names)) != len(names):
            twice = next(n for n in names if names.count(n) > 1)
            raise InvalidInput(f"{where}.{field}: {twice!r} is listed twice",
                               field=f"{where}.{field}")
        if field in data:
            data[field] = [x.strip() for _, x in sorted(zip(names, lines, strict=True))]
    apt = data.get("apt", [])
    if not isinstance(apt, list) or not all(isinstance(x, str) for x in apt):
        raise InvalidInput(f"{where}.apt: a list of package names", field=f"{where}.apt")
    if "apt" in data:
        data["apt"] = sorted(set(apt))
    if "envVars" in data:
        env = _object(data["envVars"], f"{where}.envVars")
        if not all(isinstance(v, str) for v in env.values()):
            raise InvalidInput(f"{where}.envVars: values are strings", field=f"{where}.envVars")
    if "docker" in data:
        _only(_object(data["docker"], f"{where}.docker"), {"repository", "tag", "digest"},
              f"{where}.docker")
    return data


def _environment_elements(content: Mapping[str, Any]) -> Elements:
    out: Elements = {}
    for field, value in content.items():
        if field in _LISTED:
            out.update({f"{field}.{requirement_name(x, field)}": x for x in value})
        elif field == "apt":
            out.update({f"apt.{x}": x for x in value})
        elif field == "envVars":
            out.update({f"envVars.{k}": v for k, v in value.items()})
        else:
            out[field] = value
    return out


def _environment_content(elements: Elements) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for key in sorted(elements):
        field, _, name = key.partition(".")
        if field in _LISTED or field == "apt":
            content.setdefault(field, []).append(elements[key])
        elif field == "envVars":
            content.setdefault(field, {})[name] = elements[key]
        else:
            content[key] = elements[key]
    return content


# -- code and repo-ref (atomic) -------------------------------------------------------------

def _code(content: Any, where: str) -> dict[str, Any]:
    data = _object(content, where)
    _only(data, {"git", "notebook"}, where)
    if len(data) != 1:
        raise InvalidInput(f"{where}: exactly one of git, notebook", field=where)
    if "git" in data:
        git = _object(data["git"], f"{where}.git")
        _only(git, {"repo", "commit", "branch", "tag", "dirty", "patchSha"}, f"{where}.git")
        if not isinstance(git.get("repo"), str) or not isinstance(git.get("commit"), str):
            raise InvalidInput(f"{where}.git: repo and commit are required", field=f"{where}.git")
        if not isinstance(git.get("dirty", False), bool):
            raise InvalidInput(f"{where}.git.dirty: a boolean", field=f"{where}.git.dirty")
    else:
        notebook = _object(data["notebook"], f"{where}.notebook")
        _only(notebook, {"path", "sha256"}, f"{where}.notebook")
    return data


def _repo_ref(content: Any, where: str) -> dict[str, Any]:
    data = _object(content, where)
    _only(data, {"repository", "commit"}, where)
    if not isinstance(data.get("repository"), str) or not isinstance(data.get("commit"), str) \
            or not _SHA.match(data["commit"]):
        raise InvalidInput(f"{where}: repository (a name) and commit (a sha) are required",
                           field=where)
    return data


def _atomic_elements(content: Mapping[str, Any]) -> Elements:
    return {WHOLE: dict(content)}


def _atomic_content(elements: Elements) -> dict[str, Any]:
    return dict(elements[WHOLE])


_NORMALISE: dict[BlobKind, Callable[[Any, str], dict[str, Any]]] = {
    BlobKind.CONFIG: _config, BlobKind.DATASET: _dataset, BlobKind.ENVIRONMENT: _environment,
    BlobKind.CODE: _code, BlobKind.REPO_REF: _repo_ref,
}
_ELEMENTS: dict[BlobKind, Callable[[Mapping[str, Any]], Elements]] = {
    BlobKind.CONFIG: _config_elements, BlobKind.DATASET: _dataset_elements,
    BlobKind.ENVIRONMENT: _environment_elements, BlobKind.CODE: _atomic_elements,
    BlobKind.REPO_REF: _atomic_elements,
}
_CONTENT: dict[BlobKind, Callable[[Elements], dict[str, Any]]] = {
    BlobKind.CONFIG: _config_content, BlobKind.DATASET: _dataset_content,
    BlobKind.ENVIRONMENT: _environment_content, BlobKind.CODE: _atomic_content,
    BlobKind.REPO_REF: _atomic_content,
}


def normalise(kind: BlobKind, content: Any, where: str = "content") -> dict[str, Any]:
    """Check `content` against its kind and return its canonical form (set-like lists
    sorted by element key).

    Raises:
        InvalidInput: the content does not fit the kind, naming the field at fault.
    """
    return _NORMALISE[kind](content, where)


def elements(kind: BlobKind, content: Mapping[str, Any]) -> Elements:
    """The blob's content as element key -> atomic value."""
    return _ELEMENTS[kind](content)


def content_of(kind: BlobKind, elements_: Elements) -> dict[str, Any]:
    """The content whose elements are `elements_` (the inverse of `elements`)."""
    return _CONTENT[kind](elements_)


def summaries(kind: BlobKind, content: Mapping[str, Any]) -> dict[str, str | None]:
    """The indexed summaries of a blob: its git commit (code) and dataset uri."""
    git = content.get("git") if kind is BlobKind.CODE else None
    return {"gitCommit": git.get("commit") if isinstance(git, Mapping) else None,
            "datasetUri": content.get("uri") if kind is BlobKind.DATASET else None}
