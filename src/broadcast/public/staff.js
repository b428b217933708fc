// Staff portal: updates the progress bar of a broadcast that is sending (polling its status).
(function () {
  var bar = document.getElementById('progress');
  if (!bar) return;
  var url = bar.getAttribute('data-url');
  var label = document.getElementById('progress-label');
  function tick() {
    fetch(url, { headers: { accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var done = s.total - (s.byStatus.pending || 0) - (s.byStatus.sending || 0);
        bar.max = Math.max(1, s.total);
        bar.value = done;
        if (label) label.textContent = done + ' / ' + s.total;
        if (s.status === 'sending' || s.status === 'scheduled') setTimeout(tick, 1000);
        else location.reload();
      })
      .catch(function () { setTimeout(tick, 3000); });
  }
  tick();
})();
