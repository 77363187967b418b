import { TopoError } from '@topo/topology-dsl';
import { randomHalf } from '../ids.js';
import { TUPLE_ACKED, TUPLE_PENDING, type TupleImpl } from '../tuple-impl.js';
import type { ExecutorHost } from './executor-host.js';

/** Links a new tuple to one anchor: a fresh edge id, XORed into the anchor and into each of its roots. */
export function anchorTo(child: TupleImpl, anchor: TupleImpl, component: string): void {
  if ((anchor.r0h | anchor.r0l) === 0) return;
  if (anchor.state !== TUPLE_PENDING) {
    throw new TopoError(`${component} anchored a new tuple to an input it already ${anchor.state === TUPLE_ACKED ? 'acked' : 'failed'}`, {
      component,
      stream: anchor.sourceStream,
    });
  }
  const edgeHi = randomHalf();
  const edgeLo = randomHalf();
  // The anchor's ack reports the child's edge to each of its roots, the child's own ack reports it back.
  anchor.e0h ^= edgeHi;
  anchor.e0l ^= edgeLo;
  child.addEdge(anchor.r0h, anchor.r0l, edgeHi, edgeLo);
  const more = anchor.more;
  if (more !== null) {
    for (let i = 0; i < more.length; i += 4) {
      more[i + 2] ^= edgeHi;
      more[i + 3] ^= edgeLo;
      child.addEdge(more[i], more[i + 1], edgeHi, edgeLo);
    }
  }
}

/** Reports an input's ack to the ackers of each tree it belongs to. */
export function sendAck(worker: ExecutorHost, tuple: TupleImpl): void {
  if ((tuple.r0h | tuple.r0l) === 0) return;
  worker.ackerAck(tuple.r0h, tuple.r0l, tuple.e0h, tuple.e0l);
  const more = tuple.more;
  if (more !== null) for (let i = 0; i < more.length; i += 4) worker.ackerAck(more[i], more[i + 1], more[i + 2], more[i + 3]);
}

/** Fails each tree an input belongs to. */
export function sendFail(worker: ExecutorHost, tuple: TupleImpl): void {
  if ((tuple.r0h | tuple.r0l) === 0) return;
  worker.ackerFail(tuple.r0h, tuple.r0l);
  const more = tuple.more;
  if (more !== null) for (let i = 0; i < more.length; i += 4) worker.ackerFail(more[i], more[i + 1]);
}
