// commit_window — a repository's commits whose generation is in [$lo, $hi], highest first,
// at most $limit (history walks read history window by window, never all of it at once).
// params: $repo, $lo, $hi, $limit, $path (null when no blob is wanted)
// returns: commits (list of {sha, repo, message, author, createdAt, generation, treeSha,
//          parents, metadata, pathBlob})
MATCH (c:Commit)
WHERE c.repo = $repo AND c.generation >= $lo AND c.generation <= $hi
WITH c ORDER BY c.generation DESC LIMIT $limit
OPTIONAL MATCH (t:Tree {sha: c.treeSha})
  WHERE $path IS NOT NULL
RETURN collect(c {.sha, .repo, .message, .author, .createdAt, .generation, .treeSha, .parents,
                  .metadata, pathBlob: CASE WHEN t IS NULL THEN null ELSE
                    head([i IN range(0, size(t.paths) - 1) WHERE t.paths[i] = $path |
                          t.blobs[i]]) END}) AS commits
