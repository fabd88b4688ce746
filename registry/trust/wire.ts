/**
 * The SSH wire encoding (RFC 4251 §5) used by keys, the openssh-key-v1 container and SSHSIG:
 * big-endian uint32 and length-prefixed strings. Every read is bounds-checked because the bytes
 * come from files and tags we do not trust; a short or overlong field throws WireError, which
 * callers turn into a message naming the file or signature.
 */
export class WireError extends Error {}

export class SshReader {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  uint32(what: string): number {
    if (this.offset + 4 > this.bytes.length) throw new WireError(`truncated before ${what}`);
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  string(what: string): Buffer {
    const length = this.uint32(what);
    if (length > this.bytes.length - this.offset) throw new WireError(`${what} runs past the end`);
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A string field that must be printable text (algorithm names, namespaces). */
  text(what: string): string {
    const raw = this.string(what);
    const value = raw.toString("latin1");
    if (!/^[\x20-\x7e]*$/.test(value)) throw new WireError(`${what} is not printable text`);
    return value;
  }

  raw(length: number, what: string): Buffer {
    if (this.offset + length > this.bytes.length) throw new WireError(`truncated before ${what}`);
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  rest(): Buffer {
    const value = this.bytes.subarray(this.offset);
    this.offset = this.bytes.length;
    return value;
  }

  /** Fail when bytes are left over: trailing data is how ambiguous encodings sneak in. */
  end(what: string): void {
    if (this.remaining !== 0) throw new WireError(`${this.remaining} unexpected trailing bytes after ${what}`);
  }
}

export function sshUint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

export function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  return Buffer.concat([sshUint32(bytes.length), bytes]);
}
