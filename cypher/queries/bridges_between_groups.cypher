// name: bridges_between_groups
// description: Accounts tied to members of both stance groups: a tie is a share, quote, reply or link between two accounts' posts, or a mention, in either direction. Ranked by the smaller of the two tie counts, then by their sum.
// @param group_a STRING first stance group
// @param group_b STRING second stance group
// @param limit INTEGER accounts to return (default: 20)
MATCH (o:Account)
WHERE o.group IN [$group_a, $group_b]
CALL (o) {
  MATCH (o)-[:AUTHORED]->(:Post)-[:SHARES|QUOTES|REPLIES_TO|LINKS_TO]-(:Post)<-[:AUTHORED]-(b:Account)
  RETURN b
  UNION
  MATCH (o)-[:AUTHORED]->(:Post)-[:MENTIONS]->(b:Account)
  RETURN b
  UNION
  MATCH (o)<-[:MENTIONS]-(:Post)<-[:AUTHORED]-(b:Account)
  RETURN b
}
WITH DISTINCT b, o
WHERE b <> o
WITH b,
     count(CASE WHEN o.group = $group_a THEN 1 END) AS ties_a,
     count(CASE WHEN o.group = $group_b THEN 1 END) AS ties_b
WHERE ties_a > 0 AND ties_b > 0
RETURN b.key AS key, b.name AS name, b.platform AS platform, b.group AS group, ties_a, ties_b
ORDER BY CASE WHEN ties_a < ties_b THEN ties_a ELSE ties_b END DESC, ties_a + ties_b DESC, key
LIMIT $limit;
