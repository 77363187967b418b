import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { TopoError } from '@topo/topology-dsl';

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
    peakRssMiB: () => {
      const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
      return line === null ? 0 : Number(line[1]) / 1024;
    },
    stop: () => {
      process.off('exit', killOnExit);
      return stopChild(child);
    },
  };
}

/** utime + stime from /proc/<pid>/stat, in seconds (clock ticks are 100 Hz on Linux). */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
