import { BlockList, isIP } from 'node:net';

/**
 * A key's IP/CIDR allowlist, compiled once into node's BlockList (exact
 * prefix matching for IPv4 and IPv6). IPv4-mapped IPv6 client addresses
 * (`::ffff:10.0.0.1`, what a dual-stack socket reports) match IPv4 rules.
 */
export class IpAllowlist {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(entries: readonly string[]) {
    this.empty = entries.length === 0;
    for (const raw of entries) {
      const entry = raw.trim();
      const [addr, bits] = entry.split('/');
      const family = isIP(addr ?? '');
      if (family === 0) throw new Error(`'${raw}' is not an IP address or CIDR`);
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(addr!, type);
      else {
        const prefix = Number(bits);
        if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) throw new Error(`'${raw}' has an invalid prefix length`);
        this.list.addSubnet(addr!, prefix, type);
      }
    }
  }

  allows(ip: string): boolean {
    if (this.empty) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    const address = mapped ? mapped[1]! : ip;
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}
