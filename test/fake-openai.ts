/** Local fakes of the OpenAI chat completions API, on 127.0.0.1. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat request as the fake saw it: the first system message and the first user message. */
export interface ChatCall {
  system: string;
  user: string;
}

/** What a fake answers: the assistant's text (HTTP 200), or an HTTP error status. */
export type ChatReply = { content: string } | { status: number };

/**
 * A chat-completions server that records every call and answers with `reply(call, n)` (n = calls so
 * far). A reply may be a promise, to answer late. Anything but POST …/chat/completions gets 404.
 */
export async function fakeChatServer(reply: (call: ChatCall, n: number) => ChatReply | Promise<ChatReply>): Promise<{ url: string; server: Server; calls: ChatCall[] }> {
  const calls: ChatCall[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404).end('{}');
        return;
      }
      const body = JSON.parse(raw) as { messages: { role: string; content: string }[] };
      const call = { system: body.messages.find((m) => m.role === 'system')?.content ?? '', user: body.messages.find((m) => m.role === 'user')?.content ?? '' };
      calls.push(call);
      void Promise.resolve(reply(call, calls.length)).then((r) => {
        if ('status' in r) return void res.writeHead(r.status, { 'content-type': 'application/json' }).end('{"error":{"message":"fake failure"}}');
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-${calls.length}`,
            object: 'chat.completion',
            created: 0,
            model: 'fake',
            choices: [{ index: 0, message: { role: 'assistant', content: r.content }, finish_reason: 'stop' }],
          }),
        );
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, server, calls };
}

/** A fake that "translates" by prefixing the target language: `[French] <the user's text>`. */
export async function fakeOpenAI(): Promise<{ url: string; server: Server; calls: ChatCall[] }> {
  return fakeChatServer(({ system, user }) => ({ content: `[${/into ([A-Za-z /]+)\./.exec(system)?.[1] ?? '?'}] ${user}` }));
}
