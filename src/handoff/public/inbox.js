// The facilitators' inbox: the queue, the open conversation and its context swap in place (no page
// reload), live over the console's server-sent events, every action from the keyboard. No inline
// scripts (strict CSP). The server renders every fragment (src/handoff/inbox-views.ts).
(function () {
  'use strict';
  var root = document.getElementById('inbox');
  if (!root) return;
  var S = JSON.parse(root.getAttribute('data-strings'));
  var queue = document.getElementById('queue');
  var work = document.getElementById('work');
  var live = document.getElementById('inbox-live');
  var csrf = document.querySelector('meta[name=csrf]').content;
  var stream = null;
  var enc = encodeURIComponent;

  function say(text) {
    live.textContent = '';
    setTimeout(function () { live.textContent = text; }, 30);
  }
  function conv() { return document.getElementById('conv'); }
  function openId() { var c = conv(); return c ? c.getAttribute('data-person') : null; }
  function items() { return Array.prototype.slice.call(queue.querySelectorAll('a[data-person]')); }
  /** Newest at the bottom: scroll there now and once more after late layout (fonts, a status label). */
  function scrollThread() {
    var go = function () { var t = document.getElementById('thread'); if (t) t.scrollTop = t.scrollHeight; };
    go();
    requestAnimationFrame(go);
    setTimeout(go, 300);
  }
  function nearBottom(t) { return t.scrollHeight - t.scrollTop - t.clientHeight < 80; }
  function getText(url) {
    return fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' }).then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); });
  }

  function markCurrent() {
    var id = openId();
    items().forEach(function (a) {
      if (a.getAttribute('data-person') === id) a.setAttribute('aria-current', 'true');
      else a.removeAttribute('aria-current');
    });
  }

  var queueTimer = null;
  function refreshQueue() {
    clearTimeout(queueTimer);
    queueTimer = null;
    return getText('/console/inbox/queue?c=' + enc(openId() || '')).then(function (h) {
      var had = document.activeElement && queue.contains(document.activeElement) ? document.activeElement.getAttribute('data-person') : null;
      queue.innerHTML = h;
      markCurrent();
      if (had) { var a = queue.querySelector('a[data-person="' + had + '"]'); if (a) a.focus(); }
    }).catch(function () {});
  }
  function soon() { if (!queueTimer) queueTimer = setTimeout(refreshQueue, 250); }

  /** Opens a conversation in place. `focus`: 'heading' (default), 'reply' or 'none'. */
  var opening = 0;
  function open(personId, focus, push) {
    var mine = ++opening;
    return getText('/console/inbox/c/' + enc(personId)).then(function (h) {
      if (mine !== opening) return; // a later open (or the queue) won
      // A refresh in place keeps the keyboard where it was.
      var had = focus === 'none' && document.activeElement && work.contains(document.activeElement) ? document.activeElement.id : '';
      work.innerHTML = h;
      if (had) { var back = document.getElementById(had); if (back) back.focus(); }
      root.classList.add('has-open');
      if (push !== false) history.pushState({ c: personId }, '', '/console/inbox?c=' + enc(personId));
      connect();
      scrollThread();
      markCurrent();
      var box = document.getElementById('reply-text');
      if (focus === 'reply' && box) box.focus();
      else if (focus !== 'none') document.getElementById('conv-h').focus();
      refreshQueue();
    }).catch(function () { say(S.loadFailed); });
  }

  function showPick() {
    opening++;
    if (stream) { stream.close(); stream = null; }
    var p = document.createElement('p');
    p.className = 'pick';
    p.textContent = S.pick;
    work.innerHTML = '';
    work.appendChild(p);
    root.classList.remove('has-open');
    history.pushState({}, '', '/console/inbox');
  }

  /** After a release or a close: the next conversation someone waits in (safety first), else the queue. */
  function next(done) {
    var closed = openId();
    return refreshQueue().then(function () {
      var waiting = items().filter(function (a) { return a.getAttribute('data-person') !== closed && a.parentNode.classList.contains('waiting'); });
      var mine = items().filter(function (a) { return a.getAttribute('data-person') !== closed && a.parentNode.classList.contains('mine'); });
      var to = waiting[0] || mine[0];
      if (to) return open(to.getAttribute('data-person')).then(function () { say(done + ' ' + S.next); });
      showPick();
      say(done);
      var first = items()[0];
      if (first) first.focus(); else queue.focus();
    });
  }

  function messageItem(m) {
    var li = document.createElement('li');
    li.className = 'msg ' + m.direction + ' ' + m.kind;
    li.setAttribute('data-id', String(m.id));
    var who = document.createElement('span'); who.className = 'who'; who.textContent = m.author; li.appendChild(who);
    li.appendChild(document.createTextNode(' '));
    var at = document.createElement('span'); at.className = 'at'; at.textContent = m.at; li.appendChild(at);
    var text = document.createElement('div'); text.className = 'text'; text.dir = 'auto'; text.textContent = m.text; li.appendChild(text);
    if (m.translation) {
      var tr = document.createElement('div'); tr.className = 'translation'; tr.dir = 'auto';
      var label = document.createElement('span'); label.className = 'visually-hidden'; label.textContent = S.translation + ': ';
      tr.appendChild(label); tr.appendChild(document.createTextNode(m.translation)); li.appendChild(tr);
    }
    if (m.status) { var st = document.createElement('span'); st.className = 'delivery'; st.setAttribute('data-status', m.status); st.textContent = m.status; li.appendChild(st); }
    return li;
  }

  var readTimer = null;
  function markRead(personId, last) {
    clearTimeout(readTimer);
    readTimer = setTimeout(function () {
      fetch('/console/inbox/c/' + enc(personId) + '/read', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify({ last: last }) }).then(soon, function () {});
    }, 300);
  }

  /** The open conversation's live stream: new messages at the bottom, delivery statuses in place. */
  function connect() {
    if (stream) { stream.close(); stream = null; }
    var c = conv();
    if (!c || !window.EventSource) return;
    var personId = c.getAttribute('data-person');
    stream = new EventSource(c.getAttribute('data-stream'));
    stream.addEventListener('message', function (ev) {
      var thread = document.getElementById('thread');
      var m = JSON.parse(ev.data);
      if (!thread || openId() !== personId || thread.querySelector('[data-id="' + m.id + '"]')) return;
      var atBottom = nearBottom(thread);
      thread.appendChild(messageItem(m));
      if (atBottom || m.direction === 'out') scrollThread();
      if (m.direction === 'in') markRead(personId, m.id);
    });
    stream.addEventListener('status', function (ev) {
      var thread = document.getElementById('thread');
      if (!thread) return;
      var atBottom = nearBottom(thread);
      JSON.parse(ev.data).forEach(function (s) {
        var el = thread.querySelector('[data-id="' + s.id + '"] .delivery');
        if (el) { el.textContent = s.status; el.setAttribute('data-status', s.status); }
      });
      if (atBottom) scrollThread();
    });
  }

  /** A console action (claim, reply, release, close, reassign, note) posted in the background. */
  var actingUntil = 0;
  function act(form) {
    actingUntil = Date.now() + 3000;
    var kind = form.getAttribute('data-act');
    var personId = openId();
    var buttons = form.querySelectorAll('button');
    buttons.forEach(function (b) { b.disabled = true; });
    return fetch(form.action, {
      method: 'POST',
      headers: { accept: 'application/json', 'X-CSRF-Token': csrf },
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
    }).then(function (res) {
      buttons.forEach(function (b) { b.disabled = false; });
      if (kind === 'claim') {
        return open(personId, res.ok ? 'reply' : 'heading', false).then(function () { say(res.ok ? S.claimed : S.lost); });
      }
      if (!res.ok) { say(S.failed); return; }
      if (kind === 'reply') {
        var box = document.getElementById('reply-text');
        box.value = '';
        document.getElementById('reply-original').value = '';
        var note = document.getElementById('translate-note');
        if (note) note.hidden = true;
        box.focus();
        say(S.sent);
        return;
      }
      if (kind === 'release') return next(S.released);
      if (kind === 'close') return next(S.closed);
      return open(personId, kind === 'note' ? 'none' : 'heading', false).then(function () {
        if (kind === 'note') { var n = document.getElementById('note-text'); if (n) n.focus(); }
      });
    }).catch(function () {
      buttons.forEach(function (b) { b.disabled = false; });
      say(S.failed);
    });
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.matches || !form.matches('#inbox form[data-act]')) return;
    e.preventDefault();
    act(form);
  });

  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-person]');
    if (a && queue.contains(a)) {
      e.preventDefault();
      open(a.getAttribute('data-person'));
      return;
    }
    var back = e.target.closest && e.target.closest('a[data-action="back"]');
    if (back) {
      e.preventDefault();
      root.classList.remove('has-open');
      var cur = queue.querySelector('a[aria-current="true"]') || items()[0];
      if (cur) cur.focus();
      return;
    }
    if (e.target.id === 'use-canned') {
      var sel = document.getElementById('canned');
      var box = document.getElementById('reply-text');
      box.value = sel.value;
      document.getElementById('reply-original').value = '';
      box.focus();
      return;
    }
    if (e.target.id === 'translate') window.coworkbotTranslate(e.target);
  });

  function click(id) { var el = document.getElementById(id); if (el) { el.click(); return true; } return false; }
  function focus(id) { var el = document.getElementById(id); if (el) { el.focus(); return true; } return false; }

  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var typing = t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.isContentEditable);
    if (typing) {
      if (t.id === 'reply-text' && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        var f = document.getElementById('composer');
        if (f && t.value.trim()) f.requestSubmit();
      } else if (e.key === 'Escape') {
        t.blur();
        var th = document.getElementById('thread');
        if (th) th.focus();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var handled = true;
    switch (e.key) {
      case 'j': case 'k': {
        var list = items();
        if (!list.length) break;
        var i = list.findIndex(function (a) { return a.getAttribute('data-person') === openId(); });
        var to = list[i < 0 ? 0 : Math.min(list.length - 1, Math.max(0, i + (e.key === 'j' ? 1 : -1)))];
        if (to && to.getAttribute('data-person') !== openId()) open(to.getAttribute('data-person'));
        break;
      }
      case 'c': handled = click('claim'); break;
      case 'r': handled = focus('reply-text'); break;
      case 'b': handled = click('release'); break;
      case 'x': handled = focus('outcome'); break;
      case 'n': handled = focus('note-text'); break;
      case '?': { var k = root.querySelector('details.keys'); if (k) k.open = !k.open; break; }
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });

  window.addEventListener('popstate', function () {
    var c = new URLSearchParams(location.search).get('c');
    if (c) open(c, 'heading', false); else showPick();
  });

  // The queue is live: a case opened, claimed, released or closed, or someone wrote.
  if (window.EventSource) {
    var events = new EventSource(root.getAttribute('data-events'));
    events.addEventListener('queue', function (ev) {
      soon();
      // The open conversation changed hands (someone else claimed it): show its new state, unless a reply is being written.
      var box = document.getElementById('reply-text');
      // Not after our own action: its answer already shows the new state.
      if (ev.data === openId() && !(box && box.value) && Date.now() > actingUntil) open(ev.data, 'none', false);
    });
    events.addEventListener('activity', soon);
  }
  // Waiting times age: refresh the queue every minute.
  setInterval(refreshQueue, 60000);

  if (conv()) { connect(); scrollThread(); }
})();
