/**
 * Proves @bursar/core runs in a browser: esbuild bundles it for platform 'browser' (a `node:*` import anywhere in
 * its graph fails the build), and the bundle validates policies in a V8 context that has no Node API at all.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runInNewContext } from 'node:vm'
import { build } from 'esbuild'
import { describe, expect, test } from 'vitest'

const testDir = dirname(fileURLToPath(import.meta.url))
const manifest = JSON.parse(readFileSync(join(testDir, '../package.json'), 'utf8')) as {
  exports: Record<string, string>
}
/** Subpaths only Node processes load; everything else in the exports map must bundle for a browser. */
const nodeOnly = new Set(['./cedar-node'])
const browserSubpaths = Object.keys(manifest.exports).filter((subpath) => !nodeOnly.has(subpath))

type Bundle = { code: string; inputs: string[] }

async function bundleForBrowser(entry: string): Promise<Bundle> {
  const result = await build({
    stdin: { contents: entry, resolveDir: testDir, sourcefile: 'entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) }
}

/**
 * Runs a bundle in a fresh V8 context holding only what a browser page also has (no require, process, Buffer or
 * module loader), passing JSON text in and out so no object crosses between the two realms.
 */
function runInBrowserLikeContext(code: string, globals: Record<string, unknown> = {}): unknown {
  const context: Record<string, unknown> = { TextEncoder, TextDecoder, console, ...globals }
  // A function scope stands in for module scope: the bundle's top-level names must not become the page's globals.
  runInNewContext(`(() => {\n${code}\n})()`, context, { filename: 'bundle.js' })
  return JSON.parse(context.output as string)
}

const validationEntry = (setup: string, options: string) => `
  import { validatePolicy } from '@bursar/core/policy'
  ${setup}
  const documents = JSON.parse(globalThis.input)
  globalThis.output = JSON.stringify({
    nodeApis: ['process', 'require', 'Buffer', 'module'].filter((name) => name in globalThis),
    results: documents.map((document) => {
      const result = validatePolicy(document, ${options})
      return result.ok ? { ok: true, warnings: result.warnings } : { ok: false, issues: result.issues }
    }),
  })
`

const validDocument = {
  limits: { perTransaction: [{ asset: 'anvil:native', max: '1000000000000000000' }] },
  recipients: { allow: ['0x70997970c51812dc3a010c7d01b50e0d17dc79c8'] },
  contracts: { selectors: { deny: ['approve(address,uint256)'] } },
}
const invalidDocument = {
  limits: { windows: [{ window: '1h', asset: 'anvil:native', max: '-1' }] },
  colour: 'blue',
}

describe('@bursar/core in a browser', () => {
  test('every entry point but cedar-node bundles for the browser, without Node built-ins or Cedar’s Node build', async () => {
    const imports = browserSubpaths.map(
      (subpath, index) => `import * as m${index} from '@bursar/core${subpath.slice(1)}'`,
    )
    const used = `globalThis.modules = [${browserSubpaths.map((_, index) => `m${index}`).join(', ')}]`
    const { inputs } = await bundleForBrowser(`${imports.join('\n')}\n${used}\n`)
    expect(browserSubpaths).toContain('./policy')
    expect(inputs.filter((input) => /\/cedar-node\/|cedar-wasm\/nodejs\/|^node:/.test(input))).toEqual([])
  })

  test('error: a node:* import in the graph fails the build', async () => {
    await expect(
      bundleForBrowser(`import { readFileSync } from 'node:fs'\nglobalThis.read = readFileSync\n`),
    ).rejects.toThrow(/node:fs/)
  })

  test('validates policy documents without Node: a valid one is ok, an invalid one lists issues with paths', async () => {
    const { code } = await bundleForBrowser(validationEntry('', '{}'))
    const output = runInBrowserLikeContext(code, {
      input: JSON.stringify([validDocument, invalidDocument]),
    }) as { nodeApis: string[]; results: unknown[] }
    expect(output.nodeApis).toEqual([])
    expect(output.results).toEqual([
      { ok: true, warnings: [] },
      {
        ok: false,
        issues: expect.arrayContaining([
          { path: '$.colour', message: 'is not a known field' },
          expect.objectContaining({ path: '$.limits.windows[0].max' }),
        ]),
      },
    ])
  })

  test('validates Cedar rules with the web build of cedar-wasm injected as the engine', async () => {
    const setup = `
      import { checkParsePolicySet, initSync, policyToJson, preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/web'
      import { createCedarEngine } from '@bursar/core/policy'
      initSync({ module: globalThis.cedarWasm })
      const cedar = createCedarEngine(() => ({ checkParsePolicySet, policyToJson, preparsePolicySet, statefulIsAuthorized }))
    `
    const { code, inputs } = await bundleForBrowser(validationEntry(setup, '{ cedar }'))
    const webBuild = inputs.find((input) => input.endsWith('cedar-wasm/web/cedar_wasm.js'))
    expect(webBuild).toBeDefined()
    const cedarWasm = readFileSync(join(dirname(webBuild!), 'cedar_wasm_bg.wasm'))
    const forbidLarge = 'forbid (principal, action, resource) when { context.amountLong > 100 };'
    const output = runInBrowserLikeContext(code, {
      cedarWasm,
      input: JSON.stringify([
        { ...validDocument, cedar: [{ id: 'no-large', policy: forbidLarge }] },
        {
          cedar: [
            { id: 'broken', policy: 'forbid (principal, action, resource) when { context.amountLong > };' },
          ],
        },
      ]),
    }) as { results: Array<{ ok: boolean; issues?: Array<{ path: string }> }> }
    expect(output.results[0]).toMatchObject({ ok: true })
    expect(output.results[1]).toMatchObject({ ok: false, issues: [{ path: '$.cedar[0].policy' }] })
  })
})
