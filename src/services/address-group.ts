// What a login throttle counts as one client. An IPv4 address is one; an IPv6 client usually holds
// a whole /64 (SLAAC hands one to every network, privacy extensions pick new addresses in it at
// will), so counting single IPv6 addresses would give each attacker 2^64 fresh counts.

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const HEXTET = /^[0-9a-f]{1,4}$/i;

const hex = (groups: number[]) => groups.map((group) => group.toString(16)).join(":");

/** The four bytes of a dotted quad as two 16-bit groups. */
function ipv4Groups(address: string): [number, number] {
  const [a = 0, b = 0, c = 0, d = 0] = address.split(".").map(Number);
  return [(a << 8) | b, (c << 8) | d];
}

/**
 * The eight 16-bit groups of an IPv6 address in any RFC 4291 form (`::` for one or more zero
 * groups, a dotted quad for the last 32 bits), or undefined if it is not one.
 */
function ipv6Groups(address: string): number[] | undefined {
  const lastColon = address.lastIndexOf(":");
  if (lastColon < 0) return undefined;
  const last = address.slice(lastColon + 1);
  let text = address;
  if (last.includes(".")) {
    if (!IPV4.test(last)) return undefined;
    text = address.slice(0, lastColon + 1) + hex(ipv4Groups(last));
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groupsOf(halves[0] ?? "");
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? "") : undefined;
  const missing = 8 - head.length - (tail?.length ?? 0);
  // Without `::` all eight groups are written; with it, it stands for at least one.
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = tail === undefined ? head : [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (!groups.every((group) => HEXTET.test(group))) return undefined;
  return groups.map((group) => Number.parseInt(group, 16));
}

/**
 * The client an address belongs to, for counting: an IPv4 address as it is, an IPv6 address as
 * its /64 (`2001:db8:1:2::/64`, however the address was written), an IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`) as the IPv4 address it carries. Anything else is kept as it came, so it
 * shares a count only with itself.
 */
export function addressGroup(address: string): string {
  if (IPV4.test(address)) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  const [mapped = 0, low = 0] = groups.slice(6);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [mapped >> 8, mapped & 0xff, low >> 8, low & 0xff].join(".");
  }
  return `${hex(groups.slice(0, 4))}::/64`;
}
