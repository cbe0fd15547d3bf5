// Confirms a counted one-click answer from a real browser (scanners rarely run scripts), and
// wires the copy button. A suspect answer is never confirmed here: that needs the person's click.
(function () {
  var main = document.getElementById('answer');
  if (main && main.dataset.state === 'counted' && main.dataset.confirmUrl) {
    var send = function () {
      fetch(main.dataset.confirmUrl, {method: 'POST', headers: {'X-Vouch-Confirm': 'script'}})
        .catch(function () {});
    };
    if (document.visibilityState === 'visible') send();
    else document.addEventListener('visibilitychange', function once() {
      if (document.visibilityState === 'visible') { document.removeEventListener('visibilitychange', once); send(); }
    });
  }
  var copy = document.getElementById('copy');
  if (copy) copy.addEventListener('click', function () {
    var text = copy.dataset.copy;
    if (navigator.clipboard) navigator.clipboard.writeText(text);
    else { var i = document.getElementById('share-url'); i.select(); document.execCommand('copy'); }
    // The button keeps its name for screen readers; the tick only adds to it.
    if (copy.textContent.slice(-2) !== ' ✓') copy.textContent += ' ✓';
  });
})();
