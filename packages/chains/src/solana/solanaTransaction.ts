/**
 * Bursar's stored form of a Solana transaction (JSON the database keeps and MACs), and how it becomes the message
 * that is signed: the fee payer is the wallet, the compute budget comes first, then the instructions.
 */

import {
  type Address,
  address,
  appendTransactionMessageInstructions,
  type Blockhash,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  type Instruction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import {
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
} from '@solana-program/compute-budget'
import { getTransferSolInstruction } from '@solana-program/system'

type SolanaInstructionJson = { program: 'system'; kind: 'transfer'; to: string; lamports: string }

export type SolanaTransactionJson = {
  instructions: SolanaInstructionJson[]
  /** Sized by the simulation; the compute budget the transaction asks for. */
  computeUnitLimit?: number
  /** Micro-lamports per compute unit: the priority fee, set when it is signed. */
  computeUnitPrice?: string
}

/** Solana's fee per signature, in lamports. */
const lamportsPerSignature = 5000n
/** What a simulation is given to spend before it is sized (Solana's default per instruction cap). */
export const simulationComputeUnits = 200_000

/** The most the transaction can cost: its signatures plus the priority fee over its compute budget. */
export function feeCeiling(limit: number, microLamportsPerUnit: bigint, signatures = 1): bigint {
  return (
    BigInt(signatures) * lamportsPerSignature + (microLamportsPerUnit * BigInt(limit) + 999_999n) / 1_000_000n
  )
}

/** The compiled transaction (message bytes, an empty signature slot) for `from` at `blockhash`. */
export function compileSolanaTransaction(
  from: string,
  json: SolanaTransactionJson,
  lifetime: { blockhash: Blockhash; lastValidBlockHeight: bigint },
) {
  const payer = createNoopSigner(address(from))
  const instructions: Instruction[] = [
    getSetComputeUnitLimitInstruction({ units: json.computeUnitLimit ?? simulationComputeUnits }),
  ]
  if (json.computeUnitPrice !== undefined && BigInt(json.computeUnitPrice) > 0n) {
    instructions.push(getSetComputeUnitPriceInstruction({ microLamports: BigInt(json.computeUnitPrice) }))
  }
  for (const instruction of json.instructions) instructions.push(toInstruction(payer, instruction))
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(payer.address, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(lifetime, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  )
  return compileTransaction(message)
}

function toInstruction(
  payer: ReturnType<typeof createNoopSigner>,
  instruction: SolanaInstructionJson,
): Instruction {
  return getTransferSolInstruction({
    source: payer,
    destination: address(instruction.to) as Address,
    amount: BigInt(instruction.lamports),
  })
}
