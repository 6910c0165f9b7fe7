// Known-bad: $since is used but not declared.
// @param key STRING account key
MATCH (a:Account {key: $key})-[:FOLLOWS]->(b:Account)
WHERE b.created_at > $since
RETURN b.key;
