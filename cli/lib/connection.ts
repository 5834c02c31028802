/**
 * Where the control plane is and which token to send. Each setting comes from the first
 * of: the --url / --token flag, the EDGEWAY_URL / EDGEWAY_TOKEN environment variable, the
 * config file ($EDGEWAY_CONFIG, else $XDG_CONFIG_HOME/edgeway/config.json, else
 * ~/.config/edgeway/config.json), which holds `{ "url": "...", "token": "..." }`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './errors.ts';

export interface Connection {
  readonly url: string;
  readonly token: string;
}

export interface ConnectionFlags {
  readonly url?: string | undefined;
  readonly token?: string | undefined;
}

type Environment = Readonly<Record<string, string | undefined>>;

export function resolveConnection(flags: ConnectionFlags, env: Environment = process.env): Connection {
  const file = configFilePath(env);
  let stored: ConnectionFlags | undefined;
  const fromFile = (key: keyof ConnectionFlags) => {
    stored ??= readConfigFile(file, Boolean(env.EDGEWAY_CONFIG));
    return stored[key];
  };
  const url = flags.url || env.EDGEWAY_URL || fromFile('url');
  const token = flags.token || env.EDGEWAY_TOKEN || fromFile('token');
  if (!url) throw new UsageError(missing('control plane URL', '--url', 'EDGEWAY_URL', 'url', file));
  if (!token) throw new UsageError(missing('API token', '--token', 'EDGEWAY_TOKEN', 'token', file));
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`the control plane URL "${url}" is not an http(s) URL`);
  }
  return { url, token };
}

export function configFilePath(env: Environment): string {
  if (env.EDGEWAY_CONFIG) return env.EDGEWAY_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'edgeway', 'config.json');
}

/** A missing default file is no settings; a missing file named by $EDGEWAY_CONFIG is an error. */
function readConfigFile(file: string, named: boolean): ConnectionFlags {
  if (!existsSync(file)) {
    if (named) throw new UsageError(`EDGEWAY_CONFIG names ${file}, which does not exist`);
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the config file ${file}: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`the config file ${file} is not a JSON object like {"url": "...", "token": "..."}`);
  }
  const settings = value as Record<string, unknown>;
  const field = (key: keyof ConnectionFlags) => {
    const setting = settings[key];
    if (setting === undefined || typeof setting === 'string') return setting;
    throw new UsageError(`the config file ${file} has a "${key}" that is not a string`);
  };
  return { url: field('url'), token: field('token') };
}

function missing(what: string, flag: string, variable: string, key: string, file: string): string {
  return `no ${what}: pass ${flag}, set ${variable}, or put "${key}" in ${file}`;
}
