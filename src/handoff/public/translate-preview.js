// The facilitators' translation preview, shared by the console and the inbox: the reply box's text
// goes to the translate endpoint (the button's data-url); the translation replaces it and the
// original is kept, so pressing again translates the original, not the translation. No inline
// scripts (strict CSP).
(function () {
  'use strict';
  /** @param {HTMLButtonElement} button */
  window.coworkbotTranslate = function (button) {
    var box = document.getElementById('reply-text');
    var original = document.getElementById('reply-original');
    var note = document.getElementById('translate-note');
    var text = (original.value && box.dataset.translated === box.value) ? original.value : box.value;
    if (!text.trim()) return;
    button.disabled = true;
    fetch(button.getAttribute('data-url'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector('meta[name=csrf]').content },
      body: JSON.stringify({ text: text }),
    }).then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); }).then(function (r) {
      original.value = text;
      box.value = r.translation;
      box.dataset.translated = r.translation;
      note.textContent = note.getAttribute('data-ok') + ' — ' + text;
      note.hidden = false;
      box.focus();
    }).catch(function () {
      note.textContent = note.getAttribute('data-failed');
      note.hidden = false;
    }).then(function () { button.disabled = false; });
  };
})();
