import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from '@topo/runtime';

/**
 * A real Prometheus (Debian's `prometheus` binary) scraping one target every second, for
 * tests. Everything it writes stays in its own temporary folder (config, TSDB, consoles),
 * it listens on 127.0.0.1 only, and `stop()` kills it and removes the folder.
 */
export class PrometheusServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
    private readonly output: () => string,
  ) {}

  /** Starts it scraping `target` (`host:port`) at `metricsPath`, and waits until it answers. */
  static async start(target: string, metricsPath = '/metrics'): Promise<PrometheusServer> {
    const dir = mkdtempSync(path.join(tmpdir(), 'topo-prometheus-'));
    const config = path.join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      ['global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', 'scrape_configs:', '  - job_name: topo', `    metrics_path: ${metricsPath}`, '    static_configs:', `      - targets: ['${target}']`, ''].join('\n'),
    );
    const port = await freePort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.console.templates=${path.join(dir, 'consoles')}`,
        `--web.console.libraries=${path.join(dir, 'console_libraries')}`,
        '--storage.tsdb.retention.time=1h',
        '--log.level=warn',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const server = new PrometheusServer(child, dir, `http://127.0.0.1:${port}`, () => output);
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${output}`);
        return (await fetch(`${server.url}/-/ready`).catch(() => undefined))?.ok === true;
      },
      'prometheus to be ready',
      30_000,
      100,
    );
    return server;
  }

  /** An instant query's result vector (`/api/v1/query`). */
  async query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] }; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus refused ${promql}: ${body.error}\n${this.output()}`);
    return body.data.result;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
