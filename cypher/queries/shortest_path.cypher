// name: shortest_path
// description: The shortest connections between two accounts over any relationships, ignoring direction (up to 10 hops): one row per step of each path (at most 25 paths, in a fixed order), with the relationship that leads to the step and its direction.
// @param from STRING key of the first Account
// @param to STRING key of the second Account
MATCH (a:Account {key: $from})
MATCH (b:Account {key: $to})
WHERE a <> b
MATCH p = allShortestPaths((a)-[*..10]-(b))
WITH nodes(p) AS ns, relationships(p) AS rs
WITH [n IN ns | n.key] AS keys,
     [n IN ns | labels(n)[0]] AS labs,
     [r IN rs | type(r)] AS types,
     [i IN range(0, size(rs) - 1) | CASE WHEN startNode(rs[i]) = ns[i] THEN '->' ELSE '<-' END] AS dirs
ORDER BY keys, labs, types, dirs
LIMIT 25
WITH collect({keys: keys, labs: labs, types: types, dirs: dirs}) AS paths
UNWIND range(0, size(paths) - 1) AS pi
WITH pi, paths[pi] AS path
UNWIND range(0, size(path.keys) - 1) AS step
RETURN pi + 1 AS path, step, path.labs[step] AS label, path.keys[step] AS key,
       CASE WHEN step = 0 THEN null ELSE path.types[step - 1] END AS rel,
       CASE WHEN step = 0 THEN null ELSE path.dirs[step - 1] END AS direction
ORDER BY path, step;
