/**
 * Keeps the store the only place with SQL: no file outside packages/store (source, scripts, tests, fixtures,
 * benchmarks) holds a statement in a string, calls `.query(`, or imports a database driver. Source calls store
 * functions; tests call those or the named operations of `@bursar/store/test-support`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))

/**
 * TEMPORARY: route files being rewritten onto store functions (issue 7). Each entry must name a file that still
 * holds SQL; remove it the moment the file no longer does (the last test below fails until then).
 */
const temporarilyAllowed: readonly string[] = []

// Statement shapes, matched in the text of string and template literals (a template's substitutions read as `?`).
// Each wants SQL's own grammar around the keyword, so prose ("select a wallet", "update the policy") passes.
const sqlPatterns: readonly RegExp[] = [
  /\bselect\s+(?:\*|\d|distinct\b|count\s*\(|exists\s*\(|coalesce\s*\(|max\s*\(|min\s*\(|sum\s*\(|pg_\w+\s*\()/i,
  /\bselect\s+(?!(?:a|an|the|one|your|this|that|which|how)\b)[^;]*?\bfrom\s+[a-z_][\w.]*(?:\s+[a-z_]\w*)?(?:\s+(?:where|(?:left\s+|right\s+|inner\s+|cross\s+|full\s+)?join|order\s+by|group\s+by|limit|for\s+update)\b|\s*\)|\s*$)/i,
  /\binsert\s+into\s+[a-z_]\w*\s*[(\s]/i,
  /\bupdate\s+[a-z_]\w*(?:\s+[a-z_]\w*)?\s+set\s+[a-z_]\w*\s*=/i,
  /\bdelete\s+from\s+[a-z_]\w*/i,
  /\b(?:create|alter|drop)\s+(?:table|index|database|schema|extension|view|sequence)\b/i,
  /\b(?:release\s+|rollback\s+to\s+)?savepoint\s+(?:[a-z_]\w*|\?)/i,
  /\bfor\s+update\s+(?:of\s+[a-z_]\w*|skip\s+locked|nowait)\b/i,
  /\bpg_advisory(?:_xact)?_lock\b/i,
  /\bon\s+conflict\s*\(/i,
  /\breturning\s+\*/i,
  // A bind parameter or a cast to a PostgreSQL type: prose has neither (`$1,000` is money, not a parameter).
  /(?:[=<>]|\b(?:any|in|values)\s*\(|\blimit\s)\s*\$\d+\b(?![.,]\d)/i,
  /::(?:jsonb?|text|int[248]?|bigint|numeric|timestamptz|boolean|uuid)\b/i,
]

const driverModule = /^(?:pg|pg-[\w.-]+|@electric-sql\/pglite)(?:\/.*)?$/

type SqlFinding = { line: number; kind: 'sql' | 'query-call' | 'driver-import'; text: string }

/** Every place in one TypeScript source that holds SQL, calls `.query(`, or imports a database driver. */
function findSql(fileName: string, source: string): SqlFinding[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true)
  const findings: SqlFinding[] = []
  const report = (node: ts.Node, kind: SqlFinding['kind'], text: string) => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file))
    findings.push({ line: line + 1, kind, text: text.replace(/\s+/g, ' ').slice(0, 120) })
  }
  const checkModule = (node: ts.Node, specifier: ts.Node | undefined) => {
    if (specifier && ts.isStringLiteralLike(specifier) && driverModule.test(specifier.text)) {
      report(node, 'driver-import', specifier.text)
    }
  }
  const checkText = (node: ts.Node, text: string) => {
    if (sqlPatterns.some((pattern) => pattern.test(text))) report(node, 'sql', text)
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      checkModule(node, node.moduleSpecifier)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      checkModule(node, node.moduleReference.expression)
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression
      if (callee.kind === ts.SyntaxKind.ImportKeyword) checkModule(node, node.arguments[0])
      if (ts.isIdentifier(callee) && callee.text === 'require') checkModule(node, node.arguments[0])
      if (
        (ts.isPropertyAccessExpression(callee) || ts.isPropertyAccessChain(callee)) &&
        callee.name.text === 'query'
      ) {
        report(node, 'query-call', node.getText(file))
      }
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      checkText(node, node.text)
      return
    } else if (ts.isTemplateExpression(node)) {
      checkText(node, [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('?'))
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return findings
}

const sourceExtension = /\.(?:ts|tsx|mts|cts)$/

/**
 * Every TypeScript file outside packages/store, tests and fixtures included: all of packages/* but the store
 * (src, scripts, test, and any other folder), bench/ and the root test/; root-relative.
 */
function filesOutsideStore(): string[] {
  const directories = [join(root, 'bench'), join(root, 'test')]
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'store') continue
    directories.push(join(root, 'packages', entry.name))
  }
  const files: string[] = []
  for (const directory of directories) {
    let names: string[]
    try {
      names = readdirSync(directory, { recursive: true, encoding: 'utf8' })
    } catch {
      continue // no such folder
    }
    for (const name of names) {
      if (name.split(sep).includes('node_modules')) continue
      if (sourceExtension.test(name)) {
        files.push(relative(root, join(directory, name)).split(sep).join('/'))
      }
    }
  }
  return files.sort()
}

describe('SQL only in the store', () => {
  test('the check sees a statement, a .query( call and a driver import, and passes prose', () => {
    const kinds = (source: string) => findSql('sample.ts', source).map((finding) => finding.kind)
    expect(kinds("await tx.query('update intents set attempts = attempts + 1 where id = $1', [id])")).toEqual(
      ['query-call', 'sql'],
    )
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template literal's source, as text
    expect(kinds('const text = `select i.* from intents i where i.id = ${p(id)}`')).toEqual(['sql'])
    expect(kinds("run(`insert into audit_log (ts, action) values ($1, 'x')`)")).toEqual(['sql'])
    expect(kinds("const q = 'delete from api_keys where id = $1'")).toEqual(['sql'])
    expect(kinds("lock('select pg_advisory_xact_lock(7442020)')")).toEqual(['sql'])
    expect(kinds('const [row] = await db.query<{ n: number }>(text)')).toEqual(['query-call'])
    expect(kinds("import pg from 'pg'")).toEqual(['driver-import'])
    expect(kinds("import type { PoolClient } from 'pg-pool'")).toEqual(['driver-import'])
    expect(kinds("const { PGlite } = await import('@electric-sql/pglite')")).toEqual(['driver-import'])
    expect(
      kinds(
        [
          "// select the newest policy from the list; update the agent's state",
          "const help = 'Select a wallet from the list, then update the policy and delete the draft.'",
          "const prompts = ['Select a network from the list', 'Checking for update', 'rollback to the previous version']",
          "const fee = 'costs $5 and $6 in fees, or $1 at least'",
          "test('0.5 ETH = $1,000: equal to the per-tx limit')",
          'const parsed = parseWith(route.query, request.query, "query")',
          "const kind = 'pglite'",
          "import { createDb } from '@bursar/store'",
        ].join('\n'),
      ),
    ).toEqual([])
  })

  test('no file outside packages/store, tests included, holds SQL, calls .query( or imports a database driver', () => {
    const files = filesOutsideStore()
    expect(files.length).toBeGreaterThan(50)
    // Tests and fixtures are checked too, not only source.
    for (const expected of [
      'bench/run.ts',
      'packages/server/test/moneyPath.test.ts',
      'packages/server/src/events/createAuditTail.test.ts',
      'packages/testing/src/database.ts',
      'test/packageDependencies.test.ts',
    ])
      expect(files).toContain(expected)
    const offending: string[] = []
    for (const file of files) {
      if (temporarilyAllowed.includes(file)) continue
      for (const finding of findSql(file, readFileSync(join(root, file), 'utf8'))) {
        offending.push(`${file}:${finding.line} ${finding.kind}: ${finding.text}`)
      }
    }
    expect(
      offending,
      'move these into a function of packages/store/src (or, for tests, of packages/store/test-support)',
    ).toEqual([])
  })

  test('every temporary allowlist entry still needs to be there', () => {
    const stale = temporarilyAllowed.filter(
      (file) => findSql(file, readFileSync(join(root, file), 'utf8')).length === 0,
    )
    expect(stale, 'these files hold no SQL any more: remove them from temporarilyAllowed').toEqual([])
  })
})
