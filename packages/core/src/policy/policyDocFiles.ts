/** The generated documentation files (JSON Schema, templates as JSON), as data: written by a script, checked by a test. */
import { z } from 'zod'
import { policyDocumentSchema } from './policyDocumentSchema.ts'
import { policyTemplates } from './policyTemplates.ts'

/** Repository-relative path → JSON value. */
export function policyDocFiles(): Record<string, unknown> {
  const files: Record<string, unknown> = {
    'docs/policy.schema.json': z.toJSONSchema(policyDocumentSchema, { target: 'draft-2020-12' }),
  }
  for (const [name, template] of Object.entries(policyTemplates)) {
    files[`docs/policy-templates/${name}.json`] = { $schema: '../policy.schema.json', ...template }
  }
  return files
}
