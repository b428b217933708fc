// The web chat: plain JavaScript, no framework. Talks to /api/chat (see README).
(() => {
  const log = document.getElementById('log');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const shown = new Set();
  let session = localStorage.getItem('coworkbot.session');
  let lang = (navigator.language || 'en').slice(0, 2);
  /** The page's own words (header, placeholder, Send, labels) in the conversation's language. */
  let ui = { lang: null, strings: {} };
  const say = (key, fallback) => ui.strings[key] || fallback;

  /** Shows the page in `code` (lang and dir on <html>, every labelled element); fetched once per language. */
  async function applyUi(code) {
    if (!code || code === ui.lang) return;
    try {
      const res = await fetch('/api/chat/ui?lang=' + encodeURIComponent(code));
      if (!res.ok) return;
      const u = await res.json();
      ui = { lang: code, strings: u.strings };
      document.documentElement.lang = u.lang;
      document.documentElement.dir = u.dir;
      for (const e of document.querySelectorAll('[data-ui]')) e.textContent = u.strings[e.dataset.ui];
      for (const e of document.querySelectorAll('[data-ui-label]')) {
        e.setAttribute('aria-label', u.strings[e.dataset.uiLabel]);
        if (e.title) e.title = u.strings[e.dataset.uiLabel];
      }
      for (const e of document.querySelectorAll('[data-ui-placeholder]')) e.placeholder = u.strings[e.dataset.uiPlaceholder];
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
    if (staff) box.append(el('span', 'who', '👤'));
    if (m.text) box.append(document.createTextNode(m.text));
    if (m.place) {
      const p = el('span', 'place');
      const a = el('a', '', `📍 ${m.place.name}`);
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
      const row = el('div', 'choices');
      for (const c of m.choices) {
        const b = el('button', '', c.label);
        b.type = 'button';
        b.dir = 'auto';
        b.dataset.choice = c.id;
        b.addEventListener('click', () => {
          row.classList.add('used');
          send({ choice: c.id }, c.label);
        });
        row.append(b);
      }
      box.append(row);
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
    showMine(echo);
    try {
      await ensureSession();
      const r = await api('message', { session, id: crypto.randomUUID(), lang, ...payload });
      lang = r.lang;
      await applyUi(r.lang);
      for (const m of r.replies) showOut(m, 'bot');
    } catch (err) {
      log.append(el('div', 'notice', '⚠️ ' + say('sendFailed', 'The message could not be sent. Please try again.')));
    }
  }

  function listen() {
    if (!session || !window.EventSource) return;
    const es = new EventSource('/api/chat/stream?session=' + encodeURIComponent(session));
    es.addEventListener('message', (e) => {
      const d = JSON.parse(e.data);
      showOut({ ...d.message, id: d.id }, d.author);
    });
  }

  async function restore() {
    if (!session) return;
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
    } catch {
      session = null;
      localStorage.removeItem('coworkbot.session');
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    const first = !session;
    send({ text }, text).then(() => { if (first) listen(); });
  });

  document.getElementById('locate').addEventListener('click', () => {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(
      (pos) => send({ location: { lat: pos.coords.latitude, lng: pos.coords.longitude } }, '📍'),
      () => log.append(el('div', 'notice', '📍 ' + say('locateFailed', 'Your location could not be read.'))),
    );
  });

  applyUi(lang).then(restore).then(listen);
})();
