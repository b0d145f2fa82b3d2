// A model's aliases, and every alias (what is in production).
CREATE INDEX alias_model IF NOT EXISTS FOR (n:Alias) ON (n.model, n.name)
