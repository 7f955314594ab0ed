import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines. Unlike readline's iterator it pulls from the stream, so no
 * line is dropped while the consumer awaits a database write.
 */
export async function* readLines(input: AsyncIterable<Buffer | string>, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    onBytes?.(chunk.length);
    const parts = (rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk))).split('\n');
    rest = parts.pop()!;
    for (const part of parts) yield part.endsWith('\r') ? part.slice(0, -1) : part;
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
}
