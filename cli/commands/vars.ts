/**
 * `edgeway vars`: lists an environment's vars (with their values) and secrets (names
 * only), sets a var with `set NAME=value`, and removes one with `unset NAME`. Values set
 * here override the config's `vars` and apply from the environment's next deployment.
 */
import type { Command, ParsedInput } from '../lib/command.ts';
import { requiredEnvironment, setValue, unsetValue, valueOptions } from '../lib/environment-values.ts';
import { UsageError } from '../lib/errors.ts';
import { table, timestamp } from '../lib/format.ts';
import { connect } from '../lib/options.ts';

export const varsCommand: Command = {
  name: 'vars',
  usage: 'edgeway vars [list | set NAME=value | unset NAME] -e <env> [options]',
  summary: "List, set or unset an environment's variables.",
  description: `Variables set here fill \${env.NAME} references in the config, overriding both the
top-level vars and the environment's own vars in edgeway.yaml. They apply from the
environment's next deployment: deploy (or push) again to serve them. Without an action (or
with "list"), lists the environment's vars with their values and its secrets by name
(see edgeway secrets; their values are never shown).

Examples:
  edgeway vars -e production
  edgeway vars set API_URL=https://api.example.com -e production
  edgeway vars unset API_URL -e production`,
  arguments: [
    { name: 'action', required: false, description: '"list" (the default), "set" or "unset".' },
    {
      name: 'argument',
      required: false,
      description: 'With set: NAME=value. With unset: NAME. Names are upper-case letters, digits and _.',
    },
  ],
  options: {
    json: { type: 'boolean', description: 'List: print {vars, secrets} as JSON.' },
    ...valueOptions,
  },
  async run(input) {
    const [action = 'list', argument] = input.positionals;
    switch (action) {
      case 'list':
        if (argument !== undefined) throw new UsageError(`unexpected argument "${argument}"`);
        return listValues(input);
      case 'set':
        return setVar(input, argument);
      case 'unset':
        return unsetValue(input, 'vars', argument);
      default:
        throw new UsageError(`unknown action "${action}"; expected list, set or unset`);
    }
  },
};

async function listValues({ values }: ParsedInput): Promise<number> {
  const environment = requiredEnvironment(values);
  const listed = await connect(values).listEnvironmentValues(environment);
  if (values.json) {
    console.log(JSON.stringify(listed, null, 2));
  } else if (listed.vars.length + listed.secrets.length === 0) {
    console.log(`No vars or secrets set for ${environment}.`);
  } else {
    const rows = [
      ...listed.vars.map((entry) => [entry.name, 'var', entry.value, timestamp(entry.updatedAt)]),
      ...listed.secrets.map((entry) => [entry.name, 'secret', '(hidden)', timestamp(entry.updatedAt)]),
    ];
    console.log(table(['NAME', 'KIND', 'VALUE', 'UPDATED'], rows));
  }
  return 0;
}

/** `NAME=value`: the value is everything after the first `=`, and may be empty. */
function setVar(input: ParsedInput, assignment: string | undefined): Promise<number> {
  if (assignment === undefined) throw new UsageError('missing argument NAME=value: the var to set');
  const equals = assignment.indexOf('=');
  if (equals < 0) throw new UsageError(`"${assignment}": expected NAME=value`);
  return setValue(input, 'vars', assignment.slice(0, equals), () => assignment.slice(equals + 1));
}
