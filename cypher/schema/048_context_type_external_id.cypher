// MLMD clients look context types up by external id.
CREATE INDEX context_type_external_id IF NOT EXISTS FOR (t:ContextType) ON (t.externalId)
