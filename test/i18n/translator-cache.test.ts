import { describe, expect, it } from 'vitest';
import { Translator } from '../../src/i18n/i18n.js';

// The translator remembers texts without variables per language and key (issue #17): what it
// remembers must be that language's text, and texts with variables are still filled in each time.
describe('translator texts remembered', () => {
  it('gives each language its own text, the same on every call, and fills variables each time', async () => {
    const translator = await Translator.create();
    const en = translator.for('en');
    const it2 = translator.for('it');
    const first = en('core:welcome');
    expect(first).toMatch(/coworking/);
    expect(it2('core:welcome')).not.toBe(first);
    expect(en('core:welcome')).toBe(first);
    expect(translator.for('en')('core:welcome')).toBe(first);
    expect(translator.for('it')('core:welcome')).toBe(it2('core:welcome'));
    // A key with variables: each call its own values (plural forms too).
    expect(en('core:walkMinutes', { count: 1 })).toBe('1 minute on foot');
    expect(en('core:walkMinutes', { count: 5 })).toBe('5 minutes on foot');
    expect(en('core:fallbackNote', { language: 'Italian' })).toBe('This text is in Italian.');
    expect(en('core:fallbackNote', { language: 'French' })).toBe('This text is in French.');
  });
});
