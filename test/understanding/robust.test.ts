/**
 * How the understanding step copes with the way people type: Arabic digits for letters, consonant
 * skeletons of romanised words, typo and Latin-letter copies of the training phrases, the cues for a
 * person, and the safety lists without false alarms on harmless look-alikes.
 */
import { describe, expect, it } from 'vitest';
import { detectSafety } from '../../src/handoff/safety.js';
import { augmentExamples, cyrillicInLatin, withTypos } from '../../src/understand/augment.js';
import { asksForPerson } from '../../src/understand/cues.js';
import { consonantSkeleton, featuresOf, foldForModel } from '../../src/understand/features.js';
import { readWithoutFraming } from '../../src/understand/framing.js';
import type { Scores } from '../../src/understand/model.js';
import { offlineUnderstander } from '../../src/understand/offline.js';

describe('features for romanised and mistyped text', () => {
  it('spells out Arabic digits-for-letters inside words only', () => {
    expect(foldForModel('3andi fikra, 7abibi, ma3lomati')).toBe('aandi fikra habibi maalomati');
    expect(foldForModel('5alas')).toBe('khalas');
    expect(foldForModel('3 months, 2 kids, room 24')).toBe('3 months 2 kids room 24'); // numbers stay numbers
    expect(foldForModel('۳ ماه')).toBe('3 ماه'); // Persian digits
  });

  it('gives spellings of one romanised word the same consonant skeleton', () => {
    expect(consonantSkeleton('shukriya')).toBe(consonantSkeleton('shukria'));
    expect(consonantSkeleton('khundan')).toBe(consonantSkeleton('khoondan'));
    expect(consonantSkeleton('dhonnobad')).toBe(consonantSkeleton('dhonobad'));
    expect(consonantSkeleton('ab')).toBeUndefined();
    expect(featuresOf('shukriya bhai')).toContain(`k:${consonantSkeleton('shukriya')}`);
  });

  it('keeps emoji as features (the folding drops them), without skin tones', async () => {
    expect(featuresOf('👍')).toContain('e:👍');
    expect(featuresOf('👍🏽🙏')).toEqual(expect.arrayContaining(['e:👍', 'e:🙏']));
    expect(featuresOf('😂')).not.toContain('e:👍');
    const u = await offlineUnderstander();
    expect(u.offline('👍').intent).toBe('thanks');
    expect(u.offline('👌🙏').intent).toBe('thanks');
  });
});

describe('augmented training phrases', () => {
  it('writes Cyrillic in Latin letters the informal way', () => {
    expect(cyrillicInLatin('позвоните мне')).toBe('pozvonite mne');
    expect(cyrillicInLatin('дякую за інформацію, пишіть')).toBe('dyakuyu za informatsiyu, pyshit');
  });

  it('adds lighter, deterministic typo copies and keeps every written phrase at full weight', () => {
    const phrases = [
      { text: 'i am looking for a quiet place to study', intent: 'find_space' as const },
      { text: 'хочу поговорить с человеком', intent: 'human' as const },
      { text: '我想找工作', intent: 'oos_jobs' as const },
    ];
    const a = augmentExamples(phrases);
    const b = augmentExamples(phrases);
    expect(a).toEqual(b);
    for (const p of phrases) expect(a).toContainEqual({ ...p, weight: 1 });
    const copies = a.filter((e) => e.weight! < 1);
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.some((e) => e.text === 'khochu pogovorit s chelovekom')).toBe(true);
    expect(copies.every((e) => e.weight === 0.5)).toBe(true);
    // Scripts without Latin or Cyrillic letters get no typo copies (a dropped Chinese character changes the word).
    expect(copies.some((e) => e.intent === 'oos_jobs')).toBe(false);
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const typed = withTypos('please delete everything about me', random);
    expect(typed).not.toBe('please delete everything about me');
    expect(typed.split(' ')).toHaveLength(5);
  });
});

describe('cues that someone asks for a person', () => {
  it('finds them in many languages and registers', () => {
    for (const text of [
      'i need a real human',
      'n7eb na7ki m3a insan',
      'kisi insaan se baat karni hai',
      'ekjon manusher sathe kotha',
      'хочу с живым человеком',
      'qof dhab ah ayaan rabaa',
      '转人工',
      'pwede po ba makausap ang tao',
      'vreau un om real',
      'با یک آدم واقعی',
      'hello?? is anyone there',
      'ho bisogno di spiegare la mia situazione a qualcuno',
      'есть кто живой?',
      '有人在吗',
      'في حد هنا يرد علي؟',
      'bhai ekjon ke dao, kotha bolbo',
      'ms sb kzareb delye',
      'ምስ facilitator ምርካብ እደሊ',
      'nay hgerey n seb kgelts delye',
      'facilitator krakeb ydeli, entay gbere?',
    ])
      expect(asksForPerson(text), text).toBe('person');
  });

  it('tells a request to be called back apart', () => {
    for (const text of ['please call me', 'mi chiamate?', 'koi mujhe call kar sakta hai', '给我打电话']) expect(asksForPerson(text), text).toBe('callback');
  });

  it('leaves alone a space with staff who speak a language, and what a facilitator is', () => {
    for (const text of ['spaces where staff speak arabic', 'what is a facilitator', 'جایی که کارمندش فارسی بلد باشه', '说中文的工作人员', 'facilitator እንታይ እዩ'])
      expect(asksForPerson(text), text).toBeUndefined();
  });

  it('turns a weak or unrelated reading into a request for a person', async () => {
    const u = await offlineUnderstander();
    for (const text of ['not a machine, a real person please', 'nheb nahki m3a 3abd mouch machine', 'hello, can you call me']) expect(u.offline(text).intent, text).toBe('human');
    // Meeting a facilitator reads like asking what one is: the cue wins over an explanation.
    expect(u.offline('ሓደ facilitator ክረኽብ ደልየ ኔረ').intent).toBe('human');
    // A request for a language stays a request for a language.
    expect(u.offline('can you write in English please').intent).toBe('language');
  });
});

describe('the safety lists', () => {
  it('catch indirect messages in many languages and romanised forms', () => {
    const cases: [string, string][] = [
      ['en', 'the man i work for locks me in at night'],
      ['en', 'they said they will report me to the police if i complain'],
      ['it', 'stanca di vivere così'],
      ['es', 'mi jefe dice que me va a denunciar si me voy'],
      ['ar', 'byjbrouni eshtghel bala ma3ash'],
      ['fa', 'nemikham zende basham dige'],
      ['ps', 'نور نه غواړم ژوندی پاتې شم'],
      ['ur', 'seth ne passport rakh liya hai'],
      ['bn', 'bachte chai na ar'],
      ['so', 'ma rabo inaan noolaado'],
      ['tl', 'di ako pinapasweldo ng amo'],
      ['zh', '活不下去了'],
      ['ro', 'nu mi-a dat salariul de trei luni'],
      // Said the indirect way: unpaid months, blackmail with photos, poisoning, wanting to sleep forever.
      ['en', 'i worked there five months and got not a single euro'],
      ['en', 'he has my photos and says he will post them if i dont pay'],
      ['tl', 'yung anak ko nakainom ng zonrox'],
      ['es', 'solo quiero dormir para siempre'],
      ['fr', 'si je couche pas avec lui il me met dehors'],
      // Persian: working like a slave, a friend who fainted and breathes badly; a kept passport in Spanish.
      ['fa', 'مثل برده ازم کار میکشن'],
      ['fa', 'رفیقم از حال رفت'],
      ['fa', 'نفسش خوب نمیاد، کمک'],
      ['es', 'me guardan el pasaporte y no me lo devuelven'],
    ];
    for (const [lang, text] of cases) expect(detectSafety(text), `${lang}: ${text}`).toBeDefined();
  });

  it('do not fire on harmless words that contain a safety term', () => {
    for (const text of [
      'ایټالوي نه پوهیږم',
      'څوک ماته زنګ ووهي',
      'বাংলায় লিখুন',
      'no wahala, thanks',
      'estoy enfermo',
      'ازموینه',
      'میخوام آرایشگاه باز کنم',
      'چطور اقامتمو تمدید کنم',
      // One-word terms stay inside one word ("قيد" is not in "القى دكتور", "ريپ" not in "چطوری پول").
      'وين القى دكتور؟',
      'چطوری پول بفرستم ایران؟',
      'څوک راته زنګ وهلی شي؟',
      'can I send my photos for the CV?',
      // "برده" is also "taken (along)"; "guardan mis datos" is a privacy question, papers or not.
      'کتابامو با خودم برده بودم',
      'si no tengo papeles, ¿ustedes guardan mis datos?',
    ])
      expect(detectSafety(text), text).toBeUndefined();
  });
});

describe('politeness around a request', () => {
  // A stand-in model: greetings and thanks by their words, anything with "room" a space, else other.
  const classify = (text: string): Scores => {
    const t = text.toLowerCase();
    const intent = /^(salam|hello|hi)$/.test(t) ? 'greeting' : /^(thanks|thank you|merci)$/.test(t) ? 'thanks' : t.includes('room') ? 'find_space' : /salam|hello/.test(t) ? 'greeting' : 'other';
    return [
      { intent, confidence: 0.9 },
      { intent: 'other', confidence: 0.1 },
    ] as Scores;
  };

  it('reads the request without the greeting before it and the thanks after it', () => {
    expect(readWithoutFraming(classify, 'salam, i need a quiet room near termini, thanks')[0]!.intent).toBe('find_space');
    expect(readWithoutFraming(classify, 'hello! a quiet room?')[0]!.intent).toBe('find_space');
  });

  it('keeps the whole message when nothing but politeness is left, or nothing was framing', () => {
    expect(readWithoutFraming(classify, 'hello, thanks')[0]!.intent).toBe('greeting');
    expect(readWithoutFraming(classify, 'hello, how is the weather')[0]!.intent).toBe('greeting');
    expect(readWithoutFraming(classify, 'a quiet room')[0]!.intent).toBe('find_space');
  });
});
