/** The password rules every place that sets a staff password applies (src/web/passwords.ts). */
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../src/web/passwords.js';

describe('passwordProblem', () => {
  it.each([
    ['AAAAAAAAAA', 'one or two characters repeated'],
    ['aaaaaaaaaaaaaaaaaaaa', 'one or two characters repeated'],
    ['abababababab', 'one or two characters repeated'],
    ['short1!', 'at least 10 characters'],
    ['x'.repeat(201), 'at most 200 characters'],
    ['Password2024!', 'most common'],
    ['P@ssw0rd!!!!', 'most common'],
    ['qwertyuiop', 'most common'],
    ['1234567890', 'most common'],
    ['Coworking2026', 'most common'],
    ['correct horse battery staple', 'most common'],
    ['mario.rossi', 'email'],
    ['mariorossi!!', 'email'],
  ])('refuses %s', (password, why) => {
    expect(passwordProblem(password, 'mario.rossi@example.org')).toContain(why);
  });

  it.each(['a long passphrase here', 'correct horse battery', 'Qz0pkXByfaedaK_WwN8j', 'tre gatti sul tetto rosso'])('accepts %s', (password) => {
    expect(passwordProblem(password, 'mario.rossi@example.org')).toBeUndefined();
  });
});
