// optional: a property type constraint, which Neo4j Community refuses (an Enterprise feature).
// The type lets the embedded engine read listings ordered by id in index order.
CREATE CONSTRAINT context_id_type IF NOT EXISTS FOR (n:Context) REQUIRE n.id IS :: STRING
