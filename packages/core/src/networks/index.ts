export {
  chainKeyOf,
  defaultFeeCapOf,
  type EvmNetwork,
  type Network,
  type TokenDefinition,
} from './Network.ts'
export { evmNetworkSchema, networksSchema, tokenDefinitionSchema } from './networkSchema.ts'
