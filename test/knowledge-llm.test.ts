/** The optional LLM path against a local fake OpenAI-compatible server: used when it passes the checks, offline otherwise. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { FixedClock } from '../src/clock.js';
import type { HandleResult } from '../src/core/types.js';
import { checkAnswer } from '../src/knowledge/llm.js';
import { testConfig } from './helpers.js';

interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}

describe('LLM answers (fake OpenAI-compatible server on 127.0.0.1)', () => {
  let server: Server;
  let app: App;
  const requests: ChatRequest[] = [];
  /** What the fake model answers next: a text, or an HTTP status for a failure. */
  let next: string | number = '';
  const address = `llm:${randomUUID()}`;
  const send = (text: string, choice?: string): Promise<HandleResult> =>
    app.bot.handle({ channel: 'web', address, externalId: randomUUID(), receivedAt: new Date('2026-11-26T09:00:00Z'), content: choice ? { type: 'choice', id: choice } : { type: 'text', text } });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url !== '/v1/chat/completions') {
          res.writeHead(404).end();
          return;
        }
        requests.push(JSON.parse(body) as ChatRequest);
        if (typeof next === 'number') {
          res.writeHead(next, { 'content-type': 'application/json' }).end('{"error":{"message":"down"}}');
          return;
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'fake', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: next } }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    app = await createApp({
      config: testConfig({ OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_API_KEY: 'test', OPENAI_MODEL: 'fake-model' }),
      db: { kind: 'memory' },
      embeddedQueue: true,
      clock: new FixedClock(new Date('2026-11-26T10:00:00+01:00')),
    });
    await send('hello');
    // Chosen explicitly, so short questions are not taken for another language.
    await send('', 'cmd:language');
    await send('', 'lang:en');
  });
  afterAll(async () => {
    await app.close();
    await new Promise((r) => server.close(r));
  });

  it('sends the records as data and the question apart, and uses an answer that passes the checks', async () => {
    next = 'Millepiani Coworking is in Garbatella. It is open Mon–Fri 09:30–19:30. Please check with the space before going.';
    const r = await send('where is Millepiani?');
    expect(r.replies[0]!.text).toBe(next);
    expect(r.replies[1]!.place).toMatchObject({ name: 'Millepiani Coworking' });
    const req = requests.at(-1)!;
    expect(req.model).toBe('fake-model');
    const system = req.messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n');
    expect(system).toContain('Use ONLY the facts in the RECORDS');
    expect(system).toContain('"name":"Millepiani Coworking"');
    expect(system).not.toContain('where is Millepiani');
    expect(req.messages.filter((m) => m.role === 'user')).toEqual([{ role: 'user', content: 'QUESTION:\nwhere is Millepiani?' }]);
  });

  it('falls back to the offline answer when the model names a space that was not retrieved', async () => {
    next = 'Go to Impact Hub Roma instead, it is nicer.';
    const r = await send('where is Millepiani?');
    expect(r.replies[0]!.text).toMatch(/^Millepiani Coworking — Garbatella/);
  });

  it('falls back when the model invents a time or a phone number, and when the server fails', async () => {
    next = 'Millepiani Coworking opens at 07:00. Call +39 06 5555 5555.';
    expect((await send('where is Millepiani?')).replies[0]!.text).toMatch(/^Millepiani Coworking — Garbatella/);
    next = 500;
    expect((await send('what is coworking?')).replies[0]!.text).toMatch(/^What is a coworking space\?/);
  });

  it('checkAnswer', () => {
    const records = [{ kind: 'space' as const, name: 'Alpha', facts: { hours: 'Mon–Fri 09:00–19:00', phone: '+39 06 1234567' } }];
    expect(checkAnswer('Alpha opens at 9:00, call +39 06 1234567.', records, ['Alpha', 'Beta Hub'])).toBeUndefined();
    expect(checkAnswer('Try Beta Hub.', records, ['Alpha', 'Beta Hub'])).toMatch(/Beta Hub/);
    expect(checkAnswer('It costs 15 €.', records, [])).toMatch(/15 €/);
  });
});
