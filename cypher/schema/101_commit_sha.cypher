// Commits are content-addressed: looked up, and deduplicated, by sha.
CREATE CONSTRAINT commit_sha IF NOT EXISTS FOR (n:Commit) REQUIRE n.sha IS UNIQUE
