/**
 * Where feeds may be fetched from: public unicast addresses only. A feed URL or a redirect must not
 * reach the machine itself (in Lambda, 127.0.0.1:9001 is the runtime API), its network, or a cloud
 * metadata service (169.254.169.254). The address table is ipaddr.js's; this module adds the
 * IPv4-compatible form it does not know, and resolves a host once, so that the addresses checked
 * are the ones connected to.
 */
import { ADDRCONFIG, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** ipaddr.js's range names, as messages say them. Any range not named here is shown as named there. */
const RANGE_NAMES: Readonly<Record<string, string>> = {
  loopback: 'loopback',
  unspecified: 'unspecified',
  private: 'private network',
  carrierGradeNat: 'carrier-grade NAT',
  linkLocal: 'link-local',
  uniqueLocal: 'unique local',
  multicast: 'multicast',
  broadcast: 'broadcast',
  reserved: 'reserved',
  rfc6145: 'IPv4-translated',
  rfc6052: 'NAT64',
  '6to4': '6to4',
  teredo: 'Teredo',
};

/** ::/96, the deprecated IPv4-compatible IPv6 addresses (::7f00:1), which ipaddr.js calls unicast. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
/** The same written with a dotted quad, as inet_ntop writes them; ipaddr.js reads it as IPv4-mapped. */
const IPV4_COMPATIBLE_DOTTED = /^::(\d{1,3}(?:\.\d{1,3}){3})$/;

const compatibleRange = (ipv4: string): string => {
  const inner = refusedRange(ipv4);
  return inner ? `IPv4-compatible ${inner}` : 'IPv4-compatible';
};

/**
 * Why `address` may not be fetched from ('loopback', 'private network', 'IPv4-mapped link-local',
 * ...), or undefined when it is a public unicast address. Anything that is not an IP address is
 * refused too, and so is every IPv4-compatible address (nothing public lives there).
 */
export const refusedRange = (address: string): string | undefined => {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const dotted = IPV4_COMPATIBLE_DOTTED.exec(address)?.[1];
  if (dotted) return compatibleRange(dotted);
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) {
      const inner = refusedRange(v6.toIPv4Address().toString());
      return inner && `IPv4-mapped ${inner}`;
    }
    const range = v6.range();
    if (range === 'unicast' && v6.match(IPV4_COMPATIBLE)) {
      return compatibleRange(ipaddr.fromByteArray(v6.toByteArray().slice(12)).toString());
    }
    return range === 'unicast' ? undefined : (RANGE_NAMES[range] ?? range);
  }
  const range = parsed.range();
  return range === 'unicast' ? undefined : (RANGE_NAMES[range] ?? range);
};

/** A host's addresses, as dns.lookup gives them with `all: true`. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

/** The system's resolver, asked as Node asks it when it connects. */
export const systemResolver: Resolver = (hostname) =>
  lookup(hostname, { all: true, hints: ADDRCONFIG });

/** The host of a URL (`[::1]` written bare), its addresses: itself when it is an IP address. */
export const addressesOf = async (
  hostname: string,
  resolve: Resolver
): Promise<readonly LookupAddress[]> => {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const family = isIP(bare);
  if (family !== 0) return [{ address: bare, family }];
  const addresses = await resolve(bare);
  if (addresses.length === 0) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${bare}`), {
      code: 'ENOTFOUND',
      hostname: bare,
    });
  }
  return addresses;
};

/**
 * The first address that may not be fetched from, and why. A host with any such address is
 * refused as a whole: one name answering a public address and a private one is how a rebinding
 * attack slips past a check.
 */
export const firstRefused = (
  addresses: readonly LookupAddress[]
): { readonly address: string; readonly range: string } | undefined => {
  for (const { address } of addresses) {
    const range = refusedRange(address);
    if (range) return { address, range };
  }
  return undefined;
};
