/** Building blocks of the HTTP API's schemas: amounts, ids, timestamps, pages, the error body. */
import { z } from 'zod'

export const decimalString = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer in base units, as a decimal string')
  .max(78)
  .describe('Integer amount in base units (wei, token base units) as a decimal string')

/** A sum of amounts (a window's usage, a batch of approvals) may exceed 2^256: no length cap. */
export const decimalSum = z.string().regex(/^(0|[1-9][0-9]*)$/)

// Each chain family checks its own address form (INVALID_ADDRESS); here only what no chain's address contains.
export const address = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'must be an address of the network: printable ASCII, no spaces')
  .describe("An address in the network's own form (EVM: 0x-prefixed hex, EIP-55 checksum if mixed case)")

export const hexData = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, 'must be 0x-prefixed hex bytes')

/** Ids Bursar issues are short; anything longer in a path is refused before it reaches the database. */
export const idParam = z.string().min(1).max(64)
export const idParams = z.object({ id: idParam })

export const timestamp = z.string().describe('ISO 8601 timestamp (UTC)')

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
    request_id: z.string(),
  }),
})
export type ErrorBody = z.infer<typeof errorBodySchema>

/** `{ data: [...] }`: a list returned whole. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) })
