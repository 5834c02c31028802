/**
 * Latency at one connection: a keep-alive client that sends one request at a time and
 * times each from send to the last byte of the response. With no queueing this is the
 * cost a single request pays, which is what the gateway's +0.1 ms target is about.
 */
import { Agent, get } from 'node:http';

/** Sends `count` GETs to `url` one after another; returns each latency in ms. */
export async function runSequential(url: string, count: number, status = 200): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) samples.push(await timedGet(url, agent, status));
  } finally {
    agent.destroy();
  }
  return samples;
}

function timedGet(url: string, agent: Agent, status: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    get(url, { agent }, (response) => {
      response.resume();
      response.once('end', () => {
        if (response.statusCode !== status) reject(new Error(`${url} answered ${response.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - start) / 1e6);
      });
      response.once('error', reject);
    }).once('error', reject);
  });
}
