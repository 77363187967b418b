import { describe, expect, it } from 'vitest';
import { NAME_MAX_LENGTH, Topology, TopologyValidationError, compile, formatProblem, printable, validate, type ValidationProblem } from '@topo/topology-dsl';
import { Sink, UrlBolt, UrlSpout } from './example-components.js';

/** What reaches a terminal must hold nothing that moves the cursor, recolours, rings or reorders. */
const RAW_UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

class UrlParser extends Topology {
  urlSpout = UrlSpout.spec();
  urlBolt = UrlBolt.spec({ input: this.urlSpout });
}

function namedTopology(name: string): ValidationProblem[] {
  return validate(compile(UrlParser, { name }));
}

function namedComponent(name: string): ValidationProblem[] {
  class Named extends Topology {
    urls = UrlSpout.spec({ name });
    parser = UrlBolt.spec({ input: this.urls });
  }
  return validate(compile(Named));
}

/** Every line a user would see for these problems, as `build()` reports them. */
function report(topology: string, problems: ValidationProblem[]): string {
  return new TopologyValidationError(topology, problems).message;
}

const refused: [string, string, RegExp][] = [
  ['NUL', 'x\0y', /^name must be printable, without control or format characters \(U\+0000 at character 2\) \(got "x\\u0000y"\)$/],
  ['ESC and a colour sequence', 'x\u001b[31my', /\(U\+001B at character 2\) \(got "x\\u001b\[31my"\)$/],
  ['BEL', 'ring\u0007', /\(U\+0007 at character 5\)/],
  ['DEL', 'del\u007f', /\(U\+007F at character 4\)/],
  ['a C1 control (CSI)', 'csi\u009b31m', /\(U\+009B at character 4\)/],
  ['a bidi override', 'abc\u202edef', /\(U\+202E at character 4\)/],
  ['a line separator', 'a\u2028b', /\(U\+2028 at character 2\)/],
  ['a newline', 'a\nb', /\(U\+000A at character 2\)/],
  ['a lone surrogate', 'a\ud800b', /\(U\+D800 at character 2\)/],
  ['a slash', 'a/b', /^name must not contain "\/" \(character 2\); names may not hold \/ \\ \. or :/],
  ['a backslash', 'a\\b', /must not contain "\\\\" \(character 2\)/],
  ['a dot', 'a.b', /must not contain "\." \(character 2\)/],
  ['a colon', 'a:b', /must not contain ":" \(character 2\)/],
  ['a space', 'a b', /must not contain whitespace \(U\+0020 at character 2\)/],
  ['a no-break space', 'a\u00a0b', /must not contain whitespace \(U\+00A0 at character 2\)/],
  ['too many characters', 'x'.repeat(NAME_MAX_LENGTH + 1), /^name must have at most 128 characters \(has 129\) \(got "x{128}"… \(129 characters\)\)$/],
  ['nothing', '', /^name must not be empty \(got ""\)$/],
];

describe('the name rule of topologies and components', () => {
  it.each(refused)('refuses a topology name with %s, naming the character by its code point, and prints it escaped', (_what, name, message) => {
    const problems = namedTopology(name);
    expect(problems).toEqual([{ code: expect.stringMatching(/^schema-/) as unknown as string, message: expect.stringMatching(message) as unknown as string }]);
    for (const line of report(name, problems).split('\n')) expect(line).not.toMatch(RAW_UNPRINTABLE);
    const header = report(name, problems).split('\n')[0];
    expect(header).toBe(name.length > NAME_MAX_LENGTH ? `topology ${'x'.repeat(NAME_MAX_LENGTH)}… (129 characters) is invalid (1 problem):` : `topology ${printable(name)} is invalid (1 problem):`);
  });

  it.each(refused)('refuses a component name with %s, with the same message under the component', (_what, name, message) => {
    const problems = namedComponent(name);
    // An empty name also leaves the bolt's input pointing at a component named "".
    expect(problems[0]).toEqual({ code: expect.stringMatching(/^schema-/) as unknown as string, component: name, message: expect.stringMatching(message) as unknown as string });
    for (const line of report('Named', problems).split('\n')) expect(line).not.toMatch(RAW_UNPRINTABLE);
  });

  it('accepts names of any script, with digits, dashes and underscores, up to 128 characters', () => {
    for (const name of ['UrlParser', 'word-count_2', 'Zähler', '計数器', 'emoji🙂', 'x'.repeat(NAME_MAX_LENGTH)]) {
      expect(namedTopology(name), name).toEqual([]);
      expect(namedComponent(name), name).toEqual([]);
    }
  });
});

describe('stream and field names', () => {
  class Streams extends Topology {
    urls = UrlSpout.spec();
    sink = Sink.spec({ input: this.urls });
  }

  it('may hold spaces and dots, but nothing that does not print', () => {
    const definition = compile(Streams);
    definition.components[0].streams['per host.v2'] = { fields: ['first name', 'a.b'], direct: false };
    expect(validate(definition)).toEqual([]);

    definition.components[0].streams['bad\u001b[2J'] = { fields: ['ok', 'rtl\u202eevil', 'x'.repeat(129)], direct: false };
    const problems = validate(definition);
    expect(problems).toEqual([
      { code: 'schema-pattern', component: 'urls', stream: 'bad\u001b[2J', message: 'stream name must be printable, without control or format characters (U+001B at character 4) (got "bad\\u001b[2J")' },
      { code: 'schema-pattern', component: 'urls', stream: 'bad\u001b[2J', field: 'rtl\u202eevil', message: 'field name must be printable, without control or format characters (U+202E at character 4) (got "rtl\\u202eevil")' },
      expect.objectContaining({ code: 'schema-maxLength', stream: 'bad\u001b[2J', message: expect.stringMatching(/^field name must have at most 128 characters \(has 129\)/) }),
    ]);
    expect(problems.map(formatProblem)[0]).toBe('component urls, stream bad\\u001b[2J: stream name must be printable, without control or format characters (U+001B at character 4) (got "bad\\u001b[2J")');
  });
});

describe('problem messages', () => {
  it('never echo a character that does not print, whatever part of the definition held it', () => {
    const definition = compile(UrlParser);
    definition.components[1].inputs[0].component = 'ghost\u001b]0;pwned\u0007';
    definition.config['\u009bkey'] = 1;
    definition.config['topology.message.timeout.secs'] = 'soon\u0000';
    const problems = validate(definition);
    expect(problems.map((p) => p.code).sort()).toEqual(['schema-type', 'unknown-input']);
    for (const problem of problems) expect(problem.message).not.toMatch(RAW_UNPRINTABLE);
    expect(problems.find((p) => p.code === 'unknown-input')!.message).toMatch(/^input from unknown component ghost\\u001b\]0;pwned\\u0007 /);
  });

  it('are bounded however long the names they echo', () => {
    const definition = compile(UrlParser);
    definition.components[1].inputs[0].component = 'g'.repeat(1_000_000);
    const [problem] = validate(definition);
    expect(problem.code).toBe('unknown-input');
    expect(problem.message.length).toBeLessThan(1100);
    expect(problem.message).toMatch(/… \(\d+ characters\)$/);
  });

  it('formatProblem() escapes locations and messages of problems made anywhere', () => {
    expect(formatProblem({ code: 'x', component: 'a\u001bb', stream: 's\u0007', field: 'f\u009b', configKey: 'k\u0000', message: 'm\u001b[0m' })).toBe(
      'component a\\u001bb, stream s\\u0007, field f\\u009b, config k\\u0000: m\\u001b[0m',
    );
  });
});
