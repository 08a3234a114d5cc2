/**
 * Placeholder addresses the templates use: the contracts anvil's first default account deploys first (a fresh
 * `bursar dev` chain puts a mock USDC, a router and WETH there) and anvil's default accounts as people.
 * Replace them, and the network name 'anvil', with yours.
 */

export const usdc = '0x5fbdb2315678afecb367f032d93f642f64180aa3'
export const router = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512'
export const weth = '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0'
export const anvilAccounts = [
  '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
  '0x90f79bf6eb2c4f870365e785982e1f101e93b906',
] as const
