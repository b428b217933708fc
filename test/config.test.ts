import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, variableNames } from '../src/config.js';

describe('configuration', () => {
  it('runs on defaults with nothing set', () => {
    const c = parseConfig({});
    expect(c.server.port).toBe(3000);
    expect(c.database.url).toBeUndefined();
    expect(c.database.dataDir).toBe('./data/db');
    expect(c.redis.url).toBeUndefined();
    expect(c.telegram.apiRoot).toBe('https://api.telegram.org');
    expect(c.privacy.retentionDays).toBe(180);
  });

  it('stops with one line naming the variable and what it expects', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow('Configuration error: PORT must be a TCP port number (1-65535) (got "eighty").');
    expect(() => parseConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL must be a postgres:\/\/ connection URL/);
  });

  it('never echoes a secret in the error', () => {
    try {
      parseConfig({ TELEGRAM_WEBHOOK_SECRET: 'has spaces and secrets!' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toContain('TELEGRAM_WEBHOOK_SECRET');
      expect((err as Error).message).not.toContain('has spaces');
    }
  });

  it('requires the rest of WhatsApp when its token is set', () => {
    expect(() => parseConfig({ WHATSAPP_ACCESS_TOKEN: 'x' })).toThrow(/WHATSAPP_PHONE_NUMBER_ID must be set/);
  });

  it('.env.example lists every variable', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    for (const name of variableNames) expect(example, name).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
  });
});
