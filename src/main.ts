import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { COMMANDS, GROUPS, commandHelp, isDataCommand, mainHelp, type CommandSpec } from './cli/usage.js';
import { CliFailure, UsageError } from './cli/errors.js';

/**
 * The `waybill` command line. This file parses and answers --help and --version on its own; a
 * command's implementation (and with it the server, the database driver and every module) is
 * imported only once the command line is known to be valid, so those stay instant.
 */

function version(): string {
  // ../package.json from src/ (tsx) and from dist/ (compiled) alike.
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const out = (text: string) => process.stdout.write(`${text}\n`);

/** The option a parseArgs error is about, for a one-line message. */
function parseFailure(err: unknown, where?: string): UsageError {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code;
  const option = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${option}${where ? ` for ${where}` : ''}`, where);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new UsageError(`option ${option?.split(' ')[0]} needs a value`, where);
  return new UsageError(message.split('\n')[0] as string, where);
}

function leadingWords(argv: string[]): string[] {
  const words: string[] = [];
  for (const token of argv) {
    if (token.startsWith('-') || words.length === 2) break;
    words.push(token);
  }
  return words;
}

/** Finds the command the arguments name, or answers help and usage errors. */
function resolve(argv: string[]): { spec: CommandSpec; values: Record<string, string | undefined>; args: string[] } | undefined {
  const [first, second] = leadingWords(argv);
  const spec = COMMANDS.find((c) => c.name === first) ?? COMMANDS.find((c) => c.name === `${first} ${second}`);
  const group = first && GROUPS.includes(first) ? first : undefined;
  if (!spec) {
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    if (!first || first === 'help') {
      parseGlobal(argv.filter((a) => a !== 'help'));
      return undefined;
    }
    if (group && wantsHelp) return void out(commandHelp(group));
    if (group)
      throw new UsageError(
        second
          ? `unknown command "${first} ${second}"`
          : `"${first}" needs a command: ${COMMANDS.filter((c) => c.name.startsWith(`${first} `))
              .map((c) => c.name.split(' ')[1])
              .join(', ')}`,
        group,
      );
    throw new UsageError(`unknown command "${first}"`);
  }
  const words = spec.name.split(' ').length;
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(words), allowPositionals: true, strict: true, options: { ...spec.options, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw parseFailure(err, spec.name);
  }
  if (parsed.values.help) return void out(commandHelp(spec.name));
  if (parsed.positionals.length > spec.args.length)
    throw new UsageError(`unexpected argument "${parsed.positionals[spec.args.length]}" for ${spec.name}`, spec.name);
  const missing = spec.args[parsed.positionals.length];
  if (missing) throw new UsageError(`${spec.name} needs <${missing}>`, spec.name);
  const values = parsed.values as Record<string, string | undefined>;
  for (const [option, { values: allowed, required }] of Object.entries(spec.choices ?? {})) {
    const given = values[option]?.toUpperCase();
    if ((given !== undefined || required) && !allowed.includes(given ?? '')) {
      throw new UsageError(`--${option} must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`, spec.name);
    }
  }
  return { spec, values, args: parsed.positionals };
}

/** `waybill`, `waybill --help`, `waybill --version`. */
function parseGlobal(argv: string[]): void {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } } }));
  } catch (err) {
    throw parseFailure(err);
  }
  out(values.version && !values.help ? version() : mainHelp());
}

async function main(argv: string[]): Promise<void> {
  const command = resolve(argv);
  if (!command) return;
  if (isDataCommand(command.spec.name)) {
    // A server holding the PGlite folder runs it; that needs neither the app nor the database here.
    const [{ loadConfig }, { runThroughServer }] = await Promise.all([import('./config.js'), import('./cli/remote.js')]);
    const answer = await runThroughServer(loadConfig(), { command: command.spec.name, values: command.values, args: command.args });
    if (answer) return void out(JSON.stringify(answer.result, null, 2));
  }
  const { runCommand } = await import('./cli/commands.js');
  await runCommand(command.spec.name, command.values, command.args);
}

/** Whether an error explains itself to an operator (a locked folder, a bad setting): no stack trace then. */
async function explainsItself(err: unknown): Promise<boolean> {
  if (err instanceof CliFailure) return true;
  try {
    return (await import('./cli/commands.js')).isOperatorError(err);
  } catch {
    return false;
  }
}

main(process.argv.slice(2)).catch(async (err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`waybill: ${err.message}. Run waybill ${err.command ? `${err.command} ` : ''}--help\n`);
    process.exit(2);
  }
  const message = err instanceof Error ? ((await explainsItself(err)) ? err.message : (err.stack ?? err.message)) : String(err);
  process.stderr.write(`waybill: ${message}\n`);
  process.exit(1);
});
