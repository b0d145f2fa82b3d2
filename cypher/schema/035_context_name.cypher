// Contexts by name.
CREATE INDEX context_name IF NOT EXISTS FOR (n:Context) ON (n.name)
