import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REDIS_BINARY = '/usr/bin/redis-server';

/** A private redis-server for one test file, on a free loopback port; never the machine's own Redis. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL: no chance to save), leaving the port free until `start()`. */
  kill(): Promise<void>;
  /** Starts it again on the same port; with `durable`, from the data it had written. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestRedisOptions {
  /**
   * Append-only file with an fsync per write, so a killed server comes back with every
   * write it acknowledged: what "Redis restarted" means for a real deployment.
   */
  durable?: boolean;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Every server started and not yet stopped, so that a failed test cannot leave one behind. */
const running = new Set<TestRedis>();

/** Stops every server this file started; test files call it in `afterAll`. */
export async function stopAllRedis(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

export async function startRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'topo-redis-'));
  const persistence = options.durable === true ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...persistence];
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const start = async () => {
    const spawned = spawn(REDIS_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawned;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          spawned.stdout!.off('data', onData);
          spawned.stdout!.resume();
          resolve();
        }
      };
      spawned.stdout!.on('data', onData);
      spawned.stderr!.resume();
      spawned.once('error', (error) => reject(new Error(`cannot start ${REDIS_BINARY}: ${error.message}`)));
      spawned.once('exit', (code) => reject(new Error(`${REDIS_BINARY} on port ${port} exited with ${code} before it was ready:\n${output}`)));
    });
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  const server: TestRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    start,
    stop: async () => {
      running.delete(server);
      await kill();
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(server);
  return server;
}
