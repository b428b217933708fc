/**
 * Place names across scripts. Rome's names are Italian; people write them in their own letters
 * ("ترمینی", "তিবুর্তিনা", "ተርሚኒ", "Тибуртина", "特米尼") and misspell them ("termni").
 *
 * - {@link transliterate} writes an Italian name in another language's script, the way it is usually
 *   spelled there (Arabic writes every vowel long, Persian drops a short e, Ge'ez writes syllables).
 *   `scripts/gazetteer-names.ts` uses it to fill the gazetteer's per-language columns, which people
 *   then review; nothing calls it per message.
 * - {@link skeleton} reduces a name in any script to the consonants that survive transliteration
 *   ("Termini", "ترمینی", "তের্মিনি", "ተርሚኒ", "Терміні" → "trmn"), so spellings nobody listed still
 *   meet: the query parser compares skeletons when no listed name matches.
 */

/** One sound of an Italian name: a consonant (symbols below), a vowel, or both (a syllable). */
interface Segment {
  /** b p t d k g f v s z(=ts) c(=tʃ) j(=dʒ) x(=ʃ) N(=ɲ) L(=ʎ) l m n r y w */
  c?: string;
  v?: 'a' | 'e' | 'i' | 'o' | 'u';
}

const vowels = new Set(['a', 'e', 'i', 'o', 'u']);

function plain(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Italian spelling → sounds ("Centocelle" → c-e n t-o c-e l-e). */
export function italianSounds(word: string): Segment[] {
  const w = plain(word).replace(/[' ]/g, '');
  const out: Segment[] = [];
  let i = 0;
  const at = (k: number) => w[k] ?? '';
  const front = (ch: string) => ch === 'e' || ch === 'i';
  while (i < w.length) {
    const ch = at(i);
    let c: string | undefined;
    let skip = 1;
    if (vowels.has(ch)) {
      // "i" between a consonant and a vowel is a glide ("Pietralata"); after c/g/sc it only softens.
      if (ch === 'i' && vowels.has(at(i + 1)) && out.length && out.at(-1)!.c && !out.at(-1)!.v) {
        const prev = out.at(-1)!;
        if (prev.c === 'c' || prev.c === 'j' || prev.c === 'x' || prev.c === 'L') {
          i++;
          continue;
        }
        out.push({ c: 'y' });
        i++;
        continue;
      }
      const last = out.at(-1);
      if (last && last.c && !last.v) last.v = ch as Segment['v'];
      else out.push({ v: ch as Segment['v'] });
      i++;
      continue;
    }
    if (ch === at(i + 1) && ch !== 'c' && ch !== 'g') {
      i++; // double consonants are written once
      continue;
    }
    switch (ch) {
      case 'c':
        if (at(i + 1) === 'c') {
          i++;
          continue;
        }
        if (at(i + 1) === 'h') [c, skip] = ['k', 2];
        else c = front(at(i + 1)) ? 'c' : 'k';
        break;
      case 'g':
        if (at(i + 1) === 'g') {
          i++;
          continue;
        }
        if (at(i + 1) === 'h') [c, skip] = ['g', 2];
        else if (at(i + 1) === 'n') [c, skip] = ['N', 2];
        else if (at(i + 1) === 'l' && at(i + 2) === 'i') [c, skip] = ['L', 2];
        else c = front(at(i + 1)) ? 'j' : 'g';
        break;
      case 's':
        if (at(i + 1) === 'c' && front(at(i + 2))) [c, skip] = ['x', 2];
        else c = 's';
        break;
      case 'q':
        [c, skip] = at(i + 1) === 'u' ? ['k', 1] : ['k', 1];
        if (at(i + 1) === 'u') {
          out.push({ c: 'k' });
          out.push({ c: 'w' });
          i += 2;
          continue;
        }
        break;
      case 'z':
        c = 'z';
        break;
      case 'x':
        out.push({ c: 'k' });
        c = 's';
        break;
      case 'h':
        i++;
        continue;
      case 'j':
      case 'y':
        c = 'y';
        break;
      case 'w':
        c = 'v';
        break;
      case 'k':
        c = 'k';
        break;
      default:
        c = ch;
    }
    out.push({ c });
    i += skip;
  }
  return out;
}

// ------------------------------------------------------------------ writing a name in a script

type Writer = (segments: Segment[], word: string) => string;

/** "rio", "tia": some scripts write the glide as a full i and the vowel on its own (Витторио, 维托里奥). */
function syllabicGlide(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    const prev = out.at(-1);
    if (s.c === 'y' && s.v && prev?.c && !prev.v && prev.c !== 'N' && prev.c !== 'L') {
      prev.v = 'i';
      out.push({ v: s.v });
    } else out.push({ ...s });
  }
  return out;
}

const arabicConsonants: Record<string, string> = {
  b: 'ب',
  p: 'ب',
  t: 'ت',
  d: 'د',
  k: 'ك',
  g: 'غ',
  f: 'ف',
  v: 'ف',
  s: 'س',
  z: 'تس',
  c: 'تش',
  j: 'ج',
  x: 'ش',
  N: 'ني',
  L: 'لي',
  l: 'ل',
  m: 'م',
  n: 'ن',
  r: 'ر',
  y: 'ي',
  w: 'و',
};
const persianConsonants: Record<string, string> = {
  ...arabicConsonants,
  p: 'پ',
  k: 'ک',
  g: 'گ',
  v: 'و',
  z: 'تز',
  c: 'چ',
  N: 'نی',
  L: 'لی',
  y: 'ی',
};

/** Arabic: every vowel long (ا ي و), hamza-carrying alif at the start. */
const writeArabic: Writer = (segs) => {
  let out = '';
  segs.forEach((s, i) => {
    if (s.c) out += arabicConsonants[s.c] ?? '';
    if (s.v) {
      const first = i === 0 && !s.c;
      out += first ? { a: 'أ', e: 'إي', i: 'إي', o: 'أو', u: 'أو' }[s.v] : { a: 'ا', e: 'ي', i: 'ي', o: 'و', u: 'و' }[s.v];
    }
  });
  return out;
};

/** Persian, Urdu, Pashto: short e dropped inside a word, final e as ه / ے / ې. */
function writePersianLike(lang: 'fa' | 'ur' | 'ps'): Writer {
  const table: Record<string, string> = lang === 'ur' ? { ...persianConsonants, t: 'ٹ', d: 'ڈ', y: 'ی' } : lang === 'ps' ? { ...persianConsonants, g: 'ګ', y: 'ی' } : persianConsonants;
  const finalE = lang === 'fa' ? 'ه' : lang === 'ur' ? 'ے' : 'ې';
  const finalI = lang === 'ps' ? 'ي' : 'ی';
  return (segs) => {
    let out = '';
    segs.forEach((s, i) => {
      if (s.c) out += table[s.c] ?? '';
      if (!s.v) return;
      const first = i === 0 && !s.c;
      const last = i === segs.length - 1;
      if (first) out += { a: 'آ', e: 'ا', i: 'ای', o: 'او', u: 'او' }[s.v];
      else if (s.v === 'e') out += last ? finalE : lang === 'fa' ? '' : lang === 'ps' ? 'ې' : 'ی';
      else if (s.v === 'i') out += last ? finalI : 'ی';
      else out += { a: 'ا', o: 'و', u: 'و' }[s.v];
    });
    return out;
  };
}

const bengaliConsonants: Record<string, string> = {
  b: 'ব',
  p: 'প',
  t: 'ত',
  d: 'দ',
  k: 'ক',
  g: 'গ',
  f: 'ফ',
  v: 'ভ',
  s: 'স',
  z: 'জ',
  c: 'চ',
  j: 'জ',
  x: 'শ',
  N: 'ন',
  L: 'ল',
  l: 'ল',
  m: 'ম',
  n: 'ন',
  r: 'র',
  y: 'য়',
  w: 'ও',
};
const bengaliSigns: Record<string, string> = { a: 'া', e: 'ে', i: 'ি', o: 'ো', u: 'ু' };
const bengaliVowels: Record<string, string> = { a: 'আ', e: 'এ', i: 'ই', o: 'ও', u: 'উ' };

/** Bengali: vowel signs on consonants, clusters joined with the hasanta (্). */
const writeBengali: Writer = (raw) => {
  const segs = syllabicGlide(raw);
  let out = '';
  segs.forEach((s, i) => {
    if (s.c) {
      out += bengaliConsonants[s.c] ?? '';
      if (s.c === 'N' || s.c === 'L') out += s.v ? 'ি' : '';
      const next = segs[i + 1];
      if (!s.v && next?.c && s.c !== 'y' && s.c !== 'w') out += '্';
    }
    if (s.v) out += s.c && s.c !== 'N' && s.c !== 'L' ? bengaliSigns[s.v] : s.c ? bengaliVowels[s.v] : bengaliVowels[s.v];
  });
  return out;
};

/** Ge'ez rows (first letter of each row) and the vowel orders: ä u i a e ə o. */
const geezRows: Record<string, number> = {
  h: 0x1200,
  l: 0x1208,
  m: 0x1218,
  r: 0x1228,
  s: 0x1230,
  x: 0x1238,
  k: 0x12a8,
  b: 0x1260,
  v: 0x1268,
  t: 0x1270,
  c: 0x1278,
  n: 0x1290,
  N: 0x1298,
  '': 0x12a0,
  w: 0x12c8,
  z: 0x1338,
  y: 0x12e8,
  d: 0x12f0,
  j: 0x1300,
  g: 0x1308,
  f: 0x1348,
  p: 0x1350,
  L: 0x1208,
};
/** Italian e is written with the first order (ተርሚኒ), as people in Eritrea write foreign names. */
const geezOrder: Record<string, number> = { e: 0, u: 1, i: 2, a: 3, o: 6 };

const writeGeez: Writer = (segs) => {
  let out = '';
  for (const s of segs) {
    const row = geezRows[s.c ?? ''] ?? geezRows['']!;
    // Tigrinya writes a vowel alone as ኣ ኡ ኢ ኤ ኦ (the ʔ row; "a" has its own ኣ).
    if (!s.c && s.v === 'a') out += 'ኣ';
    else if (!s.c && s.v === 'e') out += 'ኤ';
    else out += String.fromCodePoint(row + (s.v !== undefined ? geezOrder[s.v]! : 5));
  }
  return out;
};

const cyrillicConsonants: Record<string, string> = {
  b: 'б',
  p: 'п',
  t: 'т',
  d: 'д',
  k: 'к',
  g: 'г',
  f: 'ф',
  v: 'в',
  s: 'с',
  z: 'ц',
  c: 'ч',
  j: 'дж',
  x: 'ш',
  N: 'нь',
  L: 'ль',
  l: 'л',
  m: 'м',
  n: 'н',
  r: 'р',
  y: 'й',
  w: 'у',
};

function writeCyrillic(lang: 'ru' | 'uk'): Writer {
  return (raw) => {
    const segs = syllabicGlide(raw);
    let out = '';
    segs.forEach((s, i) => {
      const softened = s.c === 'N' || s.c === 'L' || s.c === 'y';
      if (s.c) out += softened && s.v ? { N: 'н', L: 'л', y: '' }[s.c]! : (cyrillicConsonants[s.c] ?? '');
      if (!s.v) return;
      if (softened) out += { a: 'я', e: lang === 'uk' ? 'є' : 'е', i: lang === 'uk' ? 'ї' : 'и', o: 'ьо', u: 'ю' }[s.v];
      else if (s.v === 'e') out += i === 0 && !s.c ? (lang === 'uk' ? 'е' : 'э') : 'е';
      else if (s.v === 'i') out += lang === 'uk' ? 'і' : 'и';
      else out += { a: 'а', o: 'о', u: 'у' }[s.v];
    });
    return out;
  };
}

/** Syllables as Chinese transliterations write them (Xinhua's table, simplified). */
const hanSyllables: Record<string, string> = {
  a: '阿',
  e: '埃',
  i: '伊',
  o: '奥',
  u: '乌',
  ba: '巴',
  be: '贝',
  bi: '比',
  bo: '博',
  bu: '布',
  pa: '帕',
  pe: '佩',
  pi: '皮',
  po: '波',
  pu: '普',
  ta: '塔',
  te: '特',
  ti: '蒂',
  to: '托',
  tu: '图',
  da: '达',
  de: '德',
  di: '迪',
  do: '多',
  du: '杜',
  ka: '卡',
  ke: '凯',
  ki: '基',
  ko: '科',
  ku: '库',
  ga: '加',
  ge: '盖',
  gi: '吉',
  go: '戈',
  gu: '古',
  fa: '法',
  fe: '费',
  fi: '菲',
  fo: '福',
  fu: '富',
  va: '瓦',
  ve: '韦',
  vi: '维',
  vo: '沃',
  vu: '武',
  sa: '萨',
  se: '塞',
  si: '西',
  so: '索',
  su: '苏',
  za: '扎',
  ze: '泽',
  zi: '齐',
  zo: '佐',
  zu: '祖',
  ca: '恰',
  ce: '切',
  ci: '奇',
  co: '乔',
  cu: '丘',
  ja: '贾',
  je: '杰',
  ji: '吉',
  jo: '焦',
  ju: '朱',
  xa: '夏',
  xe: '谢',
  xi: '希',
  xo: '肖',
  xu: '舒',
  Na: '尼亚',
  Ne: '涅',
  Ni: '尼',
  No: '尼奥',
  Nu: '纽',
  La: '利亚',
  Le: '列',
  Li: '利',
  Lo: '廖',
  Lu: '柳',
  la: '拉',
  le: '莱',
  li: '利',
  lo: '洛',
  lu: '卢',
  ma: '马',
  me: '梅',
  mi: '米',
  mo: '莫',
  mu: '穆',
  na: '纳',
  ne: '内',
  ni: '尼',
  no: '诺',
  nu: '努',
  ra: '拉',
  re: '雷',
  ri: '里',
  ro: '罗',
  ru: '鲁',
  ya: '亚',
  ye: '耶',
  yi: '伊',
  yo: '约',
  yu: '尤',
  wa: '瓦',
  we: '韦',
  wi: '维',
  wo: '沃',
  wu: '武',
  b: '布',
  p: '普',
  t: '特',
  d: '德',
  k: '克',
  g: '格',
  f: '夫',
  v: '夫',
  s: '斯',
  z: '茨',
  c: '奇',
  j: '吉',
  x: '什',
  l: '尔',
  m: '姆',
  n: '恩',
  N: '尼',
  L: '利',
};

/** Chinese: one character per syllable; an r or n closing a syllable is dropped or merged, as Chinese names do. */
const writeHan: Writer = (raw) => {
  const segs = syllabicGlide(raw);
  let out = '';
  segs.forEach((s, i) => {
    const next = segs[i + 1];
    if (s.c && !s.v && (s.c === 'r' || s.c === 'y' || s.c === 'w')) return;
    if (s.c && !s.v && s.c === 'n' && i > 0 && next) return;
    const key = `${s.c ?? ''}${s.v ?? ''}`;
    out += hanSyllables[key] ?? hanSyllables[s.c ?? ''] ?? '';
  });
  return out;
};

const writers: Record<string, Writer> = {
  ar: writeArabic,
  fa: writePersianLike('fa'),
  ur: writePersianLike('ur'),
  ps: writePersianLike('ps'),
  bn: writeBengali,
  ti: writeGeez,
  ru: writeCyrillic('ru'),
  uk: writeCyrillic('uk'),
  zh: writeHan,
};

/** The languages {@link transliterate} writes (the others read Italian names in Latin letters). */
export const transliteratedLanguages = Object.keys(writers);

/** Translations of the words that are not names ("Piazza", "Stazione", "San"), per language. */
const commonWords: Record<string, Record<string, string>> = {
  piazza: { ar: 'ساحة', fa: 'میدان', ur: 'پیازا', ps: 'میدان', bn: 'পিয়াৎজা', ti: 'ፒያሳ', ru: 'площадь', uk: 'площа', zh: '广场' },
  stazione: { ar: 'محطة', fa: 'ایستگاه', ur: 'اسٹیشن', ps: 'سټېشن', bn: 'স্টেশন', ti: 'መደበር', ru: 'вокзал', uk: 'вокзал', zh: '站' },
  metro: { ar: 'مترو', fa: 'مترو', ur: 'میٹرو', ps: 'مترو', bn: 'মেট্রো', ti: 'መትሮ', ru: 'метро', uk: 'метро', zh: '地铁' },
  san: { zh: '圣' },
  santa: { zh: '圣' },
  roma: { ar: 'روما', fa: 'رم', ur: 'روم', ps: 'روم', bn: 'রোম', ti: 'ሮማ', ru: 'Рим', uk: 'Рим', zh: '罗马' },
};
/** Chinese puts the kind of place after the name ("Termini station" → 特米尼站). */
const trailingInChinese = new Set(['piazza', 'stazione', 'metro']);

/**
 * An Italian place name written in `lang`'s script, word by word ("Tor Pignattara" → "تور پينياتارا");
 * undefined for a language written in Latin letters. With `translateWords` (the default) "Piazza",
 * "Stazione" and "Metro" are translated ("ساحة فيتوريو"), else written as they sound ("بياتسا فيتوريو").
 */
export function transliterate(name: string, lang: string, opts: { translateWords?: boolean } = {}): string | undefined {
  const write = writers[lang];
  if (!write) return undefined;
  const translateWords = opts.translateWords ?? true;
  const words = plain(name.replace(/\(.*?\)/g, ''))
    .split(' ')
    .filter((w) => w && !['di', 'del', 'della', 'dei', 'delle', "d'", "de'"].includes(w));
  const parts: string[] = [];
  const trailing: string[] = [];
  for (const w of words) {
    const common = translateWords || w === 'roma' ? commonWords[w]?.[lang] : undefined;
    if (common) {
      if (lang === 'zh' && trailingInChinese.has(w)) trailing.push(common);
      else parts.push(common);
      continue;
    }
    parts.push(write(italianSounds(w), w));
  }
  const sep = lang === 'zh' ? '' : ' ';
  return [...parts, ...trailing].filter(Boolean).join(sep) || undefined;
}

// ------------------------------------------------------------------ skeletons

/**
 * Consonant classes that survive transliteration: b/p → b, f/v → f, s/z/ʃ/ts/tʃ → s, k/q/c(hard) → k,
 * g/j/dʒ → g; vowels, h, y, w, ʔ and ʕ drop out.
 */
function classOf(sound: string): string {
  switch (sound) {
    case 'p':
      return 'b';
    case 'v':
      return 'f';
    case 'z':
    case 'x':
    case 'c':
      return 's';
    case 'j':
      return 'g';
    case 'N':
      return 'n';
    case 'L':
      return 'l';
    case 'y':
    case 'w':
    case 'h':
      return '';
    default:
      return sound;
  }
}

const arabicScriptMap: Record<string, string> = {
  ب: 'b',
  پ: 'b',
  ت: 't',
  ٹ: 't',
  ط: 't',
  ث: 's',
  ج: 'g',
  چ: 's',
  ح: '',
  خ: 'k',
  د: 'd',
  ڈ: 'd',
  ذ: 'z',
  ر: 'r',
  ڑ: 'r',
  ز: 's',
  ژ: 's',
  س: 's',
  ش: 's',
  ښ: 's',
  ص: 's',
  ض: 'd',
  ظ: 'z',
  ع: '',
  غ: 'g',
  ف: 'f',
  ڤ: 'f',
  ق: 'k',
  ک: 'k',
  ك: 'k',
  گ: 'g',
  ګ: 'g',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ں: 'n',
  ڼ: 'n',
  ټ: 't',
  ډ: 'd',
  ړ: 'r',
  ږ: 's',
  ځ: 's',
  څ: 's',
};
const bengaliMap: Record<string, string> = {
  ক: 'k',
  খ: 'k',
  গ: 'g',
  ঘ: 'g',
  চ: 's',
  ছ: 's',
  জ: 'g',
  ঝ: 'g',
  ট: 't',
  ঠ: 't',
  ড: 'd',
  ঢ: 'd',
  ণ: 'n',
  ত: 't',
  থ: 't',
  দ: 'd',
  ধ: 'd',
  ন: 'n',
  প: 'b',
  ফ: 'f',
  ব: 'b',
  ভ: 'f',
  ম: 'm',
  র: 'r',
  ল: 'l',
  শ: 's',
  ষ: 's',
  স: 's',
  ড়: 'r',
  ঢ়: 'r',
  ৎ: 't',
};
const cyrillicMap: Record<string, string> = {
  б: 'b',
  п: 'b',
  т: 't',
  д: 'd',
  к: 'k',
  г: 'g',
  ґ: 'g',
  ф: 'f',
  в: 'f',
  с: 's',
  з: 's',
  ц: 's',
  ч: 's',
  ж: 'g',
  ш: 's',
  щ: 's',
  л: 'l',
  м: 'm',
  н: 'n',
  р: 'r',
  х: 'k',
};
/** Ge'ez rows → consonant class (the vowel order does not matter here). */
const geezMap: Record<number, string> = {
  0x1200: '',
  0x1208: 'l',
  0x1210: '',
  0x1218: 'm',
  0x1220: 's',
  0x1228: 'r',
  0x1230: 's',
  0x1238: 's',
  0x1240: 'k',
  0x1248: 'k',
  0x1250: 'k',
  0x1258: 'k',
  0x1260: 'b',
  0x1268: 'f',
  0x1270: 't',
  0x1278: 's',
  0x1280: '',
  0x1288: '',
  0x1290: 'n',
  0x1298: 'n',
  0x12a0: '',
  0x12a8: 'k',
  0x12b0: 'k',
  0x12b8: 'k',
  0x12c0: 'k',
  0x12c8: '',
  0x12d0: '',
  0x12d8: 's',
  0x12e0: 's',
  0x12e8: '',
  0x12f0: 'd',
  0x12f8: 'd',
  0x1300: 'g',
  0x1308: 'g',
  0x1310: 'g',
  0x1318: 'g',
  0x1320: 't',
  0x1328: 's',
  0x1330: 'b',
  0x1338: 's',
  0x1340: 's',
  0x1348: 'f',
  0x1350: 'b',
};
/** The syllables of {@link hanSyllables}, read back. */
const hanReading = new Map<string, string>();
for (const [syllable, chars] of Object.entries(hanSyllables)) if ([...chars].length === 1 && !hanReading.has(chars)) hanReading.set(chars, syllable);

/** Skeletons already computed: place names are read at every content load, message words repeat. */
const skeletonCache = new Map<string, string>();
const SKELETON_CACHE_MAX = 50_000;

/** The consonant skeleton of a name or a piece of text, in any of our scripts ("Tor Pignattara" → "trbntr"). */
export function skeleton(text: string): string {
  let sk = skeletonCache.get(text);
  if (sk === undefined) {
    sk = computeSkeleton(text);
    if (skeletonCache.size >= SKELETON_CACHE_MAX) skeletonCache.clear();
    skeletonCache.set(text, sk);
  }
  return sk;
}

function computeSkeleton(text: string): string {
  let out = '';
  const push = (cls: string) => {
    if (cls && out.at(-1) !== cls) out += cls;
  };
  const latin = plain(text);
  if (/[a-z]/.test(latin) && !/[^\x00-\x7f]/.test(text.normalize('NFD').replace(/[\u0300-\u036f]/g, ''))) {
    for (const s of italianSounds(latin))
      if (s.c) {
        // "ts" (Arabic تس, Persian تز) and Italian z meet as s.
        const cls = classOf(s.c);
        if (cls === 's' && out.at(-1) === 't') out = out.slice(0, -1);
        push(cls);
      }
    return out;
  }
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    let cls: string | undefined;
    if (cp >= 0x1200 && cp <= 0x137f) cls = geezMap[cp & ~7] ?? '';
    else if (arabicScriptMap[ch] !== undefined) cls = arabicScriptMap[ch];
    else if (bengaliMap[ch] !== undefined) cls = bengaliMap[ch];
    else if (cyrillicMap[ch.toLowerCase()] !== undefined) cls = cyrillicMap[ch.toLowerCase()];
    else if (hanReading.has(ch)) {
      for (const s of italianSounds(hanReading.get(ch)!.replace(/[NL]/g, (m) => (m === 'N' ? 'gn' : 'gl')))) if (s.c) push(classOf(s.c));
      continue;
    } else if (/[a-z]/i.test(ch)) cls = classOf(ch.toLowerCase() === 'c' ? 'k' : ch.toLowerCase());
    else cls = '';
    if (cls === 's' && out.at(-1) === 't') out = out.slice(0, -1);
    push(cls ?? '');
  }
  return out;
}

/** Edit distance between two short strings (skeletons, names). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
