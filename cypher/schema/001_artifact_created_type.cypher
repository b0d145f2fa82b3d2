// optional: a property type constraint, which Neo4j Community refuses (an Enterprise feature).
// The type lets the embedded engine read listings ordered by createdAt in index order.
CREATE CONSTRAINT artifact_created_type IF NOT EXISTS FOR (n:Artifact) REQUIRE n.createdAt IS :: INTEGER
