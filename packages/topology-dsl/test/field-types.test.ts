import { describe, expect, it } from 'vitest';
import { Spout, Topology, compile, validate, type SpoutSpecOptions } from '@topo/topology-dsl';
import { EventSpout, Sink, UrlBolt, UrlSpout } from './example-components.js';

// `npm test` type-checks this file first: each @ts-expect-error must meet a type error, or
// tsc fails with "Unused '@ts-expect-error' directive". Each line below is a mistake that
// compile-time field checking exists to catch; validate() catches the same at run time.

class Checked extends Topology {
  events = EventSpout.spec();
  urls = UrlSpout.spec();
  parser = UrlBolt.spec({ input: this.urls.fields('url') });
  byKey = Sink.spec({ input: this.events.fields('key', 'value') });
  byPartialKey = Sink.spec({ input: this.events.partialKey('key') });
  byReason = Sink.spec({ input: this.parser.stream('invalid').fields('reason') });
  errors = Sink.spec({ input: this.events.stream('errors').partialKey('reason') });
  routed = Sink.spec({ input: this.events.stream('routed').direct() });
  byDefaultStream = Sink.spec({ input: this.parser.stream('default').fields('host') });
}

class Misspelled extends Topology {
  events = EventSpout.spec();
  urls = UrlSpout.spec();
  parser = UrlBolt.spec({ input: this.urls });
  sink = Sink.spec({ input: this.events });
  // @ts-expect-error `hots` is not a field of the parser's default stream (url, host, path).
  byHost = Sink.spec({ input: this.parser.fields('hots') });
  // @ts-expect-error `kye` is not a field of events (key, value).
  byPartialKey = Sink.spec({ input: this.events.partialKey('kye') });
  // @ts-expect-error `nope` is not a field of the parser's invalid stream (url, reason).
  byReason = Sink.spec({ input: this.parser.stream('invalid').fields('nope') });
  // @ts-expect-error the parser declares no stream `nosuchstream`.
  fromNowhere = Sink.spec({ input: this.parser.stream('nosuchstream') });
  // @ts-expect-error Sink declares no named streams at all, so none can be named.
  fromSink = Sink.spec({ input: this.sink.stream('errors') });
  // @ts-expect-error a fields grouping needs at least one field.
  byNothing = Sink.spec({ input: this.events.fields() });
}

describe('field and stream names checked by the type checker', () => {
  it('compiles the correct declarations to a topology without problems', () => {
    expect(validate(compile(Checked))).toEqual([]);
  });

  it('leaves validate() to report the same mistakes when types are bypassed', () => {
    const problems = validate(compile(Misspelled));
    // Schema problems come first, then graph problems.
    expect(problems.map((p) => [p.code, p.component, p.stream, p.field])).toEqual([
      ['schema-minItems', 'byNothing', 'default', undefined],
      ['unknown-field', 'byHost', 'default', 'hots'],
      ['unknown-field', 'byPartialKey', 'default', 'kye'],
      ['unknown-field', 'byReason', 'invalid', 'nope'],
      ['unknown-stream', 'fromNowhere', 'nosuchstream', undefined],
      ['unknown-stream', 'fromSink', 'errors', undefined],
    ]);
  });

  it('does not let a spout take inputs', () => {
    // @ts-expect-error `input` is not an option of a spout.
    const options: SpoutSpecOptions = { input: UrlSpout.spec() };
    expect(Object.keys(options)).toEqual(['input']);
  });

  it('checks field names only when outputs are declared `as const`', () => {
    class LooseSpout extends Spout {
      static outputs = ['url'];
      nextTuple(): void {}
    }
    // Without `as const` the fields are `string[]`, so the misspelling passes the type
    // checker; validate() is the safety net.
    class Loose extends Topology {
      urls = LooseSpout.spec();
      byUrl = Sink.spec({ input: this.urls.fields('ulr') });
    }
    expect(validate(compile(Loose))).toEqual([expect.objectContaining({ code: 'unknown-field', field: 'ulr' })]);
  });
});
