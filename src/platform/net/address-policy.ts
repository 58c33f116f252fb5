import { lookup } from 'node:dns/promises';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which addresses Waybill may open outbound connections to. Only globally routable unicast
 * addresses pass; loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade
 * NAT, multicast, reserved and the IPv6 forms that embed an IPv4 address are refused unless an
 * operator allowlists their CIDR (WAYBILL_OUTBOUND_ALLOWLIST), which is how tests reach 127.0.0.1.
 */
export class AddressPolicy {
  private readonly allowed: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

  constructor(allowlist: string[]) {
    this.allowed = allowlist.map((cidr) => {
      try {
        return ipaddr.parseCIDR(cidr);
      } catch {
        throw new Error(`Not a CIDR in the outbound allowlist: "${cidr}"`);
      }
    });
  }

  /** True when a connection to this IP literal is allowed. Anything that does not parse is refused. */
  allows(address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    // `::ffff:10.0.0.1` must be judged as the IPv4 address it reaches.
    const ip = ipaddr.process(address);
    if (this.allowed.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits))) return true;
    return ip.range() === 'unicast';
  }
}

export class UrlRefusedError extends Error {}

/** How an operator lets receivers on a private network (or this machine) through. */
export const ALLOWLIST_HINT =
  'private, loopback and link-local addresses are refused unless listed in WAYBILL_OUTBOUND_ALLOWLIST (e.g. 127.0.0.1/32 for a receiver on this machine)';

const stripBrackets = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Registration-time check of a receiver URL: http(s) only, no credentials in the URL, and the host
 * (an IP literal, or every address its name resolves to now) allowed by the policy. The same check
 * runs again at send time, after DNS, because a name can be re-pointed after registration.
 */
export async function checkReceiverUrl(raw: string, policy: AddressPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlRefusedError('url is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UrlRefusedError('url must use http or https');
  if (url.username || url.password) throw new UrlRefusedError('url must not carry credentials; use basic_auth');
  const host = stripBrackets(url.hostname);
  // The URL parser has already normalised encoded IPv4 forms (`127.1`, `2130706433`, `0x7f.1`).
  if (net.isIP(host)) {
    if (!policy.allows(host)) throw new UrlRefusedError(`url points to a disallowed address (${host}): ${ALLOWLIST_HINT}`);
    return url;
  }
  let addresses: string[];
  try {
    addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    // An unknown name cannot be checked now; the send-time check still guards every connection.
    return url;
  }
  const refused = addresses.find((address) => !policy.allows(address));
  if (refused) throw new UrlRefusedError(`url resolves to a disallowed address (${refused}): ${ALLOWLIST_HINT}`);
  return url;
}
