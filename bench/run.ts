/** npm run bench: runs every benchmark (or those named: `npm run bench -- intents policy`), one JSON line each. */
export {}

const all = ['policy', 'intents', 'reserve'] as const
const chosen = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const names = chosen.length > 0 ? chosen : [...all]
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('-'))

for (const name of names) {
  if (!(all as readonly string[]).includes(name))
    throw new Error(`unknown benchmark "${name}" (have: ${all.join(', ')})`)
  const module = (await import(`./${name}.ts`)) as { main(argv?: string[]): Promise<unknown> }
  await module.main(flags)
}
