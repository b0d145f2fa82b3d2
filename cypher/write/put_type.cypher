// put_type — create or update one type node, keyed by (name, version). A type without an
// mlmdId (created now, or before MLMD's ids were kept) gets the next of the one IdSequence
// of the three type kinds.
// params: $id (used on create), $name, $version ('' when unversioned), $baseType,
//         $description, $externalId, $schema (JSON text: property name -> type), $now (ms)
// returns: type (map of the stored type node)
MERGE (t:/*%type_label*/ArtifactType/*%*/ {name: $name, version: $version})
ON CREATE SET t.id = $id, t.createdAt = $now
SET t.baseType = $baseType, t.description = $description, t.externalId = $externalId,
    t.schema = $schema, t.updatedAt = $now
FOREACH (_ IN CASE WHEN t.mlmdId IS NULL THEN [1] ELSE [] END |
  MERGE (s:IdSequence {kind: 'Type'})
  SET s.next = coalesce(s.next, 1) + 1
  SET t.mlmdId = s.next - 1)
RETURN t {.*} AS type
