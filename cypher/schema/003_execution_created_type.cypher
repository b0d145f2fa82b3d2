// optional: a property type constraint, which Neo4j Community refuses (an Enterprise feature).
// The type lets the embedded engine read listings ordered by createdAt in index order.
CREATE CONSTRAINT execution_created_type IF NOT EXISTS FOR (n:Execution) REQUIRE n.createdAt IS :: INTEGER
