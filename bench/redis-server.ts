import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { TopoError } from '@topo/topology-dsl';
import { processCpuSeconds, processPeakRssMiB } from './machine.js';

const REDIS_BINARY = '/usr/bin/redis-server';

/** A private, throw-away redis-server for one measurement; never the machine's own Redis. */
export interface RedisServer {
  port: number;
  pid: number;
  /** CPU seconds (user + system) the server has used so far. */
  cpuSeconds(): number;
  /** The server's peak resident set so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  stop(): Promise<void>;
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

/** Starts redis-server on a free loopback port without persistence, resolving once it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(REDIS_BINARY, ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'], {
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
    child.once('error', (error) => reject(new TopoError(`cannot start ${REDIS_BINARY}: ${error.message}`, { file: REDIS_BINARY })));
    child.once('exit', (code) => reject(new TopoError(`${REDIS_BINARY} on port ${port} exited with ${code} before it was ready:\n${output}`, { file: REDIS_BINARY })));
  });
  // A variant that throws must not leave its server behind when the measuring process exits.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const pid = child.pid!;
  return {
    port,
    pid,
    cpuSeconds: () => processCpuSeconds(pid),
    peakRssMiB: () => processPeakRssMiB(pid),
    stop: () => {
      process.off('exit', killOnExit);
      return stopChild(child);
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
