/**
 * The simulator: JSON Lines in, exactly one JSON line out per input line, in order. Other tools
 * (transcript tests, content checks) rely on this contract; see the README.
 */
import { z } from 'zod';
import { NullChannel } from '../channels/channel.js';
import { FixedClock, systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import { createApp, type App } from '../app.js';
import type { DbTarget } from '../storage/db.js';
import type { MatchProvider } from '../flows/matches.js';
import type { InboundContent, OutboundMessage } from '../core/types.js';
import { errorMessage } from '../logger.js';

const inputSchema = z
  .object({
    user: z.string().min(1).max(64),
    text: z.string().min(1).max(20000).optional(),
    choice: z.string().min(1).max(256).optional(),
    location: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), label: z.string().optional() }).optional(),
    voice: z.literal(true).optional(),
    image: z.literal(true).optional(),
    document: z.literal(true).optional(),
    sticker: z.literal(true).optional(),
    channel: z.enum(['web', 'telegram', 'whatsapp']).default('web'),
    lang: z.string().min(2).max(35).optional(),
    /** The platform message id; the same id twice is one message delivered twice. */
    id: z.string().min(1).max(128).optional(),
    /** A deep-link payload, as `/start space_<id>` on Telegram. */
    start: z.string().min(1).max(64).optional(),
    /** Moves the simulated clock (ISO 8601) from this line on. */
    now: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

type Input = z.infer<typeof inputSchema>;

const contentKeys = ['text', 'choice', 'location', 'voice', 'image', 'document', 'sticker'] as const;

export interface SimulatorOptions {
  config: Config;
  db?: DbTarget;
  now?: Date;
  contentDir?: string;
  /** Spaces and events for the project interview's matches (default: the content's). */
  matches?: MatchProvider;
}

/** Output for one input line. */
export type OutputLine = { user: string; lang: string; replies: Pick<OutboundMessage, 'text' | 'choices' | 'place'>[]; handoff: boolean } | { error: string };

export class Simulator {
  private lineNo = 0;
  private constructor(
    readonly app: App,
    private readonly clock: Clock,
  ) {}

  static async create(opts: SimulatorOptions): Promise<Simulator> {
    const clock = opts.now ? new FixedClock(opts.now) : systemClock;
    const config: Config = opts.contentDir ? { ...opts.config, content: { ...opts.config.content, dir: opts.contentDir } } : opts.config;
    const app = await createApp({
      config,
      db: opts.db ?? { kind: 'memory' },
      embeddedQueue: true,
      floodControl: false,
      clock,
      channels: [new NullChannel('telegram'), new NullChannel('whatsapp')],
      matches: opts.matches,
    });
    return new Simulator(app, clock);
  }

  /**
   * Starts another script on the same bot (the transcript tests run many on one app): line numbers
   * count from 1 again and, with `now`, the fixed clock moves to it (back in time too). The bot's
   * data stays: a new script uses its own user names.
   */
  nextScript(now?: Date): void {
    this.lineNo = 0;
    if (now) {
      if (!(this.clock instanceof FixedClock)) throw new Error('nextScript(now) needs a simulator created with a fixed clock (now)');
      this.clock.set(now);
    }
  }

  /** Handles one input line and returns its output line (never throws for bad input). */
  async line(raw: string): Promise<OutputLine> {
    this.lineNo++;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { error: `line ${this.lineNo}: not valid JSON` };
    }
    const parsed = inputSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { error: `line ${this.lineNo}: ${issue.path.join('.') || 'input'}: ${issue.message}` };
    }
    const input = parsed.data;
    const given = contentKeys.filter((k) => input[k] !== undefined);
    if (given.length !== 1 && !(given.length === 0 && input.start)) {
      return { error: `line ${this.lineNo}: give exactly one of ${contentKeys.join(', ')}` };
    }
    if (input.now) {
      if (!(this.clock instanceof FixedClock)) return { error: `line ${this.lineNo}: "now" needs --now to fix the clock first` };
      this.clock.set(new Date(input.now));
    }
    try {
      const result = await this.app.bot.handle({
        channel: input.channel,
        address: `sim:${input.user}`,
        externalId: input.id ?? `sim-${this.lineNo}-${input.user}-${Date.now()}-${Math.random()}`,
        receivedAt: this.clock.now(),
        content: toContent(input),
        languageHint: input.lang,
        startPayload: input.start,
      });
      return {
        user: input.user,
        lang: result.lang,
        replies: result.replies.map((r) => ({
          ...(r.text !== undefined ? { text: r.text } : {}),
          ...(r.choices ? { choices: r.choices.map((c) => ({ id: c.id, label: c.label })) } : {}),
          ...(r.place ? { place: r.place } : {}),
        })),
        handoff: result.handoff,
      };
    } catch (err) {
      return { error: `line ${this.lineNo}: ${errorMessage(err)}` };
    }
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

function toContent(input: Input): InboundContent {
  if (input.text !== undefined) return { type: 'text', text: input.text };
  if (input.choice !== undefined) return { type: 'choice', id: input.choice };
  if (input.location) return { type: 'location', ...input.location };
  if (input.voice) return { type: 'voice' };
  if (input.image) return { type: 'image' };
  if (input.document) return { type: 'document' };
  if (input.sticker) return { type: 'sticker' };
  return { type: 'text', text: '/start' };
}
