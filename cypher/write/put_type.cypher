// put_type — create or update one type node, keyed by (name, version).
// params: $id (used on create), $name, $version ('' when unversioned), $baseType,
//         $description, $schema (JSON text: property name -> type), $now (ms)
// returns: type (map of the stored type node)
MERGE (t:/*%type_label*/ArtifactType/*%*/ {name: $name, version: $version})
ON CREATE SET t.id = $id, t.createdAt = $now
SET t.baseType = $baseType, t.description = $description, t.schema = $schema, t.updatedAt = $now
RETURN t {.*} AS type
