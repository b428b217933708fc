/**
 * Cues that someone asks for a person (a facilitator, an operator, "a real human", "call me"), in
 * every language and as people type them in Latin letters. The intent model reads most of these
 * requests; the cues catch the ones it reads as something else ("not a machine" read as `other`),
 * because a missed request for a person is a person left alone with a bot. Term syntax: see
 * `src/handoff/safety.ts` (`word`, `word*`, `*part*`, `a|b + c|d`).
 */
import { termsMatcher } from '../handoff/safety.js';

export const humanCues: Record<string, string[]> = {
  en: ['real person', 'real human', 'a human', 'human being', 'talk to someone', 'speak to someone', 'talk with someone', 'speak with someone', 'talk to somebody', 'talk to a person', 'speak to a person', 'an operator', 'counsellor', 'counselor', 'not a bot', 'not a robot', 'not a machine', 'someone from your team', 'somebody from your team', 'yarn with', 'anybody there', 'anyone there', 'is anyone there', 'somebody there', 'explain my situation to someone', 'explain my situation to somebody', 'number of someone', 'contact of someone', 'a woman to call me', 'woman call me'],
  it: ['persona vera', 'persona reale', 'un umano', 'un essere umano', 'parlare con qualcuno', 'parlare con una persona', 'operatore', 'operatrice', 'non un robot', 'non un bot', 'c è qualcuno', 'ce qualcuno', 'c e qualcuno', 'spiegare la mia situazione a qualcuno', 'numero di qualcuno', 'numero di telefono di qualcuno', 'contatto di qualcuno'],
  fr: ['vraie personne', 'personne réelle', 'un humain', 'être humain', 'parler à quelqu', 'parler a quelqu', 'parler avec quelqu', 'parler à une personne', 'parler a une personne', 'un conseiller', 'une conseillère', 'un opérateur', 'pas un robot', 'pas un bot', 'il y a quelqu un', 'y a quelqu un', 'ya quelqu un', 'expliquer ma situation à quelqu', 'expliquer ma situation a quelqu', 'on peut m appeler', 'quelqu un peut m appeler'],
  es: ['persona real', 'un humano', 'ser humano', 'hablar con alguien', 'hablar con una persona', 'un operador', 'una operadora', 'no un robot', 'no un bot', 'hay alguien', 'explicar mi situación a alguien', 'explicar mi situacion a alguien', 'alguien me puede llamar'],
  ro: ['om real', 'persoana reala', 'persoană reală', 'un om', 'vorbesc cu cineva', 'vorbesc cu un om', 'operator', 'nu robot', 'e cineva acolo', 'este cineva acolo', 'explic situatia mea cuiva', 'explic situația mea cuiva'],
  ru: ['живым человеком', 'живой человек', 'с человеком', 'оператор*', 'не бот', 'не робот', '*s chelovekom*', '*zhivym chelovekom*', 'есть кто', 'кто-нибудь есть', 'кто нибудь есть', 'кому-то объяснить', 'кому то объяснить', 'контакт кого-то', 'контакт кого то', 'объяснить свою ситуацию', '*est kto*'],
  uk: ['живою людиною', 'жива людина', 'з людиною', 'оператор*', 'координатор*', 'не бот', 'не робот', '*z lyudynoyu*', '*zhyvoyu lyudynoyu*', 'є хтось', 'хтось є', 'комусь пояснити', 'пояснити свою ситуацію', 'пояснити мою ситуацію', 'контакт когось'],
  ar: ['شخص حقيقي', 'انسان حقيقي', 'بني ادم', 'بنادم', 'مش روبوت', 'احكي مع حدا', 'احكي مع شخص', 'اكلم حد', 'اكلم شخص', 'اتكلم مع حد', 'احجي ويا', 'نحكي مع', 'نهضر مع', '*7ki ma3*', '*e7ki ma3*', '*a7ki ma3*', '*nahki m*', '*n7ki m*', '*nhder m3a*', '*nhdar m3a*', '*akalem*', '*akallem*', '*nkalem*', '*mouch machine*', '*mish robot*', '*mesh robot*', '*insan 7a2i2i*', '*3abd mouch*', '*ma3 3abd*', '*m3a 3abd*', '*ma3 insan*', '*m3a insan*', '*ma3 shakhs*', '*m3a shakhs*', '*ma3 7ada*', '*m3a 7ada*', '*m3a chi wa7ed*', '*m3a chi 7ad*', 'اشرح وضعي', 'احكي وضعي', 'احد موجود', 'في حدا', '*nchar7 wadh3i*', '*nshra7 wad3i*', '*ashra7 wad3i*', '*nchra7 wad3i*', '*fi 7ada*'],
  fa: ['آدم واقعی', 'ادم واقعی', 'انسان واقعی', 'یک آدم', 'با یکی', 'با یک نفر', 'با کسی صحبت', 'با کسی حرف', 'ربات نه', '*adam vaghei*', '*adam vagheyi*', '*ba yeki harf*', '*ba yeki az*', '*ba ye nafar*'],
  ps: ['انسان سره', 'فسیلیټېټر سره', 'سره خبرې غواړم', 'کس سره خبرې', 'چا سره خبرې', 'روبوټ نه', 'روبوت نه', '*saray pakar*', '*insan ghwaram*', '*khabare wakram*', 'وخت اخیستل + ټیم|چا|کس|سره', '*khpal haal* + *wawayam*|*wayam*|*chaa ta*'],
  ur: ['انسان سے بات', 'بندے سے بات', 'کسی سے بات', 'آدمی سے بات', 'روبوٹ نہیں', '*insaan se baat*', '*insan se baat*', '*banday se baat*', '*bande se baat*', '*kisi se baat*', '*robot nahi*', '*baat karwa*'],
  bn: ['মানুষের সাথে কথা', 'কারো সাথে কথা', 'কারও সাথে কথা', 'রোবট না', '*manusher sathe*', '*manuser sathe*', '*karo sathe kotha*', '*robot na*', '*manush chai*', 'কেউ আছেন', 'কেউ আছে?', 'keu achen', 'keu ache?'],
  so: ['qof dhab ah', 'qof bani', 'la hadlo qof', 'la hadli karo', 'ma aha robot', 'qof ila hadla', 'ballan + kooxda|qof|shaqaalaha', 'qof ma joogaa', 'qof ma jiraa'],
  ti: ['ምስ ሰብ', 'ሰብ እደሊ', 'ሮቦት ኣይ', '*ms seb*', '*mis seb*', '*seb delye*', '*seb idelli*', 'ሰብ ሃበኒ', 'ሰብ ኣሎ ዶ', 'ሰብ ክረኽብ', '*sb alo*', '*seb alo*', '*dewilulay*', '*dewluley*'],
  zh: ['真人', '人工', '客服', '不要机器人', '跟人聊', '和人聊', '跟人说话', '和人说话', '有人吗', '有没有人', '有人在吗', 'you ren ma', '约个时间', 'yue ge shijian', 'yue ge shi jian'],
  tl: ['makausap ang tao', 'makausap ng tao', 'totoong tao', 'tao po', 'kausapin', 'makausap', 'hindi robot', 'di robot', 'tumawag sakin', 'tumawag sa akin', 'may tao ba'],
};

/** Asking to be called back: a person too, but beside an unrelated question it is contact details, not the request. */
export const callbackCues: Record<string, string[]> = {
  en: ['call me', 'ring me', 'phone me', 'person call me'],
  it: ['mi chiam*', 'chiamatemi'],
  fr: ['appelez moi', 'appelle moi', 'rappelez moi'],
  es: ['llamame', 'llámame', 'llamarme'],
  ro: ['sunati-ma', 'sunați-mă', 'sa ma sune', 'să mă sune'],
  ru: ['позвоните мне', 'перезвоните', '*pozvonite mne*'],
  uk: ['зателефонуйте', 'подзвоніть', '*podzvon*'],
  ar: ['اتصل فيني', 'اتصلوا بي', 'يتصل بي', 'كلموني', '*yetasel fi*', '*ttasel fi*'],
  fa: ['زنگ بزن', 'به من زنگ', '*zang bezan*'],
  ps: ['زنګ ووه', 'زنګ راته', '*zang rata*'],
  ur: ['کال کر', 'فون کر', '*call kar*', '*phone kar*'],
  bn: ['ফোন দিন', 'ফোন করুন', '*phone dite*', '*phone diben*', '*call diben*'],
  so: ['ii soo wac'],
  ti: ['ክድውለለይ', 'ደውሉለይ'],
  zh: ['打电话给我', '给我打电话'],
  tl: ['tawagan'],
};

const person = termsMatcher(Object.values(humanCues).flat());
const callback = termsMatcher(Object.values(callbackCues).flat());

/**
 * Whether a message asks for a person: `'person'` for a cue that names one ("a real person", "not a
 * machine"), `'callback'` for a request to be called, undefined for neither.
 */
export function asksForPerson(text: string): 'person' | 'callback' | undefined {
  return person(text) ? 'person' : callback(text) ? 'callback' : undefined;
}
