// name: activity_per_day
// description: Posts per day, platform and stance group of the author, with the number of distinct authors, between two days (inclusive; created_at is ISO-8601 UTC).
// @param since STRING first day, YYYY-MM-DD (null: from the start)
// @param until STRING last day, YYYY-MM-DD (null: to the end)
MATCH (p:Post)
WHERE p.created_at IS :: STRING NOT NULL
WITH p, substring(p.created_at, 0, 10) AS day
WHERE ($since IS NULL OR day >= $since) AND ($until IS NULL OR day <= $until)
OPTIONAL MATCH (a:Account)-[:AUTHORED]->(p)
RETURN day, p.platform AS platform, a.group AS group, count(DISTINCT p) AS posts,
       count(DISTINCT a) AS accounts
ORDER BY day, platform, group;
