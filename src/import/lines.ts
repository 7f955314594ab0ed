import { isUtf8 } from 'node:buffer';

/** A line the importer must reject without parsing it; it still counts as a line. */
export class UnreadableLine {
  constructor(readonly reason: string) {}
}

/** One NDJSON record is a few hundred bytes; a longer line is refused rather than buffered. */
export const MAX_LINE_BYTES = 1 << 20;

export const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines. Unlike readline's iterator it pulls from the stream, so no line
 * is dropped while the consumer awaits a database write. A line that is not valid UTF-8, or longer
 * than MAX_LINE_BYTES (its bytes are skipped, not kept), comes out as an UnreadableLine.
 */
export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<string | UnreadableLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  const line = (tail: Buffer): string | UnreadableLine => {
    const bytes = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
    pending = [];
    pendingBytes = 0;
    if (overlong || bytes.length > MAX_LINE_BYTES) {
      overlong = false;
      return new UnreadableLine(`longer than ${MAX_LINE_BYTES} bytes`);
    }
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    const text = bytes.toString('utf8', 0, end);
    // toString() puts U+FFFD where a byte sequence is broken; only then is the slower check needed.
    return text.includes('\uFFFD') && !isUtf8(bytes.subarray(0, end)) ? new UnreadableLine('not valid UTF-8') : text;
  };
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onBytes?.(bytes.length);
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end >= 0; start = end + 1, end = bytes.indexOf(NEWLINE, start)) {
      yield line(bytes.subarray(start, end));
    }
    const rest = bytes.subarray(start);
    if (overlong || pendingBytes + rest.length > MAX_LINE_BYTES) {
      overlong = true;
      pending = [];
      pendingBytes = 0;
    } else if (rest.length > 0) {
      pending.push(rest);
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes > 0 || overlong) yield line(Buffer.alloc(0));
}
