import { describe, expect, it } from "vitest";
import { addressGroup } from "../../src/services/address-group";

describe("addressGroup", () => {
  it("keeps an IPv4 address as it is", () => {
    expect(addressGroup("203.0.113.7")).toBe("203.0.113.7");
    expect(addressGroup("0.0.0.0")).toBe("0.0.0.0");
    expect(addressGroup("255.255.255.255")).toBe("255.255.255.255");
  });

  it("reduces an IPv6 address to its /64, whatever way it is written", () => {
    const group = "2001:db8:1:2::/64";
    for (const address of [
      "2001:db8:1:2:3:4:5:6",
      "2001:0DB8:0001:0002:FFFF:0000:0000:0001",
      "2001:db8:1:2::",
      "2001:db8:1:2::1",
      "2001:db8:1:2:abcd::9",
      "2001:db8:1:2:3:4:192.0.2.1",
      "2001:db8:1:2:3::192.0.2.1",
    ]) {
      expect(addressGroup(address), address).toBe(group);
    }
  });

  it("expands :: wherever it stands, for one group or for many", () => {
    expect(addressGroup("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressGroup("2001:db8:0:0:1::")).toBe("2001:db8:0:0::/64");
    expect(addressGroup("::1")).toBe("0:0:0:0::/64");
    expect(addressGroup("::")).toBe("0:0:0:0::/64");
    expect(addressGroup("1:2:3:4:5:6:7::")).toBe("1:2:3:4::/64");
    expect(addressGroup("::2:3:4:5:6:7:8")).toBe("0:2:3:4::/64");
    expect(addressGroup("1:2:3::5:6:7:8")).toBe("1:2:3:0::/64");
  });

  it("tells apart addresses of different /64s", () => {
    expect(addressGroup("2001:db8:1:2::1")).not.toBe(addressGroup("2001:db8:1:3::1"));
    expect(addressGroup("2001:db8::1")).not.toBe(addressGroup("2001:db9::1"));
  });

  it("counts an IPv4-mapped IPv6 address as the IPv4 address it carries", () => {
    expect(addressGroup("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(addressGroup("::FFFF:c000:0201")).toBe("192.0.2.1");
    expect(addressGroup("0:0:0:0:0:ffff:192.0.2.1")).toBe("192.0.2.1");
    // NAT64 and other addresses that merely end in a dotted quad stay IPv6.
    expect(addressGroup("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
  });

  it("keeps what is not an address as it came, so it only ever shares a count with itself", () => {
    for (const text of [
      "local",
      "",
      "1:2:3",
      "1::2::3",
      "12345::",
      ":1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8::",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4::5:6:7:8",
      "::ffff:999.0.2.1",
      "::1.2.3",
      "01.2.3.4",
      "1.2.3.4.5",
      "fe80::1%eth0",
    ]) {
      expect(addressGroup(text), text).toBe(text);
    }
  });
});
