import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@topo/runtime';

const daemon = fileURLToPath(new URL('./fixtures/nimbus-daemon.mjs', import.meta.url));

/** A nimbus in its own process with a small heap, so a test sees at once what would exhaust a real one's. */
export class NimbusProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';

  private constructor(redisUrl: string, config: Record<string, number>, heapMiB: number) {
    this.child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, daemon, redisUrl, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
  }

  /** Started and listening. */
  static async start(redisUrl: string, config: Record<string, number>, heapMiB = 160): Promise<NimbusProcess> {
    const nimbus = new NimbusProcess(redisUrl, config, heapMiB);
    await waitFor(() => {
      if (!nimbus.running) throw new Error(`nimbus exited before listening:\n${nimbus.stderr}`);
      return nimbus.url !== undefined;
    }, 'nimbus to listen');
    return nimbus;
  }

  get url(): string | undefined {
    return /^(http:\S+)$/m.exec(this.stdout)?.[1];
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL if it lingers. */
  async stop(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    this.child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  }
}
