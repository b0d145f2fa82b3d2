// types_by_key — types of one kind by (name, version).
// params: $keys: list of {name, version ('' when unversioned)}
// returns: types (list of type maps)
UNWIND $keys AS key
MATCH (t:/*%type_label*/ArtifactType/*%*/ {name: key.name, version: key.version})
RETURN collect(t {.*}) AS types
