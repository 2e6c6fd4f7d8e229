// "Centres near me": asks the browser for the position and sends it in a
// POST body (never the URL). Without geolocation the button stays hidden
// and the search by city works as before.
'use strict';
(function () {
  var form = document.getElementById('near-form');
  if (!form || !navigator.geolocation) { return; }
  form.hidden = false;
  document.getElementById('near-button').addEventListener('click', function () {
    var status = document.getElementById('near-status');
    status.textContent = '…';
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById('near-lat').value = pos.coords.latitude.toFixed(3);
      document.getElementById('near-lon').value = pos.coords.longitude.toFixed(3);
      form.submit();
    }, function () {
      status.textContent = '';
      document.getElementById('near-denied').hidden = false;
    }, { timeout: 10000, maximumAge: 600000 });
  });
})();
