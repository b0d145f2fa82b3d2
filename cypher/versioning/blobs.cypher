// blobs — blobs by sha, with their canonical JSON content.
// params: $shas
// returns: blobs (list of {sha, kind, content})
UNWIND $shas AS s
MATCH (b:Blob {sha: s})
RETURN collect(b {.sha, .kind, .content}) AS blobs
