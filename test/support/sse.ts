/** Reads a GraphQL-over-SSE response until the server completes it. */
export async function readSse(response: Response, onEvent: (data: any) => void) {
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body!.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (\w+)/m.exec(message)?.[1];
      const data = /^data: (.*)$/m.exec(message)?.[1];
      if (event === 'complete') return;
      if (data) onEvent(JSON.parse(data));
    }
  }
}
