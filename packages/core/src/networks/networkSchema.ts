/** Network configuration as operators write it, validated at start: a mistake here must stop Bursar, not mislead it. */
import { z } from 'zod'

const evmAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
const positiveInt = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .positive(`${what} must be positive`)
    .max(Number.MAX_SAFE_INTEGER)

export const tokenDefinitionSchema = z.strictObject({
  symbol: z.string().regex(/^[A-Za-z0-9.$_-]{1,32}$/, 'must be 1-32 letters, digits or . $ _ -'),
  address: evmAddress,
  decimals: z.number().int().min(0).max(77),
})

export const evmNetworkSchema = z
  .strictObject({
    /** The asset grammar of policies (`<network>:native`) allows exactly these names; anything else never matches. */
    name: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,63}$/,
        'must be 1-64 lowercase letters, digits or "-" (the asset key grammar)',
      ),
    family: z.literal('evm'),
    chainId: positiveInt('chainId'),
    rpcUrls: z
      .array(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }))
      .min(1, 'needs at least one RPC URL'),
    nativeSymbol: z.string().regex(/^[A-Za-z0-9.$_-]{1,32}$/),
    nativeDecimals: z.number().int().min(0).max(77),
    confirmations: positiveInt('confirmations'),
    tokens: z.array(tokenDefinitionSchema).max(1000),
    /** Fee cap per transaction, in base units of the native asset, for policies that set none (default: 0.01 native). */
    defaultMaxFee: z
      .string()
      .regex(/^(0|[1-9][0-9]{0,77})$/)
      .optional(),
  })
  .superRefine((network, context) => {
    // A token symbol names one asset on its network: "USDC" must not be two tokens, nor the native asset.
    const symbols = new Set<string>()
    network.tokens.forEach((token, index) => {
      const symbol = token.symbol.toUpperCase()
      if (symbols.has(symbol) || symbol === network.nativeSymbol.toUpperCase() || symbol === 'NATIVE') {
        context.addIssue({
          code: 'custom',
          path: ['tokens', index, 'symbol'],
          message: `symbol "${token.symbol}" is already used on ${network.name}`,
        })
      }
      symbols.add(symbol)
    })
  })
