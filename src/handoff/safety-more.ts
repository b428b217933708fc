/**
 * Safety terms beyond the curated base list (`safety.ts`): inflections (singular, plural, feminine,
 * past), dialects (Levantine, Iraqi, Gulf, Egyptian, Maghrebi Arabic; Dari), colloquial registers,
 * and the languages as people type them in Latin letters (Arabic with digits for letters, Finglish,
 * Roman Urdu, Banglish, Latin Tigrinya, Pashto, Russian/Ukrainian translit, Nigerian Pidgin).
 *
 * Term syntax (see `safety.ts` for matching): `word` (a whole word in Latin/Cyrillic, anywhere in
 * other scripts), `word*` (a word start), `*part*` (anywhere inside a word), and `a|b + c|d` (both
 * parts present, each one of its alternatives) for things said in two pieces ("took … passport").
 * Lean towards catching more: a false alarm costs a facilitator a minute, a miss can cost a life.
 */
import type { SafetyCategory } from './safety-categories.js';

/**
 * Harmless words that contain a safety term (matching in Arabic script, Bengali and Ge'ez ignores
 * word boundaries): removed from a message before the terms are matched. Pashto "پوهیږم" (I
 * understand) holds "وهي" (hits), "زنګ ووهئ" (call me) holds it too; Bengali "লিখুন" (write) holds
 * "খুন" (murder); Pashto "ازموینه" (exam) holds "وینه" (blood); "no wahala" (no problem).
 */
export const benignPhrases: string[] = [
  'پوهی', 'پوهې', 'پوهیږ', 'پوهېږ', 'زنګ ووه', 'زنګ راته ووه', 'زنګ ماته ووه', 'زنګ را ووه', 'زنگ ووه', 'زنګ وهل', 'زنګ وهلی', 'زنګ وهلای', 'زنګ ووهل', 'زنگ وهل', 'زنگ زد', 'ازموینه', 'آزموینه',
  'پیغامونه بند', 'پیغام بند', 'میسج بند', 'بند کرو', 'بند کریں',
  'লিখুন', 'লিখেন', 'wahala', 'enfermo', 'enferma', 'enfermos', 'enfermedad', 'enfermero', 'enfermera',
];

type Lists = Partial<Record<SafetyCategory, string[]>>;

export const moreSafetyTerms: Record<string, Lists> = {
  en: {
    violence: ['pay rent with favours|pay the rent with favours|pay rent with favors|pay the rent with favors|pay in kind|favours for the rent|favors for the rent', 'sleep with him or', 'grabbing me', 'grabs me', 'touching me', 'touches me', 'comes into the bathroom', 'tried to get into my room', 'black eye', 'bruises', 'strangled', 'choked me', 'chokes me', 'beat*', 'beating me', 'hitting me', 'hit her', 'hits her', 'punch*', 'slap*', 'kick* me', 'hurt* me', 'hurting her', 'molest*', 'assault*', 'sexual*', 'touched me', 'touch me', 'forces me to sleep', 'force me to sleep', 'domestic violence', 'hurting me', 'hurts me', 'hurting us', 'someone is hurting'],
    exploitation: ['takes all my money', 'takes all her money', 'takes all our money', 'takes all his money', 'decides where i go', 'decides where she goes', 'if we run away|if i run away|if we escape|if i escape|if she runs away', 'says i owe him', 'says we owe him', 'says she owes him', 'work for food', 'only gives us food', "cant leave the farm|cannot leave the farm|can't leave the farm|not allowed to leave", 'slave*', 'sold me', 'sells women', 'owe him', 'owe them', 'debt bondage', 'caporal*', 'forced to', 'force me to work', 'forces me to work', 'make me work for free', 'lock* me', 'locked me', 'locked in', "won't let me leave", 'not let me leave', 'cannot leave', "can't leave", 'cant go out', "can't go out", 'not allowed to go out', 'took my phone', 'take my phone', "won't let me go", 'wont let me go', 'dont let me go', "don't let me go", 'work for nothing', 'pay back the debt', 'pay him back'],
    unpaid: ['not a single euro|not one euro|not even one euro|not even a euro|not a cent|not one cent|not even a cent|zero euro*|no money at all|nothing at all + work*|months|weeks|boss|employer|job|shift*', "haven't been paid", 'have not been paid', 'not been paid', "didn't pay me", 'did not pay me', 'no pay', 'without pay', 'for free every', 'keeps my salary', 'kept my salary', 'withhold* my'],
    documents: ['passport*|papers|document*|permesso|id card + took|taken|take|keeps|kept|keep|holding|holds|hold|seized|seize|lock|locked|locks|hide|hid|hidden|confiscat*|won t give|wont give|will not give', 'id|residence permit|work permit + took|keeps|kept|holds|confiscat*'],
    threats: ['call immigration on me', 'calls immigration on me', 'my photos|my pictures|my pics|photos of me|pictures of me|pics of me|my videos + send|share|post|spread|publish|show|family|money', 'report me to the police', 'call the police on me', 'calls the police on me', 'report me to immigration', 'get me deported', 'have me deported', 'if i complain', 'if i say something he', 'threat*', 'going to kill', 'gonna kill', 'wants to kill', 'kill us', 'kill her', 'kill my', 'death threat*', 'stalk*', 'following me', 'followed me', 'blackmail*', 'scared he', 'afraid he', 'scared of him', 'afraid of him', 'not safe', 'in danger', 'danger', 'report me to police', 'report me to the police', 'call the police on me', 'get me deported', 'deport me', 'send me back'],
    selfharm: ['sleep forever', 'not wake up', 'never wake up', "don't want to wake up", 'dont want to wake up', 'said goodbye to everyone', 'no reason to live', 'no reason to go on', 'no point living', 'no point in living', 'better off without me', 'nobody would care if i', 'no one would care if i', 'end it all', 'collected pills|saved up pills|stockpiled pills|saving pills', 'kill myself', 'end it all', 'end my life', 'ending my life', 'take my life', 'want to die', 'wanna die', 'better off dead', "don't want to live", 'dont want to live', 'no reason to live', 'cut myself', 'cutting myself', 'suicid*', 'overdos*', 'dont want to be alive', "don't want to be alive", 'no point living', 'tired of living', 'tired of life', 'give up on life', 'rather be dead', 'not want to live', "can't go on", 'cant go on', 'cannot go on', 'ending everything', 'end everything', 'no sense living', 'no point in living'],
    medical: ['swallowed + pills|tablets|medicine|bleach|detergent|poison|battery|chemical*', 'drank + bleach|cleaning|detergent|chemical*|poison', 'chest pain', 'pain in my chest', 'chest hurts', 'short of breath', 'cant catch my breath', "can't catch my breath", 'arm is numb', 'arm went numb', 'not breathing', 'stopped breathing', "isn't breathing", 'not waking up', 'wont wake up', "won't wake up", 'fainted', 'collapse*', 'not breathing well', "can't breathe", 'seizure', 'stroke', 'lots of blood', 'a lot of blood', 'bleeding', 'chest pain', 'poison*', 'ambulance', 'emergency'],
  },
  'en-pcm': {
    violence: ['dey beat me', 'dey beat am', 'beat me well well', 'dey slap me', 'dey touch me', 'oga dey beat', 'madam dey beat'],
    exploitation: ['dem sell me', 'dem carry me come', 'dem lock me', 'no let me comot', 'i no fit comot', 'work for free'],
    unpaid: ['no pay me', 'no dey pay', 'dem no pay', 'e no pay me', 'una no pay', 'never pay me', 'hold my money', 'hold my salary', 'dem no pay me', 'no pay me'],
    medical: ['no dey breathe', 'e no dey breathe', 'collapse*', 'faint*', 'blood dey', 'dey bleed'],
    documents: ['passport*|papers|document* + collect|seize|hold|hide|keep|take|lock|don take|don collect'],
    threats: ['wan kill me', 'go kill me', 'dem wan kill', 'e wan kill', 'dey threaten', 'go report me', 'report me for police', 'carry me go police', 'go deport me'],
    selfharm: ['wan die', 'i no wan live', 'make i die', 'kill myself', 'i no wan live again', 'tire for life', 'make i just die'],
  },
  it: {
    violence: ['occhio nero', 'lividi', 'si sentivano colpi', 'mi ha messo le mani addosso', 'mette le mani addosso', 'mi tocca', 'affitto in natura', 'andare a letto con lui', 'picchia*', 'mi pesta', 'mi menano', 'mi mena', 'botte', 'mi prende a schiaffi', 'schiaff*', 'violentat*', 'mi tocca', 'molest*', 'aggredit*', 'aggression*', 'mi fa del male', 'ci fa del male'],
    exploitation: ['prende tutti i soldi', 'mi prende tutti i soldi', 'dice che gli devo', 'debito per il viaggio', 'se scappiamo', 'se scappo', 'lavorare per mangiare', 'sfruttat*', 'schiav*', 'mi tengono chiusa', 'mi tengono chiuso', 'chius* in casa', 'non mi fanno uscire', 'non posso andare via', 'debito con', 'gli devo', 'costrett*', 'non mi lasciano uscire', 'mi ha preso il telefono', 'lavoro nei campi e non', 'lavorare gratis', 'mi costringono', 'mi costringe', 'mi obbliga', 'mi obbligano'],
    unpaid: ['neanche un euro|nemmeno un euro|manco un euro|neppure un euro|neanche un centesimo|manco un centesimo|nemmeno un centesimo|zero euro + lavor*|mesi|settimane|capo|padrone|datore', 'non mi paga*', 'non ci paga*', 'non pagat*', 'non mi hanno pagat*', 'senza soldi da mesi', 'lavoro gratis', 'non mi da i soldi', 'non mi dà i soldi'],
    documents: ['passaporto|documenti|permesso|carta d identita + preso|tolto|tiene|tengono|sequestrat*|ritirat*|non mi rid*|non me li rid*'],
    threats: ['se mi lamento', 'se protesto', 'se mi lamento mi', 'mi denuncia', 'mi denuncerà', 'mi fa espellere', 'mi fa rimpatriare', 'mi fa cacciare dall italia', 'minacc*', 'ammazz*', 'uccider*', 'mi uccide', 'ho paura di lui', 'ho paura che torni', 'in pericolo', 'perseguit*', 'mi segue', 'ricatt*', 'mi denuncia', 'mi denunciano', 'mi fa espellere', 'mi fa rimpatriare', 'mi rimanda al mio paese'],
    selfharm: ['non svegliarmi più', 'non svegliarmi piu', 'dormire per sempre', 'nessuno sentirebbe la mia mancanza', 'non ha più senso vivere', 'non ha piu senso vivere', 'non vedo più un senso', 'non vedo piu un senso', 'suicid*', 'farla finita', 'voglio morire', 'non voglio più vivere', 'non voglio piu vivere', 'togliermi la vita', 'farmi del male', 'tagliarmi', 'non ce la faccio piu a vivere', 'non voglio vivere', 'stanco di vivere', 'stanca di vivere', 'meglio morto', 'meglio morta', 'mi faccio del male', 'mi taglio', 'senso vivere', 'senso di vivere', 'non ha piu senso'],
    medical: ['ha mangiato le pastiglie', 'ha mangiato + pastiglie|pillole|medicine|farmaci', 'ha ingoiato', 'ingerito', 'ha bevuto + candeggina|varechina|detersivo|ammoniaca', 'dolore al petto', 'male al petto', 'non riesce a respirare', 'manca il fiato', 'non respira', 'svenut*', 'perde sangue', 'sangue', 'emorragi*', 'infarto', 'ictus', 'convulsion*', 'avvelenat*', 'incosciente', 'ambulanza', 'emergenza', 'pronto soccorso'],
  },
  fr: {
    violence: ['si je couche pas avec lui', 'coucher avec lui', 'me touche', 'oeil au beurre noir', 'des bleus', 'frapp*', 'me bat', 'bat ma', 'coups', 'gifl*', 'agress*', 'attouch*', 'me touche', 'me fait du mal', 'nous fait du mal', 'maltrait*', 'forcé*|forcée*|obligé* + coucher|sexe|relation'],
    exploitation: ['prend tout mon argent', 'dit que je lui dois', 'si on s enfuit', 'si je m enfuis', 'exploit*', 'esclav*', 'enferm*', 'séquestr*', 'sequestr*', 'je ne peux pas partir', 'je dois de l argent', 'dette', 'forcé', 'forcée', 'oblig*', 'm a forcée', 'm a forcé', "m'a forcée", "m'a forcé", 'me forcent', 'me force à', 'm oblige', 'm obligent'],
    unpaid: ['pas un euro|pas un centime|même pas un euro|meme pas un euro|même pas un centime|meme pas un centime|aucun euro|zéro euro|zero euro + travail*|travaille*|mois|semaines|patron|employeur', 'pas payé', 'pas payée', 'pas payés', 'pas payées', 'pas paye', 'pas payee', 'pas payes', 'pas payees', 'ne me paie', 'ne me paye', 'ne nous paie', 'jamais payé', 'sans salaire', 'travaille gratuitement'],
    documents: ['passeport*|papier*|document*|titre de séjour|titres de séjour|carte d identité + pris|prend|garde|gardé|confisqu*|retenu|rend pas|rendre'],
    threats: ['appelle la questura', 'appeler la questura', 'dire que je suis sans papiers', 'si je me plains', 'si je me plaint', 'me dénoncer', 'me denoncer', 'me dénoncer à la police', 'appeler la police sur moi', 'me faire expulser', 'me faire renvoyer dans mon pays', 'menac*', 'tuer', 'me tuer', 'nous tuer', 'la tuer', 'peur de lui', 'en danger', 'harcel*', 'me suit', 'chantage', 'me dénoncer', 'me denoncer', 'me dénonce', 'me denonce', 'me faire expulser', 'me renvoyer au pays', 'peur qu il revienne', "peur qu'il revienne", 'peur de lui'],
    selfharm: ['plus envie de vivre', 'dormir pour toujours', 'ne plus me réveiller', 'ne plus me reveiller', 'personne ne remarquerait', 'suicid*', 'mourir', 'en finir', 'me tuer', 'plus envie de vivre', 'mettre fin à mes jours', 'me faire du mal', 'me couper', 'plus vivre', 'envie de rien', 'marre de vivre', 'fatigué de vivre', 'fatiguée de vivre'],
    medical: ['a avalé + médicaments|medicaments|cachets|pilules|javel|produit', 'a avale + medicaments|cachets|pilules|javel|produit', 'a bu + javel|produit ménager|produit menager', 'douleur à la poitrine', 'douleur a la poitrine', 'mal à la poitrine', 'mal a la poitrine', 'respire plus', 'respire pas', 'évanoui*', 'evanoui*', 'saign*', 'crise cardiaque', 'avc', 'convulsion*', 'empoisonn*', 'inconscient*', 'ambulance', 'urgence*', 'samu'],
  },
  es: {
    violence: ['mensajes asquerosos', 'intentó entrar a mi cuarto', 'intento entrar a mi cuarto', 'me manosea', 'ojo morado', 'moretones', 'acostarme con el', 'acostarme con él', 'golpe*', 'me pega*', 'nos pega', 'le pega', 'pegó', 'pego', 'viola*', 'abus*', 'agred*', 'maltrat*', 'me toca', 'me hace daño', 'me hacen daño', 'me empuja', 'me empujan', 'me grita y me'],
    exploitation: ['se queda con todo mi dinero', 'me quita todo el dinero', 'dice que le debo', 'si me escapo', 'si nos escapamos', 'explot*', 'esclav*', 'encerrad*', 'me encierra*', 'no me dejan salir', 'no puedo irme', 'le debo', 'deuda', 'obligad*', 'obligan', 'no me deja salir', 'no me dejan salir', 'no me deja irme'],
    unpaid: ['ni un euro|ni un centimo|ni un céntimo|ni un peso|ni un duro|cero euros|ni un sol + trabaj*|meses|semanas|jefe|patrón|patron|patrona', 'no me paga*', 'no nos paga*', 'no me han pagado', 'no me pagaron', 'sin pago', 'sin sueldo', 'sin salario', 'trabajo gratis', 'me deben'],
    documents: ['pasaporte|papeles|documentos|permiso|dni + quit*|quedó|quedo|quedaron|tiene|retien*|guard*|no me devuelve*|no me los devuelve*'],
    threats: ['si me quejo', 'me va a denunciar', 'me denuncia a la policía', 'me denuncia a la policia', 'llamar a la policía si', 'me hace deportar', 'me va a hacer deportar', 'amenaz*', 'matar*', 'matarme', 'me va a matar', 'me quiere matar', 'miedo de que vuelva', 'tengo miedo de él', 'en peligro', 'acos*', 'me sigue', 'chantaj*', 'me denuncia', 'me va a denunciar', 'me van a deportar', 'hacerme deportar'],
    selfharm: ['ya no quiero seguir', 'a nadie le importaria si', 'a nadie le importaría si', 'no despertar', 'dormir para siempre', 'no tiene sentido vivir', 'suicid*', 'morir', 'matarme', 'quitarme la vida', 'no quiero vivir', 'hacerme daño', 'cortarme', 'ya no quiero vivir', 'no quiero seguir viviendo', 'cansado de vivir', 'cansada de vivir', 'mejor muerto', 'mejor muerta'],
    medical: ['se tomó las pastillas', 'se tomo las pastillas', 'se trago', 'se tragó', 'tomó|tomo|bebió|bebio + lejía|lejia|cloro|detergente', 'dolor en el pecho', 'me duele el pecho', 'no respira', 'desmay*', 'sangr*', 'infarto', 'convulsion*', 'envenen*', 'inconsciente', 'ambulancia', 'emergencia', 'urgencia*', 'no respira bien', 'se desmayo', 'se desmayó'],
  },
  ro: {
    violence: ['plati chiria altfel', 'plătesc chiria altfel', 'platesc chiria altfel', 'a intrat cu cheia lui', 'ochi vanat', 'ochi vânăt', 'vânătăi', 'vanatai', 'mă bate', 'ma bate', 'ne bate', 'o bate', 'bătut*', 'batut*', 'lovit*', 'mă lovește', 'ma loveste', 'violat*', 'violul', 'abuz*', 'agresat*', 'îmi face rău', 'imi face rau', 'ne face rău', 'ne face rau'],
    exploitation: ['ii ia toti banii', 'îi ia toți banii', 'imi ia toti banii', 'îmi ia toți banii', 'o pune sa stea cu clientii', 'daca fugim', 'dacă fugim', 'daca fug', 'exploat*', 'sclav*', 'încuiat*', 'incuiat*', 'închisă', 'inchisa', 'nu mă lasă să plec', 'nu ma lasa sa plec', 'datori*', 'obligat*', 'forțat*', 'fortat*'],
    unpaid: ['niciun euro|nici un euro|nici un ban|niciun ban|zero euro + munc*|lun*|saptaman*|săptămân*|sef*|șef*|patron*', 'nu ne-a plătit', 'nu ne a platit', 'nu ne-au plătit', 'nu ne au platit', 'nu i-a plătit', 'nu mă plătește', 'nu ma plateste', 'nu mă plătesc', 'nu ma platesc', 'nu mi-a plătit', 'nu mi-a platit', 'nu mi au platit', 'neplătit*', 'neplatit*', 'fără bani', 'fara bani', 'fara salariu', 'lucrez fara bani', 'lucrez fără bani', 'nu primesc bani', 'nu mi da banii', 'nu îmi dă banii', 'nu imi da banii', 'nu mi-a dat banii', 'nu mi a dat banii', 'nu mi-au dat salariul', 'nu mi au dat salariul', 'nu mi-a dat salariul', 'nu mi a dat salariul'],
    documents: ['pașaport*|pasaport*|actele|buletin*|documentele + luat|ține|tine|păstrează|pastreaza|confiscat*|nu mi le da|nu mi-l da'],
    threats: ['daca ma plang', 'dacă mă plâng', 'ma denunta', 'mă denunță', 'ma da pe mana politiei', 'mă dă pe mâna poliției', 'amenin*', 'omoar*', 'omor*', 'mi-e frică de el', 'mi e frica de el', 'în pericol', 'in pericol', 'hărțu*', 'hartu*', 'șantaj*', 'santaj*', 'ma ameninta', 'mă amenință', 'ma denunta', 'mă denunță', 'frică să nu se întoarcă', 'frica sa nu se intoarca', 'mi e frica de el', 'mi-e frică de el'],
    selfharm: ['sa nu ma mai trezesc', 'să nu mă mai trezesc', 'nu mai are rost sa traiesc', 'sinucid*', 'vreau să mor', 'vreau sa mor', 'nu mai vreau să trăiesc', 'nu mai vreau sa traiesc', 'să mă omor', 'sa ma omor', 'să îmi fac rău', 'sa imi fac rau', 'nu mai vreau sa traiesc', 'nu mai vreau să trăiesc', 'm am saturat de viata', 'm-am săturat de viață', 'nu mai pot trai', 'nu mai pot trăi', 'rost sa traiesc', 'rost să trăiesc', 'nu mai are rost'],
    medical: ['a inghitit', 'a înghițit', 'durere in piept', 'durere în piept', 'ma doare pieptul', 'mă doare pieptul', 'nu respiră', 'nu respira', 'leșinat*', 'lesinat*', 'sânger*', 'sanger*', 'sânge', 'sange', 'infarct', 'atac cerebral', 'convulsi*', 'otrăvit*', 'otravit*', 'inconștient*', 'inconstient*', 'ambulanț*', 'ambulant*', 'urgență', 'urgenta'],
  },
  ar: {
    // Arabic script matches anywhere (words take prefixes and suffixes): stems catch the inflections.
    violence: ['ضرب', 'يضرب', 'بيضرب', 'كيضرب', 'عم يضرب', 'يعنف', 'عنف', 'اعتدى', 'اعتداء', 'تحرش', 'اغتصب', 'يأذيني', 'يأذيني', 'يؤذيني', 'يأذي', 'بهدلني', 'يلمسني', 'لمسني'],
    exploitation: ['استغل', 'اتجار', 'بيعوني', 'باعوني', 'محبوس', 'حابسيني', 'حبسوني', 'قافلين علي', 'ما بيخلوني اطلع', 'مش مخليني اطلع', 'ما يخلوني اطلع', 'غصب عني', 'بالغصب', 'بالقوة', 'مجبرني', 'يجبرني', 'يجبروني', 'اجبروني', 'بيشغلوني ببلاش', 'سخرة', 'كفيل', 'يجبروني', 'بيجبروني', 'بجبروني', 'مجبورة', 'مجبور', 'ما بيخلوني', 'ما خلوني اطلع', 'ماخذين تلفوني', 'اخذ تلفوني', 'بدون معاش', 'يستغل', 'بيستغل', 'عم يستغل', 'غصب', 'ساحب', 'ما بيخليها تطلع', 'ما بيخليني اطلع', 'مابيخليني اطلع'],
    unpaid: ['ولا يورو|ولا قرش|ولا مليم|ولا فلس|ولا ليرة|ولا سنت|ولا جنيه + اشتغل|بشتغل|شغال|شغل|نشتغل|خدمت|نخدم|شهور|شهر|اسابيع|اسبوع', 'ما خدت فلوس', 'ما خدتش فلوس', 'ماخدتش', 'مخدتش', 'مبيدفعش', 'مش بيدفع', 'مش بيديني', 'مبيدينيش', 'ما قبضتش', 'مقبضتش', 'ما دفعلي', 'ما دفعولي', 'مادفعلي', 'ما عم يدفع', 'ما بيدفع', 'لا يدفع', 'لم يدفع', 'ما عطاني', 'ما عطوني', 'ما اعطاني', 'ما قبضت', 'ماقبضت', 'ما خلصني', 'ماخلصني', 'ماخلصونيش', 'مكيخلصونيش', 'ما يخلصني', 'ما استلمت راتب', 'بدون راتب', 'بدون معاش', 'بلا خلاص', 'حقي ما اعطاني', 'ما يدفعلي', 'ما بيدفعلي', 'ما عم يدفعلي', 'ما يعطيني راتبي', 'ما اعطاني راتبي', 'ما قبضت راتبي', 'بدون راتب', 'بلا راتب', 'ما خذيت راتبي'],
    documents: ['جواز|باسبور|باسپور|اوراقي|وثائقي|اقامتي|هويتي|الاوراق|الباسبور|البطاقة + اخذ|اخد|خذا|خاذ|ماسك|مسك|حاجز|حجز|سحب|شال|محتفظ|خبا|مخبي|ما رجع|مش راضي يرجع'],
    threats: ['يبلغ علي', 'بلغ عليا', 'يسلمني للشرطة', 'يسلمني للبوليس', 'يشتكي علي', 'لو اشتكيت', 'اذا اشتكيت', 'إذا اشتكيت', 'ان اشتكيت', 'هدد', 'تهديد', 'يهدد', 'قتل', 'يقتل', 'بيقتل', 'يذبح', 'يدبح', 'ذبح', 'خايفة منه', 'خايف منه', 'خايفة يرجع', 'بخطر', 'في خطر', 'خطر علي', 'يلاحقني', 'لاحقني', 'يبتزني', 'ابتزاز', 'بيبلغ عني', 'يبلغ عني', 'يبلغ الشرطة', 'يرحلني', 'يسفرني', 'خايف على حياتي', 'خايفة على حياتي', 'بدو يدبحني', 'بدو يقتلني'],
    selfharm: ['انتحر', 'انتحار', 'انتح', 'اموت', 'بموت حالي', 'الموت', 'بدي موت', 'ابي اموت', 'نهي حياتي', 'انهي حياتي', 'خلص من حياتي', 'خلص من هالحياة', 'ما بدي عيش', 'ما بدي اعيش', 'مابدي عيش', 'تعبت من الحياة', 'اذي حالي', 'اذي نفسي', 'اؤذي نفسي', 'اقتل نفسي', 'اقتل حالي', 'ما بدي اعيش', 'مابدي عيش', 'ما اريد اعيش', 'ما اريد اعيش', 'ماريد اعيش', 'مابغيتش نعيش', 'ما بغيت نعيش', 'مليت من حياتي', 'زهقت من حياتي', 'تعبت من حياتي', 'ما عاد بدي عيش', 'وما بدي كمل', 'ما بدي كمل', 'ما عاد فيني كمل', 'تعبت من كل شي'],
    medical: ['بلع + حبوب|دوا|دواء|كلور', 'شرب + كلور|مبيض|منظف|كلوركس', 'وجع بصدري', 'الم في الصدر', 'ألم في الصدر', 'صدري يوجعني', 'ما عم يتنفس', 'ما بيتنفس', 'مش بيتنفس', 'لا يتنفس', 'ما يتنفس', 'مغمى', 'اغمي', 'غايب عن الوعي', 'فاقد الوعي', 'ينزف', 'نزيف', 'دم كتير', 'دم كثير', 'جلطة', 'سكتة', 'تسمم', 'بلع حبوب', 'اسعاف', 'طوارئ', 'طوارئ'],
  },
  'ar-Latn': {
    // Arabic in Latin letters, with digits for letters: word starts and parts inside words.
    violence: ['*drab*', '*dreb*', '*drob*', '*darb*', '*dareb*', '*dhrab*', '*dharb*', '*3anef*', '*ta7arosh*', '*t7arach*', '*ghtasab*', '*8tasab*', '*ightisab*', '*y2zini*', '*ya2zini*', '*yaazini*', '*darabni*', '*darbni*', '*drabni*', '*daraboni*', '*darabouni*'],
    exploitation: ['*yestghel*', '*yestaghel*', '*isteghlal*', '*ma5losh*', '*msakar 3liya*', '*7abesni*', '*7absini*', '*bel8asb*', '*bl8asb*', '*bel ghasb*', '*ghasban*', '*ejbar*', '*ijbar*', '*yjbrouni*', '*jbrouni*', '*yjbarouni*', '*ajbarouni*', '*yejberni*', '*yjberni*', '*majbour*', '*majbora*', '*ma bi5allouni*', '*ma bikhallouni*', '*mabi5alouni*', '*ma b5alouni*', '*ma bi5alouni*', '*ma5allouni*', '*bala ma3ash*', '*bala ma3ash*', '*bdoun ma3ash*', '*bidun ra*teb*', '*bala rateb*', '*ma bi5alliha*', '*ma bikhalliha*', '*ma bi5allini*', '*ma bikhallini*', '*ma y5allinish*', '*ma ykhallinish*'],
    unpaid: ['*wala euro*|*wla euro*|*wala 2ersh*|*wala qersh*|*wla frank*|*wala 9ersh* + *shghal*|*shte8el*|*shtaghal*|*khdemt*|*5demt*|*nekhdem*|*n5dem*|*shhour*|*shohor*|*chhar*', '*ma5adtsh*', '*makhadtesh*', '*mabyedfa3sh*', '*mesh byedfa3*', '*ma 9bedtch*', '*ma dafa3*', '*madafa3*', '*ma 3am yedfa3*', '*ma 3tani*', '*ma3tani*', '*ma 3tawni*', '*makhalasni*', '*makhallasni*', '*makhalsonich*', '*ma9bdtch*', '*ma 2abadt*', 'ma khalsnich', '*ma bidfa3li*', '*ma byedfa3li*', '*mabidfa3li*', '*ma yedfa3li*', '*ma ydf3li*', '*ma 3tani ma3ashi*', '*ma 3tani rateb*'],
    documents: ['passport*|*basbor*|*baspor*|*jawaz*|*wra9*|*awra2*|*awra9*|*papier*|*permesso* + *a5ad*|*akhad*|*akhd*|*5da*|*khda*|*a5d*|*5ad*|*7abes*|*msek*|*mask*|*7ajez*|*sa7ab*|*shal*|*chad*'],
    threats: ['*tsawer*|*tsawr*|*sowar*|*swar* + *yhded*|*yhdd*|*ysift*|*ynashar*|*yfda7*|*yfde7*|*nsharhom*', '*yballagh 3alaya*', '*yballa8 3alaya*', '*hayballagh*', '*7aybalagh*', '*law eshtakeit*', '*law ashtki*', '*ila tchekit*', '*ila chkit*', '*hadad*', '*yhaded*', '*yhadad*', '*tahdid*', '*ye2tel*', '*yi2tel*', '*y9tel*', '*y9tl*', '*yqtol*', '*yaktol*', '*9atl*', '*2atl*', '*ydba7*', '*ydab7*', '*khayfa*', '*5ayfa*', '*5ayef*', '*khayef*', '*b5atar*', '*bkhatar*', '*fi 5atar*', '*ybalegh 3anni*', '*yballegh 3anni*', '*yballeghli*', '*y3ayetli el shorta*', '*yrahhelni*', '*yra7elni*', '*b 5atar*', '*bi 5atar*', '*b khatar*', '*bi khatar*', '*fi khatar*', '*yedba7*', '*yidba7*', '*ydbahni*', '*yedbahni*'],
    selfharm: ['*entir*', '*intir*', '*entaher*', '*nmout*', '*a mout*', '*bdi mout*', '*bidi mout*', '*badi mout*', '*bde mout*', '*nemout*', '*ma baddi 3ish*', '*ma bdi 3ish*', '*ma bghitch n3ich*', '*n9tel rasi*', '*a2tol 7ali*', '*ma baddi 3ish*', '*ma badi 3ish*', '*ma bde 3ish*', '*mabadi 3ish*', '*ma bdi 3ich*', '*ma baddi 3ich*', '*ma bghitch n3ich*', '*mabghitch n3ich*', '*ma areed a3ish*', '*ma ared a3ish*', '*taabt mn 7ayati*', '*t3bt mn 7ayati*', '*mallet mn 7ayati*', '*ma baddi kammel*', '*ma bdi kamel*'],
    medical: ['*ma 3am yetnafas*', '*mayetnafasch*', '*ma yetnaffas*', '*nazif*', '*yenzef*', '*is3af*', '*es3af*', '*dam kteer*'],
  },
  fa: {
    violence: ['کتک', 'میزنه', 'میزند', 'منو زد', 'مرا زد', 'لت میکن', 'لت و کوب', 'لتم', 'لت کرد', 'اذیتم', 'اذیت میکن', 'آزار', 'ازار', 'تجاوز', 'دست درازی', 'خشونت', 'تعرض'],
    exploitation: ['بهره کشی', 'بهره‌کشی', 'سوءاستفاده', 'سوء استفاده', 'قاچاق', 'برده', 'زندانی', 'حبسم', 'نمیذاره برم', 'نمیگذارد بروم', 'مجبورم', 'به زور', 'بزور', 'اجبار', 'نمیذارن برم', 'نمیذاره بیرون', 'نمیگذارند بیرون', 'گوشیمو گرفت', 'زندانی کرده'],
    unpaid: ['حقوقمو نمید', 'حقوقم را نمید', 'حقوق نداد', 'حقوقم نداد', 'مزدم', 'مزدمه', 'معاشم', 'معاشمه', 'پولمو نمید', 'پولم را نمید', 'پول نمید', 'پول کارمو', 'بدون حقوق', 'مفت کار', 'پول نداده', 'حقوق نداده', 'حقوقمو نداده', 'معاش نداده', 'مزد نداده', 'پولمو نداده'],
    documents: ['پاسپورت|تذکره|مدارک|مدرک|کارت اقامت|اوراق + گرفت|گرفته|پیش خود|پیشش|دستش|دست صاحب|نمیده|نمیدهد|نگه داشت|ضبط'],
    threats: ['عکس + میفرسته|پخش|بفرسته|نفرستم|آبرو', '*aks* + *mifreste*|*pakhsh*|*abroo*', 'تهدید', 'میکشه', 'میکشمت', 'بکشه', 'میکشنم', 'بکشن', 'میکشد', 'بکشد', 'میترسم', 'ترسیدیم', 'میترسیم', 'در خطر', 'خطر', 'تعقیب', 'باج', 'پلیس میدم', 'میدم دست پلیس', 'به پلیس میگم', 'دیپورت', 'اخراجم میکنه', 'میفرستم کشورت', 'به پلیس میگه', 'پلیس خبر میکنه', 'پلیس را خبر'],
    selfharm: ['بیدار نشم', 'دلیلی برای ادامه', 'دلیلی برای زندگی', 'قرص جمع کردم', '*ghors jam*', 'خودکشی', 'خودمو بکشم', 'خود را بکشم', 'خودم را بکشم', 'بمیرم', 'میخام بمیرم', 'میخوام بمیرم', 'نمیخوام زندگی', 'نمیخواهم زندگی', 'زندگیمو تموم', 'به خودم آسیب', 'به خودم صدمه', 'نمیخوام زنده', 'نمیخواهم زنده', 'نمیخام زنده', 'زنده نمانم', 'دیگه نمیخوام زندگی', 'از زندگی خسته', 'خسته شدم از زندگی', 'دلم میخواد بمیرم', 'کاش بمیرم', 'کاش مرده', 'خودمو میکشم', 'خودم را میکشم', 'خودمو میکشم', 'همه چیزو تموم کنم', 'همه چیز را تمام کنم', 'طاقت ندارم', 'دیگه طاقت ندارم'],
    medical: ['نفس نمیکش', 'نفسش بند', 'بیهوش', 'غش کرد', 'خونریزی', 'خون میره', 'خون زیاد', 'حمله قلبی', 'سکته', 'مسموم', 'آمبولانس', 'امبولانس', 'اورژانس'],
  },
  'fa-Latn': {
    violence: ['*katak*', '*kotak*', 'mizane', 'mano mizane', '*lat mikon*', '*lat o kob*', 'azar midan*', 'azaram*', '*aziat*', '*azyat*', '*tajavoz*', '*mizanam*', '*mizane*', '*kotakam*', '*katakam*', '*mano zad*', '*mara mizanad*'],
    exploitation: ['*majbooram*', '*majburam*', '*be zoor*', '*bezoor*', '*ghachagh*', '*zendani karde*', '*zendani kard*', '*nemizare biram*', '*nemizare beram*'],
    unpaid: ['*hoghoogh nemid*', '*hoghughamo nemid*', '*pool nemid*', '*poolamo nemid*', '*mozdamo*', '*mozdama*', '*moashamo*', '*pul nadad*', '*pool nadad*', '*pul nemid*', '*hoghugh nadad*', '*hoghoogh nadad*', '*hoghugh nemid*', '*hoghugh bede* + *nadad*|*nemid*', '*mozd nadad*', '*maash nadad*', '*moash nadad*'],
    documents: ['*passport*|*pasport*|*tazkira*|*tazkera*|*madarek* + *gereft*|*greft*|*nemide*|*dastesh*', '*passport* + *gerefte*|*gerefteh*|*nemide*|*pas nemide*'],
    threats: ['*tahdid*', '*mikoshe*', '*mikoshan*', '*bekoshe*', '*mitarsam*', '*khatar*', '*polis midam*', '*polis mide*', '*be polis migam*', '*deport*', '*be polis mige*', '*polis khabar*'],
    selfharm: ['*khodkoshi*', '*khodamo bekosh*', '*bemiram*', '*zendegi nemikham*', '*nemikham zende*', '*nemikhaam zende*', '*nemikhamzende*', '*nemikham zendegi*', '*nemikham dige zende*', '*az zendegi khaste*', '*mikham bemiram*'],
  },
  ps: {
    violence: ['وهي', 'ووهلم', 'وهلی', 'وهل', 'ځوروي', 'ځورول', 'تیری', 'تاوتریخوال', 'تشدد', 'ازار'],
    exploitation: ['استثمار', 'قاچاق', 'په زور', 'زور کار', 'بند کړی', 'بندي', 'نه پرېږدي'],
    unpaid: ['پیسې نه راکوي', 'پیسې نه راکوی', 'معاش نه', 'مزد نه', 'مزدوري نه', 'تنخوا نه', 'پیسې یې نه', 'پیسې نه دي راکړي', 'معاش یې نه دی', 'تنخوا یې نه'],
    documents: ['پاسپورټ|پاسپورت|تذکره|اسناد|کاغذونه + واخیست|اخیستی|اخیستې|اخیستي|نه راکوي|ساتلی', 'پاسپورټ|پاسپورت|تذکره + اخیستی|اخیستې|اخيستی|اخستی|اخستې'],
    threats: ['ګواښ', 'ګواښل', 'وژني', 'ووژني', 'وژل', 'ویریږم', 'وېرېږم', 'خطر', 'پولیسو ته به', 'پولیس ته به'],
    selfharm: ['ځان وژن', 'ځان ووژن', 'مرګ غواړم', 'مړ کیدل', 'مړ شم', 'ژوند نه غواړم', 'ژوندی نه غواړم', 'نه غواړم ژوندی', 'نور نه غواړم ژوند', 'له ژوند ستړی', 'له ژونده ستړی', 'مړ شي ښه دي', 'مړ شم ښه ده', 'ځان ختم', 'زغم نه لرم', 'ځان له منځه'],
    medical: ['ساه نه', 'بې هوښه', 'بېهوښه', 'وینه بهی', 'وینه بهې', 'وینه ډېره', 'وینه ډیره', 'ډېره وینه', 'ډیره وینه', 'وینې', 'زړه حمله', 'امبولانس', 'بیړني'],
  },
  'ps-Latn': {
    violence: ['*laas rawri*', '*las rawri*', '*las wari*', '*wahi me*', '*wahalay*', '*wahal*', '*zorawi*', '*me wahi*', '*ma wahi*'],
    unpaid: ['*paise na rakawi*', '*pesay na rakawi*', '*maash na*'],
    documents: ['*passport* + *akhist*', '*passport*|*pasport* + *akhisti*|*akhistay*|*akhsti*|*na rakawi*'],
    threats: ['*photo*|*aks* + *internet*|*pese*|*paisay*', '*wazhni*', '*wajni*', '*wazhal*', '*policey ta ba*', '*polis ta ba*'],
    selfharm: ['*zan wazhn*', '*zan wajn*', '*marg ghwaram*', '*zhwandi na ghwaram*', '*zhwand na ghwaram*', '*jwand na ghwaram*', '*na ghwaram zhwandi*'],
  },
  ur: {
    violence: ['مارتا', 'مارتی', 'مارتے', 'مار پیٹ', 'مجھے مارا', 'نے مارا', 'مارا پیٹا', 'پیٹتا', 'پیٹا', 'تشدد', 'زیادتی', 'زبردستی', 'ریپ', 'ہراساں', 'چھیڑ', 'تکلیف دے رہا', 'تکلیف دیتا', 'تکلیف دے رہے'],
    exploitation: ['ghar mein band', 'گھر میں بند', 'mobile bhi le liya', 'موبائل بھی لے لیا', 'استحصال', 'اسمگلنگ', 'جبری', 'بند کر', 'قید', 'جانے نہیں دیتا', 'جانے نہیں دیتے'],
    unpaid: ['تنخواہ نہیں', 'پیسے نہیں دیتا', 'پیسے نہیں دیتے', 'پیسے نہیں دیے', 'اجرت نہیں', 'مزدوری نہیں', 'تنخواہ روک', 'پیسے نہیں دے رہا', 'پیسے نہیں دے رہے', 'تنخواہ نہیں دے رہا'],
    documents: ['پاسپورٹ|کاغذات|شناختی|ڈاکومنٹ|دستاویز + لے لیا|لے لیے|رکھ لیا|رکھ لیے|نہیں دے رہا|نہیں دیتا|قبضے', 'پاسپورٹ|کاغذات|ڈاکومنٹس + رکھ لی|رکھ لیے|لے لی|چھین'],
    threats: ['tasveer* + immigration|viral|phone karega|bhej dega|dikha dega', 'دھمکی', 'دھمکیاں', 'مار ڈال', 'جان سے مار', 'قتل', 'ڈر لگ', 'خطرے', 'پولیس کو بلا', 'پولیس کے حوالے', 'مار دے گا', 'مار دیں گے', 'مار دے گی'],
    selfharm: ['خودکشی', 'مرنا چاہ', 'خود کو مار', 'خود کو ختم', 'جینا نہیں', 'جینے کا دل نہیں', 'جینا نہیں چاہتا', 'جینا نہیں چاہتی', 'زندہ نہیں رہنا', 'زندگی سے تنگ', 'مر جانا چاہتا', 'مر جانا چاہتی'],
    medical: ['سینے میں درد', 'seene mein dard', 'seenay mein dard', 'sine mein dard', 'dawai + pee li|kha li|pi li', 'goliyan kha li', 'goliyan kha lin', 'سانس نہیں', 'بے ہوش', 'بےہوش', 'خون بہ', 'خون نکل', 'دل کا دورہ', 'فالج', 'ایمبولینس', 'ایمرجنسی'],
  },
  'ur-Latn': {
    violence: ['marta hai', 'marti hai', 'marte hain', 'maar peet', 'mar peet', '*maarta*', 'peet*', '*ziyadti*', '*zyadti*', 'zabardasti', 'rape', 'mujhe marta', 'mujhe marti', 'mujhe maarta', 'mujhe pitta', 'hath uthata', 'takleef de raha', 'taklif de raha', 'takleef deta'],
    exploitation: ['*zabardasti kaam*', 'band kar diya', 'jane nahi deta', 'qaid', 'band kar rakha', 'bahar nahi jane deta', 'bahar nahi jane dete', 'ghar mein band'],
    unpaid: ['tankhwah nahi', 'tankhwa nahi', 'tankha nahi', 'paise nahi dete', 'paise nahi deta', 'paise nahi diye', 'paisay nahi', 'salary nahi di', 'salary nahi de', 'tankhwa nahi di', 'tankhwah nahi di', 'tankha nahi di', 'paise nahi diye', 'paisa nahi diya', 'salary nahi mili', 'tankhwa nahi mili', 'pagar nahi', 'paise nahi de raha', 'paise nahi de rahe', 'paisay nahi de raha'],
    documents: ['passport|kagzat|kaghzat|documents + le liya|rakh liya|nahi de raha|nahi deta|wapas nahi', 'passport|kagzat|kaghzat|documents|document|papers + rakh li*|le li*|cheen li*|wapis nahi|wapas nahi*|nahi de rah*|nahi lauta*'],
    threats: ['dhamki*', 'maar dega', 'maar dalega', 'maar dalay', 'jaan se', 'qatal', 'dar lag', 'police ko bula*', 'police bula*', 'police ke hawale', 'deport kara*', 'maar de ga', 'mar de ga', 'maar dega', 'mar dega', 'dhamkata', 'dhamkati', 'dhamkate'],
    selfharm: ['khudkushi', 'khud kushi', 'marna chahta', 'marna chahti', 'khud ko khatam', 'khud ko maar', 'jeena nahi', 'jeena nahi chahta', 'jeena nahi chahti', 'jina nahi chahta', 'jina nahi chahti', 'zinda nahi rehna', 'zindagi se tang', 'mar jana chahta', 'mar jana chahti', 'marna hai mujhe', 'zindagi se thak', 'khatam karna chahta', 'khatam karna chahti', 'sab khatam karna'],
    medical: ['saans nahi', 'behosh', 'khoon beh', 'dil ka daura', 'ambulance', 'emergency'],
  },
  bn: {
    violence: ['গলা টিপে', 'রোজ মারে', 'roj mare', 'gola tipe', 'swami|shami|jamai + mare|maare|marche|pitay', 'মারে', 'মারছে', 'মারধর', 'মেরেছে', 'পেটায়', 'পিটিয়েছে', 'ধর্ষণ', 'নির্যাতন', 'গায়ে হাত', 'যৌন হয়রানি', 'কষ্ট দিচ্ছে', 'কষ্ট দেয়', 'আঘাত করে', 'আঘাত করছে'],
    exploitation: ['শোষণ', 'পাচার', 'জোর করে', 'আটকে রেখেছে', 'আটকে রাখে', 'যেতে দেয় না', 'দাস'],
    unpaid: ['বেতন দেয় না', 'বেতন দেয়নি', 'বেতন দিচ্ছে না', 'টাকা দেয় না', 'টাকা দেয়নি', 'টাকা দিচ্ছে না', 'মজুরি দেয় না', 'টাকা দেয় না', 'টাকা দেয়না', 'বেতন দেয়না'],
    documents: ['পাসপোর্ট|কাগজ|কাগজপত্র|ডকুমেন্ট + নিয়ে|রেখে|আটকে|দিচ্ছে না|দেয় না|ফেরত দেয়', 'পাসপোর্ট|কাগজ + রেখে দিছে|রেখে দিয়েছে|রাইখা|ফেরত দিচ্ছে না|ফেরত দেয় না'],
    threats: ['হুমকি', 'মেরে ফেলবে', 'মেরে ফেলার', 'খুন', 'ভয় পাচ্ছি', 'বিপদে'],
    selfharm: ['আত্মহত্যা', 'মরে যেতে চাই', 'মরতে চাই', 'বাঁচতে চাই না', 'বাঁচতে ইচ্ছা', 'নিজেকে শেষ', 'নিজেকে আঘাত', 'বাঁচতে চাই না', 'আর বাঁচতে চাই না', 'বেঁচে থাকতে চাই না', 'মরে যাব', 'মরে যাবো', 'সব শেষ করে দিতে চাই', 'আর পারছি না'],
    medical: ['শ্বাস নিচ্ছে না', 'শ্বাস নিতে পারছি না', 'অজ্ঞান', 'রক্ত পড়ছে', 'রক্তক্ষরণ', 'হার্ট অ্যাটাক', 'স্ট্রোক', 'অ্যাম্বুলেন্স', 'জরুরি'],
  },
  'bn-Latn': {
    violence: ['amake mare', 'amake marche', 'malik mare', 'malik marche', 'mardhor', 'pitay', 'piteche', 'dhorshon', 'nirjaton', 'amake mare', 'amake maare', 'gaye hat'],
    exploitation: ['jor kore', 'atke rekheche', 'jete dey na'],
    unpaid: ['beton dey na', 'beton dey ni', 'beton deyni', 'beton dicche na', 'taka dey na', 'taka deyni', 'taka dicche na', 'taka dey na', 'taka deyna', 'taka dei na', 'beton dey na', 'beton deyna', 'salary dey na', 'salary dei na'],
    documents: ['passport|kagoj|kagojpotro + niye|rekhe|atke|dicche na|dey na', 'passport|kagoj|kagojpotro|document + rekhe dise|rekhe diyeche|rekhe dise|ferot dicche na|ferot dey na|ferot dei na|niye gese|niye geche'],
    threats: ['humki', 'mere felbe', 'khun korbe', 'bipode', 'humki dey', 'humki dicche', 'police e dibe'],
    selfharm: ['attohotta', 'attohatya', 'more jete chai', 'morte chai', 'bachte chai na', 'nijeke shesh', 'ar bachte chai na', 'bachte chai na', 'bachte chaina', 'beche thakte chai na', 'more jabo', 'morte ichche', 'more jete ichche', 'sob shesh kore dite chai', 'shesh kore dite chai', 'ar parchi na', 'nijeke shesh'],
  },
  uk: {
    violence: ['в синцях', 'синці', 'синяки', 'б\'ють', 'бють', 'б\'є', 'бʼє', 'побив*', 'побила', 'побили', 'б\'ється', 'вдарив*', 'б’є', 'б’ють', 'ґвалт*', 'гвалт*', 'домага*', 'знуща*', 'роблять боляче', 'робить боляче'],
    exploitation: ['забирає всі гроші', 'якщо втечу', 'якщо втечемо', 'експлуат*', 'рабств*', 'замкну*', 'зачини*', 'не відпуска*', 'примуш*', 'змуш*', 'борг*', 'не випускає', 'не випускають'],
    unpaid: ['ні євро|ні копійки|ні цента|ні гривні + працю*|працюв*|роб*|місяц*|тижн*|хазяї*|хазяїн*|начальни*', 'не платять', 'не платить', 'не заплатив', 'не заплатили', 'не виплачу*', 'не отримую зарплат*', 'без оплати', 'без зарплати'],
    documents: ['паспорт*|документ*|посвідк* + забра*|відібра*|тримає|тримають|не віддає|не віддають|не повертає|не повертають'],
    threats: ['якщо поскаржусь', 'якщо буду скаржитись', 'здасть у поліцію', 'здасть мене', 'заявить у поліцію', 'викличе поліцію', 'погро*', 'вб\'ю*', 'вбʼю*', 'вб’ю*', 'вбити', 'вбʼє', 'уб\'є', 'боюся його', 'небезпец*', 'переслід*', 'шантаж*', 'погрожують', 'погрожує', 'боюся виходити', 'боюся, що він повернеться', 'боюся що він повернеться'],
    selfharm: ['не прокинутись', 'не прокинутися', 'не бачу сенсу', 'прощавайте', 'самогуб*', 'покінчити', 'померти', 'вмерти', 'не хочу жити', 'зашкодити собі', 'порізати себе', 'не хочу більше жити', 'не хочу жити', 'не хочеться жити', 'набридло жити', 'краще померти', 'жити не хочеться', 'не хочеться жити'],
    medical: ['проковтну*', 'випи* + пляшк*|відбілювач*|хімі*|таблет*', 'біль у грудях', 'болить у грудях', 'не дихає', 'непритом*', 'кровотеч*', 'кров', 'інсульт', 'інфаркт', 'судоми', 'отру*', 'швидк* допомог*', 'викличте швидку'],
  },
  ru: {
    violence: ['бьёт', 'бьет', 'бьют', 'избив*', 'избил*', 'побил*', 'ударил*', 'насил*', 'изнасил*', 'домога*', 'издева*', 'делают больно', 'делает больно'],
    exploitation: ['отбирает все деньги', 'забирает все деньги', 'если сбегу', 'если сбежим', 'говорит что я должен', 'говорит что я должна', 'эксплуат*', 'рабств*', 'заперл*', 'запира*', 'не отпуска*', 'принужда*', 'заставля*', 'работаю без денег', 'работаю бесплатно и', 'не выпускает', 'не выпускают', 'не выпускает меня'],
    unpaid: ['ни евро|ни копейки|ни цента|ни рубля + работ*|месяц*|недел*|хозяин*|начальник*', 'не платят', 'не платит', 'не заплатил*', 'не выплачива*', 'не получаю зарплат*', 'без оплаты', 'без зарплаты'],
    documents: ['паспорт*|документ* + забрал*|отобрал*|держит|держат|не отдает|не отдаёт|не отдают|не возвращает|не возвращают'],
    threats: ['если пожалуюсь', 'если буду жаловаться', 'сдаст в полицию', 'сдаст меня', 'заявит в полицию', 'вызовет полицию', 'угрож*', 'угроз*', 'убьёт', 'убьет', 'убить', 'убьют', 'боюсь его', 'опасност*', 'преслед*', 'шантаж*', 'угрожают если уйду', 'сдаст в полицию', 'сдать в полицию', 'депортир*', 'боюсь что он вернется', 'боюсь, что он вернётся', 'боюсь что он вернётся'],
    selfharm: ['не проснуться', 'ne prosnutsya', 'прощайте', 'не видит смысла', 'не вижу смысла', 'ne vizhu smysla', 'самоубий*', 'покончить', 'умереть', 'не хочу жить', 'навредить себе', 'порезать себя', 'не хочу больше жить', 'не хочется жить', 'надоело жить', 'лучше умереть', 'жить не хочу', 'жить не хочется', 'не хочется жить'],
    medical: ['проглотил*', 'выпил* + бутылк*|отбеливател*|хими*|таблет*|уксус*', 'боль в груди', 'болит грудь', 'немеет рука', 'не дышит', 'без сознания', 'потерял* сознание', 'кровотеч*', 'кровь', 'инсульт', 'инфаркт', 'судорог*', 'отрав*', 'скорую', 'скорая'],
  },
  'ru-Latn': {
    violence: ['*b\'yot*', '*bjot*', '*byot menya*', '*izbil*', '*pobil*', '*nasil*', '*iznasil*', '*muzh bjet*', '*muzh byet*', "*b'et menya*", '*bet menya*'],
    unpaid: ['ne platyat', 'ne platit', 'ne zaplatil*'],
    documents: ['pasport*|dokument* + zabral*|otobral*|derzhit'],
    threats: ['*ugroz*', '*ubyot*', '*ubit*'],
    selfharm: ['*samoubi*', '*hochu umeret*', '*ne hochu zhit*', '*ne hochu zhit*', '*ne khochu zhit*', '*zhit ne hochu*'],
  },
  ti: {
    // Ge'ez script, matched anywhere: verb stems with their singular, plural and feminine endings.
    violence: ['ወቒዑ', 'ወቒዖም', 'ይወቕዕ', 'ይወቕዑ', 'ይወቕዓ', 'ወቕዑ', 'ሃሪሙ', 'ሃሪሞም', 'ይሃርም', 'ይሃርሙ', 'ይሃርማ', 'ዓመጽ', 'ዓመፅ', 'ዓሚጹ', 'ዓሚጾም', 'ይዓምጽ', 'ጾታዊ', 'ይሳቐየኒ', 'የሳቕዩኒ', 'ሳቕያ', 'ይዓምጸኒ', 'ይዓምጹኒ'],
    exploitation: ['ምዝመዛ', 'ዝበዝበ', 'ይዝምዙ', 'ምግሕጋሕ', 'ብግዲ', 'ዓጽዮምኒ', 'ዓጽዩኒ', 'ኣይፈቕዱለይን', 'ክወጽእ ኣይፈቕደለይን', 'ኣይፈቕደለይን', 'ክወጽእ ኣይፈቕዱለይን'],
    unpaid: ['ደሞዝ ኣይ', 'ደሞዝ የለን', 'ኣይከፈለን', 'ኣይከፈሉን', 'ኣይህበንን', 'ኣይህቡንን', 'ኣይሃበንን', 'ኣይሃቡንን', 'ኣይሃቡኒን', 'ኣይህቡኒን', 'ዘይተኸፍለ'],
    documents: ['ፓስፖርት|ሰነድ|ሰነዳት|መንነት + ወሲዱ|ወሲዶም|ሒዙ|ሒዞም|ሒዙዎ|ሒዞሞ|ኣይህበንን|ኣይመለሰን|ኣይመለሱን', 'ፓስፖርተይ|ሰነዳተይ|መንነተይ + ወሲድዎ|ወሲዱዎ|ወሲዳቶ|ሒዝዎ|ሒዙዎ|ኣይመለሶን', 'ፓስፖርተይ|ሰነዳተይ|ሰነደይ|መንነተይ + ወሲዱ|ሒዞሞ|ሒዞም'],
    threats: ['ምፍርራሕ', 'ፈራርሑ', 'የፈራርሕ', 'ይፈራርሕ', 'ክቐትል', 'ይቐትል', 'ቐቲሉ', 'ክቐትሉ', 'ይቐትሉ', 'ሓደጋ', 'እፈርሕ', 'የፈራርሓኒ', 'የፈራርሑኒ', 'ይፈራርሓኒ', 'ይፈራርሑኒ', 'ክቐትለኒ', 'ይቐትለኒ', 'ክቐትላ', 'ክቐትለና'],
    selfharm: ['ርእሰ ቅትለት', 'ነብሰይ ክቐትል', 'ነፍሰይ ክቐትል', 'ክሞት', 'ምንባር ኣይደል', 'ምንባር ሰልቹ', 'ነብሰይ ክጎድእ', 'ክነብር ኣይደልን', 'ክነብር ኣይደሊን', 'ምንባር ኣይደልን', 'ህይወት ሰልቺዩኒ', 'ክሞት እደሊ', 'ህይወት ሰልችዩኒ', 'ህይወት ሰልቺዩኒ', 'ኩሉ ከብቅዕ'],
    medical: ['ከኒና + ውሒጡ|ውሒጣ|ወሒጡ', 'ትንፋስ ሓጺሩኒ', 'ልበይ + ይሓምመኒ', 'ኣይተንፍስን', 'ክተንፍስ ኣይ', 'ደም ይፈስ', 'ደም ይፈሶ', 'ዝሓለፎ', 'ኣምቡላንስ', 'ህጹጽ'],
  },
  'ti-Latn': {
    violence: ['*wekaani*', '*weqaani*', '*wekuni*', '*wequni*', '*ywekuni*', '*yweqeni*', '*harimuni*', '*yharmeni*', '*yharmuni*', '*amets*', '*amitsuni*'],
    unpaid: ['*demoz ay*', '*demoz aykefel*', '*aykefelenin*', '*ayhbenin*', '*ayhabenin*'],
    documents: ['*passport* + *wesid*|*hizu*|*hizom*'],
    threats: ['*kqetl*', '*kiqetl*', '*kqetle*', '*yqetl*', '*kketl*', '*fererhuni*', '*ferarhuni*', '*ferarhani*', '*fererhani*'],
    selfharm: ['*kmot*', '*kimot*', 'nebsey kqetl*', 'nebsey kiqetl*', 'nefsey kqetl*', '*knebr aydeln*', '*kinebir aydelin*', '*knbr aydeln*'],
  },
  so: {
    violence: ['habeenkii + qolkayga', 'garaac*', 'garaacay', 'i garaaca', 'i garaacay', 'ina garaaca', 'i dila', 'kufsi', 'kufsaday', 'xadgudub', 'rabshad', 'i jirdil*', 'jirdil*', 'i dhibaya', 'dhibaat*', 'wuu i garaacaa', 'i garaacaa', 'i garaaco'],
    exploitation: ['lacagteeda oo dhan', 'lacagtayda oo dhan', 'lacagtayada oo dhan', 'ka faa\'iidays*', 'ka faaiidays*', 'addoon*', 'qasab', 'i xiray', 'i xireen', 'ima sii daayaan', 'ka ganacsiga dadka', 'igu xiray', 'i xiray', 'igu xireen', 'guriga igu xir*'],
    unpaid: ['lacag ima', 'lacagta ima', 'lacagtayda ma', 'mushahar ima', 'mushaharka ima', 'mushahar lama', 'ima bixiyaan', 'ima bixiyo', 'lacag la\'aan', "lacag la'aan ayaan u shaqeey*", 'lacag la aan ayaan', 'bilaash ayaan u shaqeey*'],
    documents: ['baasaboor*|dukumenti*|warqad*|sharci* + qaatay|qaateen|haystaa|haystaan|ima celiy*|qabsaday', 'baasaboor*|basaboor*|passport*|dukumenti* + hayst*|haysa|qaatay|qaaday|ima siin*|diidan'],
    threats: ['hanjab*', 'i dili doon*', 'i dilaya', 'i dilayo', 'dilayaa', 'baqay*', 'ka baqayaa', 'khatar', 'i hanjabaa', 'i hanjabaya', 'hanjabaa', 'booliska ii gayn*', 'boolis ii yeer*'],
    selfharm: ['naftayda', 'nafteyda', 'is dil*', 'isdil*', 'dhimo', 'dhinto', 'dhiman', 'nolosha ma rabo', 'is dhaawac*', 'inaan noolaado', 'noolaan ma', 'ma doonayo inaan noolaado', 'ma rabo inaan noolaado', 'nolosha ka daalay', 'nolosha waan ka daalay', 'inaan dhinto ayaan rabaa', 'ka daalay nolosha', 'nolosha ka daalay', 'nolosha waan ka daalay'],
    medical: ['liqay + kiniin*|daawo*', 'laqay + kiniin*|daawo*', 'ma neefsan*', 'neefsan karo', 'miyir', 'suuxay', 'dhiig', 'wadne xanuun', 'ambalaas', 'degdeg'],
  },
  zh: {
    violence: ['打我', '打了我', '被打', '殴打', '家暴', '强奸', '性侵', '猥亵', '骚扰', '虐待', '伤害我', '被老板打', '老板打我', '被打了'],
    exploitation: ['剥削', '贩卖', '拐卖', '强迫', '逼我', '关起来', '关在', '不让我走', '不让我出去', '欠他钱', '奴隶', '不让我出门', '不让我出去', '不许我出门'],
    unpaid: ['不给钱', '不给工资', '不发工资', '没发工资', '拖欠', '欠薪', '没给钱', '白干', '一分钱不给', '一分钱都不给', '不给一分钱', '没拿到工资', '工资不给', '一直不发', '工资一直'],
    documents: ['护照|证件|身份证|居留 + 扣|拿走|收走|拿了|不还|不给我', '扣了我的护照', '扣我护照', '扣着我的护照', '护照在老板', '拿着我的护照'],
    threats: ['威胁', '杀了我', '杀我', '要杀', '恐吓', '害怕', '危险', '跟踪', '举报我', '遣返我', '怕他回来', '怕他'],
    selfharm: ['自杀', '想死', '不想活', '结束生命', '轻生', '伤害自己', '割腕', '活不下去', '不想活了', '活着没意思', '不如死了', '想结束一切', '活着太累', '结束一切'],
    medical: ['胸口 + 疼|痛', 'xiongkou + teng|tong', '喘不过气', 'chuan bu guo qi', '吞了 + 药', '误服', '喝了 + 消毒|漂白|清洁剂', '没有呼吸', '不能呼吸', '喘不过气', '昏迷', '晕倒', '流血', '大出血', '心脏病', '中风', '中毒', '救护车', '急救', '紧急', '流了很多血', '很多血', '流血不止'],
  },
  tl: {
    violence: ['sinasaktan', 'sinaktan', 'nananakit', 'binubugbog', 'binugbog', 'bugbog*', 'sinampal', 'sinasampal', 'ginahasa', 'hinalay', 'inabuso', 'inaabuso', 'minomolestya', 'hinipuan', 'sinasaktan ako', 'sinasaktan niya ako', 'sinisigawan at sinasaktan', 'binubugbog ako'],
    exploitation: ['pinagsasamantalahan', 'ikinulong', 'kinukulong', 'nakakulong', 'ayaw akong paalisin', 'hindi ako pinapaalis', 'pinipilit', 'pinilit', 'sapilitan*', 'utang na loob', 'ayaw akong palabasin', 'hindi ako pinapalabas', 'di ako pinapalabas', 'ayaw akong paalisin', 'kinuha ang cellphone ko', 'kinuha ang phone ko'],
    unpaid: ['kahit piso|kahit isang euro|walang sahod|walang sweldo + trabaho|buwan|linggo|amo|boss', 'hindi ako binabayaran', 'hindi binabayaran', 'hindi binayaran', 'hindi pinapasahod', 'walang sahod', 'walang sweldo', 'walang bayad', 'di binabayaran', 'di pinapasweldo', 'hindi pinapasweldo', 'di pinapasweldo', 'hindi ako pinapasweldo', 'di ako pinapasweldo', 'walang pasweldo', 'hindi nagpapasweldo', 'hindi binibigay ang sweldo', 'di binibigay sweldo', 'hindi ako pinapasahod', 'di ako pinapasahod', 'hindi pinapasahod', 'di pinapasahod'],
    documents: ['passport|pasaporte|papeles|dokumento + kinuha|kinukuha|hawak|itinago|ayaw ibigay|ayaw ibalik|hindi ibinabalik', 'passport|pasaporte + amo|kinuha|hawak ng|ayaw ibigay|ayaw ibalik|di ibinabalik'],
    threats: ['pics|picture|pictures|litrato|video + ikakalat|ipapakalat|ipopost|ipo-post', 'kapag nagreklamo ako', 'pag nagreklamo ako', 'isusumbong ako sa pulis', 'ipapadeport ako', 'ipa deport ako', 'banta', 'pinagbabantaan', 'binantaan', 'papatayin', 'patayin', 'takot ako sa kanya', 'nasa panganib', 'panganib', 'sinusundan ako', 'binabantaan', 'binabantaan ako'],
    selfharm: ['magpakamatay', 'magpapakamatay', 'pagpapakamatay', 'mamatay na', 'ayoko nang mabuhay', 'saktan ang sarili', 'sasaktan ko ang sarili', 'ayoko nang mabuhay', 'ayoko na mabuhay', 'ayoko na ng buhay', 'pagod na ako mabuhay', 'sana mamatay na lang ako', 'gusto ko nang mamatay', 'gusto ko na mamatay', 'gusto ko nang mamatay', 'gusto ko na lang mamatay', 'pagod na ako sa buhay', 'gusto ko na tapusin', 'tapusin ko na', 'tapusin ang buhay'],
    medical: ['nakainom ng + bleach|zonrox|gamot|lason|muriatic', 'nakalunok', 'hindi humihinga', 'di humihinga', 'hindi makahinga', 'nawalan ng malay', 'walang malay', 'hinimatay', 'dumudugo', 'maraming dugo', 'atake sa puso', 'stroke', 'ambulansya', 'emergency'],
  },
  'uk-Latn': {
    selfharm: ['*ne khochu zhyty*', '*ne hochu zhyty*', '*ne khochu zhyt*'],
    violence: ["*b'ye mene*", '*bye mene*', '*b`ye mene*'],
    documents: ['pasport*|dokument* + zabra*|ne viddaye*'],
  },
};
