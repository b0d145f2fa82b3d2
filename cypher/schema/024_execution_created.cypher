// Executions by creation-time range, and the default order of listings.
CREATE INDEX execution_created IF NOT EXISTS FOR (n:Execution) ON (n.createdAt)
