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
    const ip = embeddedIPv4(ipaddr.process(address));
    if (this.allowed.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits))) return true;
    return ip.range() === 'unicast';
  }
}

/**
 * The address an IPv6 form that carries an IPv4 address reaches, judged as that IPv4 address.
 * `ipaddr.process` already unwraps IPv4-mapped `::ffff:a.b.c.d`; the deprecated IPv4-compatible
 * form `::a.b.c.d` (::/96, which the URL parser writes as `::7f00:1`) it classifies as ordinary
 * unicast, so `http://[::127.0.0.1]/` would reach loopback on hosts that still route it.
 * The translation and tunnel forms (::ffff:0:0/96, 64:ff9b::/96, 2002::/16, Teredo 2001::/32)
 * have ranges of their own, never `unicast`, so they are refused whatever IPv4 they embed.
 */
function embeddedIPv4(ip: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (ip.kind() !== 'ipv6') return ip;
  const parts = (ip as ipaddr.IPv6).parts;
  const [high, low] = [parts[6] as number, parts[7] as number];
  // `::` and `::1` are IPv6's own unspecified and loopback addresses, judged (and allowlisted) as such.
  if (parts.slice(0, 6).some((part) => part !== 0) || (high === 0 && low <= 1)) return ip;
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
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
