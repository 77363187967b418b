import { lookup } from 'node:dns/promises';
import net from 'node:net';

/**
 * Whether a connection from `remote` (its source address) can come from `host`, where the
 * peers table says that worker listens. Dialers bind their source address to their own
 * listen address when it is an IP (see Transport.dial), so on any host the two agree. A
 * name is resolved; an unspecified address (`0.0.0.0`, `::`) matches anything, as peers
 * listening on one can only be on this machine.
 */
export async function comesFromHost(remote: string | undefined, host: string): Promise<boolean> {
  if (remote === undefined) return false;
  if (isUnspecified(host)) return true;
  const from = plainAddress(remote);
  if (net.isIP(host) !== 0) return plainAddress(host) === from;
  try {
    const addresses = await lookup(host, { all: true });
    return addresses.some((a) => plainAddress(a.address) === from);
  } catch {
    return false;
  }
}

/** The address to bind a dialing socket to so that peers see `host` as its source, if there is one. */
export function sourceAddressFor(host: string | undefined): string | undefined {
  return host !== undefined && net.isIP(host) !== 0 && !isUnspecified(host) ? host : undefined;
}

function isUnspecified(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '::0';
}

/** IPv4 seen through an IPv6 socket (`::ffff:127.0.0.1`) as plain IPv4; lower case. */
function plainAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && net.isIPv4(lower.slice(7)) ? lower.slice(7) : lower;
}
