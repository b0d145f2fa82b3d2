// Context types are identified by (name, version); version '' when unversioned.
CREATE CONSTRAINT context_type_key IF NOT EXISTS FOR (t:ContextType) REQUIRE (t.name, t.version) IS UNIQUE
