// A tag is unique per repository (create-once): key = repo/name.
CREATE CONSTRAINT tag_key IF NOT EXISTS FOR (n:Tag) REQUIRE n.key IS UNIQUE
