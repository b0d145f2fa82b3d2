// Executions by type name.
CREATE INDEX execution_type IF NOT EXISTS FOR (n:Execution) ON (n.type)
