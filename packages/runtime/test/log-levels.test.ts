import { describe, expect, it } from 'vitest';
import { captureLogger, LogLevels, type LogRecord } from '@topo/runtime';

describe('run-time log levels', () => {
  it('a component\'s level wins over ROOT\'s, which wins over the level started with; an empty set goes back to it', () => {
    const records: LogRecord[] = [];
    const root = captureLogger(records, 'info');
    const levels = new LogLevels(root);
    const a = levels.forTask('a', 1);
    const b = levels.forTask('b', 2);
    const said = () => records.splice(0).map((r) => `${r.level} ${r.component ?? 'root'}${r.task !== undefined ? `:${r.task}` : ''} ${r.message}`);

    a.debug('x');
    a.info('x');
    expect(said()).toEqual(['info a:1 x']);

    levels.apply({ a: 'debug' });
    a.debug('x');
    b.debug('x');
    root.debug('x');
    expect(said()).toEqual(['debug a:1 x']);

    levels.apply({ ROOT: 'warn', a: 'debug' });
    a.debug('x');
    b.info('x');
    root.info('x');
    root.warn('x');
    // A task started while an override is in force gets it too.
    levels.forTask('b', 3).warn('x');
    expect(said()).toEqual(['debug a:1 x', 'warn root x', 'warn b:3 x']);

    levels.apply({});
    a.debug('x');
    b.info('x');
    root.info('x');
    expect(said()).toEqual(['info b:2 x', 'info root x']);
  });
});
