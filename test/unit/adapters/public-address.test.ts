import { describe, expect, it, vi } from 'vitest';
import {
  addressesOf,
  firstRefused,
  refusedRange,
} from '../../../lambdas/adapters/public-address.ts';

describe('Function: refusedRange', () => {
  it.each([
    // loopback
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    // 0.0.0.0/8 and ::
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    // RFC 1918
    ['10.0.0.1', 'private network'],
    ['10.255.255.255', 'private network'],
    ['172.16.0.1', 'private network'],
    ['172.31.255.255', 'private network'],
    ['192.168.0.1', 'private network'],
    // 100.64/10
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    // 169.254/16, the metadata service among them
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    // fc00::/7
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    // fe80::/10, with a zone too
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    // IPv4-mapped forms
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private network'],
    ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
    ['::ffff:100.64.0.1', 'IPv4-mapped carrier-grade NAT'],
    ['::ffff:0.0.0.0', 'IPv4-mapped unspecified'],
    // IPv4-compatible forms (deprecated; ipaddr.js alone calls them unicast)
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::7f00:1', 'IPv4-compatible loopback'],
    ['::192.168.1.1', 'IPv4-compatible private network'],
    ['::169.254.169.254', 'IPv4-compatible link-local'],
    ['::8.8.8.8', 'IPv4-compatible'],
    // other ways to wrap an IPv4 address, and the rest of the special ranges
    ['::ffff:0:7f00:1', 'IPv4-translated'],
    ['64:ff9b::7f00:1', 'NAT64'],
    ['2002:7f00:1::', '6to4'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    // not an address at all
    ['localhost', 'not an IP address'],
    ['', 'not an IP address'],
  ])('refuses %s (%s)', (address, range) => {
    // Act + Assess
    expect(refusedRange(address)).toBe(range);
  });

  it.each([
    '8.8.8.8',
    '93.184.215.14',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
  ])('allows the public address %s', (address) => {
    // Act + Assess
    expect(refusedRange(address)).toBeUndefined();
  });
});

describe('Function: addressesOf', () => {
  it('takes an address written as the host as it is, without resolving it', async () => {
    // Prepare
    const resolve = vi.fn(async () => []);

    // Act
    const v4 = await addressesOf('10.0.0.1', resolve);
    const v6 = await addressesOf('[::1]', resolve);

    // Assess
    expect(v4).toEqual([{ address: '10.0.0.1', family: 4 }]);
    expect(v6).toEqual([{ address: '::1', family: 6 }]);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('resolves a name once, and fails as DNS does when it has no address', async () => {
    // Prepare
    const resolve = vi.fn(async (host: string) =>
      host === 'feeds.example' ? [{ address: '93.184.215.14', family: 4 }] : []
    );

    // Act
    const found = await addressesOf('feeds.example', resolve);
    const missing = await addressesOf('nowhere.example', resolve).catch((e: unknown) => e);

    // Assess
    expect(found).toEqual([{ address: '93.184.215.14', family: 4 }]);
    expect(resolve).toHaveBeenCalledTimes(2);
    expect(missing).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('Function: firstRefused', () => {
  it('refuses a host when any of its addresses is refused, and passes an all-public one', () => {
    // Act + Assess
    expect(
      firstRefused([
        { address: '93.184.215.14', family: 4 },
        { address: 'fd00::5', family: 6 },
      ])
    ).toEqual({ address: 'fd00::5', range: 'unique local' });
    expect(
      firstRefused([
        { address: '93.184.215.14', family: 4 },
        { address: '2606:4700:4700::1111', family: 6 },
      ])
    ).toBeUndefined();
  });
});
