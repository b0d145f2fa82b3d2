"""Projects and experiments: contexts of type `Project` and `Experiment` (ModelDB's model).

An experiment is a child context of its project. Getting one that exists reads it and
changes nothing (its properties stay as they are); one that does not is created.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph_api.client.models import Context, ContextInput, Execution, ListOptions, ParentContext
from graph_api.client.tracking import schema
from graph_api.client.tracking.run import FLUSH_EVERY, FLUSH_INTERVAL, AsyncRun

if TYPE_CHECKING:
    from graph_api.client.client import AsyncLineageClient


async def get_or_create_context(client: AsyncLineageClient, type_name: str, name: str,
                                properties: dict[str, Any] | None) -> Context:
    """The context (type, name): read if it exists, else created with `properties`."""
    await client.tracking_types.ensure(client)
    found = await client.get_context_by_type_and_name(type_name, name)
    if found is not None:
        return found
    [context_id] = await client.put_contexts([ContextInput(
        type=type_name, name=name, custom_properties=properties or {})])
    [created] = await client.get_contexts_by_id([context_id])
    return created


class _Tracked:
    """A tracking context (a project or an experiment) and the name it goes by."""

    def __init__(self, client: AsyncLineageClient, context: Context, name: str) -> None:
        self.client = client
        self.context = context
        self.name = name

    @property
    def id(self) -> str:
        return self.context.id

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, id={self.id!r})"


def experiment_context_name(project: str, experiment: str) -> str:
    """An experiment's context name: scoped by its project, as in ModelDB, so that
    `baseline` in two projects is two experiments (context names are unique per type)."""
    return f"{project}/{experiment}"


class AsyncProject(_Tracked):
    """A project: a `Project` context grouping experiments."""

    def __init__(self, client: AsyncLineageClient, context: Context) -> None:
        super().__init__(client, context, context.name)

    async def experiment(self, name: str, properties: dict[str, Any] | None = None
                         ) -> AsyncExperiment:
        """The project's experiment `name`, created (under the project) if new. Its
        context is named `<project>/<name>`."""
        context = await get_or_create_context(
            self.client, schema.EXPERIMENT, experiment_context_name(self.name, name), properties)
        await self.client.put_parent_contexts([ParentContext(child_id=context.id,
                                                             parent_id=self.id)])
        return AsyncExperiment(self, context)

    async def experiments(self) -> list[AsyncExperiment]:
        children = await self.client.get_children_contexts_by_context(self.id)
        return [AsyncExperiment(self, c) for c in children if c.type == schema.EXPERIMENT]


class AsyncExperiment(_Tracked):
    """An experiment: an `Experiment` context whose runs are `Run` executions."""

    def __init__(self, project: AsyncProject, context: Context) -> None:
        prefix = experiment_context_name(project.name, "")
        short = context.name[len(prefix):] if context.name.startswith(prefix) else context.name
        super().__init__(project.client, context, short)
        self.project = project

    def run(self, name: str, *, external_id: str | None = None, flush_every: int = FLUSH_EVERY,
            flush_interval: float = FLUSH_INTERVAL) -> AsyncRun:
        """A new run, started by `async with` (or `await run.start()`)."""
        return AsyncRun(self, name, external_id=external_id, flush_every=flush_every,
                        flush_interval=flush_interval)

    async def start_run(self, name: str, *, external_id: str | None = None,
                        flush_every: int = FLUSH_EVERY, flush_interval: float = FLUSH_INTERVAL
                        ) -> AsyncRun:
        """A run started now, for code that cannot use `with`: end it with `run.end()`,
        or it ends (COMPLETE, flushed) when the interpreter exits."""
        return await self.run(name, external_id=external_id, flush_every=flush_every,
                              flush_interval=flush_interval).start()

    async def runs(self, options: ListOptions | None = None) -> list[Execution]:
        """The experiment's runs (executions of type `Run`), oldest first."""
        return await self.client.get_executions_by_context(self.id, options)
