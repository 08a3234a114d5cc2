export type { EvmNetwork, Network, TokenDefinition } from './Network.ts'
