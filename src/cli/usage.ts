import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** One command of the CLI: how it is written, what it does, and the options it accepts. */
export interface CommandSpec {
  /** `client create`: the words that name it. */
  name: string;
  /** What follows the name in the usage line. */
  synopsis: string;
  summary: string;
  options: Options;
  /** Names of the positional arguments after the command's words, in order. */
  args: string[];
  /** Options whose value must be one of a list (compared in upper case), and whether it is required. */
  choices?: Record<string, { values: string[]; required: boolean }>;
}

const name = { name: { type: 'string' } } as const;
const tenant = { tenant: { type: 'string' } } as const;

export const COMMANDS: CommandSpec[] = [
  { name: 'serve', synopsis: '', summary: 'Start the API server (and its background workers)', options: {}, args: [] },
  { name: 'migrate', synopsis: '', summary: 'Apply database migrations and exit', options: {}, args: [] },
  { name: 'tenant create', synopsis: '[--name <name>]', summary: 'Create a tenant; prints it as JSON', options: name, args: [] },
  {
    name: 'client create',
    synopsis: '--role TENANT|CUSTOMER|SUBCONTRACTOR [--tenant <id>] [--company <id|code>] [--kind API|WEBHOOK] [--name <name>]',
    summary: 'Create an API client; prints client_id and client_secret (the secret is shown only once)',
    options: { ...name, ...tenant, role: { type: 'string' }, company: { type: 'string' }, kind: { type: 'string' } },
    args: [],
    choices: { role: { values: ['TENANT', 'CUSTOMER', 'SUBCONTRACTOR'], required: true }, kind: { values: ['API', 'WEBHOOK'], required: false } },
  },
  { name: 'client list', synopsis: '[--tenant <id>]', summary: 'List API clients as JSON', options: tenant, args: [] },
  { name: 'client revoke', synopsis: '<client_id|id>', summary: 'Revoke a client: its tokens and credentials stop working', options: {}, args: ['client_id'] },
  {
    name: 'user invite',
    synopsis: '--email <email> --name <name> --role TENANT|CUSTOMER|SUBCONTRACTOR [--tenant <id>] [--company <id|code>] [--language en|nl|fr]',
    summary: 'Invite a person; prints them with their one-time invite_url (it sets their password)',
    options: { ...name, ...tenant, email: { type: 'string' }, role: { type: 'string' }, company: { type: 'string' }, language: { type: 'string' } },
    args: [],
    choices: { role: { values: ['TENANT', 'CUSTOMER', 'SUBCONTRACTOR'], required: true } },
  },
  {
    name: 'credentials seal',
    synopsis: '',
    summary:
      'Seal every stored webhook credential and server secret (JWT signing key, client-secret pepper, session CSRF key) under ' +
      'WAYBILL_CREDENTIALS_KEY (plain values, and those under WAYBILL_CREDENTIALS_KEY_PREVIOUS)',
    options: {},
    args: [],
  },
  { name: 'backup', synopsis: '<file>', summary: "PGlite: write the stopped data folder's database and blobs to <file>", options: {}, args: ['file'] },
  { name: 'restore', synopsis: '<file>', summary: 'PGlite: restore such a file into an empty data folder', options: {}, args: ['file'] },
  { name: 'openapi', synopsis: '', summary: 'Print the OpenAPI document', options: {}, args: [] },
];

/**
 * Commands that read or write the data and need only the services: while a server holds the
 * PGlite data folder, the CLI has that server run them (remote.ts); otherwise it runs them itself.
 */
export const DATA_COMMANDS = ['tenant create', 'client create', 'client list', 'client revoke', 'user invite'] as const;
export type DataCommand = (typeof DATA_COMMANDS)[number];
export const isDataCommand = (name: string): name is DataCommand => (DATA_COMMANDS as readonly string[]).includes(name);

/** Words that start a group of commands (`client` for `client create|list|revoke`). */
export const GROUPS = [...new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0] as string))];

const COLUMN = 35;

function wrap(text: string, indent: number, width = 100, breaks: RegExp = / /): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(breaks)) {
    if (line && indent + line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function entry(spec: CommandSpec): string {
  const [first, ...rest] = wrap([spec.name, spec.synopsis].filter(Boolean).join(' '), 2, 100 - COLUMN, / (?=\[)/);
  const head = [`  ${first}`, ...rest.map((l) => ' '.repeat(spec.name.length + 3) + l)].join('\n');
  const summary = wrap(spec.summary, COLUMN).map((l) => ' '.repeat(COLUMN) + l);
  if (!rest.length && head.length < COLUMN - 1) summary[0] = head.padEnd(COLUMN) + (summary[0] as string).trimStart();
  else summary.unshift(head);
  return summary.join('\n');
}

const FOOTER = `The database is PGlite in WAYBILL_DATA_DIR (default ./data) unless DATABASE_URL is set.
On PGlite only one process may open the data folder: while a server runs on it, the tenant,
client and user commands are run by that server (through waybill.sock in the data folder);
the others need it stopped.`;

export function mainHelp(): string {
  return [
    'Usage: waybill <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map(entry),
    '',
    'Options:',
    "  -h, --help                       Show this help, or a command's (waybill client create --help)",
    '  -v, --version                    Print the version',
    '',
    FOOTER,
  ].join('\n');
}

/** Help for one command, or for every command of a group (`waybill client --help`). */
export function commandHelp(words: string): string {
  const specs = COMMANDS.filter((c) => c.name === words || c.name.startsWith(`${words} `));
  return [`Usage: waybill ${specs.length === 1 ? words : `${words} <command>`} [options]`, '', ...specs.map(entry), '', FOOTER].join('\n');
}
