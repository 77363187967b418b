// The multi-lang JSON framing for the Node test components, written for these tests
// against the protocol. Like storm.js it splits the input on the exact string
// "\nend\n", writes the pid file before answering the handshake, expects a task-id list
// for every emit that is not direct, and throws on one it did not expect.
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';

const END = '\nend\n';

export class Wire {
  constructor(onCommand) {
    this.onCommand = onCommand;
    this.buffer = '';
    this.setup = undefined;
    this.taskIdCallbacks = [];
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => this.receive(chunk));
    process.stdin.on('end', () => process.exit(0));
  }

  receive(chunk) {
    const parts = (this.buffer + chunk).split(END);
    this.buffer = parts.pop();
    for (const part of parts) this.handle(JSON.parse(part));
  }

  handle(message) {
    if (this.setup === undefined) {
      this.setup = message;
      closeSync(openSync(path.join(message.pidDir, String(process.pid)), 'w'));
      this.send({ pid: process.pid });
      this.onSetup?.(message);
    } else if (Array.isArray(message)) {
      const callback = this.taskIdCallbacks.shift();
      if (callback === undefined) throw new Error(`task ids ${JSON.stringify(message)} arrived for no emit`);
      callback(message);
    } else {
      this.onCommand(message);
    }
  }

  send(message) {
    process.stdout.write(JSON.stringify(message) + END);
  }

  /** An emit; a direct one (task present and not 0) gets no task ids, any other must pass onTaskIds. */
  emit(message, onTaskIds) {
    if (message.task) {
      this.send({ command: 'emit', ...message });
      return;
    }
    if (onTaskIds === undefined) throw new Error('an emit needs a task-id callback');
    this.taskIdCallbacks.push(onTaskIds);
    this.send({ command: 'emit', ...message });
  }
}
