export {
  genesisHash,
  lamportsPerSignature,
  type SolanaDevnet,
  startSolanaDevnet,
} from './startSolanaDevnet.ts'
