// A bolt for the tests in Node: emits [word, length] anchored to each input and acks it,
// or sends a direct emit to the task named in "direct:<task>" inputs. With --need-task-ids-false
// it sends need_task_ids false on its emits but still expects replies, so any reply it did not
// expect makes it throw (and exit), as storm.js would.
import { Wire } from './wire.mjs';

const declineTaskIds = process.argv.includes('--need-task-ids-false');
const wire = new Wire((tup) => {
  if (tup.stream === '__heartbeat' && tup.task === -1) {
    wire.send({ command: 'sync' });
    return;
  }
  const word = String(tup.tuple[0]);
  if (word.startsWith('direct:')) {
    wire.emit({ tuple: [word, word.length], anchors: [tup.id], stream: 'direct', task: Number(word.slice(7)) });
    wire.send({ command: 'ack', id: tup.id });
    return;
  }
  const message = { tuple: [word, word.length], anchors: [tup.id] };
  if (declineTaskIds) message.need_task_ids = false;
  wire.emit(message, (ids) => wire.send({ command: 'log', msg: `${word} went to ${JSON.stringify(ids)}`, level: 1 }));
  wire.send({ command: 'ack', id: tup.id });
});
