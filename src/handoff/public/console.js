// The console's live parts: new messages and delivery statuses without reload (server-sent
// events), queue refresh, and inserting a canned reply. No inline scripts (strict CSP).
(function () {
  'use strict';
  var history = document.getElementById('history');
  // Newest at the bottom: the person's request and your own reply are in view.
  if (history) history.scrollTop = history.scrollHeight;
  if (history && window.EventSource) {
    var es = new EventSource(history.getAttribute('data-stream'));
    es.addEventListener('message', function (ev) {
      var m = JSON.parse(ev.data);
      if (history.querySelector('[data-id="' + m.id + '"]')) return;
      var li = document.createElement('li');
      li.className = 'msg ' + m.direction + ' ' + m.kind;
      li.setAttribute('data-id', String(m.id));
      var who = document.createElement('span'); who.className = 'who'; who.textContent = m.author; li.appendChild(who);
      var at = document.createElement('span'); at.className = 'at'; at.textContent = ' ' + m.at; li.appendChild(at);
      var text = document.createElement('div'); text.className = 'text'; text.dir = 'auto'; text.textContent = m.text; li.appendChild(text);
      if (m.translation) { var tr = document.createElement('div'); tr.className = 'translation'; tr.dir = 'auto'; tr.textContent = '⇄ ' + m.translation; li.appendChild(tr); }
      if (m.status) { var st = document.createElement('span'); st.className = 'delivery'; st.setAttribute('data-status', m.status); st.textContent = m.status; li.appendChild(st); }
      history.appendChild(li);
      li.scrollIntoView({ block: 'end' });
    });
    es.addEventListener('status', function (ev) {
      JSON.parse(ev.data).forEach(function (s) {
        var el = history.querySelector('[data-id="' + s.id + '"] .delivery');
        if (el) { el.textContent = s.status; el.setAttribute('data-status', s.status); }
      });
    });
  }
  var live = document.getElementById('live');
  if (live && window.EventSource) {
    var q = new EventSource(live.getAttribute('data-stream'));
    var timer = null;
    q.addEventListener('queue', function () {
      if (timer) return;
      timer = setTimeout(function () { location.reload(); }, 300);
    });
    // Waiting times and alerts age: refresh every minute.
    setTimeout(function () { location.reload(); }, 60000);
  }
  var translate = document.getElementById('translate');
  if (translate) translate.addEventListener('click', function () { window.coworkbotTranslate(translate); });
  var use = document.getElementById('use-canned');
  if (use) {
    use.addEventListener('click', function () {
      var sel = document.getElementById('canned');
      var box = document.getElementById('reply-text');
      box.value = sel.value;
      var original = document.getElementById('reply-original');
      if (original) original.value = '';
      box.focus();
    });
  }
})();
