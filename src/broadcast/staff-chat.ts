/**
 * Staff on Telegram (or any chat). `/link CODE` (or `/staff CODE`) with a one-time code from the
 * portal's Telegram page links this chat person to the staff account. A linked staff member can send
 * `/newevent`: a short guided flow (title, day, time, optional description, free or paid, confirm)
 * creates the event through the staff-content store, so it is checked like a portal event and the bot
 * answers about it at once. The flow speaks the chat's language, and the event is stored as written
 * in that language (the portal and the content translations do the rest). People who are not linked get the ordinary answer to `/newevent`: nothing here reveals
 * that staff features exist. Choice ids: `staff:skip`, `staff:price:free|paid`, `staff:ok`, `staff:cancel`.
 */
import { FeaturePhase, type Feature, type Turn } from '../core/feature.js';
import type { Choice } from '../core/types.js';
import { formatWhen } from '../knowledge/feature.js';
import { fromWallTime, wallTime } from '../knowledge/time.js';
import type { AccountStore } from '../storage/account-store.js';
import type { StaffContentStore } from '../storage/staff-content-store.js';
import type { StaffLinkStore } from '../storage/staff-link-store.js';

const NAME = 'staffchat';
const LINK = /^\/(?:link|staff)(?:@\w+)?\s+([A-Za-z0-9 -]{4,24})$/i;
const NEW_EVENT = /^\/newevent(?:@\w+)?$/i;
const CANCEL = /^\/?(cancel|annulla|cancella)$/i;

interface Draft {
  step: 'title' | 'date' | 'time' | 'desc' | 'price' | 'confirm';
  userId: number;
  spaceId: string;
  title?: string;
  /** yyyy-mm-dd */
  date?: string;
  /** hh:mm */
  time?: string;
  description?: string;
  price?: 'free' | 'paid';
}

export interface StaffChatDeps {
  links: StaffLinkStore;
  accounts: AccountStore;
  /** The staff-content store (a linked staff member's `/newevent` creates an event there). */
  content: Pick<StaffContentStore, 'createEvent'>;
  timezone: string;
}

/** "24/12/2026", "24.12.2026", "2026-12-24", "24/12" (the next such day) → y, m, d; undefined when not a day. */
export function parseDay(text: string, now: Date, tz: string): { y: number; m: number; d: number } | undefined {
  const t = text.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const eu = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$/.exec(t);
  const today = wallTime(now, tz);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (eu) {
    [d, m] = [Number(eu[1]), Number(eu[2])];
    y = eu[3] ? (eu[3].length === 2 ? 2000 + Number(eu[3]) : Number(eu[3])) : today.year;
    if (!eu[3] && (m < today.month || (m === today.month && d < today.day))) y++;
  } else return undefined;
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  if (y * 10_000 + m * 100 + d < today.year * 10_000 + today.month * 100 + today.day) return undefined;
  return { y, m, d };
}

/** "18:30", "18.30", "18" → hour and minute. */
export function parseTime(text: string): { h: number; min: number } | undefined {
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  return h < 24 && min < 60 ? { h, min } : undefined;
}

export function staffChatFeature(deps: StaffChatDeps): Feature {
  const get = (turn: Turn) => turn.state<Draft>(NAME);
  const save = (turn: Turn, d: Draft | undefined) => {
    turn.setState(NAME, d);
    turn.setFocus(d ? NAME : undefined);
  };
  const cancelChoice = (turn: Turn): Choice => ({ id: 'staff:cancel', label: turn.t('broadcast:staff.no') });

  function startAt(d: Draft): Date | undefined {
    if (!d.date || !d.time) return undefined;
    const [y, m, day] = d.date.split('-').map(Number) as [number, number, number];
    const [h, min] = d.time.split(':').map(Number) as [number, number];
    return fromWallTime(deps.timezone, y, m, day, h, min);
  }

  function ask(turn: Turn, d: Draft): void {
    const t = turn.t;
    switch (d.step) {
      case 'title':
        return turn.say({ text: t('broadcast:staff.askTitle'), choices: [cancelChoice(turn)] });
      case 'date':
        return turn.say({ text: t('broadcast:staff.askDate'), choices: [cancelChoice(turn)] });
      case 'time':
        return turn.say({ text: t('broadcast:staff.askTime'), choices: [cancelChoice(turn)] });
      case 'desc':
        return turn.say({ text: t('broadcast:staff.askDesc'), choices: [{ id: 'staff:skip', label: t('broadcast:staff.skip') }, cancelChoice(turn)] });
      case 'price':
        return turn.say({
          text: t('broadcast:staff.askPrice'),
          choices: [{ id: 'staff:price:free', label: t('broadcast:staff.free') }, { id: 'staff:price:paid', label: t('broadcast:staff.paid') }, cancelChoice(turn)],
        });
      case 'confirm': {
        const when = formatWhen(startAt(d)!, turn.lang, deps.timezone, turn.now);
        const text = t('broadcast:staff.confirm', { title: d.title, when, price: t(d.price === 'paid' ? 'broadcast:staff.paid' : 'broadcast:staff.free'), description: d.description ?? '—' });
        return turn.say({ text, choices: [{ id: 'staff:ok', label: t('broadcast:staff.yes') }, cancelChoice(turn)] });
      }
    }
  }

  async function create(turn: Turn, d: Draft): Promise<void> {
    const lang = turn.lang;
    try {
      const id = await deps.content.createEvent(
        {
          spaceId: d.spaceId,
          title: { [lang]: d.title! },
          description: d.description ? { [lang]: d.description } : {},
          sourceLang: lang,
          start: startAt(d)!,
          price: d.price ?? 'free',
          topics: [],
          languages: [],
        },
        `staff:${d.userId}`,
      );
      save(turn, undefined);
      turn.event('staff_event_created', { via: 'chat' });
      turn.say({ text: turn.t('broadcast:staff.created'), choices: [{ id: `know:e:${id}`, label: d.title!.slice(0, 60) }] });
    } catch (err) {
      save(turn, undefined);
      const reason = err instanceof Error ? err.message.slice(0, 200) : 'unknown error';
      turn.say({ text: turn.t('broadcast:staff.failed', { reason }) });
    }
  }

  /** The next step with this answer; false when the answer does not fit (asked again). */
  async function answer(turn: Turn, d: Draft, text: string): Promise<void> {
    const t = turn.t;
    switch (d.step) {
      case 'title':
        if (text.length < 3 || text.length > 120) return turn.say({ text: t('broadcast:staff.badTitle'), choices: [cancelChoice(turn)] });
        d.title = text;
        d.step = 'date';
        break;
      case 'date': {
        const day = parseDay(text, turn.now, deps.timezone);
        if (!day) return turn.say({ text: t('broadcast:staff.badDate'), choices: [cancelChoice(turn)] });
        d.date = `${day.y}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
        d.step = 'time';
        break;
      }
      case 'time': {
        const tm = parseTime(text);
        if (!tm) return turn.say({ text: t('broadcast:staff.badTime'), choices: [cancelChoice(turn)] });
        d.time = `${String(tm.h).padStart(2, '0')}:${String(tm.min).padStart(2, '0')}`;
        if (startAt(d)!.getTime() <= turn.now.getTime()) return turn.say({ text: t('broadcast:staff.past'), choices: [cancelChoice(turn)] });
        d.step = 'desc';
        break;
      }
      case 'desc':
        d.description = text === '-' ? undefined : text.slice(0, 1000);
        d.step = 'price';
        break;
      case 'price':
      case 'confirm':
        // Buttons answer these; a typed answer gets the question again.
        break;
    }
    save(turn, d);
    ask(turn, d);
  }

  return {
    name: NAME,
    // Before the content's answers: `/link CODE` and a linked staff member's `/newevent` are not questions.
    phase: FeaturePhase.requests,
    prefixes: ['staff'],

    async onChoice(turn, id) {
      const d = get(turn);
      if (!d || id === 'staff:cancel') {
        save(turn, undefined);
        turn.say({ text: turn.t('broadcast:staff.cancelled'), choices: turn.menuChoices() });
        return;
      }
      if (id === 'staff:skip' && d.step === 'desc') {
        d.step = 'price';
      } else if (id.startsWith('staff:price:') && d.step === 'price') {
        d.price = id.endsWith(':paid') ? 'paid' : 'free';
        d.step = 'confirm';
      } else if (id === 'staff:ok' && d.step === 'confirm') {
        return create(turn, d);
      }
      save(turn, d);
      ask(turn, d);
    },

    async onInput(turn) {
      const c = turn.content;
      if (c.type !== 'text') return false;
      const text = c.text.trim();
      const d = get(turn);
      if (d && turn.focus === NAME) {
        if (CANCEL.test(text)) {
          save(turn, undefined);
          turn.say({ text: turn.t('broadcast:staff.cancelled'), choices: turn.menuChoices() });
          return true;
        }
        await answer(turn, d, text);
        return true;
      }
      const link = LINK.exec(text);
      if (link) {
        const r = await deps.links.redeem(link[1]!, turn.person.id, turn.now);
        if (!r.ok) {
          turn.event('staff_link', { ok: false, reason: r.reason });
          turn.say({ text: turn.t(`broadcast:staff.code.${r.reason}`) });
          return true;
        }
        turn.event('staff_link', { ok: true });
        const account = await deps.accounts.get(r.userId);
        turn.say({ text: turn.t('broadcast:staff.linked', { space: account?.spaceId ?? '—' }) });
        return true;
      }
      if (NEW_EVENT.test(text)) {
        const userId = await deps.links.accountOf(turn.person.id);
        const account = userId !== undefined ? await deps.accounts.get(userId) : undefined;
        // Not linked (or the account is gone or disabled): the ordinary answer, no hint of staff features.
        if (!account || account.disabled || !['staff', 'coordinator', 'admin'].includes(account.role)) return false;
        if (!account.spaceId) {
          turn.say({ text: turn.t('broadcast:staff.noSpace') });
          return true;
        }
        const draft: Draft = { step: 'title', userId: account.id, spaceId: account.spaceId };
        save(turn, draft);
        ask(turn, draft);
        return true;
      }
      return false;
    },
  };
}
