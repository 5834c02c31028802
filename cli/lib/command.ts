/**
 * What a command is: its name, its documented options and arguments, and `run`. The
 * help text is rendered from the same tables the parser reads, so every option a
 * command accepts is in its --help.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** A string option that may be given more than once: its values are in `lists`, not `values`. */
  readonly multiple?: boolean;
  readonly short?: string;
  /** Shown after a string option in the help, e.g. `<url>`. */
  readonly value?: string;
  readonly description: string;
}

export interface ArgumentSpec {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
}

export interface ParsedInput {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** Each `multiple` option's values in the order given; absent when it was not given. */
  readonly lists: Readonly<Record<string, readonly string[]>>;
  readonly positionals: readonly string[];
}

export interface Command {
  readonly name: string;
  /** The usage line, when the one made from `arguments` would not say it well. */
  readonly usage?: string;
  /** One line, for the program's --help. */
  readonly summary: string;
  /** Paragraphs after the usage line; may hold examples. */
  readonly description: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Returns the exit code; expected failures throw CliError. */
  run(input: ParsedInput): Promise<number>;
}

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'Show this help.' };

/** Parses a command's arguments; `undefined` means --help was asked for. */
export function parseCommandLine(command: Command, args: readonly string[]): ParsedInput | undefined {
  const options = { ...command.options, help: HELP_OPTION };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseErrorMessage(error as NodeJS.ErrnoException));
  }
  if (parsed.values.help) return undefined;
  const required = command.arguments.filter((argument) => argument.required).length;
  if (parsed.positionals.length < required) {
    const absent = command.arguments[parsed.positionals.length]!;
    throw new UsageError(`missing argument <${absent.name}>`);
  }
  if (parsed.positionals.length > command.arguments.length) {
    const extra = parsed.positionals[command.arguments.length];
    throw new UsageError(`unexpected argument "${extra}"`);
  }
  const values: Record<string, string | boolean | undefined> = {};
  const lists: Record<string, readonly string[]> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (Array.isArray(value)) lists[name] = value.map(String);
    else values[name] = value;
  }
  return { values, lists, positionals: parsed.positionals };
}

/** parseArgs's messages, shortened where they say more than the user needs. */
function parseErrorMessage(error: NodeJS.ErrnoException): string {
  const option = /'([^']+)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  return error.message;
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: ${usageLine(command)}`, '', command.summary, '', command.description];
  if (command.arguments.length > 0) {
    lines.push('', 'Arguments:', ...columns(command.arguments.map((a) => [a.name, a.description])));
  }
  const options = Object.entries({ ...command.options, help: HELP_OPTION }).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.value ? ` ${option.value}` : ''}`;
    return [flag, option.description] as const;
  });
  lines.push('', 'Options:', ...columns(options));
  return `${lines.join('\n')}\n`;
}

export function usageLine(command: Command): string {
  if (command.usage) return command.usage;
  const names = command.arguments.map((argument) =>
    argument.required ? `<${argument.name}>` : `[${argument.name}]`,
  );
  return ['edgeway', command.name, ...names, '[options]'].join(' ');
}

const WIDTH = 100;

/** Two columns: names padded to the widest one, descriptions after, wrapped at WIDTH. */
export function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([name]) => name.length));
  const indent = ' '.repeat(width + 4);
  return rows.flatMap(([name, description]) =>
    wrap(description, WIDTH - indent.length).map((line, index) =>
      index === 0 ? `  ${name.padEnd(width)}  ${line}` : `${indent}${line}`,
    ),
  );
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}
