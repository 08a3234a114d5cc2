/** The running instance's view of each configured network: its adapter, who signs, and its chain identity. */
import type { AdapterContext, ChainAdapter, ChainFamily, NetworkInfo } from '@bursar/core/chains'
import type { FamilyEntry, NetworkEntry, SignerProvider } from '../context.ts'

export type RegisteredFamily = { family: ChainFamily; signers?: SignerProvider }

/** One adapter per configured network, each made by its family. */
export function createAdapters(
  networks: readonly NetworkInfo[],
  families: readonly RegisteredFamily[],
  context: AdapterContext = {},
): Array<{ adapter: ChainAdapter; registered: RegisteredFamily }> {
  const byFamily = new Map(families.map((entry) => [entry.family.family, entry]))
  return networks.map((network) => {
    const registered = byFamily.get(network.family)!
    return { registered, adapter: registered.family.createAdapter(network, context) }
  })
}

/**
 * The entries handlers and workers use. `verified` names the networks whose chain was checked already (at start);
 * the others check theirs before their first signature.
 */
export function networkEntries(
  adapters: ReturnType<typeof createAdapters>,
  keystore: SignerProvider,
  verified: ReadonlySet<string>,
): { networks: Map<string, NetworkEntry>; families: Map<string, FamilyEntry> } {
  const entries = new Map<string, NetworkEntry>()
  const served = new Map<string, FamilyEntry>()
  for (const { registered, adapter } of adapters) {
    let check: Promise<void> | undefined = verified.has(adapter.network.name) ? Promise.resolve() : undefined
    const signers = registered.signers ?? keystore
    entries.set(adapter.network.name, {
      adapter,
      signers,
      sameChain: adapters
        .filter((other) => other.adapter.chainKey === adapter.chainKey)
        .map((other) => other.adapter.network.name),
      ensureChain() {
        check ??= adapter.verifyChain().catch((error) => {
          check = undefined
          throw error
        })
        return check
      },
    })
    const family = adapter.network.family
    if (!served.has(family)) served.set(family, { family: registered.family, signers, adapter })
  }
  return { networks: entries, families: served }
}
