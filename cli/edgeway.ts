#!/usr/bin/env node
/**
 * The `edgeway` command: dispatches to one module per command under cli/commands/,
 * prints the program's and each command's --help, and turns every expected failure into
 * one readable line on stderr and an exit code: 1 when the operation failed, 2 when the
 * command line or the connection settings are wrong.
 */
import { readFileSync } from 'node:fs';
import { consumersCommand } from './commands/consumers.ts';
import { deployCommand } from './commands/deploy.ts';
import { deploymentsCommand } from './commands/deployments.ts';
import { environmentsCommand } from './commands/environments.ts';
import { hashPasswordCommand } from './commands/hash-password.ts';
import { initCommand } from './commands/init.ts';
import { keysCommand } from './commands/keys.ts';
import { membersCommand } from './commands/members.ts';
import { remoteCommand } from './commands/remote.ts';
import { rollbackCommand } from './commands/rollback.ts';
import { secretsCommand } from './commands/secrets.ts';
import { validateCommand } from './commands/validate.ts';
import { varsCommand } from './commands/vars.ts';
import { type Command, columns, commandHelp, parseCommandLine, usageLine } from './lib/command.ts';
import { configFilePath } from './lib/connection.ts';
import { EXIT_USAGE, UsageError } from './lib/errors.ts';
import { reportFailure } from './lib/report.ts';

const COMMANDS: readonly Command[] = [
  initCommand,
  validateCommand,
  deployCommand,
  deploymentsCommand,
  rollbackCommand,
  environmentsCommand,
  varsCommand,
  secretsCommand,
  consumersCommand,
  keysCommand,
  membersCommand,
  hashPasswordCommand,
  remoteCommand,
];

function programHelp(): string {
  const commands = columns(
    COMMANDS.map((command) => [usageLine(command).replace(/^edgeway | \[options\]$/g, ''), command.summary]),
  );
  return `Usage: edgeway <command> [options]

Scaffold and validate an Edgeway config repository, deploy its commits to the control
plane (or make a Git repository deploy every push), and manage deployments,
environments and their variables and secrets, consumers and their API keys, and the team.

Commands:
${commands.join('\n')}

Connection (deploy, deployments, rollback, environments, vars, secrets, consumers, keys,
members, remote): each setting comes from the first of
  1. the flags --url <url> and --token <token>
  2. the environment variables EDGEWAY_URL and EDGEWAY_TOKEN
  3. the config file {"url": "...", "token": "..."}: $EDGEWAY_CONFIG, else
     $XDG_CONFIG_HOME/edgeway/config.json, else ~/.config/edgeway/config.json
     (here: ${configFilePath(process.env)})

Exit codes: 0 done, 1 the operation failed, 2 a usage error (arguments or settings).

Options:
  -h, --help     Show this help. \`edgeway <command> --help\` shows a command's.
  -v, --version  Print the version.
`;
}

/** Runs the command line and returns the exit code; failures are reported on stderr. */
async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    process.stderr.write(programHelp());
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    process.stdout.write(programHelp());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    console.log(version());
    return 0;
  }
  const name = first === 'help' ? rest[0]! : first;
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    const known = COMMANDS.map((candidate) => candidate.name).join(', ');
    return reportFailure(new UsageError(`unknown command "${name}"; the commands are ${known}`));
  }
  try {
    const input = first === 'help' ? undefined : parseCommandLine(command, rest);
    if (input === undefined) {
      process.stdout.write(commandHelp(command));
      return 0;
    }
    return await command.run(input);
  } catch (error) {
    return reportFailure(error, command.name);
  }
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return `edgeway ${manifest.version}`;
}

process.exitCode = await main(process.argv.slice(2));
