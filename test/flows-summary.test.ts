/**
 * The card summary written by a model: accepted only when it adds no fact (checked against the
 * answers and the matches), marked as machine-written for the person and for the facilitator, and
 * stored as such; any refusal, a server error, a server that is down or too slow keeps the template.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../src/cli/simulate.js';
import { checkSummary, writeSummary, type SummaryData } from '../src/flows/summary.js';
import type { MatchProvider } from '../src/flows/matches.js';
import { configuredLlm } from '../src/llm/client.js';
import { testConfig } from './helpers.js';

/** A local model server: answers every chat call with `reply()` as the JSON content (or hangs). */
async function fakeModel(reply: () => unknown): Promise<{ url: string; server: Server; calls: { system: string; user: string }[] }> {
  const calls: { system: string; user: string }[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as { messages?: { role: string; content: string }[] };
      calls.push({ system: body.messages?.find((m) => m.role === 'system')?.content ?? '', user: body.messages?.find((m) => m.role === 'user')?.content ?? '' });
      const r = reply();
      if (r === 'hang') return; // never answers
      if (r === 'error') return void res.writeHead(500).end('{"error":"boom"}');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'fake', choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(r) }, finish_reason: 'stop' }] }),
        );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, server, calls };
}

const project = 'A podcast in Tigrinya about cooking with my neighbours';
const good = {
  summary: 'You have a clear project: a podcast about cooking. You need equipment and an expert to help you.',
  it: 'La persona ha un progetto chiaro: un podcast sulla cucina. Ha bisogno di attrezzature e di un esperto.',
  en: 'The person has a clear project: a podcast about cooking. They need equipment and an expert.',
};
const provider: MatchProvider = {
  spaces: async () => [{ id: 'millepiani', name: 'Millepiani', why: 'Garbatella' }],
  spaceNames: () => ['Millepiani', 'Lantern Lab', 'Casa del Quartiere'],
  events: async () => [],
};

/** The interview on its shortest path to the card (a clear project, consent given). */
async function interview(sim: Simulator, user: string) {
  const say = async (input: Record<string, unknown>) => {
    const out = await sim.line(JSON.stringify({ user, ...input }));
    if ('error' in out) throw new Error(out.error);
    return out;
  };
  await say({ text: 'hello' });
  await say({ choice: 'flow:incubation' });
  await say({ choice: 'flow:a:clear' });
  await say({ text: project });
  for (const choice of [
    'flow:x:skip',
    'flow:x:skip',
    'flow:a:equipment',
    'flow:a:mentor_expert',
    'flow:x:done',
    'flow:a:soundproof',
    'flow:x:done',
    'flow:a:long',
    'flow:a:free',
    'flow:a:no',
    'flow:a:east',
    'flow:a:city',
  ]) {
    await say({ choice });
  }
  const end = await say({ choice: 'flow:a:yes' });
  const person = await sim.app.store.findPerson('web', `sim:${user}`);
  const card = await sim.app.flowStore.latestCard(person!.id);
  return { replies: end.replies.map((r) => r.text ?? ''), card: card!, personId: person!.id };
}

describe('checkSummary', () => {
  const facts = { source: JSON.stringify({ answers: [{ question: 'Free time', answer: 'Evenings, 2 children' }], matchingSpaces: ['Millepiani'] }), knownSpaces: ['Millepiani', 'Lantern Lab'] };
  it('accepts a summary that only uses the answers', () => {
    expect(checkSummary('You are free in the evenings and you have 2 children. Millepiani could fit.', 'en', facts)).toBeUndefined();
  });
  it.each([
    ['a phone number', 'Call them at +39 06 1234 5678 in the evening.', /phone/],
    ['a time not in the answers', 'You can meet your mentor at 19:00 in the evening.', /numbers/],
    ['a price not in the answers', 'The course costs 50 euro and is in the evening.', /numbers/],
    ['a space that is not a match', 'Lantern Lab is the right place for your evenings.', /space/],
    ['a link', 'Read more on www.example.org about evenings.', /link/],
    ['an email', 'Write to mentor@example.org about your evenings.', /email/],
    ['too much text', 'You are free in the evenings. '.repeat(30), /too long/],
  ])('refuses %s', (_, text, why) => {
    expect(checkSummary(text, 'en', facts)).toMatch(why);
  });
  it('refuses a summary in the wrong script or language', () => {
    expect(checkSummary('You are free in the evenings and you have children.', 'ar', facts)).toMatch(/script/);
    expect(checkSummary('Sei libera la sera e hai due bambini. Ti serve un posto tranquillo per lavorare.', 'en', facts)).toMatch(/another language/);
    expect(checkSummary('أنت متفرغ في المساء ولديك 2 أطفال. Millepiani قد يناسبك.', 'ar', facts)).toBeUndefined();
    // Persian digits count as the same numbers.
    expect(checkSummary('شما عصرها وقت دارید و ۲ بچه دارید.', 'fa', facts)).toBeUndefined();
  });
});

describe('writeSummary against a model server', () => {
  const data: SummaryData = { language: 'English', answers: [{ question: 'Your project', answer: project }], support: 'An expert', matchingSpaces: [] };
  it('gives up on a server that does not answer in time', async () => {
    const fake = await fakeModel(() => 'hang');
    try {
      const llm = configuredLlm(testConfig({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'k' }))!;
      const started = Date.now();
      const res = await writeSummary(llm, data, 'en', [], { timeoutMs: 300 });
      expect(res.ok).toBe(false);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      fake.server.closeAllConnections();
      fake.server.close();
    }
  });
  it('refuses an answer that does not fit the schema', async () => {
    const fake = await fakeModel(() => ({ summary: 'ok' }));
    try {
      const llm = configuredLlm(testConfig({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'k' }))!;
      expect((await writeSummary(llm, data, 'en', [])).ok).toBe(false);
    } finally {
      fake.server.close();
    }
  });
});

describe('the card with a model configured', () => {
  let sim: Simulator;
  let fake: Awaited<ReturnType<typeof fakeModel>>;
  let next: unknown = good;

  beforeAll(async () => {
    fake = await fakeModel(() => next);
    sim = await Simulator.create({ config: testConfig({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'test-key' }), now: new Date('2026-11-24T18:00:00+01:00'), matches: provider });
  });
  afterAll(async () => {
    await sim?.close();
    fake?.server.close();
  });

  it('uses an accepted summary, marks it for the person and the facilitator, and stores its kind', async () => {
    next = good;
    const { replies, card, personId } = await interview(sim, 'm1');
    expect(card.summaryKind).toBe('model');
    expect(card.cardPerson).toContain(good.summary);
    expect(card.cardPerson).toContain('A computer wrote this summary');
    expect(card.cardPerson).toContain(project); // the answers stay below it
    expect(card.cardIt).toContain(good.it);
    expect(card.cardEn).toContain(good.en);
    expect(replies.join('\n')).toContain(good.summary);
    // The answers went as JSON data in the user message, apart from the instructions.
    const call = fake.calls.at(-1)!;
    expect(JSON.parse(call.user).answers.map((a: { answer: string }) => a.answer)).toContain(project);
    expect(call.system).not.toContain(project);
    const staff = await sim.app.handoff.latestCard(personId);
    expect(staff!.title).toMatch(/summary written by a language model/);
  });

  it.each([
    ['a phone number', { ...good, summary: 'You have a clear project. Call 06 555 1234 to start.' }],
    ['a time', { ...good, en: 'The person has a clear project and can come at 18:30.' }],
    ['a space name that is not a match', { ...good, it: 'La persona ha un progetto chiaro. Casa del Quartiere fa per lei.' }],
    ['a server error', 'error'],
  ])('keeps the template card when the answer has %s', async (_, reply) => {
    next = reply;
    const { card } = await interview(sim, `r${fake.calls.length}`);
    expect(card.summaryKind).toBe('template');
    expect(card.cardPerson).not.toContain('A computer wrote');
    expect(card.cardPerson).not.toContain('06 555');
    expect(card.cardEn).not.toContain('18:30');
    expect(card.cardIt).not.toContain('Casa del Quartiere');
  });
});

describe('the card with the model server down', () => {
  let sim: Simulator;
  beforeAll(async () => {
    const dead = await fakeModel(() => good);
    const url = dead.url;
    await new Promise((r) => dead.server.close(r)); // nothing listens there any more
    sim = await Simulator.create({ config: testConfig({ OPENAI_BASE_URL: url, OPENAI_API_KEY: 'test-key' }), matches: provider });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('shows the template card', async () => {
    const { card, replies } = await interview(sim, 'd1');
    expect(card.summaryKind).toBe('template');
    expect(replies.join('\n')).toContain(project);
    expect(replies.join('\n')).not.toContain('A computer wrote');
  });
});
