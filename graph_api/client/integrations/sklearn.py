"""scikit-learn autologging: every `fit` records a run, with no change to the user's code.

    from graph_api.client import connect
    from graph_api.client.integrations.sklearn import autolog

    client = connect()
    autolog(client, experiment="baseline", project="churn")
    LogisticRegression(C=0.5).fit(X, y)       # a `Run` with its params, data and model
    autolog(disable=True)                     # or: with autolog(...): ...

A patched `fit` records one run of the estimator's class name in the experiment:
`get_params()` as hyperparameters (`param_<name>`, nested ones of a Pipeline as
`param_<step>__<name>`), the training data `(X, y)` as an input `Dataset` whose uri is
its content hash (`sha256:<hex>`: the same data in any run is one artifact), and the
fitted estimator as an output `Model` (uri `sklearn:<run external id>`). `score` on a
fitted estimator adds a `score` metric to the run that fitted it (a step per call). A
`fit` inside another (a Pipeline's steps, a search's candidates) records nothing of its
own. A `fit` that raises records a FAILED run and re-raises.

The patch covers every estimator class scikit-learn lists (`all_estimators`) and
`Pipeline`; user-defined estimators are covered when they inherit a patched `fit`.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from graph_api.client.integrations.content_hash import content_hash
from graph_api.client.sync import Experiment, LineageClient, Run

#: Metric a `score` call is logged as.
SCORE_METRIC = "score"


@dataclass
class _State:
    experiment: Experiment
    patched: list[tuple[type, str, Any]] = field(default_factory=list)
    #: The run that fitted each estimator, for its `score` calls.
    runs: weakref.WeakKeyDictionary[Any, Run] = field(default_factory=weakref.WeakKeyDictionary)


_active: _State | None = None
_depth = threading.local()


@contextmanager
def _outermost() -> Iterator[bool]:
    """True for the outermost patched call of this thread, False for nested ones."""
    depth = getattr(_depth, "value", 0)
    _depth.value = depth + 1
    try:
        yield depth == 0
    finally:
        _depth.value = depth


def _params(estimator: Any) -> dict[str, Any]:
    """`get_params()`, nested ones included; the run stores a value that is not JSON (an
    estimator, a function) as its `str`."""
    params: dict[str, Any] = estimator.get_params(deep=True)
    return params


def _shape(data: Any) -> list[int] | None:
    shape = getattr(data, "shape", None)
    return [int(n) for n in shape] if shape is not None else None


def _fit(estimator: Any, fit: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    state = _active
    with _outermost() as outermost:
        if state is None or not outermost:
            return fit(*args, **kwargs)
        X = args[0] if args else kwargs.get("X")
        y = args[1] if len(args) > 1 else kwargs.get("y")
        with state.experiment.run(type(estimator).__name__) as run:
            run.log_hyperparameters(_params(estimator))
            run.log_tags(["sklearn", "autolog"])
            run.log_dataset("train", f"sha256:{content_hash(X, y)}",
                            {"shape": _shape(X), "target_shape": _shape(y)})
            fitted = fit(*args, **kwargs)
            run.log_model(f"sklearn:{run.external_id}", {
                "class": f"{type(estimator).__module__}.{type(estimator).__qualname__}"})
        state.runs[estimator] = run
        return fitted


def _score(estimator: Any, score: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with _outermost() as outermost:
        value = score(*args, **kwargs)
        state = _active
        run = state.runs.get(estimator) if state is not None and outermost else None
        if run is not None:
            run.log_metric(SCORE_METRIC, float(value))
        return value


class _Patched:
    """A class attribute standing in for a method: binds the original (a function or a
    descriptor such as `available_if`, whose availability is kept) and calls `behaviour`
    with the estimator and the bound original."""

    __lineage_autolog__ = True

    def __init__(self, original: Any, behaviour: Callable[..., Any]) -> None:
        self.original = original
        self.behaviour = behaviour

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        bound = self.original.__get__(obj, owner)
        if obj is None:
            return bound

        @functools.wraps(bound)
        def call(*args: Any, **kwargs: Any) -> Any:
            return self.behaviour(obj, bound, *args, **kwargs)
        return call


def _estimator_classes() -> list[type]:
    from sklearn.pipeline import Pipeline
    from sklearn.utils import all_estimators

    classes = [cls for _, cls in all_estimators()]
    return [*classes, Pipeline] if Pipeline not in classes else classes


def _patch(state: _State) -> None:
    from sklearn.base import ClassifierMixin, RegressorMixin

    for cls in [*_estimator_classes(), ClassifierMixin, RegressorMixin]:
        for name, behaviour in (("fit", _fit), ("score", _score)):
            original = cls.__dict__.get(name)
            if original is None or isinstance(original, _Patched):
                continue
            state.patched.append((cls, name, original))
            setattr(cls, name, _Patched(original, behaviour))


def _unpatch(state: _State) -> None:
    for cls, name, original in reversed(state.patched):
        setattr(cls, name, original)
    state.patched.clear()


class Autolog:
    """Autologging while it is enabled; `disable()` (or leaving a `with` block) undoes it."""

    def __init__(self, state: _State) -> None:
        self._state = state

    @property
    def experiment(self) -> Experiment:
        return self._state.experiment

    def run_of(self, estimator: Any) -> Run | None:
        """The run that fitted `estimator`, if autologging recorded it."""
        return self._state.runs.get(estimator)

    def disable(self) -> None:
        global _active
        if _active is self._state:
            _unpatch(self._state)
            _active = None

    def __enter__(self) -> Autolog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.disable()


def autolog(client: LineageClient | None = None, experiment: str | Experiment | None = None, *,
            project: str = "sklearn", disable: bool = False) -> Autolog | None:
    """Record a run for every scikit-learn `fit` in `experiment` (a name, in `project`, or
    an Experiment). `autolog(disable=True)` undoes it; so does the returned handle's
    `disable()`. Enabling again replaces the previous experiment."""
    global _active
    if _active is not None:
        Autolog(_active).disable()
    if disable:
        return None
    if isinstance(experiment, Experiment):
        target = experiment
    else:
        if client is None:
            raise ValueError("autolog needs a client (graph_api.client.connect())")
        if not isinstance(client, LineageClient):
            raise TypeError("autolog needs the blocking client of connect(); scikit-learn "
                            "fits synchronously")
        target = client.project(project).experiment(experiment or "autolog")
    state = _State(target)
    _patch(state)
    _active = state
    return Autolog(state)
