/**
 * Safety words: a curated list per language of words and phrases that mean someone may be in
 * danger (violence, exploitation, unpaid work, taken documents, threats, self-harm, medical
 * emergency). A match sends the conversation to a person at once, with top priority, and the bot
 * gives the Italian emergency numbers immediately. False positives are cheap (a person reads the
 * chat); misses are not — so the lists lean towards catching more.
 *
 * Matching: Latin and Cyrillic terms match whole words (a trailing `*` matches any ending, `*part*`
 * matches inside a word); other scripts (Arabic, Bengali, Ethiopic, Chinese) match anywhere,
 * ignoring spaces and zero-width joiners, because words attach to prefixes there. `a|b + c|d` needs
 * both parts ("took … passport"). Inflections, dialects and Latin-letter forms: `safety-more.ts`.
 * This check never depends on a model; the intent model is only a second signal on top of it
 * (`src/understand/understand.ts`).
 */
import { TextMemo } from '../core/memo.js';
import { normalizeForMatch } from '../core/text.js';
import { safetyCategories, type SafetyCategory } from './safety-categories.js';
import { benignPhrases, moreSafetyTerms } from './safety-more.js';

export { safetyCategories, type SafetyCategory };

type Lists = Partial<Record<SafetyCategory, string[]>>;

/** The curated lists, by language. Review them with native speakers; add, never just remove. */
export const safetyTerms: Record<string, Lists> = {
  en: {
    violence: ['violence', 'violent', 'beat me', 'beats me', 'beaten', 'hit me', 'hits me', 'rape', 'raped', 'abuse', 'abused', 'abusing me'],
    exploitation: ['exploited', 'exploitation', 'exploiting me', 'trafficked', 'trafficking', 'forced to work', 'forced labour', 'forced labor'],
    unpaid: ['not paid', 'unpaid', "don't pay me", 'dont pay me', "doesn't pay me", 'never paid me', 'no salary', 'no wages'],
    documents: ['took my passport', 'taken my passport', 'keeps my passport', 'kept my passport', 'took my documents', 'taken my documents', 'kept my documents', 'took my papers'],
    threats: ['threat', 'threats', 'threaten*', 'kill me', 'will kill'],
    selfharm: ['suicide', 'suicidal', 'kill myself', 'end my life', 'hurt myself', 'self harm', 'want to die'],
    medical: ['emergency', 'ambulance', 'heart attack', "can't breathe", 'cant breathe', 'cannot breathe', 'bleeding', 'unconscious', 'overdose'],
  },
  it: {
    violence: ['violenza', 'violenze', 'violento', 'mi picchia', 'mi picchiano', 'picchiato', 'picchiata', 'stupro', 'stuprata', 'stuprato', 'abuso', 'abusi', 'abusata', 'abusato'],
    exploitation: ['sfruttamento', 'sfruttato', 'sfruttata', 'vittima di tratta', 'lavoro forzato', 'costretto a lavorare', 'costretta a lavorare', 'caporale', 'caporalato'],
    unpaid: ['non mi pagano', 'non mi paga', 'non pagato', 'non pagata', 'senza paga', 'senza stipendio', 'stipendio non pagato'],
    documents: ['preso il passaporto', 'preso il mio passaporto', 'presi i documenti', 'preso i documenti', 'preso i miei documenti', 'tiene il mio passaporto', 'documenti sequestrati'],
    threats: ['minaccia', 'minacce', 'minacciato', 'minacciata', 'mi minaccia', 'mi ammazza', 'mi uccide'],
    selfharm: ['suicidio', 'suicidarmi', 'uccidermi', 'ammazzarmi', 'farla finita', 'voglio morire', 'farmi del male'],
    medical: ['emergenza', 'ambulanza', 'infarto', 'non riesco a respirare', 'non respiro', 'sanguina', 'sanguinando', 'svenuto', 'svenuta', 'overdose'],
  },
  fr: {
    violence: ['violence', 'violences', 'violent', 'me frappe', 'frappé', 'frappée', 'viol', 'violée', 'violé', 'abus', 'abusé', 'abusée'],
    exploitation: ['exploitation', 'exploité', 'exploitée', 'traite des êtres humains', 'travail forcé', 'forcé de travailler', 'forcée de travailler'],
    unpaid: ['pas payé', 'pas payée', 'ne me paie pas', 'ne me paye pas', 'ne me paient pas', 'sans salaire'],
    documents: ['pris mon passeport', 'garde mon passeport', 'pris mes papiers', 'pris mes documents', 'confisqué mes papiers', 'confisqué mon passeport'],
    threats: ['menace', 'menaces', 'menacé', 'menacée', 'me menace', 'me tuer', 'va me tuer'],
    selfharm: ['suicide', 'me suicider', 'envie de mourir', 'veux mourir', 'me faire du mal'],
    medical: ['urgence', 'ambulance', 'crise cardiaque', 'je ne peux pas respirer', 'je n arrive pas à respirer', 'saigne', 'inconscient', 'inconsciente', 'overdose'],
  },
  es: {
    violence: ['violencia', 'me pega', 'me pegan', 'golpeado', 'golpeada', 'violación', 'violada', 'violado', 'abuso', 'abusos', 'abusada', 'abusado'],
    exploitation: ['explotación', 'explotado', 'explotada', 'trata de personas', 'trabajo forzado', 'obligado a trabajar', 'obligada a trabajar'],
    unpaid: ['no me pagan', 'no me paga', 'sin pagar', 'sin sueldo', 'sin salario', 'no me han pagado'],
    documents: ['me quitaron el pasaporte', 'me quitaron los documentos', 'me quitaron los papeles', 'se quedó con mi pasaporte', 'tiene mi pasaporte'],
    threats: ['amenaza', 'amenazas', 'amenazado', 'amenazada', 'me amenaza', 'me va a matar'],
    selfharm: ['suicidio', 'suicidarme', 'matarme', 'quiero morir', 'hacerme daño'],
    medical: ['emergencia', 'ambulancia', 'infarto', 'no puedo respirar', 'sangrando', 'inconsciente', 'sobredosis'],
  },
  ar: {
    violence: ['عنف', 'يضربني', 'ضربني', 'اغتصاب', 'اغتصبني', 'تحرش'],
    exploitation: ['استغلال', 'يستغلني', 'اتجار بالبشر', 'الاتجار بالبشر', 'عمل قسري', 'اجبروني على العمل'],
    unpaid: ['لا يدفعون لي', 'لا يدفع لي', 'بدون اجر', 'لم يدفعوا لي', 'لم يعطوني راتبي'],
    documents: ['اخذوا جوازي', 'اخذ جوازي', 'اخذوا جواز سفري', 'اخذ جواز سفري', 'اخذوا اوراقي', 'اخذوا وثائقي'],
    threats: ['تهديد', 'يهددني', 'هددني', 'سيقتلني', 'يريد قتلي'],
    selfharm: ['انتحار', 'انتحر', 'اقتل نفسي', 'اريد ان اموت', 'اؤذي نفسي'],
    medical: ['طوارئ', 'اسعاف', 'نوبة قلبية', 'لا استطيع التنفس', 'نزيف', 'فاقد الوعي', 'جرعة زائدة'],
  },
  fa: {
    violence: ['خشونت', 'کتکم', 'کتک میزند', 'منو میزنه', 'تجاوز جنسی', 'به من تجاوز', 'آزار'],
    exploitation: ['بهره کشی', 'سوءاستفاده', 'سوء استفاده', 'قاچاق انسان', 'کار اجباری'],
    unpaid: ['حقوقم را نمیدهند', 'حقوقمو نمیدن', 'پولم را نمیدهند', 'پولمو نمیدن', 'بدون حقوق'],
    documents: ['پاسپورتم را گرفت', 'پاسپورتمو گرفت', 'پاسپورتم را گرفتند', 'مدارکم را گرفت', 'مدارکمو گرفتن'],
    threats: ['تهدید', 'منو میکشه', 'مرا میکشد'],
    selfharm: ['خودکشی', 'خودمو بکشم', 'خودم را بکشم', 'میخواهم بمیرم', 'میخوام بمیرم'],
    medical: ['اورژانس', 'آمبولانس', 'حمله قلبی', 'نمیتوانم نفس بکشم', 'نفسم بالا نمیاد', 'خونریزی', 'بیهوش'],
  },
  ps: {
    violence: ['تاوتریخوالی', 'تشدد', 'ما وهي', 'جنسي تیری'],
    exploitation: ['استثمار', 'انساني قاچاق', 'جبري کار'],
    unpaid: ['معاش نه راکوي', 'پیسې نه راکوي', 'مزد نه راکوي'],
    documents: ['پاسپورټ یې واخیست', 'پاسپورت یې واخیست', 'اسناد یې واخیستل'],
    threats: ['ګواښ', 'ما وژني'],
    selfharm: ['ځان وژنه', 'ځان ووژنم', 'مرګ غواړم'],
    medical: ['بیړني', 'امبولانس', 'زړه حمله', 'ساه نشم اخیستلی', 'وینه بهیږي'],
  },
  ur: {
    violence: ['تشدد', 'مارتا ہے', 'مارا پیٹا', 'زیادتی', 'ریپ'],
    exploitation: ['استحصال', 'انسانی اسمگلنگ', 'جبری مشقت'],
    unpaid: ['تنخواہ نہیں دی', 'تنخواہ نہیں دیتے', 'پیسے نہیں دیتے'],
    documents: ['پاسپورٹ لے لیا', 'پاسپورٹ رکھ لیا', 'کاغذات لے لیے'],
    threats: ['دھمکی', 'دھمکیاں', 'مار ڈالے گا'],
    selfharm: ['خودکشی', 'خود کو مار', 'مرنا چاہتا', 'مرنا چاہتی'],
    medical: ['ایمرجنسی', 'ایمبولینس', 'دل کا دورہ', 'سانس نہیں لے', 'خون بہ رہا', 'بے ہوش'],
  },
  bn: {
    violence: ['সহিংসতা', 'মারধর', 'আমাকে মারে', 'ধর্ষণ', 'নির্যাতন'],
    exploitation: ['শোষণ', 'মানব পাচার', 'জোর করে কাজ'],
    unpaid: ['বেতন দেয় না', 'টাকা দেয় না', 'বেতন দেয়নি'],
    documents: ['পাসপোর্ট নিয়ে নিয়েছে', 'কাগজপত্র নিয়ে নিয়েছে'],
    threats: ['হুমকি', 'মেরে ফেলবে'],
    selfharm: ['আত্মহত্যা', 'মরে যেতে চাই', 'নিজেকে আঘাত'],
    medical: ['জরুরি অবস্থা', 'অ্যাম্বুলেন্স', 'হার্ট অ্যাটাক', 'শ্বাস নিতে পারছি না', 'রক্তক্ষরণ', 'অজ্ঞান'],
  },
  uk: {
    violence: ['насильств*', 'насилля', 'побив*', "б'є мене", 'зґвалтув*', 'зґвалтуванн*'],
    exploitation: ['експлуатац*', 'торгівля людьми', 'торгівлі людьми', 'примусова праця', 'примусової праці'],
    unpaid: ['не платять', 'не заплатили', 'не платить', 'без зарплати'],
    documents: ['забрали паспорт', 'забрав паспорт', 'забрали документи', 'забрав документи'],
    threats: ['погрож*', 'погрози', "вб'є мене"],
    selfharm: ['самогубств*', 'вбити себе', 'хочу померти', 'зашкодити собі'],
    medical: ['швидка допомога', 'швидку допомогу', 'невідкладн*', 'серцевий напад', 'не можу дихати', 'кровотеч*', 'непритомн*', 'передозуванн*'],
  },
  ru: {
    violence: ['насили*', 'избива*', 'избил*', 'бьёт меня', 'изнасилов*'],
    exploitation: ['эксплуатац*', 'торговля людьми', 'торговли людьми', 'принудительный труд', 'принудительного труда'],
    unpaid: ['не платят', 'не заплатили', 'не платит', 'без зарплаты'],
    documents: ['забрали паспорт', 'забрал паспорт', 'забрали документы', 'забрал документы'],
    threats: ['угрож*', 'угроз*', 'убьёт меня'],
    selfharm: ['самоубийств*', 'убить себя', 'хочу умереть', 'причинить себе вред'],
    medical: ['скорая помощь', 'скорую помощь', 'неотложн*', 'сердечный приступ', 'не могу дышать', 'кровотечени*', 'без сознания', 'передозиров*'],
  },
  ti: {
    violence: ['ዓመጽ', 'ዓመፅ', 'ይወቕዓኒ', 'ይሃርመኒ', 'ጾታዊ ዓመጽ'],
    exploitation: ['ምዝመዛ', 'ዝበዝበኒ', 'ምግሕጋሕ ደቂ ሰባት'],
    unpaid: ['ደሞዝ ኣይከፈሉንን', 'ደሞዝ ኣይህቡኒን', 'ዘይተኸፍለ'],
    documents: ['ፓስፖርተይ ወሲዶም', 'ሰነዳተይ ወሲዶም'],
    threats: ['ምፍርራሕ', 'የፈራርሑኒ', 'ክቐትሉኒ'],
    selfharm: ['ርእሰ ቅትለት', 'ክሞት ደልየ', 'ነብሰይ ክቐትል'],
    medical: ['ህጹጽ', 'ኣምቡላንስ', 'ደም ይፈስሰኒ', 'ክተንፍስ ኣይከኣልኩን'],
  },
  so: {
    violence: ['rabshad', 'i garaacay', 'i garaaca', 'kufsi', 'la i kufsaday', 'xadgudub'],
    exploitation: ["ka faa'iidaysi", 'ka ganacsiga dadka', 'tahriib dad', 'shaqo qasab ah'],
    unpaid: ['lacag ima siiyaan', 'lacag ima siin', "mushahar la'aan", 'ima bixiyaan'],
    documents: ['baasaboorkaygii way qaateen', 'baasaboorkayga way qaateen', 'dukumentiyadaydii way qaateen'],
    threats: ['hanjabaad', 'i hanjabay', 'i dili doonaa'],
    selfharm: ['is dilid', 'isdilid', 'inaan is dilo', 'inaan dhinto'],
    medical: ['degdeg', 'gurmad degdeg ah', 'ambalaas', 'wadne xanuun', 'ma neefsan karo', 'dhiig bax', "miyir la'aan"],
  },
  zh: {
    violence: ['暴力', '被打', '他打我', '她打我', '强奸', '性侵', '家暴'],
    exploitation: ['剥削', '人口贩卖', '拐卖', '强迫劳动'],
    unpaid: ['不给工资', '不发工资', '拖欠工资', '没发工资', '没有工资'],
    documents: ['护照被拿走', '拿走了我的护照', '扣了我的护照', '扣押证件', '证件被扣', '护照被扣'],
    threats: ['威胁', '要杀我', '恐吓'],
    selfharm: ['自杀', '想死', '伤害自己', '不想活'],
    medical: ['紧急', '急救', '救护车', '心脏病发', '喘不过气', '不能呼吸', '流血', '昏迷', '用药过量'],
  },
  tl: {
    violence: ['karahasan', 'binubugbog', 'binugbog', 'sinasaktan ako', 'ginahasa', 'panggagahasa', 'inaabuso', 'pang aabuso'],
    exploitation: ['pinagsasamantalahan', 'human trafficking', 'trafficking', 'sapilitang trabaho'],
    unpaid: ['hindi ako binabayaran', 'hindi binayaran', 'walang sweldo', 'walang sahod'],
    documents: ['kinuha ang passport ko', 'kinuha ang pasaporte ko', 'kinuha ang mga dokumento ko', 'kinuha ang papeles ko'],
    threats: ['banta', 'pinagbabantaan', 'binantaan', 'papatayin ako'],
    selfharm: ['magpakamatay', 'pagpapakamatay', 'gusto ko nang mamatay', 'saktan ang sarili'],
    medical: ['emergency', 'ambulansya', 'atake sa puso', 'hindi makahinga', 'dumudugo', 'walang malay'],
  },
  ro: {
    violence: ['violență', 'violent', 'mă bate', 'bătut', 'bătută', 'viol', 'violată', 'abuz', 'abuzat', 'abuzată'],
    exploitation: ['exploatare', 'exploatat', 'exploatată', 'trafic de persoane', 'muncă forțată', 'obligat să muncesc', 'obligată să muncesc'],
    unpaid: ['nu mă plătesc', 'nu mă plătește', 'nu mi-au plătit', 'fără salariu', 'neplătit', 'neplătită'],
    documents: ['mi-au luat pașaportul', 'mi-a luat pașaportul', 'mi-au luat actele', 'mi-a luat actele'],
    threats: ['amenin*', 'mă omoară', 'mă omoare'],
    selfharm: ['sinucid*', 'să mă omor', 'vreau să mor', 'să îmi fac rău'],
    medical: ['urgență', 'ambulanța', 'ambulanță', 'infarct', 'nu pot respira', 'sângerez', 'sângerare', 'inconștient', 'inconștientă', 'supradoză'],
  },
};

interface Matcher {
  category: SafetyCategory;
  lang: string;
  test: (words: string, compact: string) => boolean;
}

const wordScript = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{N}\s*]+$/u;

/**
 * One alternative of a term: `word` (whole word in Latin/Cyrillic, anywhere in other scripts),
 * `word*` (a word start), `*part*` (anywhere inside a word, also across the spaces of a phrase),
 * `word* rest` (a word start inside a phrase: "lock* me" is "locks me", "locked me").
 */
function alternative(raw: string): ((padded: string, compact: string) => boolean) | undefined {
  const infix = raw.startsWith('*') && raw.endsWith('*') && raw.length > 2;
  const prefix = !infix && raw.endsWith('*');
  // `word* rest` ("lock* me", "hurt* me"): a word start inside a phrase, any ending, then the rest.
  const inner = (infix ? raw.slice(1, -1) : prefix ? raw.slice(0, -1) : raw).split('*');
  if (inner.length > 1) {
    // Each piece folded like the message, keeping the spaces around it ("lock" + " me").
    const pieces = inner.map((piece) => {
      const folded = normalizeForMatch(piece).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return folded && `${/^\s/.test(piece) ? ' ' : ''}${folded}${/\s$/.test(piece) ? ' ' : ''}`;
    });
    if (pieces.some((piece) => !piece)) return undefined;
    const re = new RegExp(`${infix ? '' : ' '}${pieces.join('\\p{L}*')}${infix || prefix ? '' : ' '}`, 'u');
    return (padded) => re.test(padded);
  }
  // Digits stand for letters in Latin-letter Arabic ("3am", "7ada"): they are kept.
  const term = normalizeForMatch(infix ? raw.slice(1, -1) : prefix ? raw.slice(0, -1) : raw);
  if (!term) return undefined;
  // Plain string searches on the padded text (" words of the message "): no regular expressions.
  if (wordScript.test(term)) {
    if (infix) return (padded) => padded.includes(term);
    const needle = prefix ? ` ${term}` : ` ${term} `;
    return (padded) => padded.includes(needle);
  }
  // A one-word term stays inside the words of the message ("قيد" is not in "القى دكتور", nor "ريپ"
  // in "چطوری پول"); a term of several words also matches written together or split differently.
  if (!/\s/.test(term)) return (padded) => padded.includes(term);
  const compact = term.replace(/\s+/g, '');
  return (_p, text) => text.includes(compact);
}

/**
 * A predicate for a list of terms in the syntax above (`word`, `word*`, `*part*`, `a|b + c|d`), for
 * other curated lists (the cues that someone asks for a person: `src/understand/cues.ts`).
 */
export function termsMatcher(terms: readonly string[]): (text: string) => boolean {
  const tests = terms.map((raw) =>
    raw.split(' + ').map((part) =>
      part
        .split('|')
        .map((a) => alternative(a.trim()))
        .filter((a): a is NonNullable<typeof a> => !!a),
    ),
  );
  const usable = tests.filter((parts) => parts.every((p) => p.length > 0));
  return (text) => {
    const words = normalizeForMatch(text);
    if (!words) return false;
    const padded = ` ${words} `;
    const compact = words.replace(/\s+/g, '');
    return usable.some((parts) => parts.every((alts) => alts.some((a) => a(padded, compact))));
  };
}

function compile(): Matcher[] {
  const out: Matcher[] = [];
  const lists = [safetyTerms, moreSafetyTerms];
  for (const source of lists) {
    for (const [lang, byCategory] of Object.entries(source)) {
      for (const [category, terms] of Object.entries(byCategory) as [SafetyCategory, string[]][]) {
        for (const raw of terms) {
          // `a|b + c|d`: every part must be there, each as one of its alternatives.
          const parts = raw.split(' + ').map((part) =>
            part
              .split('|')
              .map((a) => alternative(a.trim()))
              .filter((a): a is NonNullable<typeof a> => !!a),
          );
          if (parts.some((p) => p.length === 0)) continue;
          out.push({ category, lang, test: (words, compact) => parts.every((alts) => alts.some((a) => a(words, compact))) });
        }
      }
    }
  }
  return out;
}
const matchers = compile();
const benign = benignPhrases.map((b) => normalizeForMatch(b)).filter(Boolean);

/** Found categories per text: one message is checked up to three times in a turn, and the same words often. */
const safetyMemo = new TextMemo<{ category: SafetyCategory; lang: string } | undefined>();

/** The safety category a message falls in, if any (every language's list is checked). */
export function detectSafety(text: string): { category: SafetyCategory; lang: string } | undefined {
  const found = safetyMemo.get(text, () => checkSafety(text));
  return found && { ...found };
}

function checkSafety(text: string): { category: SafetyCategory; lang: string } | undefined {
  let words = normalizeForMatch(text);
  for (const b of benign) if (words.includes(b)) words = words.split(b).join(' ').replace(/\s+/g, ' ').trim();
  if (!words) return undefined;
  const compact = words.replace(/\s+/g, '');
  const padded = ` ${words} `;
  for (const m of matchers) if (m.test(padded, compact)) return { category: m.category, lang: m.lang };
  return undefined;
}
