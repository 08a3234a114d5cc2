/**
 * bursar — the command table: each command, its arguments and its options, declared once (commander generates the help
 * and refuses what a command does not declare). What a command does lives in commands/.
 */
import { approvalStatuses, intentStatuses } from '@bursar/core/api'
import { BursarApiError } from '@bursar/sdk'
import { Argument, Command, CommanderError, Help, InvalidArgumentError, Option } from 'commander'
import {
  agentCreateCommand,
  agentDeleteCommand,
  agentListCommand,
  agentShowCommand,
  agentStatusCommand,
} from './commands/agent.ts'
import { approvalsDecideCommand, approvalsListCommand } from './commands/approvals.ts'
import {
  auditCheckpointCommand,
  auditExportCommand,
  auditKeyCommand,
  auditVerifyCommand,
} from './commands/audit.ts'
import {
  agentFreezeCommand,
  agentUnfreezeCommand,
  breakerListCommand,
  haltCommand,
  haltResetCommand,
} from './commands/breaker.ts'
import { devCommand } from './commands/dev.ts'
import { intentCancelCommand, intentListCommand, intentShowCommand } from './commands/intent.ts'
import { keyCreateCommand, keyListCommand, keyRevokeCommand, keyRotateCommand } from './commands/key.ts'
import { keysExportBackupCommand } from './commands/keysBackup.ts'
import { loginCommand } from './commands/login.ts'
import { ownerCreateCommand } from './commands/owner.ts'
import {
  policyDiffCommand,
  policyGetCommand,
  policyHistoryCommand,
  policyReplayCommand,
  policySetCommand,
  policyTemplateCommand,
  policyTemplateNames,
  policyTemplatesCommand,
  policyTestCommand,
} from './commands/policy.ts'
import { sendCommand } from './commands/send.ts'
import { serveCommand } from './commands/serve.ts'
import type { ConnectionOptions } from './connection.ts'
import { CliError, type Output } from './output.ts'

type Connected = ConnectionOptions & Output

function wholeNumber(value: string): number {
  if (!/^(0|[1-9][0-9]{0,14})$/.test(value)) throw new InvalidArgumentError('must be a whole number')
  return Number(value)
}

/** Options many commands share; each command declares which it takes, after its own (so its help lists them last). */
const sharedOptions = {
  url: () => new Option('--url <url>', 'Bursar (default: BURSAR_URL, .bursar/url, http://127.0.0.1:8420)'),
  token: () =>
    new Option(
      '--token <token>',
      'owner token: a service token, or a session from `bursar login` (default: BURSAR_OWNER_TOKEN, .bursar/owner-token)',
    ),
  apiKey: () => new Option('--api-key <key>', 'agent API key (default: BURSAR_API_KEY)'),
  dataDir: () =>
    new Option('--data-dir <dir>', "the dev stack's directory (url, owner token, database)").default(
      '.bursar',
    ),
  json: () => new Option('--json', 'print JSON (results and errors), for scripts'),
} satisfies Record<string, () => Option>
type Shared = keyof typeof sharedOptions
const sharedNames = new Set<string>(Object.keys(sharedOptions))

/** An owner's call to the API. */
const ownerCall: Shared[] = ['url', 'token', 'dataDir', 'json']
/** An agent's call to the API. */
const agentCall: Shared[] = ['url', 'apiKey', 'dataDir', 'json']
/** A call an owner or an agent may make: --token wins over --api-key, either over the environment. */
const eitherCall: Shared[] = ['url', 'token', 'apiKey', 'dataDir', 'json']

const optionTerm = (option: Option) => (option.mandatory ? option.flags : `[${option.flags}]`)
const argumentTerm = (argument: Argument) =>
  argument.required ? `<${argument.name()}>` : `[${argument.name()}]`

/** Every command that runs something, depth first: a group without arguments or options of its own only holds others. */
function runnable(command: Command): Command[] {
  const own = command.registeredArguments.length > 0 || command.options.length > 0
  return [...(own || command.commands.length === 0 ? [command] : []), ...command.commands.flatMap(runnable)]
}

function commandName(command: Command): string {
  const names: string[] = []
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name())
  return names.join(' ')
}

/** Wraps words (a bracketed option counts as one) at `width`, indented by 2, continued at `indent`. */
function wrapWords(words: string[], width: number, indent: number): string {
  const lines: string[] = []
  let line = '  '
  for (const word of words) {
    if (line.trim() !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = ' '.repeat(indent)
    } else if (line.trim() !== '') line += ' '
    line += word
  }
  return [...lines, line].join('\n')
}

/**
 * `bursar --help`: every command with its arguments and its own options, then the shared options once. Each
 * command's `--help` is commander's, with every option it takes.
 */
function formatReference(program: Command, helper: Help): string {
  const width = helper.helpWidth ?? 100
  const commands = runnable(program)
    .filter((command) => command !== program)
    .map((command) => {
      const words = [
        commandName(command),
        ...command.registeredArguments.map(argumentTerm),
        ...command.options.filter((option) => !sharedNames.has(option.attributeName())).map(optionTerm),
      ]
      return `${wrapWords(words, width, 4)}\n${helper.boxWrap(command.description(), width - 6).replace(/^/gm, '      ')}`
    })
  const shared = [
    ...Object.values(sharedOptions).map((make) => make()),
    new Option('-h, --help', 'this help; with a command, every option it takes'),
  ]
  const termWidth = Math.max(...shared.map((option) => option.flags.length))
  return [
    `Usage: ${program.name()} <command> [arguments] [options]`,
    '',
    program.description(),
    '',
    'Commands:',
    ...commands,
    '',
    'Options each command takes as it needs them (`bursar <command> --help` lists which):',
    ...shared.map((option) =>
      helper.formatItem(option.flags, termWidth, helper.optionDescription(option), helper),
    ),
    '',
  ].join('\n')
}

export function createProgram(): Command {
  const program = new Command('bursar')
    .description('policy-guarded wallets for AI agents')
    // Options belong to the command they follow: `bursar halt reset --json` is reset's --json, not halt's.
    .enablePositionalOptions()
    // main() decides what a usage error prints and how the process exits; commander only detects it.
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    // A fixed width keeps the help, and the README that quotes it, the same on every terminal.
    .configureHelp({
      helpWidth: 100,
      formatHelp: (command, helper) =>
        command.parent
          ? Help.prototype.formatHelp.call(helper, command, helper)
          : formatReference(command, helper),
    })
  const takes = new Map<Command, Shared[]>()
  /** Declares the shared options a command takes; they are added once its own are (see below). */
  const sharing = (command: Command, names: Shared[]) => {
    takes.set(command, names)
    return command
  }

  sharing(program.command('dev'), ['dataDir', 'json'])
    .description('start everything locally: PGlite, anvil, the API and the workers')
    .option('--port <port>', 'API port (default: PORT, 8420)', wholeNumber)
    .option('--log-level <level>', 'pino log level (default: LOG_LEVEL, warn)')
    .action((options: Output & { port?: number; dataDir: string; logLevel?: string }) => devCommand(options))

  sharing(program.command('serve'), ['json'])
    .description('production: DATABASE_URL, BURSAR_MASTER_KEY and configured RPCs')
    .option('--port <port>', 'API port (default: PORT, the config file, 8420)', wholeNumber)
    .option('--config <file>', 'JSON config file (default: BURSAR_CONFIG)')
    .action((options: { port?: number; config?: string }) => serveCommand(options))

  const ownerGroup = program.command('owner').description('owners (direct database access)')
  sharing(ownerGroup.command('create'), ['dataDir', 'json'])
    .description('create an owner and print its token once')
    .argument('[name]', "the owner's name", 'owner')
    .option('--database-url <url>', 'PostgreSQL (default: DATABASE_URL, else the dev database)')
    .action((name: string, options: Output & { databaseUrl?: string; dataDir: string }) =>
      ownerCreateCommand(name, options),
    )

  sharing(program.command('login'), ['url', 'dataDir', 'json'])
    .description(
      'log in as a person (password: BURSAR_PASSWORD); prints a session token once, for BURSAR_OWNER_TOKEN',
    )
    .requiredOption('--email <email>', "the account's email")
    .addOption(new Option('--totp <code>', 'TOTP code, once the account has TOTP').conflicts('recoveryCode'))
    .option('--recovery-code <code>', 'a recovery code instead of the TOTP code')
    .action((options: Connected & { email: string; totp?: string; recoveryCode?: string }) =>
      loginCommand(options),
    )

  const agentGroup = program.command('agent').description('agents: create, list, pause, freeze, delete')
  sharing(agentGroup.command('create'), ownerCall)
    .description('create an agent with a wallet and an API key (shown once)')
    .argument('<name>')
    .option('--policy <file>', 'policy document (JSON) to start with; without one every intent is denied')
    .action((name: string, options: Connected & { policy?: string }) => agentCreateCommand(name, options))
  sharing(agentGroup.command('list'), ownerCall)
    .description('list agents')
    .action((options: Connected) => agentListCommand(options))
  sharing(agentGroup.command('show'), ownerCall)
    .description('show an agent and its wallets')
    .argument('<agent>', 'agent id')
    .action((id: string, options: Connected) => agentShowCommand(id, options))
  sharing(agentGroup.command('pause'), ownerCall)
    .description('pause an agent: new intents are refused, queued ones wait')
    .argument('<agent>', 'agent id')
    .action((id: string, options: Connected) => agentStatusCommand('pause', id, options))
  sharing(agentGroup.command('resume'), ownerCall)
    .description('resume a paused agent')
    .argument('<agent>', 'agent id')
    .action((id: string, options: Connected) => agentStatusCommand('resume', id, options))
  sharing(agentGroup.command('delete'), ownerCall)
    .description('delete an agent: its keys are revoked, queued intents cancelled, history kept')
    .argument('<agent>', 'agent id')
    .action((id: string, options: Connected) => agentDeleteCommand(id, options))
  sharing(agentGroup.command('freeze'), ownerCall)
    .description("trip the agent's circuit breaker: nothing new accepted or signed")
    .argument('<agent>', 'agent id')
    .option('--reason <text>', 'why, for the audit log')
    .action((id: string, options: Connected & { reason?: string }) => agentFreezeCommand(id, options))
  sharing(agentGroup.command('unfreeze'), ownerCall)
    .description("reset the agent's circuit breaker")
    .argument('<agent>', 'agent id')
    .action((id: string, options: Connected) => agentUnfreezeCommand(id, options))

  const halt = sharing(program.command('halt'), ownerCall)
    .description('trip the global breaker: no intent of any agent is accepted or signed')
    .option('--reason <text>', 'why, for the audit log')
    .action((options: Connected & { reason?: string }) => haltCommand(options))
  sharing(halt.command('reset'), ownerCall)
    .description('reset the global breaker')
    .action((options: Connected) => haltResetCommand(options))

  const breakerGroup = program.command('breaker').description('circuit breakers')
  sharing(breakerGroup.command('list'), ownerCall)
    .description('every breaker that has tripped, global and per agent')
    .action((options: Connected) => breakerListCommand(options))

  const keyGroup = program.command('key').description("an agent's API keys")
  sharing(keyGroup.command('create'), ownerCall)
    .description('create an API key (its secret is shown once)')
    .argument('<agent>', 'agent id')
    .action((agentId: string, options: Connected) => keyCreateCommand(agentId, options))
  sharing(keyGroup.command('list'), ownerCall)
    .description("list an agent's API keys")
    .argument('<agent>', 'agent id')
    .action((agentId: string, options: Connected) => keyListCommand(agentId, options))
  sharing(keyGroup.command('revoke'), ownerCall)
    .description('revoke an API key')
    .argument('<agent>', 'agent id')
    .argument('<key>', 'key id')
    .action((agentId: string, keyId: string, options: Connected) => keyRevokeCommand(agentId, keyId, options))
  sharing(keyGroup.command('rotate'), ownerCall)
    .description('issue a new API key and revoke this one')
    .argument('<agent>', 'agent id')
    .argument('<key>', 'key id')
    .action((agentId: string, keyId: string, options: Connected) => keyRotateCommand(agentId, keyId, options))

  const policyGroup = program.command('policy').description('policies: set, read, compare, try, replay')
  sharing(policyGroup.command('set'), ownerCall)
    .description('set a new policy version from a JSON document')
    .argument('<agent>', 'agent id')
    .argument('<file>', 'policy document (JSON)')
    .action((agentId: string, file: string, options: Connected) => policySetCommand(agentId, file, options))
  sharing(policyGroup.command('get'), ownerCall)
    .description('the policy in force')
    .argument('<agent>', 'agent id')
    .action((agentId: string, options: Connected) => policyGetCommand(agentId, options))
  sharing(policyGroup.command('history'), ownerCall)
    .description('every policy version, oldest first')
    .argument('<agent>', 'agent id')
    .action((agentId: string, options: Connected) => policyHistoryCommand(agentId, options))
  sharing(policyGroup.command('diff'), ownerCall)
    .description('what changed between two policy versions')
    .argument('<agent>', 'agent id')
    .addArgument(new Argument('<from>', 'version').argParser(wholeNumber))
    .addArgument(new Argument('<to>', 'version').argParser(wholeNumber))
    .action((agentId: string, from: number, to: number, options: Connected) =>
      policyDiffCommand(agentId, from, to, options),
    )
  sharing(policyGroup.command('test'), ownerCall)
    .description('dry-run an intent against the policy, with the explanation (nothing is submitted)')
    .argument('<agent>', 'agent id')
    .requiredOption('--to <address>', 'recipient, or the contract called')
    .option('--amount <base units>', 'transfer amount (default: 0)')
    .option('--asset <asset>', 'native (default) or a token of the network')
    .option('--network <network>', 'network', 'anvil')
    .option('--data <hex>', 'calldata: makes it a contract call instead of a transfer')
    .option('--value <base units>', 'native value sent with a call')
    .action(
      (
        agentId: string,
        options: Connected & {
          to: string
          amount?: string
          asset?: string
          network: string
          data?: string
          value?: string
        },
      ) => policyTestCommand(agentId, options),
    )
  sharing(policyGroup.command('replay'), ownerCall)
    .description('what a draft policy would have changed, over past intents')
    .argument('<agent>', 'agent id')
    .argument('<file>', 'draft policy document (JSON)')
    .option('--since <duration>', 'how far back, e.g. 24h, 7d', '7d')
    .action((agentId: string, file: string, options: Connected & { since: string }) =>
      policyReplayCommand(agentId, file, options),
    )
  sharing(policyGroup.command('templates'), ['json'])
    .description('names of the starting-point policies')
    .action((options: Output) => policyTemplatesCommand(options))
  sharing(policyGroup.command('template'), ['json'])
    .description('print a starting-point policy')
    .addArgument(new Argument('<name>').choices(policyTemplateNames))
    .action((name: string, options: Output) => policyTemplateCommand(name, options))

  sharing(program.command('send'), agentCall)
    .description('submit a transfer as an agent')
    .requiredOption('--to <address>', 'recipient')
    .requiredOption('--amount <base units>', 'amount in base units (wei, token base units)')
    .option('--network <network>', 'network', 'anvil')
    .option('--asset <asset>', 'native (default) or a token of the network')
    .option('--idempotency-key <key>', 'makes a retry safe: the same key returns the same intent')
    .option('--wait', 'follow the intent to a final state; exit non-zero unless confirmed')
    .action(
      (
        options: Connected & {
          to: string
          amount: string
          network: string
          asset?: string
          idempotencyKey?: string
          wait?: boolean
        },
      ) => sendCommand(options),
    )

  const intentGroup = program
    .command('intent')
    .description('intents: with --token all your agents, with --api-key one agent')
  sharing(intentGroup.command('show'), eitherCall)
    .description('show an intent')
    .argument('<intent>', 'intent id')
    .action((id: string, options: Connected) => intentShowCommand(id, options))
  sharing(intentGroup.command('list'), eitherCall)
    .description('list intents, newest first')
    .addOption(new Option('--status <status>', 'only intents in this status').choices(intentStatuses))
    .option('--agent <agent>', "only this agent's intents (owner)")
    .option('--limit <n>', 'at most this many (default: 50)', wholeNumber)
    .action(
      (
        options: Connected & {
          status?: (typeof intentStatuses)[number]
          agent?: string
          limit?: number
        },
      ) => intentListCommand(options),
    )
  sharing(intentGroup.command('cancel'), eitherCall)
    .description('cancel an intent before it is signed')
    .argument('<intent>', 'intent id')
    .action((id: string, options: Connected) => intentCancelCommand(id, options))

  const approvalsGroup = program
    .command('approvals')
    .description("approval requests of your agents' intents; approve and deny as a person (`bursar login`)")
  sharing(approvalsGroup.command('list'), ownerCall)
    .description('list approval requests, newest first')
    .addOption(new Option('--status <status>', 'only requests in this status').choices(approvalStatuses))
    .option('--agent <agent>', "only this agent's requests")
    .option('--limit <n>', 'at most this many (default: 50)', wholeNumber)
    .action(
      (
        options: Connected & {
          status?: (typeof approvalStatuses)[number]
          agent?: string
          limit?: number
        },
      ) => approvalsListCommand(options),
    )
  for (const decision of ['approve', 'deny'] as const) {
    sharing(approvalsGroup.command(decision), ownerCall)
      .description(
        decision === 'approve'
          ? "approve a request with a second factor, as one of its approvers: needs a person's session token " +
              '(`bursar login`), not a service token'
          : 'deny a request with a second factor: the intent ends denied. Needs a session token, as approve',
      )
      .argument('<approval>', 'approval request id')
      .addOption(
        new Option('--totp <code>', 'a TOTP code from your authenticator app').conflicts('recoveryCode'),
      )
      .option('--recovery-code <code>', 'one of your recovery codes instead (each works once)')
      .action((id: string, options: Connected & { totp?: string; recoveryCode?: string }) =>
        approvalsDecideCommand(decision, id, options),
      )
  }

  const auditGroup = program.command('audit').description('the hash-chained audit log')
  sharing(auditGroup.command('verify'), ownerCall)
    .description('recompute every link, check the signed head, the checkpoint and the policy documents')
    .option('--checkpoint <file>', 'a checkpoint kept outside Bursar: catches a chain cut back behind it')
    .option('--public-key <hex>', 'the audit key to trust (default: the one the server names)')
    .option('--database-url <url>', 'read PostgreSQL directly instead of the API')
    .action((options: Connected & { checkpoint?: string; publicKey?: string; databaseUrl?: string }) =>
      auditVerifyCommand(options),
    )
  sharing(auditGroup.command('checkpoint'), ownerCall)
    .description('print the signed head as JSON: keep it where Bursar cannot write')
    .action((options: Connected) => auditCheckpointCommand(options))
  sharing(auditGroup.command('key'), ownerCall)
    .description('the public key that signs the audit head')
    .action((options: Connected) => auditKeyCommand(options))
  sharing(auditGroup.command('export'), ownerCall)
    .description('every entry, oldest first')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl']).default('jsonl'))
    .action((options: Connected) => auditExportCommand(options))

  const keysGroup = program.command('keys').description('the master key material')
  sharing(keysGroup.command('export-backup'), ['dataDir', 'json'])
    .description('print the master mnemonic (asks for confirmation)')
    .option('--yes', 'confirm without asking (no terminal needed)')
    .option('--database-url <url>', 'PostgreSQL (default: DATABASE_URL, else the dev database)')
    .action((options: { yes?: boolean; databaseUrl?: string; dataDir: string }) =>
      keysExportBackupCommand(options),
    )

  for (const [command, names] of takes) for (const name of names) command.addOption(sharedOptions[name]())
  return program
}

/** The command a usage error belongs to: the longest run of command names at the start of argv. */
function commandPath(program: Command, argv: string[]): string {
  const names = ['bursar']
  let command = program
  for (const arg of argv) {
    if (arg.startsWith('-')) continue
    const sub = command.commands.find((candidate) => candidate.name() === arg)
    if (!sub) break
    names.push(arg)
    command = sub
  }
  return names.join(' ')
}

/**
 * Runs one command line (without the node and script names). Resolves to the exit code; a failed command rejects
 * with its error (CliError, BursarApiError), usage mistakes with CliError code USAGE.
 */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram()
  try {
    await program.parseAsync(argv, { from: 'user' })
    return 0
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error
    // Help was asked for (exit 0) or shown because a command group got no command (exit 1).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') return error.exitCode
    const path = commandPath(program, argv)
    throw new CliError('USAGE', `${error.message.replace(/^error: /, '')} (see \`${path} --help\`)`)
  }
}

function report(error: unknown, json: boolean): number {
  if (error instanceof CliError || error instanceof BursarApiError) {
    const body = {
      error: {
        code: error.code,
        message: error.message,
        ...(error instanceof BursarApiError ? { details: error.details } : {}),
      },
    }
    process.stderr.write(json ? `${JSON.stringify(body)}\n` : `error ${error.code}: ${error.message}\n`)
    if (!json && error instanceof BursarApiError && Object.keys(error.details).length > 0) {
      process.stderr.write(`${JSON.stringify(error.details, null, 2)}\n`)
    }
    return error instanceof CliError ? error.exitCode : 1
  }
  const raw = (error as { code?: unknown })?.code
  const code = typeof raw === 'string' ? raw : 'UNEXPECTED'
  const message = (error as Error)?.message ?? String(error)
  process.stderr.write(
    json ? `${JSON.stringify({ error: { code, message } })}\n` : `error ${code}: ${message}\n`,
  )
  return 1
}

const isMain =
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '')
if (isMain) {
  const argv = process.argv.slice(2)
  main(argv).then(
    (code) => process.exit(code),
    (error) => process.exit(report(error, argv.includes('--json'))),
  )
}
