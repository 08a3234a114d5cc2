import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { policyDocFiles } from './policyDocFiles.ts'
import { policyReasonCodes } from './policyReasonCodes.ts'
import { policyWarningCodes } from './policyWarningCodes.ts'
import { validatePolicy } from './validatePolicy.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..')
const regenerate =
  'Regenerate with: npx tsx packages/core/scripts/writePolicyDocs.ts && npx biome check --write docs'

describe('generated policy docs are up to date', () => {
  test.each(Object.entries(policyDocFiles()))('%s', (path, expected) => {
    let committed: unknown
    try {
      committed = JSON.parse(readFileSync(join(root, path), 'utf8'))
    } catch (error) {
      throw new Error(`${path} is missing or not JSON. ${regenerate}`, { cause: error })
    }
    expect(committed, `${path} differs from the code. ${regenerate}`).toEqual(expected)
  })

  test('the template files are valid policies', () => {
    for (const [path, document] of Object.entries(policyDocFiles())) {
      if (path.includes('policy-templates/')) expect(validatePolicy(document).ok, path).toBe(true)
    }
  })
})

describe('docs/policy.md', () => {
  const text = readFileSync(join(root, 'docs/policy.md'), 'utf8')
  test.each(Object.keys(policyReasonCodes))('documents reason code %s', (code) => {
    expect(text).toContain(`\`${code}\``)
  })
  test.each(Object.keys(policyWarningCodes))('documents warning code %s', (code) => {
    expect(text).toContain(`\`${code}\``)
  })
})
