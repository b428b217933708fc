/**
 * Writes the upgrade fixture of a release: a PostgreSQL database with that release's migrations and
 * realistic rows in every table, dumped as plain SQL (INSERTs with column names) into
 * `test/fixtures/upgrade/<version>.sql`. `test/upgrade.test.ts` loads every fixture there into
 * PGlite and PostgreSQL, upgrades it to today's migrations and checks the data and the bot.
 *
 * Run it when cutting a release, on the release commit:
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx scripts/upgrade-fixture.ts 0.3.0
 * `--source DIR` builds the rows with the code of another tree (e.g. an older release exported with
 * `git archive <commit> | tar -x -C DIR`, with node_modules linked), so an older fixture can be
 * made afterwards. It needs pg_dump on PATH.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { source: { type: 'string' } } });
const version = positionals[0];
const adminUrl = process.env.TEST_DATABASE_URL;
if (!version || !/^\d+\.\d+\.\d+$/.test(version) || !adminUrl) {
  process.stderr.write('Usage: TEST_DATABASE_URL=postgres://… node --import tsx scripts/upgrade-fixture.ts X.Y.Z [--source DIR]\n');
  process.exit(2);
}
const root = resolve(values.source ?? '.');
const here = resolve('.');

type AppModule = typeof import('../src/app.js');
type ConfigModule = typeof import('../src/config.js');
type ScratchModule = typeof import('../src/storage/scratch.js');
const { createApp } = (await import(join(root, 'src/app.ts'))) as AppModule;
const { parseConfig } = (await import(join(root, 'src/config.ts'))) as ConfigModule;
const { scratchDatabase } = (await import(join(here, 'src/storage/scratch.ts'))) as ScratchModule;

const { url, drop } = await scratchDatabase(adminUrl, 'fixture');
try {
  const config = parseConfig({ LOG_LEVEL: 'silent', CONTENT_DIR: join(root, 'data/demo') });
  const app = await createApp({ config, db: { kind: 'postgres', url }, embeddedQueue: true, floodControl: false, flowsDir: join(root, 'flows') });
  const now = new Date();
  const say = (channel: 'web' | 'telegram' | 'whatsapp', address: string, text: string, n: number) =>
    app.bot.handle({ channel, address, externalId: `${address}-${n}`, receivedAt: new Date(now.getTime() + n * 1000), content: { type: 'text', text } });

  // People in several languages and channels, as the bot stored them (messages, conversations, events, queued sends).
  await say('web', 'fixture-amina', 'مرحبا، أبحث عن مكان للعمل', 1);
  await say('web', 'fixture-amina', 'أماكن العمل المشترك قرب بينييتو', 2);
  await say('telegram', '700100200', 'Ciao, quali eventi ci sono questa settimana?', 3);
  await say('whatsapp', '393331234567', 'Bonjour, je cherche un espace de coworking gratuit', 4);
  await say('web', 'fixture-olena', 'Hello, I have a question about a project', 5);
  await app.bot.handle({ channel: 'web', address: 'fixture-olena', externalId: 'fixture-olena-human', receivedAt: new Date(now.getTime() + 5500), content: { type: 'choice', id: 'cmd:human' } });
  await say('web', 'fixture-olena', 'about my small bakery project', 6);
  await say('web', 'fixture-karim', 'do you have a quantum teleporter for rent', 7);
  const person = async (channel: string, address: string) =>
    (await app.db.query<{ person_id: string }>(`SELECT person_id FROM channel_addresses WHERE channel = $1 AND address = $2`, [channel, address]))[0]!.person_id;
  const amina = await person('web', 'fixture-amina');
  const luca = await person('telegram', '700100200');
  const olena = await person('web', 'fixture-olena');
  const sophie = await person('whatsapp', '393331234567');

  // Project card and flow preferences.
  await app.flowStore.saveCard(
    {
      personId: amina,
      flow: 'incubation',
      lang: 'ar',
      stage: 'idea',
      supportLevel: 2,
      answers: { idea: { value: 'catering', text: 'مطبخ سوداني صغير' }, stage: { value: 'idea' } },
      cardPerson: 'مشروعك: مطبخ سوداني صغير',
      cardIt: 'Progetto: una piccola cucina sudanese',
      cardEn: 'Project: a small Sudanese kitchen',
      shareConsent: true,
    },
    now,
  );
  await app.flowStore.savePreferences(luca, 'subscriptions', { topics: ['italian', 'digital'], district: 'pigneto' }, now);

  // Staff: accounts, a session, a failed login, notes, audit, canned replies (seeded), a Telegram link.
  const staff = async (email: string, role: string, space: string | null) =>
    Number(
      (
        await app.db.query<{ id: string }>(`INSERT INTO staff_users (email, role, space_id, password_hash) VALUES ($1, $2, $3, 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo') RETURNING id`, [
          email,
          role,
          space,
        ])
      )[0]!.id,
    );
  const admin = await staff('admin@example.org', 'admin', null);
  const facilitator = await staff('giulia@example.org', 'facilitator', null);
  const spaceStaff = await staff('marco@millepiani.example', 'staff', 'millepiani');
  await app.db.query(`INSERT INTO staff_sessions (token_hash, user_id, csrf, expires_at) VALUES ('9f2c1e7a0b3d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6', $1, 'csrf-fixture-token', $2)`, [
    facilitator,
    new Date(now.getTime() + 8 * 3_600_000),
  ]);
  await app.db.query(`INSERT INTO staff_login_failures (rate_key, at) VALUES ('giulia@example.org|203.0.113.9', $1)`, [now]);
  const [open] = await app.handoff.cases.queue();
  await app.handoff.cases.claim(open!.id, facilitator, now);
  await app.handoff.cases.addNote(olena, facilitator, 'Wants a kitchen space for a bakery; speaks Ukrainian and some Italian.', now);
  await app.db.query(`INSERT INTO audit_log (user_id, action, person_id, detail) VALUES ($1, 'view_conversation', $2, '{"from":"queue"}')`, [facilitator, olena]);
  await app.db.query(`INSERT INTO staff_link_codes (code_hash, user_id, expires_at, used_at) VALUES ('a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', $1, $2, $2)`, [
    spaceStaff,
    now,
  ]);
  await app.db.query(`INSERT INTO staff_chat_links (user_id, person_id) VALUES ($1, $2)`, [spaceStaff, luca]);

  // Knowledge: a reminder, a gap and its review (the gap from Karim's question, or one written here).
  const event = (await app.db.query<{ id: string }>(`SELECT id FROM knowledge_events ORDER BY start_at LIMIT 1`))[0]!.id;
  await app.db.query(`INSERT INTO knowledge_reminders (person_id, event_id, offset_name, run_at, channel) VALUES ($1, $2, 'day', $3, 'telegram')`, [luca, event, new Date(now.getTime() + 86_400_000)]);
  const gaps = await app.db.query<{ id: string }>(`SELECT id FROM knowledge_gaps LIMIT 1`);
  const gapId =
    gaps[0]?.id ?? (await app.db.query<{ id: string }>(`INSERT INTO knowledge_gaps (id, lang, text_normalized) VALUES ('gap-fixture-1', 'en', 'quantum teleporter for rent') RETURNING id`))[0]!.id;
  await app.db.query(`INSERT INTO insights_gap_reviews (gap_id, cleared) VALUES ($1, true)`, [gapId]);

  // Staff content: a space card edit, a staff event, a reviewed content translation.
  await app.db.query(`INSERT INTO space_edits (space_id, data, updated_by) VALUES ('millepiani', $1, 'marco@millepiani.example')`, [
    JSON.stringify({ hours: 'Mo-Fr 09:00-20:00', staffLanguages: ['it', 'en', 'fr'] }),
  ]);
  await app.db.query(`INSERT INTO staff_events (space_id, start_at, data, created_by, updated_by) VALUES ('millepiani', $1, $2, 'marco@millepiani.example', 'marco@millepiani.example')`, [
    new Date(now.getTime() + 3 * 86_400_000),
    JSON.stringify({ title: { it: 'Caffè italiano', en: 'Italian coffee' }, description: { it: 'Conversazione in italiano per principianti.' }, topics: ['italian'], free: true }),
  ]);
  await app.db.query(
    `INSERT INTO content_translations (ref, field, lang, source_lang, source_hash, source_text, text, status, reviewed_at, reviewed_by)
     VALUES ('space:millepiani', 'description', 'ar', 'en', 'fixturehash01', 'A coworking space open to everyone.', 'مساحة عمل مشتركة مفتوحة للجميع.', 'reviewed', $1, $2)`,
    [now, admin],
  );

  // Broadcasts: followers, one who said stop, a started broadcast with its delivery records.
  await app.broadcastStore.follow(amina, 'all', '', now);
  await app.broadcastStore.follow(luca, 'space', 'millepiani', now);
  await app.broadcastStore.follow(sophie, 'all', '', now);
  await app.broadcastStore.stopAll(sophie, now);
  const b = await app.broadcastStore.createBroadcast(
    {
      spaceId: 'millepiani',
      createdBy: 'marco@millepiani.example',
      audience: { allEvents: true, spaces: ['millepiani'] },
      messages: { text: { it: 'Porte aperte venerdì alle 18.', en: 'Open day on Friday at 6 pm.' } },
    },
    now,
  );
  await app.broadcastStore.startBroadcast(b.id, ['web', 'telegram', 'whatsapp'], now);
  await app.close();

  const empty: string[] = [];
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tables = (await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)).rows;
  for (const { name } of tables) if (Number((await client.query(`SELECT count(*) AS n FROM ${name}`)).rows[0].n) === 0) empty.push(name);
  const migrations = (await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name);
  await client.end();
  if (empty.length > 0) throw new Error(`every table needs rows; empty: ${empty.join(', ')}`);

  const dump = spawnSync('pg_dump', ['--column-inserts', '--no-owner', '--no-privileges', '--no-comments', `--dbname=${url}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
  // psql meta-commands (\restrict …) are for psql only; the test loads the file through a driver.
  const body = dump.stdout
    .split('\n')
    .filter((l) => !l.startsWith('\\'))
    .join('\n');
  const header = [
    `-- coworkbot ${version}: the database of that release with rows in every table (${tables.length} tables),`,
    `-- written by scripts/upgrade-fixture.ts on ${now.toISOString().slice(0, 10)}. Migrations: ${migrations.join(', ')}.`,
    '-- test/upgrade.test.ts loads it and upgrades it to the current migrations. Do not edit by hand.',
    '',
  ].join('\n');
  mkdirSync(join(here, 'test/fixtures/upgrade'), { recursive: true });
  const out = join(here, 'test/fixtures/upgrade', `${version}.sql`);
  writeFileSync(out, header + body);
  process.stdout.write(`Wrote ${out}: ${tables.length} tables, ${migrations.length} migrations.\n`);
} finally {
  await drop();
}
