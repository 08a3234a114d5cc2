/** npm run bench: runs every benchmark (or those named: `npm run bench -- intents policy`), one JSON line each. */
export {}

const all = ['policy', 'intents', 'reserve', 'soak'] as const
// Each benchmark's runs here, before the flags given (which win): the soak is short, without and with crashes.
const runs: Partial<Record<(typeof all)[number], string[][]>> = {
  soak: [
    ['--minutes', '0.5'],
    ['--minutes', '0.5', '--crash'],
  ],
}
const chosen = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const names = chosen.length > 0 ? chosen : [...all]
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('-'))

for (const name of names) {
  if (!(all as readonly string[]).includes(name))
    throw new Error(`unknown benchmark "${name}" (have: ${all.join(', ')})`)
  const module = (await import(`./${name}.ts`)) as { main(argv?: string[]): Promise<unknown> }
  for (const defaults of runs[name as (typeof all)[number]] ?? [[]])
    await module.main([...defaults, ...flags])
}
