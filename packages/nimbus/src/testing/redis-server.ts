import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TopoError } from '@topo/topology-dsl';
import { freePort } from './free-ports.js';

/** A private redis-server for tests and benchmarks, never the machine's own Redis. */
export interface TestRedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (it writes its append-only file first) and starts it again on the same port with the same data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const BINARY = 'redis-server';

/**
 * Starts `redis-server` on a free loopback port, persisting to an append-only file in a
 * fresh folder so a restart keeps the data (as a production Redis would be set up).
 */
export async function startTestRedis(): Promise<TestRedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'topo-redis-'));
  let child = await launch(port, dir);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async restart() {
      await stopChild(child);
      child = await launch(port, dir);
    },
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.resume();
    child.once('error', (error) => reject(new TopoError(`cannot start ${BINARY}: ${error.message}`, { file: BINARY })));
    child.once('exit', (code) => reject(new TopoError(`${BINARY} on port ${port} exited with ${code} before it was ready:\n${output}`, { file: BINARY })));
  });
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
