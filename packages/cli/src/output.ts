/** CLI output: JSON with --json (for scripts), otherwise short human text. Errors keep their stable code. */

export type Output = { json: boolean }

export function print(output: Output, value: unknown, human: () => string): void {
  process.stdout.write(output.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`)
}

export class CliError extends Error {
  override name = 'CliError'
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}
