export {
  chainKeyOf,
  defaultFeeCapOf,
  type EvmNetwork,
  type Network,
  type TokenDefinition,
} from './Network.ts'
export { evmNetworkSchema, tokenDefinitionSchema } from './networkSchema.ts'
