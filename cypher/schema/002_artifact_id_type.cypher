// optional: a property type constraint, which Neo4j Community refuses (an Enterprise feature).
// The type lets the embedded engine read listings ordered by id in index order.
CREATE CONSTRAINT artifact_id_type IF NOT EXISTS FOR (n:Artifact) REQUIRE n.id IS :: STRING
