// Idempotent upserts by client-chosen external id.
CREATE CONSTRAINT execution_external_id IF NOT EXISTS FOR (n:Execution) REQUIRE n.externalId IS UNIQUE
