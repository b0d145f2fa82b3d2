// A repository is found by its unique name.
CREATE CONSTRAINT repository_name IF NOT EXISTS FOR (n:Repository) REQUIRE n.name IS UNIQUE
