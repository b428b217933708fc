import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chatJson, type Llm } from '../../src/llm/client.js';
import { checkTranslation, translateFields } from '../../src/llm/translate.js';

/** A model server whose next answer the test sets. */
let answer = '';
let lastUser = '';
let server: Server;
let llm: Llm;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const body = JSON.parse(raw) as { messages: { role: string; content: string }[] };
      lastUser = body.messages.find((m) => m.role === 'user')?.content ?? '';
      if (answer === '500') return void res.writeHead(500).end('{}');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'fake', choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  llm = { client: new OpenAI({ apiKey: 'k', baseURL: url, maxRetries: 0 }), model: 'fake', secrets: ['sk-very-secret-key'] };
});
afterAll(() => server.close());

describe('chatJson', () => {
  const schema = z.object({ a: z.string() });
  it('returns the value when the answer fits the schema, even inside a code fence', async () => {
    answer = '```json\n{"a":"ok"}\n```';
    expect(await chatJson(llm, [{ role: 'user', content: 'q' }], schema)).toEqual({ ok: true, value: { a: 'ok' } });
  });
  it('says why for text that is not JSON, a wrong shape, a leaked secret and a server error', async () => {
    answer = 'hello';
    expect(await chatJson(llm, [], schema)).toEqual({ ok: false, reason: 'not JSON' });
    answer = '{"b":1}';
    expect(await chatJson(llm, [], schema)).toMatchObject({ ok: false, reason: expect.stringContaining('schema') });
    answer = '{"a":"SK-VERY-SECRET-KEY"}';
    expect(await chatJson(llm, [], schema)).toEqual({ ok: false, reason: 'contains a configured secret' });
    answer = '500';
    expect((await chatJson(llm, [], schema)).ok).toBe(false);
  });
});

describe('translateFields', () => {
  it('sends the fields as JSON data and returns the translation', async () => {
    answer = JSON.stringify({ title: 'Networking evening', description: 'At 19:00, free. Call +39 06 1234567.' });
    const res = await translateFields(llm, { title: 'Serata di networking', description: 'Alle 19:00, gratis. Chiama +39 06 1234567.' }, 'it', 'en');
    expect(res).toEqual({ ok: true, value: { title: 'Networking evening', description: 'At 19:00, free. Call +39 06 1234567.' } });
    expect(JSON.parse(lastUser)).toEqual({ title: 'Serata di networking', description: 'Alle 19:00, gratis. Chiama +39 06 1234567.' });
  });
  it('refuses a translation that changes a time, adds a price or drops a field', async () => {
    answer = JSON.stringify({ description: 'At 20:00.' });
    expect(await translateFields(llm, { description: 'Alle 19:00.' }, 'it', 'en')).toMatchObject({ ok: false, reason: expect.stringContaining('numbers or links differ') });
    answer = JSON.stringify({ description: 'Open. Costs 5 euro.' });
    expect((await translateFields(llm, { description: 'Aperto.' }, 'it', 'en')).ok).toBe(false);
    answer = JSON.stringify({ title: 'Hi' });
    expect((await translateFields(llm, { title: 'Ciao', description: 'Aperto.' }, 'it', 'en')).ok).toBe(false);
  });
});

describe('checkTranslation', () => {
  it('accepts reordered numbers and a different script around them, refuses changed links', () => {
    expect(checkTranslation('Dalle 9 alle 18', 'از ساعت 9 تا 18')).toBeUndefined();
    expect(checkTranslation('Alle 19:00', 'ساعت ۱۹:۰۰')).toBeUndefined();
    expect(checkTranslation('Alle 19:00', 'ساعت ۲۰:۰۰')).toMatch(/differ/);
    expect(checkTranslation('Vedi https://a.it/x', 'See https://a.it/x.')).toBeUndefined();
    expect(checkTranslation('Vedi https://a.it/x', 'See https://evil.example/x')).toMatch(/differ/);
  });
});
