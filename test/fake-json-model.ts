/**
 * A local fake OpenAI-compatible server that answers JSON translation requests (what
 * `translateFields` sends): every value of the user's JSON object comes back prefixed with
 * `[<Target language>]`. `mode` switches behaviour while it runs: `ok`, `slow` (waits `delayMs`),
 * `down` (HTTP 500), `number` (adds a number the source does not have).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeJsonModel {
  url: string;
  server: Server;
  calls: { system: string; user: string }[];
  mode: 'ok' | 'slow' | 'down' | 'number';
  delayMs: number;
  close(): Promise<void>;
}

export async function fakeJsonModel(): Promise<FakeJsonModel> {
  const fake = { calls: [], mode: 'ok', delayMs: 1500 } as unknown as FakeJsonModel;
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
      fake.calls.push({ system, user });
      if (fake.mode === 'down') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"down"}}');
        return;
      }
      const target = /into ([A-Za-z /]+)\./.exec(system)?.[1] ?? '?';
      const fields = JSON.parse(user) as Record<string, string>;
      const out = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, `[${target}] ${v}${fake.mode === 'number' ? ' 99' : ''}`]));
      const answer = () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({ id: `c${fake.calls.length}`, object: 'chat.completion', created: 0, model: 'fake', choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(out) }, finish_reason: 'stop' }] }),
        );
      if (fake.mode === 'slow') setTimeout(answer, fake.delayMs);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.server = server;
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
  return fake;
}
