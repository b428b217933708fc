import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { llmGapTranslator } from '../../src/insights/translate.js';
import { redact } from '../../src/insights/redact.js';
import { testConfig } from '../helpers.js';

describe('gap translation through an OpenAI-compatible server (local fake)', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push(body);
        const items = JSON.parse(JSON.parse(body).messages[1].content) as { text: string }[];
        const content = JSON.stringify({ translations: items.map((i) => `IT: ${i.text}`) });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => server.close());

  it('is off without an LLM, translates redacted text in order with one', async () => {
    expect(llmGapTranslator(testConfig())).toBeUndefined();
    const t = llmGapTranslator(testConfig({ OPENAI_BASE_URL: base }))!;
    const text = redact('write to me at a.b@example.org');
    expect(
      await t(
        [
          { text, lang: 'en' },
          { text: 'есть ли душ?', lang: 'ru' },
        ],
        'it',
      ),
    ).toEqual(['IT: write to me at [email]', 'IT: есть ли душ?']);
    expect(seen.join('')).not.toContain('example.org');
    // Cached: asking again sends nothing.
    await t([{ text, lang: 'en' }], 'it');
    expect(seen).toHaveLength(1);
  });
});

describe('redaction', () => {
  it.each([
    ['call me at +39 333 123 4567 please', 'call me at [phone] please'],
    ['my email is ali.h@gmail.com', 'my email is [email]'],
    ['permesso YA1234567 scaduto', 'permesso [document] scaduto'],
    ['codice fiscale RSSMRA85T10A562S', 'codice fiscale [document]'],
    ['mi chiamo ali dove trovo wifi', 'mi chiamo [name] dove trovo wifi'],
    ['меня зовут Олена, де є коворкінг', 'меня зовут [name], де є коворкінг'],
    ['رقمي ٠٣٣٣١٢٣٤٥٦٧', 'رقمي [phone]'],
    // Questions keep their places, times and small numbers.
    ['is there a space open 9-18 near Tor Bella Monaca in 2026?', 'is there a space open 9-18 near Tor Bella Monaca in 2026?'],
    ['where is via tiburtina 1234', 'where is via tiburtina 1234'],
  ])('%s', (input, output) => expect(redact(input)).toBe(output));

  it('removes names the bot knows', () => expect(redact('ask marta rossi about it', ['Marta Rossi'])).toBe('ask [name] about it'));
});
