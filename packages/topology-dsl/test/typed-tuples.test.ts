import { describe, expect, expectTypeOf, it } from 'vitest';
import { BasicBolt, Bolt, Spout, Topology, compile, validate, type Tuple, type TupleOf } from '@topo/topology-dsl';

// `npm test` type-checks this file first (tsc strict, noImplicitOverride): every
// expect-error directive must meet a type error and each expectTypeOf must hold, or tsc fails.
// None of these classes writes `override` or a cast: that is the point.

class UrlSpout extends Spout {
  static outputs = ['url'] as const;
  declare static fieldTypes: { url: string };
  nextTuple(): void {}
  ack(_msgId: unknown): void {}
  fail(_msgId: unknown): void {}
  open(): void {}
}

class UrlBolt extends BasicBolt {
  static outputs = ['host', 'path'] as const;
  static streams = { invalid: ['url', 'reason'] } as const;
  declare static fieldTypes: { host: string; path: string; url: string };
  prepare(): void {}
  process(tuple: TupleOf<typeof UrlSpout>): void {
    expectTypeOf(tuple.get('url')).toEqualTypeOf<string>();
    // @ts-expect-error UrlSpout declares no field `ulr`.
    tuple.get('ulr');
    const u = new URL(tuple.get('url'));
    this.emit([u.host, u.pathname]);
  }
}

/** Reads only `host`, so any input providing it will do. */
class HostBolt extends Bolt {
  process(tuple: TupleOf<typeof UrlBolt>): void {
    expectTypeOf(tuple.get('host')).toEqualTypeOf<string>();
    expectTypeOf(tuple.fields).toEqualTypeOf<readonly ('host' | 'path')[]>();
    this.ack(tuple);
  }
}

class InvalidBolt extends BasicBolt {
  process(tuple: TupleOf<typeof UrlBolt, 'invalid'>): void {
    expectTypeOf(tuple.get('url')).toEqualTypeOf<string>();
    // Declared as a field of the stream but given no type: unknown, not any.
    expectTypeOf(tuple.get('reason')).toEqualTypeOf<unknown>();
    // @ts-expect-error `host` is on UrlBolt's default stream, not on `invalid`.
    tuple.get('host');
  }
}

/** Declares field names only: names are checked, values are unknown. */
class NamesOnlySpout extends Spout {
  static outputs = ['word'] as const;
  nextTuple(): void {}
}

class WordBolt extends BasicBolt {
  process(tuple: TupleOf<typeof NamesOnlySpout>): void {
    expectTypeOf(tuple.get('word')).toEqualTypeOf<unknown>();
    // @ts-expect-error NamesOnlySpout declares no field `words`.
    tuple.get('words');
  }
}

/** A plain Tuple still reads any field, as unknown. */
class LooseBolt extends BasicBolt {
  process(tuple: Tuple): void {
    expectTypeOf(tuple.get('anything')).toEqualTypeOf<unknown>();
  }
}

class Wired extends Topology {
  static config = { 'topology.message.timeout.secs': 30 };
  urls = UrlSpout.spec();
  parser = UrlBolt.spec({ input: this.urls });
  hosts = HostBolt.spec({ input: this.parser.fields('host') });
  invalid = InvalidBolt.spec({ input: this.parser.stream('invalid') });
  names = NamesOnlySpout.spec();
  words = WordBolt.spec({ input: this.names.fields('word') });
  loose = LooseBolt.spec({ input: this.urls });
}

/** Each wrong input below is a type error; the class exists for tsc, not for a test. */
export class Miswired extends Topology {
  urls = UrlSpout.spec();
  parser = UrlBolt.spec({ input: this.urls });
  // @ts-expect-error HostBolt reads `host`, which UrlSpout's stream does not provide.
  hosts = HostBolt.spec({ input: this.urls });
  // @ts-expect-error InvalidBolt reads `reason`, which UrlBolt's default stream does not provide.
  invalid = InvalidBolt.spec({ input: this.parser.fields('host') });
}

describe('typed tuples', () => {
  it('wire components whose fields match without casts or override', () => {
    expect(validate(compile(Wired))).toEqual([]);
  });

});
