import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Sources fetch files from addresses staff type: they must not reach into the shop's own network
 * (server-side request forgery). Every address a host name resolves to is checked at connect
 * time — in the socket's own DNS lookup, so a name that resolves to a public address when checked
 * and to 127.0.0.1 when connecting (DNS rebinding) is refused too. Private, loopback, link-local,
 * carrier-grade NAT, multicast and unspecified addresses are refused unless the administrator
 * allows the host by name (SOURCE_ALLOWED_HOSTS).
 */

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) blocked.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is one a source may not reach (IPv4-mapped IPv6 addresses as their IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class AddressRefusedError extends Error {
  override name = 'AddressRefusedError';
  constructor(readonly host: string, readonly address: string) {
    super(`${host} resolves to ${address}, a private or local address that sources may not reach. An administrator can allow this host with SOURCE_ALLOWED_HOSTS.`);
  }
}

const isAllowed = (host: string, allowedHosts: readonly string[]) => allowedHosts.includes(host.toLowerCase().replace(/^\[|\]$/g, ''));

/** Refuses a host given as a literal private address at once (before any connection). */
export function checkLiteralHost(host: string, allowedHosts: readonly string[]): void {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0 && isPrivateAddress(bare) && !isAllowed(bare, allowedHosts)) throw new AddressRefusedError(host, bare);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http(s).request / net.connect that refuses private addresses unless the host is allowed. */
export function guardedLookup(allowedHosts: readonly string[]) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const refused = isAllowed(hostname, allowedHosts) ? undefined : list.find((entry) => isPrivateAddress(entry.address));
      if (refused) return callback(Object.assign(new AddressRefusedError(hostname, refused.address), { code: 'EADDRREFUSED' }), []);
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0];
      return first ? callback(null, first.address, first.family) : callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    });
  };
}
