/** A local fake of the OpenAI chat completions API: "translates" by prefixing the target language. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function fakeOpenAI(): Promise<{ url: string; server: Server; calls: { system: string; user: string }[] }> {
  const calls: { system: string; user: string }[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end('{}');
        return;
      }
      const body = JSON.parse(raw) as { messages: { role: string; content: string }[] };
      const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
      const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
      calls.push({ system, user });
      const target = /into ([A-Za-z /]+)\./.exec(system)?.[1] ?? '?';
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${calls.length}`,
          object: 'chat.completion',
          created: 0,
          model: 'fake',
          choices: [{ index: 0, message: { role: 'assistant', content: `[${target}] ${user}` }, finish_reason: 'stop' }],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, server, calls };
}
