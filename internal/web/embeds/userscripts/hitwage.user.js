// ==UserScript==
// @name         hitwage for Prolific
// @namespace    {{.Site}}
// @version      {{.Version}}
// @description  Shows each researcher's effective hourly wage and grade from hitwage beside Prolific's studies, and, with your reporting token, reports your finished submissions to hitwage.
// @match        https://app.prolific.com/*
// @connect      {{.Host}}
// @grant        GM_xmlhttpRequest
// @grant        GM_getValue
// @grant        GM_setValue
// @grant        unsafeWindow
// @run-at       document-start
// @noframes
// @downloadURL  {{.Site}}/userscripts/hitwage.user.js
// @updateURL    {{.Site}}/userscripts/hitwage.user.js
// ==/UserScript==

// How it works (docs/userscript.md): it reads the JSON the participant app fetches for itself by
// wrapping the page's fetch and XMLHttpRequest; it never sends a request to Prolific. It sends
// requests to one place only, SITE: one batched lookup of the listed studies' researchers, and,
// once a reporting token is saved, the finished submissions (each once) to /api/v1/reports.
// Every piece of text it puts in the page goes in through textContent.
(function () {
  'use strict';

  const SITE = {{.SiteJSON}};
  const LOOKUP_TTL_MS = 60 * 60 * 1000; // a researcher's figures are kept this long
  const MAX_IDS = 100; // the site's limit of ids per lookup
  const MAX_RECORDS = 200; // records per report request
  const MAX_STUDIES_KEPT = 2000; // study -> researcher entries remembered across visits
  const LISTING_EVERY = 60 * 60 * 1000; // a study's listing is relayed at most once an hour

  // ---------------------------------------------------------------------------------------
  // Platforms: the only part that knows a platform's URLs and JSON. Each names the platform's
  // id on hitwage, recognises the responses it reads (match) and turns them into studies
  // (id, name, researcherId, researcherName) and report records. Another platform (the MTurk
  // archive's saved pages, a third site) adds an entry here; the core below stays as it is.
  const platforms = {};

  // minorToMajor turns an amount in minor units (pence, cents) into a decimal string, exactly:
  // 225 -> "2.25", 5 -> "0.05". It answers null for anything but a non-negative whole number.
  function minorToMajor(minor) {
    if (typeof minor !== 'number' || !Number.isSafeInteger(minor) || minor < 0) return null;
    const s = String(minor).padStart(3, '0');
    return s.slice(0, -2) + '.' + s.slice(-2);
  }

  const PROLIFIC_ID = /^[0-9a-f]{24}$/i;
  // Prolific's statuses of a submission that is over; RESERVED and ACTIVE ones are never sent.
  const PROLIFIC_FINISHED = ['APPROVED', 'AWAITING REVIEW', 'REJECTED', 'SCREENED OUT', 'RETURNED', 'TIMED-OUT'];

  platforms.prolific = {
    id: 'prolific',
    pageHost: 'app.prolific.com',
    // match names what a response at url holds: 'studies', 'submissions' or null.
    match(url) {
      if (/\/participant\/studies\/?$/.test(url.pathname)) return 'studies';
      if (/\/participant\/submissions\/?$/.test(url.pathname)) return 'submissions';
      return null;
    },
    // studies reads participant/studies (the 2026 and the 2020 schema).
    studies(json) {
      const out = [];
      for (const s of resultsOf(json)) {
        if (!s || typeof s.id !== 'string' || !PROLIFIC_ID.test(s.id)) continue;
        const r = s.researcher || {};
        out.push({
          id: s.id,
          name: typeof s.name === 'string' ? s.name : '',
          researcherId: typeof r.id === 'string' && PROLIFIC_ID.test(r.id) ? r.id : '',
          researcherName: typeof r.name === 'string' ? r.name : '',
        });
      }
      return out;
    },
    // listings copies from participant/studies only what every participant offered the study
    // sees (the listing: reward, advertised rate, times, places, researcher), for the site's
    // listing snapshots; never anything about the participant.
    listings(json) {
      const keep = ['id', 'name', 'study_type', 'date_created', 'published_at', 'total_available_places', 'places_taken',
        'study_reward', 'study_average_reward_per_hour', 'reward', 'average_reward_per_hour', 'estimated_completion_time',
        'maximum_allowed_time', 'average_completion_time_in_seconds'];
      const out = [];
      for (const s of resultsOf(json)) {
        if (!s || typeof s.id !== 'string' || !PROLIFIC_ID.test(s.id)) continue;
        const l = {};
        for (const k of keep) if (s[k] !== undefined) l[k] = s[k];
        const r = s.researcher || {};
        if (typeof r.id === 'string') l.researcher = { id: r.id, name: typeof r.name === 'string' ? r.name : '' };
        out.push(l);
      }
      return out;
    },
    // submissions reads participant/submissions into report records. study(id) is what the
    // script has seen of a study in the studies list ({researcherId, researcherName, name}).
    // Only what the report format names is copied: never the participant's id, their
    // completion codes or anything else about them.
    submissions(json, study) {
      const out = [];
      for (const s of resultsOf(json)) {
        if (!s || typeof s.id !== 'string' || !PROLIFIC_ID.test(s.id)) continue;
        const status = typeof s.status === 'string' ? s.status.toUpperCase() : '';
        if (PROLIFIC_FINISHED.indexOf(status) < 0) continue;
        const st = s.study && typeof s.study === 'object' ? s.study : { id: s.study_id };
        const studyId = typeof st.id === 'string' && PROLIFIC_ID.test(st.id) ? st.id : '';
        const seen = (studyId && study(studyId)) || {};
        const res = st.researcher && typeof st.researcher === 'object' ? st.researcher : {};
        const researcherId = typeof res.id === 'string' && PROLIFIC_ID.test(res.id) ? res.id : seen.researcherId || '';
        const reward = s.submission_reward || {};
        const rec = {
          platform: 'prolific',
          assignment_id: s.id,
          hit_set_id: studyId,
          requester_id: researcherId,
          status: status,
        };
        const title = typeof st.name === 'string' ? st.name : seen.name;
        if (title) rec.title = title;
        const rname = typeof res.name === 'string' ? res.name : seen.researcherName;
        if (rname) rec.requester_name = rname;
        const amount = minorToMajor(reward.amount);
        if (amount !== null) rec.reward = amount;
        if (typeof reward.currency === 'string' && /^[A-Z]{3}$/.test(reward.currency)) rec.currency = reward.currency;
        let bonus = 0;
        let bonusOK = true;
        for (const b of Array.isArray(s.bonus_payments) ? s.bonus_payments : []) {
          const amt = typeof b === 'number' ? b : b && b.amount;
          if (b && typeof b === 'object' && b.currency && rec.currency && b.currency !== rec.currency) continue;
          if (!Number.isSafeInteger(amt) || amt < 0) bonusOK = false;
          else bonus += amt;
        }
        if (bonusOK && bonus > 0) rec.bonus = minorToMajor(bonus);
        if (typeof s.started_at === 'string' && s.started_at) rec.accepted_at = s.started_at;
        if (typeof s.completed_at === 'string' && s.completed_at) rec.finished_at = s.completed_at;
        if (typeof s.time_taken === 'number' && s.time_taken > 0) rec.duration_seconds = Math.round(s.time_taken);
        // A record without its researcher or its reward cannot be placed: it waits (it is
        // sent once the researcher is known from the studies list).
        out.push({ key: s.id, status: status, ready: Boolean(researcherId && amount !== null), record: rec });
      }
      return out;
    },
  };

  function resultsOf(json) {
    if (Array.isArray(json)) return json;
    if (json && Array.isArray(json.results)) return json.results;
    return [];
  }

  // ---------------------------------------------------------------------------------------
  // The core: storage, networking, observing, lookups, badges, sending once, the panel.

  const PLATFORM = platforms.prolific;
  const W = typeof unsafeWindow !== 'undefined' && unsafeWindow ? unsafeWindow : window;
  const nativeFetch = W.fetch;

  // Storage: the manager's (GM_getValue/GM_setValue) when granted, else this origin's localStorage.
  const hasGM = typeof GM_getValue === 'function' && typeof GM_setValue === 'function';
  function load(key, fallback) {
    try {
      if (hasGM) {
        const v = GM_getValue(key, undefined);
        return v === undefined ? fallback : JSON.parse(v);
      }
      const v = window.localStorage.getItem('hitwage:' + key);
      return v === null ? fallback : JSON.parse(v);
    } catch (e) {
      return fallback;
    }
  }
  function save(key, value) {
    try {
      if (hasGM) GM_setValue(key, JSON.stringify(value));
      else window.localStorage.setItem('hitwage:' + key, JSON.stringify(value));
    } catch (e) {
      /* storage full or refused: the value lives for this page only */
    }
  }

  const state = {
    enabled: load('enabled', true),
    token: load('token', ''),
    sent: load('sent.' + PLATFORM.id, {}), // submission id -> the status it was sent with
    refused: load('refused.' + PLATFORM.id, {}), // submission id -> status the site refused
    studies: load('studies.' + PLATFORM.id, {}), // study id -> {researcherId, researcherName, name, at}
    relayed: load('relayed.' + PLATFORM.id, {}), // study id -> when its listing was last sent
    figures: load('figures.' + PLATFORM.id, {}), // researcher id -> {at, doc}
    listed: [], // the studies of the last studies list seen, in order
    pending: {}, // submission id -> item not yet sent
    inflight: {}, // submission ids being sent now
    error: '',
    retryAt: 0,
  };

  // request sends one request to SITE and answers {status, body}. It never goes elsewhere.
  function request(method, path, headers, body) {
    const url = SITE + path;
    return new Promise(function (resolve, reject) {
      if (typeof GM_xmlhttpRequest === 'function') {
        GM_xmlhttpRequest({
          method: method,
          url: url,
          headers: headers,
          data: body,
          anonymous: true,
          timeout: 30000,
          onload: function (r) {
            resolve({ status: r.status, body: r.responseText, headers: r.responseHeaders || '' });
          },
          onerror: function () {
            reject(new Error('could not reach ' + SITE));
          },
          ontimeout: function () {
            reject(new Error(SITE + ' did not answer in time'));
          },
        });
        return;
      }
      nativeFetch
        .call(W, url, { method: method, headers: headers, body: body, credentials: 'omit', mode: 'cors' })
        .then(function (res) {
          return res.text().then(function (text) {
            resolve({ status: res.status, body: text, headers: 'retry-after: ' + (res.headers.get('Retry-After') || '') });
          });
        })
        .catch(function () {
          reject(new Error('could not reach ' + SITE));
        });
    });
  }

  function parseJSON(text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  // errorOf is the site's message in an error answer ({"error":{"message", "errors":[...]}}).
  function errorOf(res) {
    const j = parseJSON(res.body);
    const e = j && j.error;
    let msg = e && typeof e.message === 'string' ? e.message : 'the site answered ' + res.status;
    if (e && Array.isArray(e.errors) && e.errors.length) {
      const first = e.errors[0];
      msg += ' (' + (first.index !== undefined ? 'record ' + (first.index + 1) + ': ' : '') + first.field + ' ' + first.message + ')';
    }
    return msg;
  }

  // --- observing the page's own requests ---

  function kindOf(url) {
    try {
      return PLATFORM.match(new URL(String(url), W.location.href));
    } catch (e) {
      return null;
    }
  }

  function observed(kind, json) {
    if (!state.enabled || !json) return;
    try {
      if (kind === 'studies') {
        onStudies(PLATFORM.studies(json));
        if (PLATFORM.listings) relayListings(PLATFORM.listings(json));
      }
      else if (kind === 'submissions') onSubmissions(json);
    } catch (e) {
      /* a shape we do not know: the page goes on untouched */
    }
  }

  function exported(fn) {
    // Firefox's content-script sandbox needs functions handed to the page to be exported.
    return typeof exportFunction === 'function' ? exportFunction(fn, W) : fn;
  }

  if (typeof nativeFetch === 'function') {
    W.fetch = exported(function (input, init) {
      const p = nativeFetch.apply(W, arguments);
      try {
        const kind = kindOf(typeof input === 'string' || input instanceof URL ? input : input && input.url);
        if (kind) {
          p.then(function (res) {
            if (res && res.ok) res.clone().json().then(function (j) { observed(kind, j); }, function () {});
          }, function () {});
        }
      } catch (e) {
        /* never break the page's request */
      }
      return p;
    });
  }

  const XHR = W.XMLHttpRequest;
  if (XHR && XHR.prototype) {
    const urls = new WeakMap();
    const open = XHR.prototype.open;
    const send = XHR.prototype.send;
    XHR.prototype.open = exported(function (method, url) {
      try {
        urls.set(this, String(url));
      } catch (e) {
        /* ignore */
      }
      return open.apply(this, arguments);
    });
    XHR.prototype.send = exported(function () {
      const xhr = this;
      const kind = kindOf(urls.get(xhr));
      if (kind) {
        xhr.addEventListener('load', function () {
          try {
            if (xhr.status < 200 || xhr.status > 299) return;
            let j = null;
            if (xhr.responseType === 'json') j = xhr.response;
            else if (xhr.responseType === '' || xhr.responseType === 'text') j = JSON.parse(xhr.responseText);
            observed(kind, j);
          } catch (e) {
            /* not JSON */
          }
        });
      }
      return send.apply(this, arguments);
    });
  }

  // --- studies: remember their researchers, look them up, show badges ---

  function onStudies(list) {
    const now = Date.now();
    for (const s of list) {
      if (s.researcherId) state.studies[s.id] = { researcherId: s.researcherId, researcherName: s.researcherName, name: s.name, at: now };
    }
    const ids = Object.keys(state.studies);
    if (ids.length > MAX_STUDIES_KEPT) {
      ids.sort(function (a, b) { return state.studies[a].at - state.studies[b].at; });
      for (const id of ids.slice(0, ids.length - MAX_STUDIES_KEPT)) delete state.studies[id];
    }
    save('studies.' + PLATFORM.id, state.studies);
    state.listed = list;
    render();
    lookup(list.map(function (s) { return s.researcherId; }).filter(Boolean));
    // Submissions that waited for their researcher may be placeable now.
    resolvePending();
    sendPending();
  }

  // relayListings sends the site the study listings seen, each at most once an hour, once the
  // participant has given a token (the site takes listings from reporters only).
  function relayListings(list) {
    if (!state.enabled || !state.token || !list.length) return;
    const now = Date.now();
    const fresh = list.filter(function (l) { return !(now - (state.relayed[l.id] || 0) < LISTING_EVERY); });
    if (!fresh.length) return;
    for (const l of fresh) state.relayed[l.id] = now;
    for (const id in state.relayed) if (now - state.relayed[id] > LISTING_EVERY) delete state.relayed[id];
    request('POST', '/api/v1/studies', { 'Content-Type': 'application/json', Authorization: 'Bearer ' + state.token },
      JSON.stringify({ results: fresh }))
      .then(function (res) {
        if (res.status === 200) save('relayed.' + PLATFORM.id, state.relayed);
        else for (const l of fresh) delete state.relayed[l.id]; // tried again with the next list
      })
      .catch(function () {
        for (const l of fresh) delete state.relayed[l.id];
      });
  }

  function lookup(ids) {
    const now = Date.now();
    const want = [];
    for (const id of ids) {
      const f = state.figures[id];
      if ((!f || now - f.at > LOOKUP_TTL_MS) && want.indexOf(id) < 0) want.push(id);
    }
    for (let i = 0; i < want.length; i += MAX_IDS) {
      const chunk = want.slice(i, i + MAX_IDS);
      request('GET', '/api/v1/requesters?platform=' + PLATFORM.id + '&ids=' + chunk.map(encodeURIComponent).join(','), { Accept: 'application/json' })
        .then(function (res) {
          const j = res.status === 200 ? parseJSON(res.body) : null;
          if (!j) {
            state.error = 'lookup: ' + errorOf(res);
            render();
            return;
          }
          const at = Date.now();
          for (const r of Array.isArray(j.requesters) ? j.requesters : []) {
            if (!r || typeof r.requester_id !== 'string') continue;
            const w = r.wage || {};
            state.figures[r.requester_id] = {
              at: at,
              doc: {
                grade: typeof r.grade === 'string' ? r.grade : null,
                hourly: typeof w.effective_hourly === 'number' ? w.effective_hourly : null,
                currency: typeof w.currency === 'string' ? w.currency : '',
                records: typeof r.records === 'number' ? r.records : 0,
                url: typeof r.url === 'string' && r.url.indexOf(SITE + '/') === 0 ? r.url : '',
              },
            };
          }
          for (const id of Array.isArray(j.missing) ? j.missing : []) {
            if (typeof id === 'string') state.figures[id] = { at: at, doc: null };
          }
          save('figures.' + PLATFORM.id, state.figures);
          render();
        })
        .catch(function (e) {
          state.error = 'lookup: ' + e.message;
          render();
        });
    }
  }

  const SYMBOLS = { GBP: '£', USD: '$', EUR: '€' };
  function money(amount, currency) {
    const sym = SYMBOLS[currency];
    return (sym || currency + ' ') + amount.toFixed(2);
  }

  // figuresText is what a badge says of a researcher, or null while the lookup is under way.
  function figuresText(researcherId) {
    const f = state.figures[researcherId];
    if (!researcherId) return 'researcher unknown';
    if (!f) return null;
    const d = f.doc;
    if (!d || !d.records) return 'no reports yet';
    const parts = [];
    parts.push(d.grade ? 'grade ' + d.grade : 'not graded yet');
    if (d.hourly !== null) parts.push(money(d.hourly, d.currency) + '/h');
    return parts.join(' · ');
  }

  // --- the page's elements ---

  let root = null; // the panel; badges live beside the studies

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // studyElement finds where a listed study's badge goes: inside an element naming the study's
  // id (a card with a test id; after it when that is a link or a button), else after the
  // innermost element whose text is the study's name. Prolific's markup is not documented, so
  // both are guesses; the panel lists every study in any case.
  function studyElement(s) {
    const byId = document.querySelector(
      '[data-testid*="' + s.id + '"],[data-study-id="' + s.id + '"],[id*="' + s.id + '"],a[href*="' + s.id + '"]');
    if (byId && !(root && root.contains(byId))) return { el: byId, inside: !byId.closest('a,button') };
    if (!s.name || !document.body) return null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let best = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      if (!p || (root && root.contains(p)) || p.closest('[data-hitwage-badge],script,style')) continue;
      const text = (p.textContent || '').trim();
      if (text === s.name) return { el: p, inside: false };
      if (!best && n.nodeValue.indexOf(s.name) >= 0) best = p;
    }
    return best && { el: best, inside: false };
  }

  function badgeFor(s, text) {
    const d = s.researcherId && state.figures[s.researcherId] && state.figures[s.researcherId].doc;
    const b = el(d && d.url ? 'a' : 'span', {
      'data-hitwage-badge': s.id,
      style: 'display:inline-block;margin:2px 0 2px 6px;padding:1px 6px;border-radius:8px;font:12px/1.5 system-ui,sans-serif;' +
        'background:#eef3ff;color:#1d3a7a;border:1px solid #b9c8ee;text-decoration:none;white-space:nowrap',
    }, 'hitwage: ' + text);
    if (d && d.url) {
      b.href = d.url;
      b.target = '_blank';
      b.rel = 'noopener noreferrer';
    }
    b.title = 'hitwage: what workers report this researcher pays per hour, counting screen-outs, returns and time-outs';
    return b;
  }

  function renderBadges() {
    for (const s of state.listed) {
      const text = state.enabled ? figuresText(s.researcherId) : null;
      const old = document.querySelector('[data-hitwage-badge="' + s.id + '"]');
      if (text === null) {
        if (old) old.remove();
        continue;
      }
      if (old && old.textContent === 'hitwage: ' + text) continue;
      const target = old ? null : studyElement(s);
      if (old) old.replaceWith(badgeFor(s, text));
      else if (target) target.el.insertAdjacentElement(target.inside ? 'beforeend' : 'afterend', badgeFor(s, text));
    }
  }

  function sentCount() {
    return Object.keys(state.sent).length;
  }

  function renderPanel() {
    if (!document.body) return;
    if (!root || !root.isConnected) {
      root = el('div', {
        id: 'hitwage-root',
        style: 'position:fixed;right:12px;bottom:12px;z-index:2147483647;max-width:360px;max-height:70vh;overflow:auto;' +
          'background:#fff;color:#111;border:1px solid #999;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.25);' +
          'font:13px/1.4 system-ui,sans-serif;padding:6px 10px',
      });
      const head = el('button', { id: 'hitwage-toggle', type: 'button', style: 'all:unset;cursor:pointer;font-weight:600' }, 'hitwage');
      head.addEventListener('click', function () {
        const body = root.querySelector('#hitwage-body');
        body.hidden = !body.hidden;
      });
      root.appendChild(head);
      root.appendChild(el('span', { id: 'hitwage-summary', style: 'margin-left:8px' }));
      const body = el('div', { id: 'hitwage-body' });
      body.hidden = true;
      body.appendChild(el('ul', { id: 'hitwage-studies', style: 'margin:6px 0;padding-left:18px' }));
      const settings = el('div', { id: 'hitwage-settings' });
      const onLabel = el('label', { style: 'display:block;margin:4px 0' });
      const on = el('input', { id: 'hitwage-enabled', type: 'checkbox' });
      on.addEventListener('change', function () {
        state.enabled = on.checked;
        save('enabled', state.enabled);
        if (state.enabled) {
          lookup(state.listed.map(function (s) { return s.researcherId; }).filter(Boolean));
          sendPending();
        }
        render();
      });
      onLabel.appendChild(on);
      onLabel.appendChild(document.createTextNode(' on (lookups and reports)'));
      settings.appendChild(onLabel);
      const tokLabel = el('label', { for: 'hitwage-token', style: 'display:block' }, 'Reporting token (from hitwage)');
      settings.appendChild(tokLabel);
      const tok = el('input', { id: 'hitwage-token', type: 'password', autocomplete: 'off', spellcheck: 'false', style: 'width:100%' });
      settings.appendChild(tok);
      const saveBtn = el('button', { id: 'hitwage-save', type: 'button' }, 'Save token');
      saveBtn.addEventListener('click', function () {
        state.token = tok.value.trim();
        tok.value = '';
        save('token', state.token);
        state.error = '';
        state.refused = {};
        save('refused.' + PLATFORM.id, state.refused);
        render();
        sendPending();
      });
      const forget = el('button', { id: 'hitwage-forget', type: 'button', style: 'margin-left:6px' }, 'Forget token');
      forget.addEventListener('click', function () {
        state.token = '';
        save('token', '');
        render();
      });
      settings.appendChild(saveBtn);
      settings.appendChild(forget);
      settings.appendChild(el('p', { id: 'hitwage-status', style: 'margin:4px 0' }));
      settings.appendChild(el('p', { id: 'hitwage-error', role: 'alert', style: 'margin:4px 0;color:#a00' }));
      body.appendChild(settings);
      root.appendChild(body);
      document.body.appendChild(root);
    }
    root.querySelector('#hitwage-enabled').checked = state.enabled;
    const n = sentCount();
    const status = (n === 1 ? '1 submission sent' : n + ' submissions sent') +
      (state.token ? ' · token saved' : ' · paste a token to report your submissions') + (state.enabled ? '' : ' · off');
    root.querySelector('#hitwage-status').textContent = status;
    root.querySelector('#hitwage-summary').textContent = state.enabled ? n + ' sent' : 'off';
    root.querySelector('#hitwage-error').textContent = state.error;
    const ul = root.querySelector('#hitwage-studies');
    ul.textContent = '';
    if (state.enabled) {
      for (const s of state.listed) {
        ul.appendChild(el('li', { 'data-hitwage-study': s.id }, s.name + ' (' + (s.researcherName || 'researcher') + '): ' + (figuresText(s.researcherId) || '…')));
      }
    }
  }

  let renderTimer = 0;
  function render() {
    clearTimeout(renderTimer);
    renderTimer = setTimeout(function () {
      renderPanel();
      renderBadges();
    }, 50);
  }

  // --- submissions: each sent once (once more when its status changes) ---

  function onSubmissions(json) {
    const items = PLATFORM.submissions(json, function (id) { return state.studies[id]; });
    for (const it of items) {
      if (state.sent[it.key] === it.status || state.refused[it.key] === it.status) continue;
      state.pending[it.key] = it;
    }
    sendPending();
  }

  function resolvePending() {
    for (const key in state.pending) {
      const it = state.pending[key];
      if (it.ready) continue;
      const seen = state.studies[it.record.hit_set_id];
      if (seen && seen.researcherId && it.record.reward !== undefined) {
        it.record.requester_id = seen.researcherId;
        if (!it.record.title && seen.name) it.record.title = seen.name;
        if (!it.record.requester_name && seen.researcherName) it.record.requester_name = seen.researcherName;
        it.ready = true;
      }
    }
  }

  function sendPending() {
    if (!state.enabled || !state.token || Date.now() < state.retryAt) {
      render();
      return;
    }
    const batch = [];
    for (const key in state.pending) {
      const it = state.pending[key];
      if (!it.ready || state.inflight[key]) continue;
      if (state.sent[key] === it.status) {
        delete state.pending[key];
        continue;
      }
      batch.push(it);
      if (batch.length === MAX_RECORDS) break;
    }
    if (!batch.length) {
      render();
      return;
    }
    post(batch, true);
  }

  function post(batch, mayRetry) {
    for (const it of batch) state.inflight[it.key] = true;
    const done = function () {
      for (const it of batch) delete state.inflight[it.key];
    };
    request('POST', '/api/v1/reports', { 'Content-Type': 'application/json', Authorization: 'Bearer ' + state.token },
      JSON.stringify(batch.map(function (it) { return it.record; })))
      .then(function (res) {
        done();
        if (res.status >= 200 && res.status < 300) {
          for (const it of batch) {
            state.sent[it.key] = it.status;
            delete state.pending[it.key];
          }
          save('sent.' + PLATFORM.id, state.sent);
          state.error = '';
          render();
          sendPending(); // the next batch, if any
          return;
        }
        if (res.status === 429 || res.status >= 500) {
          const m = /retry-after:\s*(\d+)/i.exec(res.headers);
          const wait = (m ? Number(m[1]) : 60) * 1000;
          state.retryAt = Date.now() + wait;
          state.error = errorOf(res) + ' · will retry';
          render();
          setTimeout(sendPending, wait + 100);
          return;
        }
        // A refused batch stores nothing: drop the records the site named and send the rest
        // once more; anything else (a revoked token) waits for the participant.
        const j = parseJSON(res.body);
        const errs = j && j.error && Array.isArray(j.error.errors) ? j.error.errors : [];
        const bad = errs.filter(function (e) { return typeof e.index === 'number' && batch[e.index]; });
        state.error = errorOf(res);
        if (bad.length && mayRetry) {
          for (const e of bad) {
            const it = batch[e.index];
            state.refused[it.key] = it.status;
            delete state.pending[it.key];
          }
          save('refused.' + PLATFORM.id, state.refused);
          const rest = batch.filter(function (it) { return state.pending[it.key]; });
          if (rest.length) post(rest, false);
        }
        render();
      })
      .catch(function (e) {
        done();
        state.error = e.message;
        render();
      });
  }

  // --- start ---

  function start() {
    render();
    // The page re-renders its lists: badges are put back after it does.
    let timer = 0;
    new MutationObserver(function (muts) {
      if (root && muts.every(function (m) { return root.contains(m.target); })) return;
      clearTimeout(timer);
      timer = setTimeout(renderBadges, 200);
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
