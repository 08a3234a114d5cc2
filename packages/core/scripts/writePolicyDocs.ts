/** Regenerates docs/policy.schema.json and docs/policy-templates/*.json; run `npx tsx packages/core/scripts/writePolicyDocs.ts && npx biome check --write docs`. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { policyDocFiles } from '../src/policy/policyDocFiles.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
for (const [path, value] of Object.entries(policyDocFiles())) {
  const file = join(root, path)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`)
  console.log(`wrote ${path}`)
}
