// The share page: offers full screen where the browser allows it, so the
// QR fills the phone's screen at the counter.
'use strict';
(function () {
  var b = document.getElementById('fullscreen');
  var area = document.getElementById('share');
  if (!b || !area || !document.fullscreenEnabled) { return; }
  b.hidden = false;
  b.addEventListener('click', function () { area.requestFullscreen().catch(function () {}); });
})();
