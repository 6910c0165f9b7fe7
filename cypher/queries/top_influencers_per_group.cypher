// name: top_influencers_per_group
// description: The most influential accounts of each stance group (or of one group): ranked by PageRank (from `netmap analyze`), then by reach, the number of other accounts whose posts share, quote, reply to or link one of the account's posts.
// @param group STRING stance group to rank (null: every group)
// @param limit INTEGER accounts per group (default: 10)
MATCH (a:Account)
WHERE a.group IS NOT NULL AND ($group IS NULL OR a.group = $group)
OPTIONAL MATCH (a)-[:AUTHORED]->(:Post)<-[:SHARES|QUOTES|REPLIES_TO|LINKS_TO]-(:Post)<-[:AUTHORED]-(o:Account)
  WHERE o <> a
WITH a, count(DISTINCT o) AS reach
// accounts without a PageRank rank after every account with one
ORDER BY a.group, coalesce(a.pagerank, -1.0) DESC, reach DESC, a.key
WITH a.group AS group,
     collect({key: a.key, name: a.name, platform: a.platform, pagerank: a.pagerank, reach: reach})[..$limit] AS top
UNWIND range(0, size(top) - 1) AS i
RETURN group, i + 1 AS rank, top[i].key AS key, top[i].name AS name,
       top[i].platform AS platform, top[i].pagerank AS pagerank, top[i].reach AS reach
ORDER BY group, rank;
