// MLMD clients look execution types up by external id.
CREATE INDEX execution_type_external_id IF NOT EXISTS FOR (t:ExecutionType) ON (t.externalId)
