/**
 * Each package declares what it imports: a package moved or published on its own must not lean on whatever the
 * workspace root happens to install. Source may import only `dependencies` (and the package itself); tests,
 * scripts and fixtures may also use `devDependencies`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'

const root = join(import.meta.dirname, '..')
const packagesDir = join(root, 'packages')
const builtins = new Set(builtinModules)

type Manifest = {
  name: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

function filesUnder(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names.flatMap((name) => {
    const path = join(dir, name)
    if (name === 'node_modules') return []
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ts|mjs|js)$/.test(name) ? [path] : []
  })
}

// Static imports, re-exports, dynamic imports with a literal, and import.meta.resolve / require.resolve of one.
const specifierPattern =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:require|import\.meta)\.resolve\(\s*['"]([^'"]+)['"]/gm

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. Relative paths and built-ins: undefined. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined
  const parts = specifier.split('/')
  const name = specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!
  return builtins.has(name) ? undefined : name
}

const isDevFile = (path: string) =>
  /(^|\/)(test|test-support|scripts)\//.test(path) ||
  path.endsWith('.test.ts') ||
  path.startsWith('src/testFixtures')

const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest
const packages = readdirSync(packagesDir).filter((name) => statSync(join(packagesDir, name)).isDirectory())

describe('package manifests', () => {
  test('the import scanner sees the forms we use', () => {
    const found = (text: string) =>
      [...text.matchAll(specifierPattern)].map((m) => packageOf(m[1] ?? m[2] ?? m[3] ?? m[4] ?? ''))
    expect(found("import { z } from 'zod'\nimport type { A } from '@bursar/core/api'")).toEqual([
      'zod',
      '@bursar/core',
    ])
    expect(found("export { a } from 'viem/accounts'\nawait import('pg')")).toEqual(['viem', 'pg'])
    expect(found("import { x } from './x.ts'\nimport fs from 'node:fs'\nimport path from 'path'")).toEqual([
      undefined,
      undefined,
      undefined,
    ])
  })

  for (const name of packages) {
    test(`@bursar/${name} declares every package it imports`, () => {
      const dir = join(packagesDir, name)
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest
      const production = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {})])
      const everything = new Set([
        ...production,
        // The test runner and compiler are the workspace's own.
        ...Object.keys(rootManifest.devDependencies ?? {}),
        ...Object.keys(manifest.devDependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
      ])
      const missing: string[] = []
      for (const file of ['src', 'scripts', 'test', 'test-support', 'bin'].flatMap((sub) =>
        filesUnder(join(dir, sub)),
      )) {
        const path = relative(dir, file)
        const allowed = isDevFile(path) ? everything : production
        for (const match of readFileSync(file, 'utf8').matchAll(specifierPattern)) {
          const dependency = packageOf(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '')
          if (dependency !== undefined && !allowed.has(dependency)) missing.push(`${path}: ${dependency}`)
        }
      }
      expect([...new Set(missing)]).toEqual([])
    })
  }
})
