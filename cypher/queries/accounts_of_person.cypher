// name: accounts_of_person
// description: The accounts linked to one person across platforms (BELONGS_TO), with how each link was made and how sure it is.
// @param person STRING key of the Person
MATCH (a:Account)-[b:BELONGS_TO]->(:Person {key: $person})
RETURN a.key AS key, a.platform AS platform, a.handle AS handle, a.name AS name, a.url AS url,
       b.method AS method, b.confidence AS confidence
ORDER BY key;
