// Known-bad: syntax error (RETRN) in the second statement.
MATCH (n:Account) RETURN count(n);
MATCH (n:Account) RETRN n;
