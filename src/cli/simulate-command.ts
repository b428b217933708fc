import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseDbTarget } from '../storage/db.js';
import type { Command } from './command.js';
import { Simulator } from './simulate.js';
import { mark } from '../timing.js';

export const simulateCommand: Command = {
  summary: 'run a conversation from JSON Lines on stdin, one JSON line out per line in',
  help: `Usage: coworkbot simulate [--data DIR] [--now ISO-8601] [--db memory|URL]

Reads JSON Lines on stdin and writes exactly one JSON line per input line on stdout, in order.

Input:  {"user": "u1", "text": "hello"}
        {"user": "u1", "choice": "ID"}                    a choice the bot offered earlier
        {"user": "u1", "location": {"lat": 41.89, "lng": 12.52}}
        {"user": "u1", "voice": true}                     also "image", "document", "sticker"
  optional: "channel": "web"|"telegram"|"whatsapp" (default web; selects that channel's limits),
            "lang": "ar" (the platform's language hint), "id": "…" (platform message id; the same
            id twice is one message delivered twice), "start": "space_x" (a deep link),
            "now": ISO-8601 (moves the clock; needs --now)
Output: {"user": "u1", "lang": "en", "replies": [{"text": "…", "choices": [{"id": "…", "label": "…"}]}], "handoff": false}
        {"error": "…"} for a malformed line; the run goes on.

Options:
  --data DIR   use the content files in DIR (spaces.csv, events.csv) instead of the demo content
  --now TIME   fix the clock (ISO 8601 with offset), for "this weekend" and for tests
  --db TARGET  memory (default: a new empty in-memory database), a directory, or a postgres:// URL`,
  async run(args, config) {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, now: { type: 'string' }, db: { type: 'string' } } });
    let now: Date | undefined;
    if (values.now) {
      now = new Date(values.now);
      if (Number.isNaN(now.getTime())) {
        process.stderr.write(`--now must be an ISO 8601 date and time, e.g. 2026-11-28T10:00:00+01:00 (got "${values.now}").\n`);
        return 2;
      }
    }
    const sim = await Simulator.create({ config, now, db: values.db ? parseDbTarget(values.db) : { kind: 'memory' }, contentDir: values.data });
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      if (line.trim() === '') continue;
      const out = await sim.line(line);
      process.stdout.write(`${JSON.stringify(out)}\n`);
      mark('simulate: line answered');
    }
    await sim.close();
    return 0;
  },
};
