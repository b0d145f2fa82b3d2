"""Every service of the domain over one database: what the adapters (GraphQL, HTTP, the
command line) are given."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.config import Limits, TopologySettings
from graph_api.services.health import HealthService
from graph_api.services.impact import ImpactService
from graph_api.services.ingest import IngestService
from graph_api.services.lineage import LineageService
from graph_api.services.nodes import NodeService
from graph_api.services.openlineage.service import OpenLineageService
from graph_api.services.search import SearchService
from graph_api.services.subgraph import SubgraphService
from graph_api.services.table import TableService
from graph_api.services.topology.cache import TopologyCache
from graph_api.services.types import TypeCache, TypeService
from graph_api.services.versioning.registry import RegistryService
from graph_api.services.versioning.service import VersioningService
from graph_api.store.connection import Database


@dataclass(frozen=True)
class Services:
    """The domain's services; cheap to make, and shared by every request."""

    limits: Limits
    types: TypeService
    ingest: IngestService
    nodes: NodeService
    lineage: LineageService
    impact: ImpactService
    tables: TableService
    subgraph: SubgraphService
    search: SearchService
    health: HealthService
    topology: TopologyCache
    openlineage: OpenLineageService
    versioning: VersioningService
    registry: RegistryService

    @classmethod
    def create(cls, db: Database, limits: Limits | None = None,
               topology: TopologySettings | None = None) -> Services:
        """The services over `db`, within `limits` (default: the defaults), with a topology
        index as `topology` says (default: on, built on first use)."""
        limits = limits or Limits()
        cache = TopologyCache(db, topology or TopologySettings(), limits.query_timeout)
        types = TypeCache()
        lineage = LineageService(db, limits, cache)
        tables = TableService(db, cache)
        type_service = TypeService(db, types)
        ingest = IngestService(db, limits, types)
        versioning = VersioningService(db, limits)
        return cls(
            limits=limits,
            types=type_service,
            ingest=ingest,
            nodes=NodeService(db, limits),
            lineage=lineage,
            impact=ImpactService(db, limits, lineage),
            tables=tables,
            subgraph=SubgraphService(db, limits, lineage, tables),
            search=SearchService(db, limits),
            health=HealthService(db),
            topology=cache,
            openlineage=OpenLineageService(db, limits, ingest.batches, type_service, lineage),
            versioning=versioning,
            registry=RegistryService(db, limits, versioning, ingest, type_service),
        )
