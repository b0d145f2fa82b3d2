// Execution types are identified by (name, version); version '' when unversioned.
CREATE CONSTRAINT execution_type_key IF NOT EXISTS FOR (t:ExecutionType) REQUIRE (t.name, t.version) IS UNIQUE
