// resolve_ref — what a name may mean in a repository: a branch's head, a tag's target,
// and up to two commits whose sha starts with it (two: the prefix is ambiguous).
// params: $repo, $name, $branchKey (repo/name), $tagKey (repo/name)
// returns: branch (head sha or null), tag (target sha or null), shas (list)
OPTIONAL MATCH (b:Branch {key: $branchKey})
OPTIONAL MATCH (t:Tag {key: $tagKey})
CALL () {
  MATCH (c:Commit)
  WHERE size($name) >= 7 AND c.sha STARTS WITH $name AND c.repo = $repo
  WITH c LIMIT 2
  RETURN collect(c.sha) AS shas
}
RETURN b.head AS branch, t.target AS tag, shas
