// list_types — every type of one kind, by name then version.
// params: none
// returns: types (list of type maps)
MATCH (t:/*%type_label*/ArtifactType/*%*/)
WITH t ORDER BY t.name, t.version
RETURN collect(t {.*}) AS types
