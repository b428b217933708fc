// The web chat: plain JavaScript, no framework. Talks to /api/chat (see README).
(() => {
  const log = document.getElementById('log');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const shown = new Set();
  let session = localStorage.getItem('coworkbot.session');
  // The stored language, else the page's (rendered from the browser's Accept-Language).
  let lang = localStorage.getItem('coworkbot.lang') || document.documentElement.lang || (navigator.language || 'en').slice(0, 2);
  /** The page's own words (header, placeholder, Send, labels) in the conversation's language, and the greeting. */
  let ui = { lang: null, strings: {}, greeting: null };
  const say = (key, fallback) => ui.strings[key] || fallback;

  /** Shows the page in `code` (lang and dir on <html>, every labelled element); fetched once per language. */
  async function applyUi(code) {
    if (!code || code === ui.lang) return;
    try {
      const res = await fetch('/api/chat/ui?lang=' + encodeURIComponent(code));
      if (!res.ok) return;
      const u = await res.json();
      ui = { lang: code, strings: u.strings, greeting: u.greeting };
      document.documentElement.lang = u.lang;
      document.documentElement.dir = u.dir;
      for (const e of document.querySelectorAll('[data-ui]')) e.textContent = u.strings[e.dataset.ui];
      for (const e of document.querySelectorAll('[data-ui-label]')) {
        e.setAttribute('aria-label', u.strings[e.dataset.uiLabel]);
        if (e.title) e.title = u.strings[e.dataset.uiLabel];
      }
      for (const e of document.querySelectorAll('[data-ui-placeholder]')) e.placeholder = u.strings[e.dataset.uiPlaceholder];
      for (const e of document.querySelectorAll('.msg.staff .who')) {
        e.textContent = u.strings.facilitator;
        e.dir = u.dir;
      }
    } catch {
      // The page stays in the language it has; the conversation itself is unaffected.
    }
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function scroll() { log.scrollTop = log.scrollHeight; }

  function mapLink(p) {
    return `https://www.openstreetmap.org/?mlat=${p.lat}&mlon=${p.lng}#map=17/${p.lat}/${p.lng}`;
  }

  /** A space or an event is a card (a place to open); everything else is an option (a filter, the menu). */
  const isCard = (id) => /^know:(s|e|r):/.test(id);

  function choiceButton(c, row) {
    const b = el('button', isCard(c.id) ? 'card' : 'option', c.label);
    b.type = 'button';
    b.dir = 'auto';
    b.dataset.choice = c.id;
    b.addEventListener('click', () => {
      row.classList.add('used');
      send({ choice: c.id }, c.label);
    });
    return b;
  }

  /**
   * The greeting a new visitor sees before writing anything, in the page's language: what the chat
   * does, the main options, and the languages it speaks (each written in its own script). Choosing a
   * language shows the page and the greeting in it; nothing is sent until the person chooses or writes.
   */
  function showGreeting() {
    const g = ui.greeting;
    if (!g) return;
    const old = document.getElementById('greeting');
    const box = el('div', 'msg bot greeting');
    box.id = 'greeting';
    box.dir = 'auto';
    box.lang = ui.lang;
    box.append(el('p', '', g.welcome), el('p', 'ask', g.ask));
    const options = el('div', 'choices options');
    for (const c of g.menu) options.append(choiceButton(c, options));
    box.append(options);
    const head = el('p', 'ask', g.languageAsk);
    head.id = 'languages-label';
    const langs = el('div', 'languages');
    langs.setAttribute('role', 'group');
    langs.setAttribute('aria-labelledby', 'languages-label');
    for (const l of g.languages) {
      const b = el('button', 'lang', l.name);
      b.type = 'button';
      b.lang = l.code;
      b.dir = l.dir;
      b.dataset.lang = l.code;
      b.setAttribute('aria-pressed', String(l.code === ui.lang));
      b.addEventListener('click', async () => {
        lang = l.code;
        localStorage.setItem('coworkbot.lang', lang);
        await applyUi(lang);
        showGreeting();
        const again = document.querySelector(`#greeting button[data-lang="${l.code}"]`);
        if (again) again.focus();
      });
      langs.append(b);
    }
    box.append(head, langs);
    if (old) old.replaceWith(box);
    else log.append(box);
  }

  /** Once the conversation starts the greeting goes: the bot's first answer says the same and carries on. */
  function closeGreeting() {
    const g = document.getElementById('greeting');
    if (g) g.remove();
  }

  /**
   * Shows one message from the bot (or a facilitator). Each message id is shown once. Each line takes
   * its own direction from its first strong character (`dir=auto`, `unicode-bidi: plaintext`), as on
   * Telegram and WhatsApp: the server already marked right-to-left lines and isolated Latin runs, and
   * a facilitator's English line in an Arabic conversation stays left-to-right.
   */
  function showOut(m, author) {
    if (m.id && shown.has(m.id)) return;
    if (m.id) shown.add(m.id);
    const staff = author && author.startsWith('facilitator');
    const box = el('div', 'msg ' + (staff ? 'staff' : 'bot'));
    box.dir = 'auto';
    if (!staff) box.lang = lang;
    if (staff) {
      // Its own direction, so the box's `dir=auto` still follows the facilitator's text, not the label.
      const who = el('span', 'who', say('facilitator', 'A person from our team'));
      who.dir = document.documentElement.dir || 'ltr';
      box.append(who);
    }
    if (m.text) box.append(document.createTextNode(m.text));
    if (m.place) {
      const p = el('span', 'place');
      const a = el('a', '', m.place.name);
      a.href = mapLink(m.place);
      a.target = '_blank';
      a.rel = 'noopener';
      p.append(a, document.createTextNode(`\n${m.place.address}`));
      box.append(p);
    }
    if (m.media) {
      const a = el('a', '', m.media.fileName || m.media.url);
      a.href = m.media.url;
      box.append(a);
    }
    if (m.choices && m.choices.length) {
      // Spaces and events as cards, one under the other; options (filters, menu) as a row of chips.
      const cards = m.choices.filter((c) => isCard(c.id));
      const options = m.choices.filter((c) => !isCard(c.id));
      if (cards.length) {
        const list = el('div', 'choices cards');
        for (const c of cards) list.append(choiceButton(c, list));
        box.append(list);
      }
      if (options.length) {
        const row = el('div', 'choices options');
        for (const c of options) row.append(choiceButton(c, row));
        box.append(row);
      }
    }
    log.append(box);
    scroll();
  }

  function showMine(text) {
    const box = el('div', 'msg me', text);
    box.dir = 'auto';
    log.append(box);
    scroll();
  }

  async function api(path, body) {
    const res = await fetch('/api/chat/' + path, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error || res.statusText);
    return res.json();
  }

  async function ensureSession() {
    if (session) return;
    session = (await api('session', {})).session;
    localStorage.setItem('coworkbot.session', session);
  }

  async function send(payload, echo) {
    closeGreeting();
    showMine(echo);
    const first = !session;
    try {
      await ensureSession();
      if (first) listen();
      const r = await api('message', { session, id: crypto.randomUUID(), lang, ...payload });
      lang = r.lang;
      localStorage.setItem('coworkbot.lang', lang);
      await applyUi(r.lang);
      for (const m of r.replies) showOut(m, 'bot');
    } catch (err) {
      log.append(el('div', 'notice', say('sendFailed', 'The message could not be sent. Please try again.')));
    }
  }

  let listening = false;
  function listen() {
    if (!session || !window.EventSource || listening) return;
    listening = true;
    const es = new EventSource('/api/chat/stream?session=' + encodeURIComponent(session));
    es.addEventListener('message', (e) => {
      const d = JSON.parse(e.data);
      showOut({ ...d.message, id: d.id }, d.author);
    });
  }

  /** The conversation so far (after a reload); true when there was one. */
  async function restore() {
    if (!session) return false;
    try {
      const h = await api('history?session=' + encodeURIComponent(session));
      if (h.lang) lang = h.lang;
      await applyUi(lang);
      for (const m of h.messages) {
        if (m.direction === 'in') {
          const b = m.body;
          showMine(b.type === 'text' ? b.text : b.type === 'location' ? '📍' : b.type === 'choice' ? '✓' : '…');
        } else showOut({ ...m.body, id: m.id }, m.author);
      }
      return h.messages.length > 0;
    } catch {
      session = null;
      localStorage.removeItem('coworkbot.session');
      return false;
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send({ text }, text);
  });

  document.getElementById('locate').addEventListener('click', () => {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(
      (pos) => send({ location: { lat: pos.coords.latitude, lng: pos.coords.longitude } }, '📍'),
      () => log.append(el('div', 'notice', say('locateFailed', 'Your location could not be read.'))),
    );
  });

  applyUi(lang).then(restore).then((had) => {
    if (!had) showGreeting();
    listen();
  });
})();
