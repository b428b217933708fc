/**
 * The person's privacy controls: `privacy` (what is stored, why, for how long, who sees it, what the
 * platforms see), "my data" (a readable export), and `delete` (after a confirmation, everything
 * personal is erased within a minute — the confirmation is sent first, then an erase job runs).
 * Also the retention job that erases people inactive for RETENTION_DAYS.
 */
import type { Clock } from '../clock.js';
import { FeaturePhase, type Feature, type Turn } from '../core/feature.js';
import { actorOf } from '../core/pipeline.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/queue.js';
import type { Store } from '../storage/store.js';

export const ERASE_JOB = 'erase-person';
export const RETENTION_JOB = 'retention';
/** The confirmation is sent before the erasure runs; both happen within a minute. */
const ERASE_DELAY_MS = 10_000;
const DAY_MS = 86_400_000;

export interface PrivacyDeps {
  store: Store;
  queue: JobQueue;
  clock: Clock;
  log: Logger;
  retentionDays: number;
  /** Every feature, asked for what it stores (the export). */
  features: readonly Feature[];
}

function privacyChoices(turn: Turn) {
  return [
    { id: 'privacy:export', label: turn.t('privacy:myData') },
    { id: 'cmd:delete', label: turn.t('privacy:deleteButton') },
    { id: 'cmd:menu', label: turn.t('core:menu.menu') },
  ];
}

export function privacyFeature(deps: PrivacyDeps): Feature {
  const { store, queue } = deps;

  async function exportFor(turn: Turn): Promise<string> {
    const p = turn.person;
    const counts = await store.messageCounts(p.id);
    const byChannel = new Map<string, string[]>();
    for (const a of await store.addressesOf(p.id)) {
      // A web chat session id is a key to the conversation, not an address to show.
      if (a.channel === 'telegram' || a.channel === 'whatsapp') byChannel.set(a.channel, [...(byChannel.get(a.channel) ?? []), a.address]);
    }
    const addresses = [...byChannel].map(([channel, list]) => `${channel === 'whatsapp' ? 'WhatsApp' : 'Telegram'}: ${list.join(', ')}`);
    const consents = Object.entries(p.consents)
      .map(([k, v]) => `${k}: ${v ? '✓' : '✗'}`)
      .join(', ');
    const lines = [
      turn.t('privacy:export.id', { id: p.id }),
      turn.t('privacy:export.language', { lang: p.language ?? '—' }),
      turn.t('privacy:export.since', { date: p.createdAt.toISOString().slice(0, 10) }),
      turn.t('privacy:export.messages', { sent: counts.in, received: counts.out }),
      // Every identifier we reach them by (WhatsApp: the phone number and the business-scoped user id).
      ...(addresses.length ? [turn.t('privacy:export.addresses', { list: addresses.join('; ') })] : []),
      turn.t('privacy:export.consents', { list: consents || '—' }),
    ];
    for (const f of deps.features) {
      if (f.exportData) lines.push(...(await f.exportData(p.id, turn.t)));
    }
    return [turn.t('privacy:export.title'), ...lines.map((l) => `• ${l}`)].join('\n');
  }

  async function notice(turn: Turn): Promise<void> {
    // "my data" is a privacy command word; when it asks to see the data, show it at once.
    if (turn.understanding?.intent === 'privacy_export') return showExport(turn);
    turn.say({ text: turn.t('privacy:notice', { days: deps.retentionDays }), choices: privacyChoices(turn) });
  }
  async function confirmDelete(turn: Turn): Promise<void> {
    turn.say({
      text: turn.t('privacy:confirmDelete'),
      choices: [
        { id: 'privacy:erase', label: turn.t('privacy:yesDelete') },
        { id: 'privacy:keep', label: turn.t('privacy:noKeep') },
      ],
    });
  }
  async function showExport(turn: Turn): Promise<void> {
    turn.event('privacy_export');
    turn.say({ text: await exportFor(turn), choices: privacyChoices(turn) });
  }

  return {
    name: 'privacy',
    phase: FeaturePhase.privacy,
    prefixes: ['privacy'],
    commands: { privacy: notice, delete: confirmDelete },
    intents: {
      privacy_info: async (turn) => (await notice(turn), true),
      privacy_export: async (turn) => (await showExport(turn), true),
      privacy_delete: async (turn) => (await confirmDelete(turn), true),
    },
    async onChoice(turn, id) {
      if (id === 'privacy:export') {
        await showExport(turn);
      } else if (id === 'privacy:erase') {
        turn.event('privacy_erase_requested');
        await queue.add(ERASE_JOB, { personId: turn.person.id }, { key: `erase:${turn.person.id}`, runAt: new Date(deps.clock.now().getTime() + ERASE_DELAY_MS) });
        turn.say({ text: turn.t('privacy:deleted') });
      } else {
        turn.say({ text: turn.t('privacy:kept'), choices: turn.menuChoices() });
      }
    },
  };
}

/** Registers the erase and retention jobs, and schedules the next retention run. */
export async function registerPrivacyJobs(deps: PrivacyDeps): Promise<void> {
  const { store, queue, clock, log } = deps;
  queue.handle(ERASE_JOB, async (data) => {
    const personId = String(data.personId);
    const existed = await store.erasePerson(personId);
    if (existed) await store.logEvent('person_erased', { actor: actorOf(personId), data: { reason: 'request' } });
  });
  queue.handle(RETENTION_JOB, async () => {
    const before = new Date(clock.now().getTime() - deps.retentionDays * DAY_MS);
    let erased = 0;
    for (;;) {
      const ids = await store.inactiveSince(before);
      if (ids.length === 0) break;
      for (const id of ids) {
        await store.erasePerson(id);
        await store.logEvent('person_erased', { actor: actorOf(id), data: { reason: 'retention' } });
      }
      erased += ids.length;
    }
    if (erased > 0) log.info({ erased }, 'privacy: retention erased inactive people');
    await scheduleRetention(queue, clock);
  });
  await scheduleRetention(queue, clock);
}

async function scheduleRetention(queue: JobQueue, clock: Clock): Promise<void> {
  const next = new Date(clock.now().getTime() + DAY_MS);
  await queue.add(RETENTION_JOB, {}, { key: `retention-${next.toISOString().slice(0, 10)}`, runAt: next, priority: 'bulk' });
}
