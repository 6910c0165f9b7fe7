#!/usr/bin/env bash
# Proves that the linter accepts good Cypher 5 and fails on bad input.
# Prints one line per check and `N passed, N failed`; exit 1 if any check failed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lint="$here/lint"
st="$here/selftest"
pass=0
fail=0

# check NAME EXPECTED_RC GREP_PATTERN(or empty) -- lint args...
check() {
    local name="$1" want_rc="$2" pattern="$3"
    shift 4
    local out rc
    out="$("$lint" "$@" 2>&1)"
    rc=$?
    if [[ "$rc" != "$want_rc" ]]; then
        echo "FAIL $name: exit $rc, expected $want_rc"
        printf '%s\n' "$out" | sed 's/^/    /'
        fail=$((fail + 1))
        return
    fi
    if [[ -n "$pattern" ]] && ! grep -qE -- "$pattern" <<<"$out"; then
        echo "FAIL $name: output does not match /$pattern/"
        printf '%s\n' "$out" | sed 's/^/    /'
        fail=$((fail + 1))
        return
    fi
    echo "ok   $name"
    pass=$((pass + 1))
}

check "good file passes" 0 '^4 queries linted, 0 errors, 0 warnings$' -- "$st/good.cypher"
check "syntax error fails" 1 "^$st/bad-syntax.cypher:3:19: error: Invalid input 'RETRN'" -- "$st/bad-syntax.cypher"
check "undeclared parameter fails" 1 "^$st/bad-param.cypher:4:22: error: Parameter \\\$since is not defined" -- "$st/bad-param.cypher"
check "declared parameter is accepted" 0 "" -- "$st/good.cypher"
check "queries json: undeclared param" 1 '^bad_param:2:16: error: Parameter \$limit is not defined' -- --queries "$st/queries.json"
check "queries json: summary" 1 '^2 queries linted, 1 errors, 0 warnings$' -- --queries "$st/queries.json"
check "unknown function fails" 1 '^fn:1:8: error: Function toUppr is not present' -- --queries "$st/functions.json"
check "wrong arity fails" 1 "^arity:1:8: error: Too many parameters for function 'toUpper'" -- --queries "$st/functions.json"
check "gds procedure accepted" 1 '^3 queries linted, 2 errors, 0 warnings$' -- --queries "$st/functions.json"
check "usage error" 2 'nothing to lint' --

echo "$pass passed, $fail failed"
(( fail == 0 ))
