/** @bursar/chains/evm: the EVM chain family and its adapter, and a local anvil for development and tests. */
export { type AnvilAccount, anvilAccounts, anvilMnemonic } from './anvil/anvilAccounts.ts'
export { anvilNetwork } from './anvil/anvilNetwork.ts'
export { type Anvil, type StartAnvilOptions, startAnvil } from './anvil/startAnvil.ts'
export { createEvmAdapter, type EvmChainAdapter, type EvmTransactionJson } from './createEvmAdapter.ts'
export { evmFamily } from './evmFamily.ts'
export { prepareEvmIntent, withEvmFee } from './prepare/prepareEvmIntent.ts'
