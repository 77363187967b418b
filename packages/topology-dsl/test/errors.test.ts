import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TopoError, TopologyValidationError, formatProblem } from '@topo/topology-dsl';

describe('formatProblem()', () => {
  it('leads with every location it has, in the order component, stream, field, config', () => {
    expect(
      formatProblem({ code: 'unknown-field', component: 'counter', stream: 'invalid', field: 'hots', message: 'no such field' }),
    ).toBe('component counter, stream invalid, field hots: no such field');
    expect(formatProblem({ code: 'schema-type', component: 'parser', configKey: 'topology.debug', message: 'must be boolean' })).toBe(
      'component parser, config topology.debug: must be boolean',
    );
  });

  it('is just the message for a topology-wide problem', () => {
    expect(formatProblem({ code: 'no-spout', message: 'the topology has no spout' })).toBe('the topology has no spout');
  });
});

describe('errors', () => {
  it('TopoError carries its class name and context', () => {
    const error = new TopoError('bundle missing', { file: 'dist/topology.js' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TopoError');
    expect(error.context).toEqual({ file: 'dist/topology.js' });
    expect(new TopoError('plain').context).toEqual({});
  });

  it('TopologyValidationError is a TopoError and counts one problem in the singular', () => {
    const problems = [{ code: 'no-spout', message: 'the topology has no spout' }];
    const error = new TopologyValidationError('Empty', problems);
    expect(error).toBeInstanceOf(TopoError);
    expect(error.name).toBe('TopologyValidationError');
    expect(error.message).toBe('topology Empty is invalid (1 problem):\n  - the topology has no spout');
    expect(error.problems).toBe(problems);
  });
});
