// A spout for the tests in Node: emits ["node", i] for i below argv[2] with message id i,
// emits failed ids again, and logs acks. Every emit waits for its task ids, as storm.js expects.
import { Wire } from './wire.mjs';

const queue = Array.from({ length: Number(process.argv[2] ?? 5) }, (_, i) => i);
const wire = new Wire((command) => {
  switch (command.command) {
    case 'next': {
      const i = queue.shift();
      if (i === undefined) break;
      wire.emit({ tuple: ['node', i], id: i }, () => wire.send({ command: 'sync' }));
      return;
    }
    case 'ack':
      wire.send({ command: 'log', msg: `acked ${command.id}` });
      break;
    case 'fail':
      queue.push(command.id);
      break;
  }
  wire.send({ command: 'sync' });
});
