/**
 * Every language's name in every one of our languages, and the matcher that recognises a request
 * for a language ("English please", "بالعربية", "українською", "по-русски", "en français", "中文").
 *
 * The display table started from Unicode CLDR (Intl.DisplayNames) and is kept here as data so it does
 * not depend on the ICU build a server has; a few names were corrected by hand (Tagalog, Bengali in
 * Somali). Matching adds the forms people really type: adverbs (по-русски, українською, বাংলায়,
 * ብትግርኛ), Arabic "بال…", Chinese "…文", and common spellings in Latin letters (farsi, dari, arabi).
 */
import { languageCodes } from './languages.js';
import { normalizeForMatch } from '../core/text.js';

/** `languageNames[reader][code]`: the name of language `code`, written in language `reader`. */
export const languageNames: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  it: {
    it: 'italiano',
    en: 'inglese',
    fr: 'francese',
    es: 'spagnolo',
    ar: 'arabo',
    fa: 'persiano',
    ps: 'pashto',
    ur: 'urdu',
    bn: 'bengalese',
    uk: 'ucraino',
    ru: 'russo',
    ti: 'tigrino',
    so: 'somalo',
    zh: 'cinese',
    tl: 'filippino',
    ro: 'rumeno',
  },
  en: {
    it: 'Italian',
    en: 'English',
    fr: 'French',
    es: 'Spanish',
    ar: 'Arabic',
    fa: 'Persian',
    ps: 'Pashto',
    ur: 'Urdu',
    bn: 'Bengali',
    uk: 'Ukrainian',
    ru: 'Russian',
    ti: 'Tigrinya',
    so: 'Somali',
    zh: 'Chinese',
    tl: 'Tagalog',
    ro: 'Romanian',
  },
  fr: {
    it: 'italien',
    en: 'anglais',
    fr: 'français',
    es: 'espagnol',
    ar: 'arabe',
    fa: 'persan',
    ps: 'pachto',
    ur: 'ourdou',
    bn: 'bengali',
    uk: 'ukrainien',
    ru: 'russe',
    ti: 'tigrigna',
    so: 'somali',
    zh: 'chinois',
    tl: 'filipino',
    ro: 'roumain',
  },
  es: {
    it: 'italiano',
    en: 'inglés',
    fr: 'francés',
    es: 'español',
    ar: 'árabe',
    fa: 'persa',
    ps: 'pastún',
    ur: 'urdu',
    bn: 'bengalí',
    uk: 'ucraniano',
    ru: 'ruso',
    ti: 'tigriña',
    so: 'somalí',
    zh: 'chino',
    tl: 'filipino',
    ro: 'rumano',
  },
  ar: {
    it: 'الإيطالية',
    en: 'الإنجليزية',
    fr: 'الفرنسية',
    es: 'الإسبانية',
    ar: 'العربية',
    fa: 'الفارسية',
    ps: 'البشتو',
    ur: 'الأوردية',
    bn: 'البنغالية',
    uk: 'الأوكرانية',
    ru: 'الروسية',
    ti: 'التغرينية',
    so: 'الصومالية',
    zh: 'الصينية',
    tl: 'الفلبينية',
    ro: 'الرومانية',
  },
  fa: {
    it: 'ایتالیایی',
    en: 'انگلیسی',
    fr: 'فرانسوی',
    es: 'اسپانیایی',
    ar: 'عربی',
    fa: 'فارسی',
    ps: 'پشتو',
    ur: 'اردو',
    bn: 'بنگالی',
    uk: 'اوکراینی',
    ru: 'روسی',
    ti: 'تیگرینیایی',
    so: 'سومالیایی',
    zh: 'چینی',
    tl: 'فیلیپینی',
    ro: 'رومانیایی',
  },
  ps: {
    it: 'ایټالوي',
    en: 'انګليسي',
    fr: 'فرانسوي',
    es: 'هسپانوي',
    ar: 'عربي',
    fa: 'فارسي',
    ps: 'پښتو',
    ur: 'اردو',
    bn: 'بنگالي',
    uk: 'اوکرايني',
    ru: 'روسي',
    ti: 'تيګريني',
    so: 'سومالي',
    zh: 'چیني',
    tl: 'فلیپیني',
    ro: 'رومانیایی',
  },
  ur: {
    it: 'اطالوی',
    en: 'انگریزی',
    fr: 'فرانسیسی',
    es: 'ہسپانوی',
    ar: 'عربی',
    fa: 'فارسی',
    ps: 'پشتو',
    ur: 'اردو',
    bn: 'بنگلہ',
    uk: 'یوکرینیائی',
    ru: 'روسی',
    ti: 'ٹگرینیا',
    so: 'صومالی',
    zh: 'چینی',
    tl: 'فلیپینو',
    ro: 'رومینین',
  },
  bn: {
    it: 'ইতালীয়',
    en: 'ইংরেজি',
    fr: 'ফরাসি',
    es: 'স্প্যানিশ',
    ar: 'আরবি',
    fa: 'ফার্সি',
    ps: 'পাশতু',
    ur: 'উর্দু',
    bn: 'বাংলা',
    uk: 'ইউক্রেনীয়',
    ru: 'রুশ',
    ti: 'তিগরিনিয়া',
    so: 'সোমালি',
    zh: 'চীনা',
    tl: 'ফিলিপিনো',
    ro: 'রোমানীয়',
  },
  uk: {
    it: 'італійська',
    en: 'англійська',
    fr: 'французька',
    es: 'іспанська',
    ar: 'арабська',
    fa: 'перська',
    ps: 'пушту',
    ur: 'урду',
    bn: 'бенгальська',
    uk: 'українська',
    ru: 'російська',
    ti: 'тигринья',
    so: 'сомалі',
    zh: 'китайська',
    tl: 'філіппінська',
    ro: 'румунська',
  },
  ru: {
    it: 'итальянский',
    en: 'английский',
    fr: 'французский',
    es: 'испанский',
    ar: 'арабский',
    fa: 'персидский',
    ps: 'пушту',
    ur: 'урду',
    bn: 'бенгальский',
    uk: 'украинский',
    ru: 'русский',
    ti: 'тигринья',
    so: 'сомали',
    zh: 'китайский',
    tl: 'филиппинский',
    ro: 'румынский',
  },
  ti: {
    it: 'ጥልያን',
    en: 'እንግሊዝኛ',
    fr: 'ፈረንሳይኛ',
    es: 'ስጳንኛ',
    ar: 'ዓረብኛ',
    fa: 'ፋርስኛ',
    ps: 'ፓሽቶ',
    ur: 'ኡርዱ',
    bn: 'በንጋሊ',
    uk: 'ዩክረይንኛ',
    ru: 'ሩስኛ',
    ti: 'ትግርኛ',
    so: 'ሶማሊ',
    zh: 'ቻይንኛ',
    tl: 'ፊሊፒንኛ',
    ro: 'ሩማንኛ',
  },
  so: {
    it: 'Talyaani',
    en: 'Ingiriisi',
    fr: 'Faransiis',
    es: 'Isbaanish',
    ar: 'Carabi',
    fa: 'Faarisi',
    ps: 'Bashtuu',
    ur: 'Urduu',
    bn: 'Bangaali',
    uk: 'Yukreeniyaan',
    ru: 'Ruush',
    ti: 'Tigrinya',
    so: 'Soomaali',
    zh: 'Shinees',
    tl: 'Filibiino',
    ro: 'Romanka',
  },
  zh: {
    it: '意大利语',
    en: '英语',
    fr: '法语',
    es: '西班牙语',
    ar: '阿拉伯语',
    fa: '波斯语',
    ps: '普什图语',
    ur: '乌尔都语',
    bn: '孟加拉语',
    uk: '乌克兰语',
    ru: '俄语',
    ti: '提格利尼亚语',
    so: '索马里语',
    zh: '中文',
    tl: '菲律宾语',
    ro: '罗马尼亚语',
  },
  tl: {
    it: 'Italian',
    en: 'Ingles',
    fr: 'French',
    es: 'Spanish',
    ar: 'Arabic',
    fa: 'Persian',
    ps: 'Pashto',
    ur: 'Urdu',
    bn: 'Bangla',
    uk: 'Ukrainian',
    ru: 'Russian',
    ti: 'Tigrinya',
    so: 'Somali',
    zh: 'Chinese',
    tl: 'Tagalog',
    ro: 'Romanian',
  },
  ro: {
    it: 'italiană',
    en: 'engleză',
    fr: 'franceză',
    es: 'spaniolă',
    ar: 'arabă',
    fa: 'persană',
    ps: 'paștună',
    ur: 'urdu',
    bn: 'bengaleză',
    uk: 'ucraineană',
    ru: 'rusă',
    ti: 'tigrină',
    so: 'somaleză',
    zh: 'chineză',
    tl: 'filipineză',
    ro: 'română',
  },
};

/** The name of language `code` in language `reader` (the note "This text is in …" uses it). */
export function languageName(code: string, reader: string): string {
  return languageNames[reader]?.[code] ?? languageNames.en![code] ?? code;
}

/** Forms that the table and the rules below do not produce: colloquial names, Latin spellings. */
const extraNames: Record<string, string[]> = {
  it: ['italiano', 'italiana', 'in italiano', 'litaliano', 'italian', 'italyano', 'itálico'],
  en: ['english', 'inglese', 'ingles', 'inglés', 'ingliz', 'engelsk', 'انجليزي', 'انگلیسی', 'انګلیسي', 'انگریزی', 'ইংলিশ', 'инглиш', '英文', 'engleza', 'angleza', 'ingiriis', 'af ingiriis'],
  fr: ['francais', 'français', 'french', 'فرنسي', 'فرنساوي', '法文', 'fransiis'],
  es: ['español', 'castellano', 'spanish', 'اسباني', '西班牙文'],
  ar: ['arabic', 'arabi', 'arabiya', 'al arabiya', 'عربي', 'عربى', 'بالعربي', 'العربي', 'بالعربیه', 'باللغه العربیه', '阿拉伯文', 'carabiga', 'af carabi'],
  fa: ['farsi', 'parsi', 'persian', 'dari', 'دری', 'فارسی', 'پارسی', 'بالفارسی', 'به فارسی', 'فارسي', 'فارسی دری', '波斯文', 'farsi dari'],
  ps: ['pashto', 'pashtu', 'pushto', 'pakhto', 'پښتو', 'په پښتو', 'پشتو', 'بالبشتو'],
  ur: ['urdu', 'اردو', 'اردو میں', 'بالاردو', 'بالأوردیه'],
  bn: ['bangla', 'bengali', 'bangali', 'বাংলা', 'বাংলায়', 'বাংলা ভাষা', '孟加拉文', 'bangaali'],
  uk: ['ukrainian', 'ukrainska', 'ukrainskoyu', 'ukrayinska', 'ukrainski', 'українська', 'українською', 'по українськи', 'українська мова', 'украинский', 'по украински', '乌克兰文'],
  ru: ['russian', 'russkiy', 'russkij', 'russki', 'po russki', 'русский', 'по русски', 'на русском', 'русском', 'російською', '俄文', 'ruush'],
  ti: ['tigrinya', 'tigrigna', 'tigrinia', 'tigrino', 'ትግርኛ', 'ብትግርኛ', 'tigray'],
  so: ['somali', 'soomaali', 'af soomaali', 'af somali', 'somaali', 'الصومالیه'],
  zh: ['chinese', 'mandarin', 'zhongwen', 'putonghua', 'hanyu', '中文', '汉语', '漢語', '普通话', '国语', '華語', '华语', '中国话', 'cinese'],
  tl: ['tagalog', 'filipino', 'pilipino', 'wikang tagalog', 'wikang filipino', 'tagalo'],
  ro: ['romana', 'română', 'romaneste', 'românește', 'romanian', 'limba romana', 'moldoveneasca', 'رومانی'],
};

/** Forms built from a name by the grammar of the language it is written in. */
function derivedForms(name: string, reader: string): string[] {
  const forms = [name];
  switch (reader) {
    case 'ar':
      if (name.startsWith('ال')) forms.push(`بال${name.slice(2)}`, name.slice(2), `باللغة ${name}`);
      break;
    case 'fa':
    case 'ps':
      forms.push(`بال${name}`);
      break;
    case 'uk':
      if (name.endsWith('ська')) forms.push(`${name.slice(0, -4)}ською`, `${name} мова`);
      break;
    case 'ru':
      if (name.endsWith('ский')) forms.push(`по-${name.slice(0, -4)}ски`, `${name.slice(0, -4)}ски`, `на ${name.slice(0, -4)}ском`);
      break;
    case 'bn':
      forms.push(name.endsWith('া') ? `${name}য়` : `${name}তে`, `${name} ভাষায়`);
      break;
    case 'ti':
      forms.push(`ብ${name}`);
      break;
    case 'so':
      forms.push(`af ${name}`, `af-${name}`);
      break;
    case 'zh':
      if (name.endsWith('语')) forms.push(`${name.slice(0, -1)}文`, `${name.slice(0, -1)}话`);
      break;
    case 'ro':
      forms.push(`limba ${name}`);
      break;
  }
  return forms;
}

/** Words around a language name that do not change the request ("please", "in", "speak", "به"…). */
const fillers = new Set(
  normalizeForMatch(
    [
      'please pls plz in speak speaking do you can could i want write talk language only answer reply switch to change use the me with',
      'per favore perfavore parla parli puoi scrivi scrivimi lingua voglio grazie',
      'por favor en habla hablas hablame puedes idioma quiero escribe escribeme',
      's il vous plait svp stp parle parlez vous tu peux langue je veux ecris',
      'te rog va rog vorbeste vorbiti limba vreau scrie',
      'po sa wika salita gusto ko mag',
      'fadlan ku hadal luqadda luqad',
      'пожалуйста на по говори говорите язык языке хочу можно пиши пишите',
      'будь ласка мова мовою говоріть хочу пишіть',
      'لطفا لطفاً به زبان من فضلك لو سمحت تكلم تحدث اكتب اريد باللغة اللغة صحبت کن میخواهم بنویس',
      'میں براہ کرم مہربانی بات کریں',
      'په مهرباني وکړه خبرې',
      'দয়া করে ভাষায় বলুন লিখুন',
      'በጃኻ ብ',
    ].join(' '),
  ).split(' '),
);
/** Chinese writes no spaces: these are cut from the start or end of a short request. */
const hanFillers = ['请用', '请说', '请讲', '请', '用', '说', '讲', '我要', '我想', '换成', '切换到', '改成', '可以吗', '好吗', '吧', '谢谢'];

let aliases: Map<string, string> | undefined;

/** Every accepted form, normalized, mapped to its language code. Built once. */
export function languageAliases(): Map<string, string> {
  if (aliases) return aliases;
  const map = new Map<string, string>();
  const add = (form: string, code: string) => {
    const key = normalizeForMatch(form);
    if (key && !map.has(key)) map.set(key, code);
  };
  for (const code of languageCodes) for (const form of extraNames[code] ?? []) add(form, code);
  for (const reader of languageCodes) {
    for (const code of languageCodes) for (const form of derivedForms(languageName(code, reader), reader)) add(form, code);
  }
  aliases = map;
  return map;
}

/**
 * The language a message asks for, when the whole message is a request for a language: a name in
 * any of our languages, alone or with "please", "in", "speak"… ("English please", "in italiano",
 * "en français", "بالعربية", "українською", "по-русски", "به فارسی", "请说中文"). Longer messages
 * that merely mention a language return undefined.
 */
export function requestedLanguage(text: string): string | undefined {
  const map = languageAliases();
  const norm = normalizeForMatch(text);
  if (!norm || norm.length > 50) return undefined;
  const direct = map.get(norm);
  if (direct) return direct;
  const tokens = norm.split(' ');
  if (tokens.length > 7) return undefined;
  const kept = tokens.filter((w) => !fillers.has(w));
  const rest = kept.join(' ');
  if (map.has(rest)) return map.get(rest);
  // Arabic-script prefixes glued to the name: "بالعربية", "بفارسی".
  for (const w of kept.length === 1 ? kept : []) {
    for (const prefix of ['بال', 'ب', 'به']) if (w.startsWith(prefix) && map.has(w.slice(prefix.length))) return map.get(w.slice(prefix.length));
  }
  if (/\p{Script=Han}/u.test(rest)) {
    let t = rest.replace(/ /g, '');
    for (let changed = true; changed; ) {
      changed = false;
      for (const f of hanFillers) {
        if (t.startsWith(f) && t.length > f.length) (t = t.slice(f.length)), (changed = true);
        if (t.endsWith(f) && t.length > f.length) (t = t.slice(0, -f.length)), (changed = true);
      }
    }
    return map.get(t);
  }
  return undefined;
}
