/**
 * What `edgeway vars` and `edgeway secrets` share: the required --environment, and setting
 * and unsetting one value of either kind, its name checked before anything is sent.
 */
import { VarNameSchema } from '../../src/config/source-fields.ts';
import type { OptionSpec, ParsedInput } from './command.ts';
import type { ValueCollection } from './control-plane-client.ts';
import { UsageError } from './errors.ts';
import { connect, connectionOptions, environmentName, environmentOption } from './options.ts';

const KIND: Record<ValueCollection, string> = { vars: 'var', secrets: 'secret' };

export const valueOptions: Readonly<Record<string, OptionSpec>> = {
  environment: environmentOption('The environment whose values to list or change (required).'),
  ...connectionOptions,
};

export function requiredEnvironment(values: ParsedInput['values']): string {
  const environment = environmentName(values.environment);
  if (environment === undefined) throw new UsageError('missing option --environment <name>');
  return environment;
}

/** `name` checked to be a variable name; `what` says which argument it came from. */
function checkedVarName(name: string | undefined, what: string): string {
  if (name === undefined) throw new UsageError(`missing argument ${what}`);
  const parsed = VarNameSchema.safeParse(name);
  if (!parsed.success) throw new UsageError(`"${name}": ${parsed.error.issues[0]!.message}`);
  return name;
}

/** Sets one value; `value` is asked for only once the environment and the name are checked. */
export async function setValue(
  { values }: ParsedInput,
  collection: ValueCollection,
  rawName: string | undefined,
  value: (name: string) => string | Promise<string>,
): Promise<number> {
  const environment = requiredEnvironment(values);
  const name = checkedVarName(rawName, `<NAME>: the ${KIND[collection]} to set`);
  await connect(values).setEnvironmentValue(environment, collection, name, await value(name));
  console.log(`Set ${KIND[collection]} ${name} in ${environment}; it applies from its next deployment.`);
  return 0;
}

export async function unsetValue(
  { values }: ParsedInput,
  collection: ValueCollection,
  rawName: string | undefined,
): Promise<number> {
  const environment = requiredEnvironment(values);
  const name = checkedVarName(rawName, `<NAME>: the ${KIND[collection]} to unset`);
  await connect(values).unsetEnvironmentValue(environment, collection, name);
  console.log(`Unset ${KIND[collection]} ${name} in ${environment}; this applies from its next deployment.`);
  return 0;
}
