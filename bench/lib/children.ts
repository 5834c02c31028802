/**
 * Every process the benchmark starts (demo upstream, workerd, wrk) goes through here, so
 * one registry can stop them all: on normal exit, on an error, and on Ctrl-C. A server
 * that dies early fails the run with the tail of its output instead of a bare timeout.
 */
import { type ChildProcess, spawn } from 'node:child_process';

const running = new Set<Child>();
const OUTPUT_TAIL_CHARS = 4_000;

export interface Child {
  readonly process: ChildProcess;
  /** stdout and stderr so far (the last few KB), for error messages. */
  output(): string;
  /** Resolves with the exit code once the process is gone. */
  readonly exited: Promise<number | null>;
}

export function startChild(command: string, args: readonly string[], cwd: string): Child {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      collect(Buffer.from(String(error)));
      resolve(null);
    });
    child.once('exit', resolve);
  });
  const handle: Child = { process: child, output: () => output, exited };
  running.add(handle);
  exited.then(() => running.delete(handle));
  return handle;
}

/** Runs a command to completion; rejects with its output when it fails. */
export async function runToCompletion(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<string> {
  const child = startChild(command, args, cwd);
  const code = await child.exited;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${child.output()}`);
  return child.output();
}

/** Polls `url` until it answers (any status) or `child` exits or the timeout passes. */
export async function waitUntilServing(child: Child, url: string, name: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  child.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${name} exited with ${exitCode}:\n${child.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${name} did not answer on ${url} within ${timeoutMs} ms:\n${child.output()}`);
}

function killAll(): void {
  for (const child of running) child.process.kill('SIGKILL');
}

/** Kills every child and waits until each has exited (and been reaped). */
export async function stopAllChildren(): Promise<void> {
  const children = [...running];
  killAll();
  await Promise.all(children.map((child) => child.exited));
}

/**
 * Stops every child when the benchmark exits, however it exits, and turns Ctrl-C or
 * SIGTERM into a clean stop: children stopped, then `onInterrupt`, then exit code 130.
 */
export function stopChildrenOnExit(onInterrupt: () => void): void {
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      console.error(`\nInterrupted (${signal}); stopping benchmark processes.`);
      await stopAllChildren();
      onInterrupt();
      process.exit(130);
    });
  }
}
