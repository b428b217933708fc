/**
 * The staff portal's words in English and Italian. The portal is for the staff of coworking spaces in
 * Rome, so Italian is the default for a browser that prefers it; a link in the header switches.
 * Not in the 16-language `locales/` files: nobody in the chat reads these.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

export type UiLang = 'en' | 'it';
export const UI_COOKIE = 'cwb_staff_ui';

const en = {
  'nav.broadcasts': 'Broadcasts',
  'nav.new': 'New announcement',
  'nav.space': 'My space',
  'nav.spaces': 'Spaces',
  'nav.events': 'Events',
  logout: 'Log out',
  'lang.other': 'Italiano',
  notFound: 'This page does not exist or belongs to another space.',
  unlinked: 'Your account is not linked to a space. Ask an admin.',
  'spaces.title': 'Spaces',
  'spaces.intro': 'Choose a space to edit its card or its events.',
  'space.title': 'Space card: {name}',
  'space.intro': 'What the bot tells people about your space. Changes are answered at once; the spreadsheet import does not overwrite them.',
  'space.hours': 'Opening hours',
  'space.hoursHelp': 'OpenStreetMap syntax, e.g. Mo-Fr 09:00-19:00; Sa 10:00-13:00',
  'space.services': 'Services',
  'space.languages': 'Languages the staff speak',
  'space.priceNote': 'Price note (short)',
  'space.descriptions': 'Description',
  'space.sourceLang': 'I write in',
  'space.otherLangs': 'Other languages (optional)',
  'space.save': 'Save the card',
  'space.saved': 'Saved. The bot answers with the new card now.',
  'space.editedBy': 'Last edited {at} by {by}.',
  'events.title': 'Events: {name}',
  'events.new': 'New event',
  'events.none': 'No upcoming events.',
  'events.when': 'When',
  'events.event': 'Event',
  'events.source': 'Source',
  'events.actions': 'Actions',
  'events.fromSheet': 'spreadsheet (edit it there)',
  'events.fromStaff': 'staff',
  'events.edit': 'Edit',
  'events.cancel': 'Cancel the event',
  'events.cancelled': 'The event was cancelled. People who had a reminder were told.',
  'events.broadcast': 'Broadcast this event',
  'events.saved': 'Saved. The bot answers with this event now.',
  'form.newTitle': 'New event',
  'form.editTitle': 'Edit the event',
  'form.space': 'Space',
  'form.sourceLang': 'I write in',
  'form.change': 'Change',
  'form.title': 'Title',
  'form.description': 'Description',
  'form.otherLangs': 'Other languages (optional)',
  'form.otherLangsHelp': 'People whose language is missing see the event in its own language, with a short note.',
  'form.date': 'Date',
  'form.start': 'Starts at',
  'form.end': 'Ends at (optional)',
  'form.price': 'Price',
  'form.free': 'free',
  'form.paid': 'paid',
  'form.topics': 'Topics',
  'form.languages': 'Languages spoken at the event',
  'form.draft': 'Draft translations',
  'form.draftNote': 'machine draft — please check',
  'form.drafted': 'Machine drafts filled for {n} languages. Check them, correct them, then save. Nothing is saved yet.',
  'form.draftFailed': 'No draft for {langs} (the model did not give a faithful translation).',
  'form.offline': 'No translation model is configured: the event is shown in its own language, with a short note saying so.',
  'form.save': 'Save the event',
  'form.errors': 'Some fields need a change (see below).',
  'form.badDate': 'give a date (YYYY-MM-DD) and a time (HH:MM)',
  'form.badTime': 'give a time (HH:MM)',
  'bc.title': 'Broadcast: {title}',
  'bc.intro': 'The message is made from the event, in every language the event has. Next you see exactly what people get, and how many.',
  'bc.message': 'The message',
  'bc.audience': 'Who gets it (only people who asked for it)',
  'bc.followers': 'Followers of this space',
  'bc.allEvents': 'People who asked for all events',
  'bc.topics': 'Topics',
  'bc.preview': 'Preview',
};
export type StringKey = keyof typeof en;

const it: Record<StringKey, string> = {
  'nav.broadcasts': 'Messaggi',
  'nav.new': 'Nuovo annuncio',
  'nav.space': 'Il mio spazio',
  'nav.spaces': 'Spazi',
  'nav.events': 'Eventi',
  logout: 'Esci',
  'lang.other': 'English',
  notFound: 'Questa pagina non esiste o appartiene a un altro spazio.',
  unlinked: 'Il tuo account non è collegato a uno spazio. Chiedi a un amministratore.',
  'spaces.title': 'Spazi',
  'spaces.intro': 'Scegli uno spazio per modificarne la scheda o gli eventi.',
  'space.title': 'Scheda dello spazio: {name}',
  'space.intro': 'Quello che il bot dice del tuo spazio. Le modifiche valgono subito; l’importazione del foglio di calcolo non le cancella.',
  'space.hours': 'Orari di apertura',
  'space.hoursHelp': 'Sintassi OpenStreetMap, es. Mo-Fr 09:00-19:00; Sa 10:00-13:00',
  'space.services': 'Servizi',
  'space.languages': 'Lingue parlate dallo staff',
  'space.priceNote': 'Nota sui prezzi (breve)',
  'space.descriptions': 'Descrizione',
  'space.sourceLang': 'Scrivo in',
  'space.otherLangs': 'Altre lingue (facoltative)',
  'space.save': 'Salva la scheda',
  'space.saved': 'Salvato. Il bot risponde già con la nuova scheda.',
  'space.editedBy': 'Ultima modifica {at} da {by}.',
  'events.title': 'Eventi: {name}',
  'events.new': 'Nuovo evento',
  'events.none': 'Nessun evento in programma.',
  'events.when': 'Quando',
  'events.event': 'Evento',
  'events.source': 'Fonte',
  'events.actions': 'Azioni',
  'events.fromSheet': 'foglio di calcolo (modificalo lì)',
  'events.fromStaff': 'staff',
  'events.edit': 'Modifica',
  'events.cancel': 'Annulla l’evento',
  'events.cancelled': 'L’evento è stato annullato. Chi aveva un promemoria è stato avvisato.',
  'events.broadcast': 'Invia questo evento',
  'events.saved': 'Salvato. Il bot risponde già con questo evento.',
  'form.newTitle': 'Nuovo evento',
  'form.editTitle': 'Modifica l’evento',
  'form.space': 'Spazio',
  'form.sourceLang': 'Scrivo in',
  'form.change': 'Cambia',
  'form.title': 'Titolo',
  'form.description': 'Descrizione',
  'form.otherLangs': 'Altre lingue (facoltative)',
  'form.otherLangsHelp': 'Chi parla una lingua mancante vede l’evento nella sua lingua originale, con una breve nota.',
  'form.date': 'Data',
  'form.start': 'Inizio',
  'form.end': 'Fine (facoltativa)',
  'form.price': 'Prezzo',
  'form.free': 'gratuito',
  'form.paid': 'a pagamento',
  'form.topics': 'Temi',
  'form.languages': 'Lingue parlate all’evento',
  'form.draft': 'Bozze di traduzione',
  'form.draftNote': 'bozza automatica — da controllare',
  'form.drafted': 'Bozze automatiche per {n} lingue. Controllale, correggile, poi salva. Non è ancora salvato nulla.',
  'form.draftFailed': 'Nessuna bozza per {langs} (il modello non ha dato una traduzione fedele).',
  'form.offline': 'Nessun modello di traduzione configurato: l’evento è mostrato nella sua lingua, con una breve nota.',
  'form.save': 'Salva l’evento',
  'form.errors': 'Alcuni campi vanno corretti (vedi sotto).',
  'form.badDate': 'indica una data (AAAA-MM-GG) e un orario (HH:MM)',
  'form.badTime': 'indica un orario (HH:MM)',
  'bc.title': 'Invia: {title}',
  'bc.intro': 'Il messaggio è composto dall’evento, in ogni lingua che l’evento ha. Poi vedi esattamente cosa riceve chi, e quante persone.',
  'bc.message': 'Il messaggio',
  'bc.audience': 'Chi lo riceve (solo chi lo ha chiesto)',
  'bc.followers': 'Chi segue questo spazio',
  'bc.allEvents': 'Chi ha chiesto tutti gli eventi',
  'bc.topics': 'Temi',
  'bc.preview': 'Anteprima',
};

const dictionaries: Record<UiLang, Record<StringKey, string>> = { en, it };

/** A translator for the portal: `ui('space.title', { name })`. */
export type Ui = (key: StringKey, vars?: Record<string, string | number>) => string;

export function uiStrings(lang: UiLang): Ui {
  const dict = dictionaries[lang];
  return (key, vars) => dict[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`));
}

/** The portal language: the switch's cookie, else Italian when the browser prefers it, else English. */
export function uiLangOf(c: Context): UiLang {
  const chosen = getCookie(c, UI_COOKIE);
  if (chosen === 'it' || chosen === 'en') return chosen;
  return /^it\b/i.test(c.req.header('accept-language') ?? '') ? 'it' : 'en';
}

/** Every key, for the test that both dictionaries are complete. */
export const stringKeys = Object.keys(en) as StringKey[];
export const itStrings = it;
