#!/usr/bin/env node
// Offline Cypher linter for netmap (Neo4j 5 / Cypher 5), built on @neo4j-cypher/language-support.
//
//   node lint.mjs [options] [FILE.cypher ...] [--queries QUERIES.json ...]
//
// .cypher files: one or more statements separated by `;`, comments allowed. Parameters are
//   declared with comment lines `// @param NAME TYPE [description]`
//   (TYPE: STRING INTEGER FLOAT BOOLEAN LIST MAP ANY); any other `$param` is an error.
// --queries FILE.json: [{"name": str, "query": str, "params": [names...]}, ...]
//   ("params" may also be an object {name: value}).
// --schema FILE.json: optional extra DbSchema fields (labels, relationshipTypes, propertyKeys,
//   functions, procedures ...). When both labels and relationshipTypes are given, unknown ones
//   are reported as warnings.
// --signatures FILE.json | --no-signatures: function/procedure registry used to flag unknown
//   functions/procedures (default: signatures/neo4j-5.26.json next to this file, if present).
//
// Output: `where:line:col: severity: message` per problem (1-based line and column), then
// `N queries linted, E errors, W warnings`. Exit 0 = no errors, 1 = errors, 2 = bad usage/input.

import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package's ESM build uses extension-less relative imports that Node's ESM loader rejects,
// so load the CommonJS build.
const require = createRequire(import.meta.url);
const { lintCypherQuery, parserWrapper } = require('@neo4j-cypher/language-support');

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_SIGNATURES = join(HERE, 'signatures', 'neo4j-5.26.json');

// A plausible value per declared type. The linter only checks that a parameter is declared
// (value !== undefined); the values are never used for type checking.
const PARAM_TYPES = {
  STRING: 'x',
  INTEGER: 1,
  FLOAT: 1.5,
  BOOLEAN: true,
  LIST: [],
  MAP: {},
  ANY: null,
};
const PARAM_RE = /^\s*\/\/\s*@param\b\s*(\S+)?\s*(\S+)?(.*)$/;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

function usage(msg) {
  if (msg) process.stderr.write(`cypher-lint: ${msg}\n`);
  process.stderr.write(
    'usage: lint [--schema S.json] [--signatures F.json | --no-signatures]\n' +
      '            [FILE.cypher ...] [--queries QUERIES.json ...]\n',
  );
  process.exit(2);
}

function readJson(path, what) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    usage(`cannot read ${what} ${path}: ${e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    usage(`${path}: invalid JSON: ${e.message}`);
  }
}

// ---- arguments --------------------------------------------------------------------------------
const files = [];
const queryFiles = [];
let schemaFile;
let signaturesFile = existsSync(DEFAULT_SIGNATURES) ? DEFAULT_SIGNATURES : undefined;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = () => {
    if (i + 1 >= argv.length) usage(`missing value for ${a}`);
    return argv[++i];
  };
  if (a === '--queries') queryFiles.push(value());
  else if (a.startsWith('--queries=')) queryFiles.push(a.slice('--queries='.length));
  else if (a === '--schema') schemaFile = value();
  else if (a.startsWith('--schema=')) schemaFile = a.slice('--schema='.length);
  else if (a === '--signatures') signaturesFile = value();
  else if (a.startsWith('--signatures=')) signaturesFile = a.slice('--signatures='.length);
  else if (a === '--no-signatures') signaturesFile = undefined;
  else if (a === '-h' || a === '--help') usage();
  else if (a === '--') files.push(...argv.splice(i + 1));
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else files.push(a);
}
if (files.length === 0 && queryFiles.length === 0) usage('nothing to lint');

const baseSchema = { defaultLanguage: 'CYPHER 5' };
if (signaturesFile) {
  const sig = readJson(signaturesFile, 'signatures');
  if (sig.functions) baseSchema.functions = sig.functions;
  if (sig.procedures) baseSchema.procedures = sig.procedures;
}
if (schemaFile) {
  const extra = readJson(schemaFile, 'schema');
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    usage(`${schemaFile}: expected a JSON object (DbSchema)`);
  }
  Object.assign(baseSchema, extra);
}

// ---- linting ----------------------------------------------------------------------------------
let nQueries = 0;
let nErrors = 0;
let nWarnings = 0;

function report(where, line, col, severity, message) {
  if (severity === 'error') nErrors++;
  else if (severity === 'warning') nWarnings++;
  const oneLine = String(message).replace(/\s*\n\s*/g, ' ').trim();
  process.stdout.write(`${where}:${line}:${col}: ${severity}: ${oneLine}\n`);
}

// Splits like lintCypherQuery does. A "statement" that is empty once comments are removed (a
// comment after the last `;`, or a comment-only file) gets a bogus "Expected any of CYPHER,
// EXPLAIN, PROFILE or a statement" error from the library; Neo4j itself accepts such input, so
// those errors are dropped.
function splitStatements(query) {
  const parsed = parserWrapper.parse(query, false);
  const real = [];
  const ignore = new Set();
  for (const s of parsed.statementsParsing) {
    if (s.command.type === 'cypher' && s.command.statement.trim().length === 0) {
      for (const e of s.syntaxErrors ?? []) ignore.add(`${e.offsets?.start}:${e.message}`);
    } else {
      real.push(s);
    }
  }
  return { statements: real, ignore };
}

// Lints `query`; `params` maps declared names to plausible values. Returns the set of used
// parameter names.
function lint(where, query, params) {
  const { statements, ignore } = splitStatements(query);
  nQueries += statements.length;
  const used = new Set();
  for (const s of statements) {
    for (const p of s.collectedParameters ?? []) used.add(p.name.replace(/^`|`$/g, ''));
  }
  const schema = { ...baseSchema, parameters: { ...(baseSchema.parameters ?? {}), ...params } };
  const seen = new Set();
  const diagnostics = lintCypherQuery(query, schema, false);
  for (const d of diagnostics) {
    if (ignore.has(`${d.offsets?.start}:${d.message}`)) continue;
    const line = d.range.start.line + 1;
    const col = d.range.start.character + 1;
    const key = `${line}:${col}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    report(where, line, col, SEVERITY[d.severity] ?? 'error', d.message);
  }
  return { statements: statements.length, used };
}

function lintCypherFile(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    report(path, 1, 1, 'error', `cannot read file: ${e.message}`);
    return;
  }
  const params = {};
  const declaredAt = {};
  text.split(/\r?\n/).forEach((line, i) => {
    const m = PARAM_RE.exec(line);
    if (!m) return;
    const [, name, type] = m;
    const col = line.indexOf('@param') + 1;
    if (!name || !type) {
      report(path, i + 1, col, 'error', 'malformed @param: expected `// @param NAME TYPE [description]`');
      return;
    }
    const bare = name.replace(/^\$/, '');
    if (!NAME_RE.test(bare)) {
      report(path, i + 1, col, 'error', `invalid parameter name in @param: ${name}`);
      return;
    }
    const t = type.toUpperCase();
    if (!(t in PARAM_TYPES)) {
      report(path, i + 1, col, 'error',
        `unknown @param type ${type} (use one of ${Object.keys(PARAM_TYPES).join(', ')})`);
      return;
    }
    if (bare in params) report(path, i + 1, col, 'warning', `parameter $${bare} declared twice`);
    params[bare] = PARAM_TYPES[t];
    declaredAt[bare] = [i + 1, col];
  });
  const { statements, used } = lint(path, text, params);
  if (statements === 0) report(path, 1, 1, 'warning', 'no Cypher statement found');
  for (const [name, [line, col]] of Object.entries(declaredAt)) {
    if (!used.has(name)) report(path, line, col, 'warning', `parameter $${name} is declared but not used`);
  }
}

function lintQueriesFile(path) {
  const data = readJson(path, 'queries file');
  if (!Array.isArray(data)) usage(`${path}: expected a JSON list of {name, query, params}`);
  data.forEach((entry, i) => {
    const where = entry && typeof entry.name === 'string' && entry.name ? entry.name : `${path}[${i}]`;
    if (!entry || typeof entry !== 'object' || typeof entry.query !== 'string') {
      report(where, 1, 1, 'error', `${path}[${i}]: entry needs a string "query"`);
      return;
    }
    const params = {};
    const p = entry.params ?? [];
    if (Array.isArray(p)) {
      for (const name of p) params[String(name).replace(/^\$/, '')] = null;
    } else if (typeof p === 'object' && p !== null) {
      for (const [name, value] of Object.entries(p)) params[name.replace(/^\$/, '')] = value ?? null;
    } else {
      report(where, 1, 1, 'error', `${path}[${i}]: "params" must be a list of names or an object`);
      return;
    }
    const { statements } = lint(where, entry.query, params);
    if (statements === 0) report(where, 1, 1, 'warning', 'empty query');
  });
}

for (const f of files) lintCypherFile(f);
for (const q of queryFiles) lintQueriesFile(q);

// fixed wording (always plural) so that scripts can match it
process.stdout.write(`${nQueries} queries linted, ${nErrors} errors, ${nWarnings} warnings\n`);
process.exitCode = nErrors > 0 ? 1 : 0;
