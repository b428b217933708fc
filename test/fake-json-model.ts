/**
 * A local fake OpenAI-compatible server that answers JSON translation requests (what
 * `translateFields` sends): every value of the user's JSON object comes back prefixed with
 * `[<Target language>]`. `mode` switches behaviour while it runs: `ok`, `slow` (waits `delayMs`),
 * `down` (HTTP 500), `number` (adds a number the source does not have).
 */
import type { Server } from 'node:http';
import { fakeChatServer, type ChatCall } from './fake-openai.js';

export interface FakeJsonModel {
  url: string;
  server: Server;
  calls: ChatCall[];
  mode: 'ok' | 'slow' | 'down' | 'number';
  delayMs: number;
  close(): Promise<void>;
}

export async function fakeJsonModel(): Promise<FakeJsonModel> {
  const state = { mode: 'ok' as FakeJsonModel['mode'], delayMs: 1500 };
  const { url, server, calls } = await fakeChatServer(({ system, user }) => {
    if (state.mode === 'down') return { status: 500 };
    const target = /into ([A-Za-z /]+)\./.exec(system)?.[1] ?? '?';
    const fields = JSON.parse(user) as Record<string, string>;
    const content = JSON.stringify(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, `[${target}] ${v}${state.mode === 'number' ? ' 99' : ''}`])));
    return state.mode === 'slow' ? new Promise((r) => setTimeout(() => r({ content }), state.delayMs)) : { content };
  });
  return Object.assign(state, {
    url,
    server,
    calls,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}
