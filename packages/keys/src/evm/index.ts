/** Public surface of @bursar/keys/evm: EVM addresses and transaction signing over Uint8Array keys. */
export { evmAddressFromPrivateKey } from './evmAddressFromPrivateKey.ts'
export { evmAddressFromPublicKey } from './evmAddressFromPublicKey.ts'
export { type SignEvmTransactionReturnType, signEvmTransaction } from './signEvmTransaction.ts'
export { type EvmSigner, toEvmSigner } from './toEvmSigner.ts'
