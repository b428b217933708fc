/** Test support for the staff portal: a logged-in client that posts repeated fields, and a fake translation model. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { login } from './console-helpers.js';

export interface PortalClient {
  /** The session cookie (`cwb_session=…`). */
  cookie: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Posts a form; pairs allow repeated names (checkboxes). `csrf: null` leaves the token out. */
  post(path: string, form: [string, string][] | Record<string, string>, opts?: { csrf?: string | null }): Promise<Response>;
}

export async function portalClient(url: string, email: string): Promise<PortalClient> {
  const c = (await login(url, email)).client!;
  const page = await (await c.get('/staff')).text();
  const csrf = /<meta name="csrf" content="([^"]+)"/.exec(page)![1]!;
  return {
    cookie: c.cookie,
    get: (path, headers = {}) => fetch(`${url}${path}`, { headers: { cookie: c.cookie, accept: 'text/html', ...headers }, redirect: 'manual' }),
    post: (path, form, opts = {}) => {
      const body = new URLSearchParams(Array.isArray(form) ? form : Object.entries(form));
      if (opts.csrf !== null) body.set('_csrf', opts.csrf ?? csrf);
      return fetch(`${url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body });
    },
  };
}

/**
 * A local OpenAI-compatible server that "translates" a JSON object of fields by prefixing each value
 * with the target language (`[French] …`), keeping numbers, as `translateFields` expects.
 * Languages in `refuse` get an answer with a changed number (the checker must reject it).
 */
export async function fakeTranslator(refuse: string[] = []): Promise<{ url: string; server: Server; calls: number; close: () => Promise<void> }> {
  const state = { calls: 0 };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      state.calls++;
      const body = JSON.parse(raw) as { messages: { role: string; content: string }[] };
      const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
      const fields = JSON.parse(body.messages.find((m) => m.role === 'user')?.content ?? '{}') as Record<string, string>;
      const target = /into ([^.]+)\./.exec(system)?.[1] ?? '?';
      const out = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, refuse.includes(target) ? `${v} 999` : `[${target}] ${v}`]));
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `x${state.calls}`,
          object: 'chat.completion',
          created: 0,
          model: 'fake',
          choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(out) }, finish_reason: 'stop' }],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    server,
    get calls() {
      return state.calls;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
