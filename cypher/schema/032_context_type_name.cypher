// A context is unique per (type, name); also its lookup key.
CREATE CONSTRAINT context_type_name IF NOT EXISTS FOR (n:Context) REQUIRE (n.type, n.name) IS UNIQUE
