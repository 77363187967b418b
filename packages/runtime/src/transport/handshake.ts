import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Mutual challenge-response over a per-topology secret: each side proves it knows the
 * secret by an HMAC over both sides' fresh nonces, so the secret never crosses the wire
 * and a recorded exchange cannot be replayed.
 */
export function newNonce(): string {
  return randomBytes(24).toString('hex');
}

export function proof(secret: Buffer, role: 'dialer' | 'acceptor', ownNonce: string, peerNonce: string, workerId: string): string {
  return createHmac('sha256', secret).update(`${role}|${ownNonce}|${peerNonce}|${workerId}`).digest('hex');
}

export function proofMatches(expected: string, actual: unknown): boolean {
  if (typeof actual !== 'string' || actual.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(actual));
}
