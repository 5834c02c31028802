/** What the demo upstream echoes back (examples/demo-upstream/server.ts). */
export interface Echo {
  readonly upstream: string;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly bodyBytes: number;
}

export async function echoOf(response: Response): Promise<Echo> {
  if (response.status !== 200)
    throw new Error(`expected the echo, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as Echo;
}
