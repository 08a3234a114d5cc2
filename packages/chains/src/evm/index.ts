/** @bursar/chains/evm: the EVM chain adapter, address and ERC-20 helpers, and a local anvil for development. */
export type { EstimateFeesReturnType } from './actions/estimateFees.ts'
export type { Balance } from './actions/getBalances.ts'
export type { Receipt } from './actions/getReceipt.ts'
export type { GetTransactionReturnType } from './actions/getTransaction.ts'
export type { SimulateParameters, SimulateReturnType } from './actions/simulate.ts'
export { type IsValidEvmAddressOptions, isValidEvmAddress } from './address/isValidEvmAddress.ts'
export { toChecksumAddress } from './address/toChecksumAddress.ts'
export { type AnvilAccount, anvilAccounts, anvilMnemonic } from './anvil/anvilAccounts.ts'
export { anvilNetwork } from './anvil/anvilNetwork.ts'
export { type Anvil, type StartAnvilOptions, startAnvil } from './anvil/startAnvil.ts'
export type { BuildTransactionParameters } from './buildTransaction.ts'
export { type CreateEvmAdapterOptions, createEvmAdapter, type EvmAdapter } from './createEvmAdapter.ts'
export { encodeErc20Transfer } from './erc20/encodeErc20Transfer.ts'
export { decodeRevertReason } from './errors/decodeRevertReason.ts'
export { redactRpcUrl } from './errors/redactRpcUrl.ts'
export { type DecodeEvmCallReturnType, decodeEvmCall } from './prepare/decodeEvmCall.ts'
export {
  type EvmCall,
  effectiveOf,
  type PrepareEvmIntentReturnType,
  prepareEvmIntent,
  withEvmFee,
} from './prepare/prepareEvmIntent.ts'
export { tokenFunctions } from './prepare/tokenFunctions.ts'
