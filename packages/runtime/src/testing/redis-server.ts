import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TopoError } from '@topo/topology-dsl';
import { freePort } from './free-ports.js';

/**
 * A private, throw-away redis-server for tests and benchmarks, on a free loopback port:
 * never the machine's own Redis. It lives here, not in a package that uses Redis, so that
 * every package's tests and the bench can share it; it needs only the `redis-server`
 * binary on PATH, no Redis client.
 */
export interface TestRedisServer {
  readonly port: number;
  readonly url: string;
  /** The server process's id (a new one after each restart); the bench reads its CPU and memory from it. */
  readonly pid: number;
  /** Stops the server with SIGTERM and starts it again on the same port; with `durable`, with the same data. */
  restart(): Promise<void>;
  /** Kills the server (SIGKILL: no chance to save), leaving the port free until `start()`. */
  kill(): Promise<void>;
  /** Starts it again on the same port after `kill()`; with `durable`, from the data it had written. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestRedisOptions {
  /**
   * Append-only file with an fsync per write, so a restarted (even a killed) server comes
   * back with every write it acknowledged: what "Redis restarted" means for a real
   * deployment. Without it nothing is persisted, the fastest setting.
   */
  durable?: boolean;
  /** Require this password (`--requirepass`); `url` then carries it, as a client configured for it would. */
  password?: string;
}

const BINARY = 'redis-server';

/** Every server started and not yet stopped, so that a failed test cannot leave one behind. */
const running = new Set<TestRedisServer>();

/** Stops every server this process started and has not stopped; test files call it in `afterAll`. */
export async function stopAllTestRedis(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

/** Starts `redis-server` on a free loopback port, resolving once it accepts connections. */
export async function startTestRedis(options: TestRedisOptions = {}): Promise<TestRedisServer> {
  const port = await freePort();
  // Its own folder even without persistence: a server never writes into the caller's folder.
  const dir = mkdtempSync(path.join(tmpdir(), 'topo-redis-'));
  const persistence = options.durable === true ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const auth = options.password === undefined ? [] : ['--requirepass', options.password];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...persistence, ...auth];
  let child: ChildProcess | undefined;
  // A test or measurement that throws must not leave its server behind when the process exits.
  const killOnExit = () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  const start = async () => {
    child = await launch(args, port);
  };
  const end = async (signal: NodeJS.Signals) => {
    const ending = child;
    child = undefined;
    if (ending !== undefined) await stopChild(ending, signal);
  };

  try {
    await start();
  } catch (error) {
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const server: TestRedisServer = {
    port,
    url: `redis://${options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`}127.0.0.1:${port}`,
    get pid() {
      return child?.pid ?? 0;
    },
    async restart() {
      await end('SIGTERM');
      await start();
    },
    kill: () => end('SIGKILL'),
    start,
    async stop() {
      running.delete(server);
      await end('SIGTERM');
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(server);
  return server;
}

/** Spawns the server and waits for its "Ready to accept connections" line. */
async function launch(args: string[], port: number): Promise<ChildProcess> {
  const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        // Keep draining its output, or a full pipe would block the server.
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

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
