/**
 * Options several commands share: the connection to the control plane (--url, --token)
 * and --environment, checked here so every command reports a bad value the same way.
 */
import { EnvironmentNameSchema } from '../../src/config/ids.ts';
import type { OptionSpec, ParsedInput } from './command.ts';
import { resolveConnection } from './connection.ts';
import { ControlPlaneClient } from './control-plane-client.ts';
import { UsageError } from './errors.ts';

export const connectionOptions: Readonly<Record<string, OptionSpec>> = {
  url: {
    type: 'string',
    value: '<url>',
    description: 'Control plane URL (else $EDGEWAY_URL, else "url" in the config file).',
  },
  token: {
    type: 'string',
    value: '<token>',
    description: 'API token (else $EDGEWAY_TOKEN, else "token" in the config file).',
  },
};

export function environmentOption(description: string): OptionSpec {
  return { type: 'string', short: 'e', value: '<name>', description };
}

/** A client for the control plane the flags, environment and config file point at. */
export function connect(values: ParsedInput['values']): ControlPlaneClient {
  const { url, token } = resolveConnection({
    url: stringValue(values.url),
    token: stringValue(values.token),
  });
  return new ControlPlaneClient(url, token);
}

/** The --environment value, checked to be a valid name; undefined when not given. */
export function environmentName(value: ParsedInput['values'][string]): string | undefined {
  const name = stringValue(value);
  if (name === undefined) return undefined;
  const parsed = EnvironmentNameSchema.safeParse(name);
  if (!parsed.success) throw new UsageError(`--environment "${name}": ${parsed.error.issues[0]!.message}`);
  return name;
}

export function stringValue(value: ParsedInput['values'][string]): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
