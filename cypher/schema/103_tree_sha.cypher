// Trees are content-addressed: one node per distinct set of entries.
CREATE CONSTRAINT tree_sha IF NOT EXISTS FOR (n:Tree) REQUIRE n.sha IS UNIQUE
