export { createSolanaAdapter, type SolanaChainAdapter } from './createSolanaAdapter.ts'
export { solanaFamily } from './solanaFamily.ts'
export type { SolanaNetwork } from './solanaNetworkSchema.ts'
export { compileSolanaTransaction, type SolanaTransactionJson } from './solanaTransaction.ts'
