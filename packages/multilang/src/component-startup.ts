import type { TopologyContext } from '@topo/topology-dsl';
import { ComponentChannel, type ChannelOptions, type Handshake } from './component-channel.js';
import { redirectConsole } from './console-redirect.js';
import { subprocessContext } from './subprocess-context.js';

export type RunOptions = ChannelOptions;

export interface StartedComponent {
  channel: ComponentChannel;
  setup: Handshake;
  context: TopologyContext;
}

/**
 * The common start of `runBolt` and `runSpout`: take stdout for the protocol, send
 * console output to the protocol's log, answer the handshake, and arrange for `close`
 * to run and the process to exit when the engine closes stdin or sends SIGTERM.
 */
export async function startComponent(options: RunOptions, close: () => void | Promise<void>): Promise<StartedComponent> {
  const channel = new ComponentChannel(options);
  redirectConsole((level, message) => (channel.serializer === undefined ? process.stderr.write(`${message}\n`) : channel.log(level, message)));
  const setup = await channel.handshake();
  const context = subprocessContext(setup, channel);
  let closing = false;
  const finish = async () => {
    if (closing) return;
    closing = true;
    try {
      await close();
    } finally {
      process.exit(0);
    }
  };
  channel.onEnd(() => void finish());
  process.once('SIGTERM', () => void finish());
  return { channel, setup, context };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
