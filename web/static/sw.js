// The verifier page's service worker: keeps the page, its script and the
// issuer's keys and status lists, so the page still checks documents once
// the network is gone. Keys and lists are fetched network first and each
// copy is stamped with when it was fetched (X-Fetched-At), which the page
// shows; nothing else is cached, and nothing scanned ever passes here.
'use strict';
var CACHE = 'fprl-verifier-v1';
var SHELL = ['/verifier/', '/static/app.css', '/static/verify.js', '/static/vendor/jsqr/jsQR.js'];

self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function kept(url) {
  return url.pathname === '/.well-known/jwks.json' || url.pathname === '/api/v1/trust-bundle' ||
    url.pathname.indexOf('/api/v1/status-lists/') === 0 || SHELL.indexOf(url.pathname) >= 0;
}

self.addEventListener('fetch', function (e) {
  var url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== self.location.origin || !kept(url)) { return; }
  e.respondWith(networkFirst(e.request));
});

async function networkFirst(req) {
  var cache = await caches.open(CACHE);
  try {
    var res = await fetch(req, { cache: 'no-store' });
    if (!res.ok) { return res; }
    var body = await res.arrayBuffer();
    var headers = new Headers(res.headers);
    headers.set('X-Fetched-At', new Date().toISOString());
    var stamped = new Response(body, { status: res.status, statusText: res.statusText, headers: headers });
    await cache.put(req.url, stamped.clone());
    return stamped;
  } catch (err) {
    var hit = await cache.match(req.url);
    if (hit) { return hit; }
    throw err;
  }
}
