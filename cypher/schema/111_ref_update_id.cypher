// The audit log of ref moves: each entry by id.
CREATE CONSTRAINT ref_update_id IF NOT EXISTS FOR (n:RefUpdate) REQUIRE n.id IS UNIQUE
