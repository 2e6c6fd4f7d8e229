// The verifier page: checks an e-document in the browser against the
// issuer's JWKS and status lists (docs/EDOCUMENT.md, "Verification"), the
// same checks as package verifier, then confirms it with the verify API.
// What is scanned goes nowhere but the verify API, and only once the
// document passed here: a tampered code is refused without a server call.
'use strict';
(function () {
  var root = document.getElementById('verifier');
  if (!root) { return; }
  var sector = root.dataset.sector;
  var csrf = root.dataset.csrf;
  var locale = root.dataset.lang || 'en';
  var texts = {};
  document.getElementById('texts').content.querySelectorAll('span').forEach(function (s) { texts[s.dataset.k] = s.textContent; });
  function t(k) {
    var args = Array.prototype.slice.call(arguments, 1);
    return (texts[k] || k).replace(/\{(\d)\}/g, function (_, i) { return String(args[Number(i)]); });
  }

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/verifier/sw.js', { scope: '/verifier/' }).catch(function () {});
  }

  var LEEWAY = 60;
  var MAX_INPUT = 4096;
  var MAX_INFLATED = 64 * 1024;
  var N = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
  var STATUS_PATH = '/api/v1/status-lists/';
  var PURPOSES = {
    bank: { passport: ['number', 'issuing_state', 'nationality', 'surname', 'given_names', 'birth_date', 'sex', 'expiry_date'], card: ['number', 'version', 'issue_date', 'expiry_date'], optional: ['previous_number'] },
    tax: { passport: ['nationality', 'surname', 'given_names', 'birth_date'], card: ['number'], optional: [] },
    telecom: { passport: ['nationality', 'surname', 'given_names'], card: ['number', 'expiry_date'], optional: [] },
    social_security: { passport: ['nationality', 'surname', 'given_names', 'birth_date', 'sex'], card: ['number', 'issue_date', 'expiry_date'], optional: [] }
  };

  function Fail(code, detail) { this.code = code; this.detail = detail; }

  function b64u(s) {
    if (!/^[A-Za-z0-9_-]*$/.test(s)) { throw new Error('not base64url'); }
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) { s += '='; }
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }

  // inflate undoes raw DEFLATE ('deflate-raw') or zlib ('deflate'),
  // refusing more than MAX_INFLATED bytes; the browser refuses bytes
  // after the final block.
  async function inflate(bytes, format) {
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format)).getReader();
    var parts = [], size = 0;
    for (;;) {
      var r = await reader.read();
      if (r.done) { break; }
      size += r.value.length;
      if (size > MAX_INFLATED) { reader.cancel(); throw new Error('too large'); }
      parts.push(r.value);
    }
    var out = new Uint8Array(size), at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  var utf8 = new TextDecoder('utf-8', { fatal: true });

  // tokenOf turns the QR text (fprl:/ and digit pairs, each ord(c)-45)
  // or a bare compact JWS into the JWS.
  function tokenOf(input) {
    input = input.trim();
    if (input.length > MAX_INPUT) { throw new Fail('format', t('d.too_long')); }
    if (input.indexOf('fprl:/') === 0) {
      var digits = input.slice(6);
      if (!/^(\d\d)+$/.test(digits)) { throw new Fail('format', t('d.digits')); }
      var s = '';
      for (var i = 0; i < digits.length; i += 2) {
        var v = Number(digits.slice(i, i + 2));
        if (v > 77) { throw new Fail('format', t('d.digits')); }
        s += String.fromCharCode(v + 45);
      }
      return s;
    }
    return input;
  }

  function splitJWS(jws, typ, zip) {
    var parts = jws.split('.');
    if (parts.length !== 3) { throw new Fail('format', t('d.not_jws')); }
    var header;
    try { header = JSON.parse(utf8.decode(b64u(parts[0]))); } catch (e) { throw new Fail('format', t('d.not_jws')); }
    if (header.typ !== typ || (zip ? header.zip !== 'DEF' : header.zip !== undefined) || typeof header.kid !== 'string') {
      throw new Fail('format', t('d.header'));
    }
    var sig;
    try { sig = b64u(parts[2]); } catch (e) { throw new Fail('format', t('d.not_jws')); }
    return { header: header, payload: parts[1], sig: sig, signed: new TextEncoder().encode(parts[0] + '.' + parts[1]) };
  }

  async function verifySig(jwk, sig, signed) {
    if (sig.length !== 64) { return false; }
    var key = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true },
      { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, sig, signed);
  }

  function highS(sig) {
    var hex = '0x';
    for (var i = 32; i < 64; i++) { hex += sig[i].toString(16).padStart(2, '0'); }
    return BigInt(hex) > N / BigInt(2);
  }

  // fetchTrust reads a JWKS or a status list through the service worker,
  // which answers from its cache when the network is gone and stamps each
  // copy with the time it was fetched.
  async function fetchTrust(path) {
    var res = await fetch(path, { credentials: 'omit' });
    if (!res.ok) { throw new Error('HTTP ' + res.status); }
    var fetched = res.headers.get('X-Fetched-At') || new Date().toISOString();
    return { body: await res.text(), fetched: new Date(fetched) };
  }

  var freshness = {};
  function showFreshness() {
    var el = document.getElementById('freshness');
    var lines = Object.keys(freshness).sort().map(function (k) {
      var mins = Math.max(0, Math.round((Date.now() - freshness[k].getTime()) / 60000));
      return t(k === 'jwks' ? 'f.keys' : k === 'lists' ? 'f.lists' : 'f.list', freshness[k].toLocaleString(locale), mins, k.replace(/^list:/, ''));
    });
    el.textContent = (navigator.onLine ? '' : t('f.offline') + ' ') + lines.join(' ');
  }

  async function loadJWKS() {
    var r = await fetchTrust('/.well-known/jwks.json');
    freshness.jwks = r.fetched;
    showFreshness();
    return JSON.parse(r.body);
  }

  function keyFor(jwks, kid) {
    return (jwks.keys || []).filter(function (k) { return k.kid === kid && k.kty === 'EC' && k.crv === 'P-256' && (!k.alg || k.alg === 'ES256'); });
  }

  function covers(k, iat) {
    if (typeof k.nbf === 'number' && iat + LEEWAY < k.nbf) { return false; }
    return typeof k.exp !== 'number' || iat - LEEWAY <= k.exp;
  }

  // The trust bundle holds every current status list: loaded with the
  // page, it lets a document be checked offline although its own list was
  // never fetched. Its signature is checked like any token's.
  var bundle = null;
  async function loadBundle(jwks) {
    var r = await fetchTrust('/api/v1/trust-bundle');
    var jws = splitJWS(r.body.trim(), 'fprl-bundle+jwt', false);
    var ok = false;
    for (var k of keyFor(jwks, jws.header.kid)) { if (await verifySig(k, jws.sig, jws.signed)) { ok = true; break; } }
    if (!ok || jws.header.alg !== 'ES256') { throw new Error('bundle signature'); }
    var claims = JSON.parse(utf8.decode(b64u(jws.payload)));
    bundle = { lists: claims.status_lists || {}, fetched: r.fetched };
    freshness.lists = r.fetched;
    showFreshness();
  }

  // listToken is the current token of a status list: fetched (through the
  // worker's cache), else the trust bundle's copy.
  async function listToken(current) {
    var id = current.slice(current.indexOf(STATUS_PATH) + STATUS_PATH.length);
    try {
      var r = await fetchTrust(STATUS_PATH + encodeURIComponent(id));
      freshness['list:' + id] = r.fetched;
      showFreshness();
      return r.body;
    } catch (e) {
      if (bundle && bundle.lists[current]) { return bundle.lists[current]; }
      throw e;
    }
  }

  async function statusOf(jwks, uri, idx, now) {
    var id = uri.slice(uri.indexOf(STATUS_PATH) + STATUS_PATH.length);
    var current = (jwks.issuers && jwks.issuers[0] || '') + STATUS_PATH + id;
    var r = {};
    try { r.body = await listToken(current); } catch (e) { return { result: 'skip', detail: t('d.list_unavailable') }; }
    var jws;
    try { jws = splitJWS(r.body.trim(), 'statuslist+jwt', false); } catch (e) { return { result: 'skip', detail: t('d.list_invalid') }; }
    if (jws.header.alg !== 'ES256') { return { result: 'skip', detail: t('d.list_invalid') }; }
    var ok = false;
    for (var k of keyFor(jwks, jws.header.kid)) { if (await verifySig(k, jws.sig, jws.signed)) { ok = true; break; } }
    if (!ok) { return { result: 'skip', detail: t('d.list_invalid') }; }
    var claims = JSON.parse(utf8.decode(b64u(jws.payload)));
    if (claims.sub !== current || !claims.status_list || claims.status_list.bits !== 2) { return { result: 'skip', detail: t('d.list_invalid') }; }
    if (typeof claims.exp !== 'number' || now >= claims.exp) { return { result: 'fail', detail: t('d.list_expired') }; }
    var bytes = await inflate(b64u(claims.status_list.lst), 'deflate');
    if (idx < 0 || idx >= bytes.length * 4) { return { result: 'fail', detail: t('d.list_index') }; }
    var v = (bytes[idx >> 2] >> (2 * (idx & 3))) & 3;
    if (v === 0) { return { result: 'pass', detail: t('d.status_valid') }; }
    return { result: 'fail', detail: t(v === 1 ? 'd.revoked' : v === 2 ? 'd.suspended' : 'd.status_value') };
  }

  // fprOK checks an FPR card number's check character: 2023 cards
  // (18 characters, ISO 7064 MOD 11-2) and 2017 cards (15, 7-3-1).
  function fprOK(n) {
    if (/^9\d{16}[\dX]$/.test(n)) {
      var w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], sum = 0;
      for (var i = 0; i < 17; i++) { sum += Number(n[i]) * w[i]; }
      return '10X98765432'[sum % 11] === n[17];
    }
    if (/^[A-Z]{3}\d{12}$/.test(n)) {
      var ws = [7, 3, 1], s = 0;
      for (var j = 0; j < 14; j++) {
        var ch = n.charCodeAt(j);
        s += (ch >= 65 ? ch - 55 : ch - 48) * ws[j % 3];
      }
      return String(s % 10) === n[14];
    }
    return false;
  }

  function fieldsCheck(c) {
    var p = c.passport || {}, card = c.fpr_card || {};
    if (c.type === 'fpr-passport-link') { return card.number && fprOK(card.number) ? null : t('d.fields'); }
    if (c.type !== 'fpr-passport-link/2' || !PURPOSES[c.aud]) { return t('d.type'); }
    var want = PURPOSES[c.aud];
    function same(obj, keys) {
      var have = Object.keys(obj).filter(function (k) { return want.optional.indexOf(k) < 0; }).sort();
      return have.join() === keys.slice().sort().join();
    }
    if (!same(p, want.passport) || !same(card, want.card)) { return t('d.members'); }
    if (!fprOK(card.number)) { return t('d.card_number'); }
    return null;
  }

  // checkLocally runs every offline check, in the verifier package's
  // order, and reports each.
  async function checkLocally(input) {
    var checks = [];
    function add(code, result, detail) { checks.push({ code: code, result: result, detail: detail }); }
    var claims = null, signed = false, now = Math.floor(Date.now() / 1000);
    try {
      var jws = splitJWS(tokenOf(input), 'fprl+jwt', true);
      try { claims = JSON.parse(utf8.decode(await inflate(b64u(jws.payload), 'deflate-raw'))); } catch (e) { throw new Fail('format', t('d.payload')); }
      if (!claims || typeof claims !== 'object' || typeof claims.iss !== 'string') { throw new Fail('format', t('d.payload')); }
      add('format', 'pass', t('d.format_ok'));
      if (jws.header.alg !== 'ES256') { throw new Fail('algorithm', t('d.alg')); }
      add('algorithm', 'pass', 'ES256');
      var jwks;
      try { jwks = await loadJWKS(); } catch (e) { throw new Fail('key', t('d.no_jwks')); }
      var issuers = jwks.issuers || [];
      var keys = issuers.indexOf(claims.iss) >= 0 ? keyFor(jwks, jws.header.kid) : [];
      if (keys.length === 0) { throw new Fail('key', t('d.unknown_key')); }
      keys = keys.filter(function (k) { return covers(k, claims.iat); });
      if (keys.length === 0) { throw new Fail('key', t('d.key_time')); }
      add('key', 'pass', jws.header.kid);
      if (highS(jws.sig)) { throw new Fail('signature', t('d.high_s')); }
      var good = false;
      for (var k of keys) { if (await verifySig(k, jws.sig, jws.signed)) { good = true; break; } }
      if (!good) { throw new Fail('signature', t('d.signature')); }
      signed = true;
      add('signature', 'pass', t('d.signature_ok'));
      if (!claims.exp || now - LEEWAY >= claims.exp) { add('time', 'fail', t('d.expired')); }
      else if (now + LEEWAY < claims.nbf || now + LEEWAY < claims.iat) { add('time', 'fail', t('d.not_yet')); }
      else { add('time', 'pass', t('d.time_ok', new Date(claims.exp * 1000).toLocaleString(locale))); }
      if (claims.aud === undefined) { add('audience', claims.type === 'fpr-passport-link' ? 'pass' : 'fail', t('d.aud_v1')); }
      else if (claims.aud === sector) { add('audience', 'pass', t('d.aud_ok')); }
      else { add('audience', 'fail', t('d.aud_other')); }
      var ref = claims.status && claims.status.status_list || {};
      var base = claims.iss + STATUS_PATH;
      if (typeof ref.uri !== 'string' || ref.uri.indexOf(base) !== 0 || ref.uri.length === base.length || typeof ref.idx !== 'number') {
        add('status', 'fail', t('d.list_uri'));
      } else {
        var st = await statusOf(jwks, ref.uri, ref.idx, now);
        add('status', st.result, st.detail);
      }
      var f = fieldsCheck(claims);
      add('fields', f ? 'fail' : 'pass', f || t('d.fields_ok'));
    } catch (e) {
      if (e instanceof Fail) { add(e.code, 'fail', e.detail); } else { add('format', 'fail', t('d.payload')); }
    }
    var failed = checks.some(function (c) { return c.result === 'fail'; });
    var unknown = !failed && checks.some(function (c) { return c.result === 'skip'; });
    return { checks: checks, valid: !failed && !unknown, unknown: unknown, claims: signed ? claims : null };
  }

  function listChecks(ul, checks, online) {
    ul.textContent = '';
    checks.forEach(function (c) {
      var li = document.createElement('li');
      li.className = c.result;
      li.dataset.code = c.code;
      var b = document.createElement('strong');
      b.textContent = t('c.' + c.code) + ': ' + t('r.' + c.result);
      li.appendChild(b);
      li.appendChild(document.createTextNode(' ' + (online ? c.message : c.detail)));
      ul.appendChild(li);
    });
  }

  function showHolder(doc, source) {
    var dl = document.getElementById('holder');
    dl.textContent = '';
    if (!doc) { return; }
    var rows = [];
    var p = doc.passport || {}, card = doc.fpr_card || {};
    rows.push(['h.name', (p.surname || '') + ', ' + (p.given_names || '') + (doc.chinese_name ? ' (' + doc.chinese_name + ')' : '')]);
    [['number', 'h.passport'], ['issuing_state', 'h.issuing_state'], ['nationality', 'h.nationality'], ['birth_date', 'h.birth_date'], ['sex', 'h.sex'], ['expiry_date', 'h.passport_expiry']].forEach(function (f) {
      if (p[f[0]]) { rows.push([f[1], p[f[0] + '_name'] ? p[f[0] + '_name'] + ' (' + p[f[0]] + ')' : p[f[0]]]); }
    });
    [['number', 'h.card'], ['issue_date', 'h.card_issue'], ['expiry_date', 'h.card_expiry']].forEach(function (f) {
      if (card[f[0]]) { rows.push([f[1], card[f[0]]]); }
    });
    rows.push(['h.source', t(source)]);
    rows.forEach(function (r) {
      var dt = document.createElement('dt'); dt.textContent = t(r[0]);
      var dd = document.createElement('dd'); dd.textContent = r[1]; dd.setAttribute('translate', 'no');
      dl.appendChild(dt); dl.appendChild(dd);
    });
  }

  function verdict(state) {
    var v = document.getElementById('verdict');
    v.className = 'verdict ' + state;
    v.dataset.state = state;
    v.textContent = t('v.' + state);
  }

  async function confirmOnline(body) {
    var state = document.getElementById('online-state');
    state.textContent = t('o.asking');
    listChecks(document.getElementById('online-checks'), [], true);
    var res;
    try {
      res = await fetch('/verifier/verify', { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body) });
    } catch (e) {
      state.textContent = t('o.offline');
      return null;
    }
    var answer = await res.json().catch(function () { return null; });
    if (!res.ok || !answer) {
      state.textContent = answer && answer.detail ? answer.detail : t('o.error');
      return null;
    }
    state.textContent = t('o.done', new Date(answer.checked_at).toLocaleString(locale));
    listChecks(document.getElementById('online-checks'), answer.checks, true);
    return answer;
  }

  function showResult() {
    var sec = document.getElementById('result');
    sec.hidden = false;
    sec.focus();
  }

  async function check(input) {
    showResult();
    verdict('checking');
    document.getElementById('online-state').textContent = '';
    listChecks(document.getElementById('online-checks'), [], true);
    var local = await checkLocally(input);
    listChecks(document.getElementById('local-checks'), local.checks, false);
    showHolder(local.claims, 'h.from_signed');
    if (!local.valid && !local.unknown) {
      verdict('invalid');
      document.getElementById('online-state').textContent = t('o.not_sent');
      return;
    }
    verdict(local.valid ? 'valid_offline' : 'unknown');
    var trimmed = input.trim();
    var answer = await confirmOnline(trimmed.indexOf('fprl:/') === 0 ? { qr: trimmed } : { token: trimmed });
    if (answer) {
      verdict(answer.valid ? 'valid' : answer.status === 'unknown' ? 'unknown' : 'invalid');
      if (answer.document) { showHolder(answer.document, 'h.from_registry'); }
    }
  }

  document.getElementById('paste-form').addEventListener('submit', function (e) {
    e.preventDefault();
    check(document.getElementById('qrtext').value);
  });

  document.getElementById('typed-form').addEventListener('submit', async function (e) {
    e.preventDefault();
    showResult();
    verdict('checking');
    listChecks(document.getElementById('local-checks'), [], false);
    showHolder(null);
    var answer = await confirmOnline({ document_number: document.getElementById('docnum').value.trim(),
      verification_code: document.getElementById('vcode').value.trim() });
    if (!answer) { verdict('unknown'); return; }
    verdict(answer.valid ? 'valid' : answer.status === 'unknown' ? 'unknown' : 'invalid');
    if (answer.document) { showHolder(answer.document, 'h.from_registry'); }
  });

  // decodeImage reads a QR code from an image: the browser's
  // BarcodeDetector where there is one, else jsQR on the pixels.
  async function decodeImage(source, w, h) {
    if ('BarcodeDetector' in window) {
      try {
        var found = await new window.BarcodeDetector({ formats: ['qr_code'] }).detect(source);
        if (found.length) { return found[0].rawValue; }
      } catch (e) { /* fall back to jsQR */ }
    }
    if (!window.jsQR) { return null; }
    var scale = Math.min(1, 1600 / Math.max(w, h));
    var canvas = document.createElement('canvas');
    canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
    var ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
    var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(img.data, img.width, img.height);
    return code ? code.data : null;
  }

  document.getElementById('photo').addEventListener('change', async function (e) {
    var file = e.target.files && e.target.files[0];
    if (!file) { return; }
    var bmp = await createImageBitmap(file);
    var text = await decodeImage(bmp, bmp.width, bmp.height);
    if (!text) {
      showResult();
      verdict('unreadable');
      return;
    }
    document.getElementById('qrtext').value = text;
    check(text);
  });

  var cam = document.getElementById('camera');
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    cam.hidden = false;
    cam.addEventListener('click', async function () {
      var video = document.getElementById('video');
      var stream;
      try { stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }); } catch (e) {
        showResult(); verdict('no_camera'); return;
      }
      video.srcObject = stream; video.hidden = false;
      await video.play();
      var started = Date.now();
      (async function scan() {
        var text = video.videoWidth ? await decodeImage(video, video.videoWidth, video.videoHeight) : null;
        if (text || Date.now() - started > 60000) {
          stream.getTracks().forEach(function (tr) { tr.stop(); });
          video.hidden = true;
          if (text) { document.getElementById('qrtext').value = text; check(text); }
          return;
        }
        setTimeout(scan, 250);
      })();
    });
  }

  // Warm the caches as soon as the page loads, so it works offline after.
  loadJWKS().then(loadBundle).catch(function () { document.getElementById('freshness').textContent = t('f.none'); });
  window.addEventListener('online', showFreshness);
  window.addEventListener('offline', showFreshness);
})();
