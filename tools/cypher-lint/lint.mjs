// Lint Cypher statements with Neo4j's own Cypher linter
// (@neo4j-cypher/language-support: the parser and semantic analysis used by
// Neo4j Browser / Workspace / the VS Code extension).
//
// stdin:  JSON array of {"source": string, "statement": string}
// stdout: JSON array of
//         {"source", "severity": "error"|"warning", "message", "line", "column"}
//         (line and column are 1-based; "line" counts from the first line of
//         the statement text as given, comment header lines included)
//
// Exit status: 0 whenever the statements were linted, whatever was found (the
// caller decides what fails); 2 when the input is unusable; 1 on a crash
// (e.g. the npm dependencies are not installed: `npm ci --prefix tools/cypher-lint`).
//
// Semantics: Cypher 5, as run by Neo4j 5.26.
//  * No database schema is given, so unknown labels, relationship types,
//    property keys, functions and procedures are never reported; the
//    parameters a statement uses are declared to the linter, so `$x` is never
//    reported as undefined either. What is reported: syntax errors, semantic
//    errors (undefined variables, type errors, removed syntax...) and the
//    server's notifications (deprecations, cartesian products...).
//  * The default language is pinned to Cypher 5. A per-query `CYPHER <n>`
//    version prefix only exists from Neo4j 2025.06 on, so it is reported as an
//    error (Neo4j 5.26 does not accept it).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

// The package's ESM build uses extension-less relative imports that Node's
// ESM loader rejects; its CommonJS bundle (dist/cjs/index.cjs) works on Node 20.
const require = createRequire(import.meta.url);
const { lintCypherQuery, parseParameters, parserWrapper } = require(
  '@neo4j-cypher/language-support',
);

const CYPHER_VERSION = 'CYPHER 5';
const ERROR = 1; // vscode-languageserver-types DiagnosticSeverity.Error

function fail(message) {
  process.stderr.write(`lint.mjs: ${message}\n`);
  process.exit(2);
}

function readInput() {
  let raw;
  try {
    raw = readFileSync(0, 'utf8');
  } catch (e) {
    fail(`cannot read stdin: ${e.message}`);
  }
  let items;
  try {
    items = JSON.parse(raw);
  } catch (e) {
    fail(`stdin is not JSON: ${e.message}`);
  }
  if (!Array.isArray(items)) fail('stdin must be a JSON array');
  items.forEach((item, i) => {
    if (
      item === null ||
      typeof item !== 'object' ||
      typeof item.source !== 'string' ||
      typeof item.statement !== 'string'
    ) {
      fail(`item ${i} is not {"source": string, "statement": string}`);
    }
  });
  return items;
}

function diagnostic(source, severity, message, line, column) {
  return { source, severity, message, line, column };
}

// `CYPHER <version>` prefixes: one per statement that has one (a text may
// hold several `;`-separated statements).
function versionPrefixErrors(source, statement) {
  const found = [];
  for (const parsed of parserWrapper.parse(statement).statementsParsing) {
    if (!parsed.cypherVersion) continue;
    const token = parsed.tokens.find(
      (t) => typeof t.text === 'string' && t.text.toUpperCase() === 'CYPHER',
    );
    found.push(
      diagnostic(
        source,
        'error',
        `Cypher language version prefix \`${parsed.cypherVersion}\` is not ` +
          'accepted by Neo4j 5.26 (per-query version selection arrived in ' +
          'Neo4j 2025.06); remove it: statements are Cypher 5',
        token ? token.line : 1,
        token ? token.column + 1 : 1,
      ),
    );
  }
  return found;
}

function lintOne({ source, statement }) {
  if (statement.trim() === '') {
    return [diagnostic(source, 'error', 'empty statement', 1, 1)];
  }
  const parameters = Object.fromEntries(
    parseParameters(statement).map((name) => [name, null]),
  );
  const dbSchema = { parameters, defaultLanguage: CYPHER_VERSION };
  const found = lintCypherQuery(statement, dbSchema).map((d) =>
    diagnostic(
      source,
      d.severity === ERROR ? 'error' : 'warning',
      d.message,
      d.range.start.line + 1,
      d.range.start.character + 1,
    ),
  );
  found.push(...versionPrefixErrors(source, statement));

  const seen = new Set();
  return found
    .filter((d) => {
      const key = JSON.stringify([d.severity, d.message, d.line, d.column]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

const results = [];
for (const item of readInput()) {
  try {
    results.push(...lintOne(item));
  } catch (e) {
    results.push(
      diagnostic(
        item.source,
        'error',
        `the Cypher linter crashed on this statement: ${e && e.stack ? e.stack : e}`,
        1,
        1,
      ),
    );
  }
}
process.stdout.write(JSON.stringify(results) + '\n');
