// Idempotent upserts by client-chosen external id.
CREATE CONSTRAINT context_external_id IF NOT EXISTS FOR (n:Context) REQUIRE n.externalId IS UNIQUE
