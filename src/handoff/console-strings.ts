/** The console's words for staff: English and Italian (people-facing words live in locales/). */
const en = {
  inbox: 'Inbox', queue: 'Queue', canned: 'Canned replies', users: 'Accounts', audit: 'Audit log', logout: 'Log out', logoutAll: 'Log out everywhere',
  waiting: 'Waiting', claimed: 'Claimed', person: 'Person', language: 'Language', channel: 'Channel', waitingTime: 'Waiting time',
  priority: 'Priority', reason: 'Reason', owner: 'Owner', lastMessages: 'Last messages', card: 'Project card', open: 'Open',
  claim: 'Claim', release: 'Release to the bot', close: 'Close', reassign: 'Reassign to', reply: 'Send reply', notes: 'Private notes (staff only)',
  addNote: 'Add note', empty: 'Nobody is waiting.', consents: 'Consents', none: 'none', window: 'WhatsApp 24-hour window',
  windowOpen: 'open: free text reaches the person', windowClosed: 'closed: replies are held until the person writes again',
  detected: 'Detected language', useCanned: 'Canned reply in the person’s language', insert: 'Use', outcome: 'Outcome',
  answered: 'answered', referred_space: 'referred to a space', referred_service: 'referred to a service', no_reply: 'no reply', released: 'released to the bot',
  late: 'waiting longer than', minutes: 'min', history: 'Conversation', notClaimed: 'Claim this conversation to reply.',
  ownedBy: 'Owned by', status: 'Status', safety: 'safety', high: 'high', normal: 'normal', title: 'Title', add: 'Add', delete: 'Delete',
  email: 'Email', role: 'Role', space: 'Space id', created: 'Account created. Password (shown once):', lostClaim: 'Someone else claimed it first.',
  translate: 'Translate and preview', translatedNote: 'Translated into the person’s language: check and edit before sending.', translationFailed: 'The translation service did not answer: send in a language the person reads, or use a canned reply.',
  viewOnly: 'You can view, not act (coordinator).', closed: 'This conversation is with the bot.', offlineNote: 'No translation service is configured: use the detected language and canned replies.',
  accountState: 'State', active: 'active', disabledState: 'disabled', disable: 'Disable', enable: 'Enable', resetPassword: 'Reset password',
  passwordReset: 'New password (shown once; every session of the account has ended) for',
  unread: 'unread', pick: 'Choose a conversation from the queue.', back: 'Queue', about: 'About this person', spacesShown: 'Spaces the bot showed',
  pastCases: 'Earlier requests', noneYet: 'None yet.', messages: 'Messages', sendKey: 'Ctrl+Enter sends', claimToReply: 'Claim this conversation to reply.',
  keys: 'Keyboard', keyNext: 'next / previous conversation', keyClaim: 'claim', keyReply: 'write a reply', keySend: 'send the reply', keyRelease: 'release to the bot',
  keyClose: 'close with an outcome', keyNote: 'add a private note', keyLeave: 'leave the text box', opened: 'Opened', closedAt: 'closed', loadFailed: 'The conversation could not be loaded. Try again.',
  actionFailed: 'That did not work: reload the page and try again.', sent: 'Reply sent.', claimedNow: 'Claimed: you can reply.', releasedNow: 'Released to the bot.', closedNow: 'Closed.',
  nextOpened: 'Next conversation opened.', mine: 'yours', original: 'Original', translation: 'Translation',
  tryInbox: 'Open the inbox: the queue, the conversation and the person’s context on one live page',
} as const;

const it: Record<keyof typeof en, string> = {
  inbox: 'Conversazioni', queue: 'Coda', canned: 'Risposte pronte', users: 'Account', audit: 'Registro accessi', logout: 'Esci', logoutAll: 'Esci da tutti i dispositivi',
  waiting: 'In attesa', claimed: 'Presa in carico', person: 'Persona', language: 'Lingua', channel: 'Canale', waitingTime: 'Attesa',
  priority: 'Priorità', reason: 'Motivo', owner: 'Responsabile', lastMessages: 'Ultimi messaggi', card: 'Scheda progetto', open: 'Apri',
  claim: 'Prendi in carico', release: 'Restituisci al bot', close: 'Chiudi', reassign: 'Riassegna a', reply: 'Invia risposta', notes: 'Note private (solo staff)',
  addNote: 'Aggiungi nota', empty: 'Nessuno è in attesa.', consents: 'Consensi', none: 'nessuno', window: 'Finestra WhatsApp di 24 ore',
  windowOpen: 'aperta: il testo libero arriva alla persona', windowClosed: 'chiusa: le risposte restano in attesa finché la persona riscrive',
  detected: 'Lingua rilevata', useCanned: 'Risposta pronta nella lingua della persona', insert: 'Usa', outcome: 'Esito',
  answered: 'risposta data', referred_space: 'indirizzata a uno spazio', referred_service: 'indirizzata a un servizio', no_reply: 'nessuna risposta', released: 'restituita al bot',
  late: 'in attesa da più di', minutes: 'min', history: 'Conversazione', notClaimed: 'Prendi in carico la conversazione per rispondere.',
  ownedBy: 'In carico a', status: 'Stato', safety: 'sicurezza', high: 'alta', normal: 'normale', title: 'Titolo', add: 'Aggiungi', delete: 'Elimina',
  email: 'Email', role: 'Ruolo', space: 'Id spazio', created: 'Account creato. Password (mostrata una volta):', lostClaim: 'Qualcun altro l’ha presa prima.',
  translate: 'Traduci e controlla', translatedNote: 'Tradotto nella lingua della persona: controlla e correggi prima di inviare.', translationFailed: 'Il servizio di traduzione non ha risposto: scrivi in una lingua che la persona legge, o usa una risposta pronta.',
  viewOnly: 'Puoi vedere, non agire (coordinatore).', closed: 'Questa conversazione è con il bot.', offlineNote: 'Nessun servizio di traduzione configurato: usa la lingua rilevata e le risposte pronte.',
  accountState: 'Stato', active: 'attivo', disabledState: 'disattivato', disable: 'Disattiva', enable: 'Riattiva', resetPassword: 'Nuova password',
  passwordReset: 'Nuova password (mostrata una volta; tutte le sessioni dell’account sono terminate) per',
  unread: 'non letti', pick: 'Scegli una conversazione dalla coda.', back: 'Coda', about: 'Chi è questa persona', spacesShown: 'Spazi mostrati dal bot',
  pastCases: 'Richieste precedenti', noneYet: 'Ancora nessuna.', messages: 'Messaggi', sendKey: 'Ctrl+Invio invia', claimToReply: 'Prendi in carico la conversazione per rispondere.',
  keys: 'Tastiera', keyNext: 'conversazione successiva / precedente', keyClaim: 'prendi in carico', keyReply: 'scrivi una risposta', keySend: 'invia la risposta', keyRelease: 'restituisci al bot',
  keyClose: 'chiudi con un esito', keyNote: 'aggiungi una nota privata', keyLeave: 'esci dalla casella di testo', opened: 'Aperta', closedAt: 'chiusa', loadFailed: 'Non è stato possibile caricare la conversazione. Riprova.',
  actionFailed: 'Non ha funzionato: ricarica la pagina e riprova.', sent: 'Risposta inviata.', claimedNow: 'Presa in carico: puoi rispondere.', releasedNow: 'Restituita al bot.', closedNow: 'Chiusa.',
  nextOpened: 'Aperta la conversazione successiva.', mine: 'tua', original: 'Originale', translation: 'Traduzione',
  tryInbox: 'Apri le conversazioni: la coda, la conversazione e il contesto della persona in una sola pagina dal vivo',
};

export type ConsoleKey = keyof typeof en;
export type ConsoleStrings = Record<ConsoleKey, string>;

/** The console's words in a staff language (chosen by the staff shell: `staffLangOf`). */
export function consoleStrings(lang: 'en' | 'it'): { lang: 'en' | 'it'; s: ConsoleStrings } {
  return lang === 'it' ? { lang: 'it', s: it } : { lang: 'en', s: en };
}
