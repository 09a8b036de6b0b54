// The officer console: signs the officer in at the realm (authorisation code with PKCE), keeps the
// access token in memory only, and reads the audit trail through /api/v1/audit. Every value from
// the trail is rendered as text (textContent, SVG text nodes), never as markup.
'use strict';

const session = { token: null, config: null, nextBefore: null };
const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = ['#2457a6', '#d97706', '#1b7f3b', '#7c3aed', '#b3261e', '#0e7490', '#a16207', '#be185d'];
// The one zone the console shows and reads times in, whatever the browser's own: named beside every time (config.json).
const ZONE = { name: 'Asia/Shanghai', offset: '+08:00' };

function offsetMinutes() {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(ZONE.offset);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function zoneLabel() {
  return 'UTC' + ZONE.offset + ' ' + ZONE.name;
}

/** An instant (ISO text or Date) as 24-hour wall time in the console's zone: 2026-12-07 05:45:00. */
function zoned(instant) {
  if (instant === null || instant === undefined || instant === '') {
    return '';
  }
  const date = instant instanceof Date ? instant : new Date(instant);
  return new Date(date.getTime() + offsetMinutes() * 60000).toISOString().substring(0, 19).replace('T', ' ');
}

/** A time typed in the console's zone (YYYY-MM-DD HH:mm[:ss], 24-hour) as an ISO instant; an Error naming the field if not one. */
function instantOf(field, text) {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(text.trim());
  const date = m ? new Date(m[1] + 'T' + m[2] + (m[3] || ':00') + ZONE.offset) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new Error(field + ': write the time as YYYY-MM-DD HH:mm:ss, 24-hour, in ' + zoneLabel());
  }
  return date.toISOString();
}

function setText(el, value) {
  el.textContent = value === null || value === undefined ? '' : String(value);
}

function showOnly(id) {
  for (const s of ['signed-out', 'denied', 'console']) {
    $(s).hidden = s !== id;
  }
  $('who').hidden = id !== 'console' && id !== 'denied';
}

function message(text) {
  $('message').hidden = !text;
  setText($('message'), text);
}

function base64url(bytes) {
  let s = '';
  bytes.forEach((b) => { s += String.fromCharCode(b); });
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText() {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

function redirectUri() {
  return location.origin + '/console/';
}

async function signIn() {
  const verifier = randomText();
  const state = randomText();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  sessionStorage.setItem('console.pkce', JSON.stringify({ verifier, state }));
  const url = new URL(session.config.issuer + '/protocol/openid-connect/auth');
  url.search = new URLSearchParams({
    response_type: 'code', client_id: session.config.clientId, redirect_uri: redirectUri(), scope: 'openid', state,
    code_challenge: base64url(new Uint8Array(digest)), code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

async function redeem(params) {
  const saved = JSON.parse(sessionStorage.getItem('console.pkce') || 'null');
  sessionStorage.removeItem('console.pkce');
  history.replaceState(null, '', location.pathname);
  if (!saved || saved.state !== params.get('state')) {
    throw new Error('The sign-in answer does not belong to a sign-in of this browser tab; sign in again.');
  }
  const answer = await fetch(session.config.issuer + '/protocol/openid-connect/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
      client_id: session.config.clientId, code_verifier: saved.verifier,
    }),
  });
  if (!answer.ok) {
    let body = {};
    try {
      body = await answer.json();
    } catch (notJson) {
      // the status says enough
    }
    throw new Error('The realm refused the sign-in (' + (body.code ? body.code + ': ' + (body.message || '') : 'HTTP ' + answer.status)
      + '); sign in again.');
  }
  return (await answer.json()).access_token;
}

/** The token's claims, for the officer's name only: the gateway, not the page, decides what the token allows. */
function claims(token) {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch (notAJwt) {
    return {};
  }
}

function signOut() {
  session.token = null;
  if (session.config.issuer.endsWith('/dev-issuer')) {
    showOnly('signed-out');
    return;
  }
  const url = new URL(session.config.issuer + '/protocol/openid-connect/logout');
  url.search = new URLSearchParams({ client_id: session.config.clientId, post_logout_redirect_uri: redirectUri() }).toString();
  location.assign(url.toString());
}

/** Calls the audit API with the officer's token; a refusal becomes an Error with the API's code and message. */
async function call(method, path, params) {
  const url = new URL(path, location.origin);
  if (params) {
    url.search = params.toString();
  }
  const answer = await fetch(url, { method, headers: { Authorization: 'Bearer ' + session.token } });
  if (!answer.ok) {
    let body = {};
    try {
      body = await answer.json();
    } catch (notJson) {
      // the status says enough
    }
    const error = new Error((body.code ? body.code + ': ' : '') + (body.message || 'HTTP ' + answer.status));
    error.code = body.code;
    throw error;
  }
  return answer;
}

function criteria() {
  const params = new URLSearchParams();
  for (const [field, name] of [['from', 'From'], ['to', 'To']]) {
    if ($(field).value.trim()) {
      params.set(field, instantOf(name, $(field).value));
    }
  }
  for (const field of ['partner', 'subject', 'action', 'decision']) {
    const value = $(field).value.trim();
    if (value) {
      params.set(field, value);
    }
  }
  return params;
}

function cell(row, value, cls) {
  const td = document.createElement('td');
  setText(td, value);
  if (cls) {
    td.className = cls;
  }
  row.appendChild(td);
}

async function search(older) {
  message('');
  const params = criteria();
  if (older && session.nextBefore) {
    params.set('before', session.nextBefore);
  }
  const page = await (await call('GET', '/api/v1/audit/events', params)).json();
  const body = $('results').tBodies[0];
  if (!older) {
    body.replaceChildren();
  }
  for (const e of page.events) {
    const row = document.createElement('tr');
    row.dataset.seq = e.seq;
    cell(row, e.seq);
    cell(row, zoned(e.at));
    cell(row, e.actorKind + ' ' + e.actor);
    cell(row, e.partner);
    cell(row, e.action);
    cell(row, e.exchangeType, 'exchange-type');
    cell(row, e.subjectKey && e.subjectKey.startsWith('P:') ? 'person ' + e.subjectKey.substring(2, 14) + '…' : e.subjectKey);
    cell(row, e.classification);
    cell(row, e.decision, e.decision === 'DENY' ? 'deny' : e.decision === 'ALLOW' ? 'allow' : null);
    cell(row, e.reason);
    cell(row, e.outcome);
    row.addEventListener('click', () => detail(e.seq, row).catch((err) => message(err.message)));
    body.appendChild(row);
  }
  session.nextBefore = page.nextBefore || null;
  $('older').hidden = !session.nextBefore;
  setText($('count'), body.rows.length + (session.nextBefore ? '+' : '') + ' shown');
}

function facts(list, pairs) {
  list.replaceChildren();
  for (const [name, value] of pairs) {
    if (value === null || value === undefined || value === '') {
      continue;
    }
    const dt = document.createElement('dt');
    setText(dt, name);
    const dd = document.createElement('dd');
    setText(dd, value);
    list.append(dt, dd);
  }
}

async function detail(seq, row) {
  const d = await (await call('GET', '/api/v1/audit/events/' + encodeURIComponent(seq))).json();
  for (const r of $('results').tBodies[0].rows) {
    r.classList.toggle('selected', r === row);
  }
  const e = d.event;
  setText($('detail-seq'), e.seq);
  facts($('detail-fields'), [
    ['Time (' + zoneLabel() + ')', zoned(e.at)], ['Exchange type', e.action && e.action.startsWith('exchange.') ? e.detail : null], ['Node', e.node], ['Actor', e.actorKind + ' ' + e.actor], ['Partner', e.partner], ['Action', e.action],
    ['Subject key', e.subjectKey], ['Class', e.classification], ['Dataset', e.dataset], ['Purpose', e.purpose],
    ['Authorisation', e.authorisationId], ['Decision', e.decision], ['Reason', e.reason],
    ['Message ids', (e.messageIds || []).join(', ')], ['Outcome', e.outcome],
    ['Latency', e.latencyMs === null || e.latencyMs === undefined ? null : e.latencyMs + ' ms'], ['Detail', e.detail],
    ['Hash (' + d.algorithm + ')', d.hash], ['Previous hash', d.prevHash],
    ['Signed checkpoint', d.checkpoint ? 'event ' + d.checkpoint.seq + ' at ' + zoned(d.checkpoint.at) : 'not yet covered'],
    ['Countersigned by', d.checkpoint ? (d.checkpoint.countersignedBy.join(', ') || 'no partner yet') : null],
  ]);
  $('detail').hidden = false;
  document.body.classList.add('detail-open'); // the page makes room beside the panel: it covers no control
}

function renderStatus(s) {
  const status = $('chain-status');
  status.dataset.intact = String(s.intact);
  // one verification, one snapshot: the events recomputed are events fromSeq–verifiedThroughSeq, and the head it read
  status.dataset.verifiedThrough = s.verifiedThroughSeq === undefined ? '' : String(s.verifiedThroughSeq);
  setText(status, s.intact
    ? 'Intact: ' + (s.verifiedEvents ? 'events ' + s.fromSeq + '–' + s.verifiedThroughSeq + ' recomputed (' + s.verifiedEvents
      + ' events)' : 'no event yet') + ', ' + s.checkpointsVerified + ' signed checkpoints verified'
    : 'BROKEN' + (s.firstBreak ? ' at event ' + s.firstBreak.seq + ' (' + s.firstBreak.kind + '): ' + s.firstBreak.explanation : '')
      + (s.checkpointProblems.length ? ' — ' + s.checkpointProblems.join('; ') : ''));
  const k = s.lastVerifiedCheckpoint;
  facts($('chain-facts'), [
    ['Head at verification', s.headSeq === undefined ? 'no event yet' : 'event ' + s.headSeq + ' (' + s.algorithm + ')'],
    ['Archived and purged', s.purged ? 'events 1–' + s.purged.throughSeq + ' in ' + s.purged.archive + ' (SHA-256 '
      + s.purged.archiveSha256 + ')' : null],
    ['Pending (not chained yet)', s.pending], ['Verified at', zoned(s.verifiedAt) + ' (' + zoneLabel() + ') in ' + s.tookMillis + ' ms'],
    ['Last verified checkpoint', k ? 'event ' + k.seq + ' signed at ' + zoned(k.at) + ', countersigned by '
      + (k.countersignedBy.join(', ') || 'no partner yet') : 'none yet'],
    ['Countersignatures', Object.entries(s.countersignedBy || {}).map(([partner, n]) => partner + ' (' + n + ')').join(', ')
      || 'none yet'],
  ]);
  renderCountersigning(s.countersigning || []);
}

/** Each partner's countersigning; a partner behind (a checkpoint has waited for it too long) is flagged, and named above. */
function renderCountersigning(partners) {
  const list = $('countersigning');
  list.replaceChildren();
  const behind = [];
  for (const p of partners) {
    const item = document.createElement('li');
    item.dataset.partner = p.partner;
    item.dataset.behind = String(p.behind);
    const last = p.lastSeq === undefined || p.lastSeq === null ? 'never countersigned'
      : 'last countersigned event ' + p.lastSeq + ' at ' + zoned(p.lastAt);
    const waiting = p.waiting ? p.waiting + ' checkpoint' + (p.waiting === 1 ? '' : 's') + ' waiting since ' + zoned(p.waitingSince)
      : 'nothing waiting';
    const text = p.partner + ': ' + (p.behind ? 'BEHIND — no countersignature since '
      + (p.lastAt ? zoned(p.lastAt) : 'ever') + ', ' + waiting : last + '; ' + waiting);
    setText(item, text);
    list.appendChild(item);
    if (p.behind) {
      behind.push(p.partner + ' (no countersignature since ' + (p.lastAt ? zoned(p.lastAt) : 'ever') + ', ' + p.waiting + ' checkpoints waiting)');
    }
  }
  if (!partners.length) {
    setText(list, 'No partner countersigns yet.');
  }
  $('countersign-alert').hidden = !behind.length;
  setText($('countersign-alert'), behind.length ? 'Partners behind with countersigning (times ' + zoneLabel() + '): ' + behind.join('; ') : '');
}

async function status(now) {
  renderStatus(await (await call(now ? 'POST' : 'GET', now ? '/api/v1/audit/verification' : '/api/v1/audit/status')).json());
}

function svg(name, attributes, parent) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) {
    el.setAttribute(k, v);
  }
  if (parent) {
    parent.appendChild(el);
  }
  return el;
}

function label(parent, x, y, value, anchor) {
  const t = svg('text', { x, y, 'text-anchor': anchor || 'start' }, parent);
  setText(t, value);
  return t;
}

/** Stacked bars: one per hour, one colour per partner, with a legend. */
function queriesChart(rows) {
  const box = $('chart-queries');
  box.replaceChildren();
  if (!rows.length) {
    setText(box, 'No queries in this range.');
    legend([]);
    return;
  }
  const hours = [...new Set(rows.map((r) => r.hour))].sort();
  const partners = [...new Set(rows.map((r) => r.partner))].sort();
  const totals = hours.map((h) => rows.filter((r) => r.hour === h).reduce((sum, r) => sum + r.queries, 0));
  const max = Math.max(...totals);
  const barWidth = 28;
  const height = 160;
  const width = Math.max(320, hours.length * (barWidth + 8) + 60);
  const chart = svg('svg', { width, height: height + 24, role: 'img', 'aria-label': 'queries per partner per hour' }, box);
  hours.forEach((hour, i) => {
    let y = height;
    const x = 40 + i * (barWidth + 8);
    partners.forEach((partner, p) => {
      const row = rows.find((r) => r.hour === hour && r.partner === partner);
      if (!row) {
        return;
      }
      const h = Math.max(1, Math.round(row.queries / max * (height - 20)));
      y -= h;
      const bar = svg('rect', { x, y, width: barWidth, height: h, fill: COLOURS[p % COLOURS.length], 'data-partner': partner,
        'data-hour': hour, 'data-queries': row.queries, class: 'bar' }, chart);
      setText(svg('title', {}, bar), partner + ' ' + hour + ': ' + row.queries);
    });
    label(chart, x + barWidth / 2, y - 4, totals[i], 'middle');
    label(chart, x + barWidth / 2, height + 14, zoned(hour).substring(11, 16), 'middle');
  });
  legend(partners);
}

/** The chart's legend: every partner of the chart, wrapping as the page's width allows. */
function legend(partners) {
  const list = $('chart-legend');
  list.replaceChildren();
  partners.forEach((partner, p) => {
    const item = document.createElement('li');
    item.dataset.partner = partner;
    const swatch = svg('svg', { width: 10, height: 10, class: 'swatch' }, item);
    svg('rect', { width: 10, height: 10, fill: COLOURS[p % COLOURS.length] }, swatch);
    item.appendChild(document.createTextNode(partner));
    list.appendChild(item);
  });
}

/** Horizontal bars: denials by reason code. */
function denialsChart(rows) {
  const box = $('chart-denials');
  box.replaceChildren();
  if (!rows.length) {
    setText(box, 'No denials in this range.');
    return;
  }
  const max = Math.max(...rows.map((r) => r.count));
  const chart = svg('svg', { width: 560, height: rows.length * 22 + 10, role: 'img', 'aria-label': 'denials by reason' }, box);
  rows.forEach((r, i) => {
    const y = 5 + i * 22;
    label(chart, 0, y + 13, r.reason);
    const bar = svg('rect', { x: 220, y, width: Math.max(1, Math.round(r.count / max * 280)), height: 16, fill: '#b3261e',
      'data-reason': r.reason, 'data-count': r.count, class: 'bar' }, chart);
    setText(svg('title', {}, bar), r.reason + ': ' + r.count);
    label(chart, 226 + Math.max(1, Math.round(r.count / max * 280)), y + 13, r.count);
  });
}

async function charts() {
  const c = await (await call('GET', '/api/v1/audit/charts', criteria())).json();
  queriesChart(c.queriesPerPartnerPerHour);
  denialsChart(c.denialsByReason);
}

async function exportBundle() {
  message('');
  const answer = await call('GET', '/api/v1/audit/bundle', criteria());
  const name = (/filename="([^"]+)"/.exec(answer.headers.get('Content-Disposition') || '') || [])[1] || 'evidence.zip';
  const url = URL.createObjectURL(await answer.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function guarded(action) {
  return (event) => {
    if (event) {
      event.preventDefault();
    }
    action().catch((err) => message(err.message));
  };
}

async function main() {
  session.config = await (await fetch('config.json')).json();
  ZONE.name = session.config.zone || ZONE.name;
  ZONE.offset = session.config.zoneOffset || ZONE.offset;
  for (const el of document.querySelectorAll('.zone')) {
    setText(el, zoneLabel());
  }
  setText($('node'), session.config.node);
  $('detail-close').addEventListener('click', () => {
    $('detail').hidden = true;
    document.body.classList.remove('detail-open');
  });
  $('sign-in').addEventListener('click', guarded(signIn));
  $('sign-out').addEventListener('click', signOut);
  $('search-form').addEventListener('submit', guarded(() => Promise.all([search(false), charts()])));
  $('older').addEventListener('click', guarded(() => search(true)));
  $('export').addEventListener('click', guarded(exportBundle));
  $('verify-now').addEventListener('click', guarded(() => status(true)));
  const params = new URLSearchParams(location.search);
  try {
    if (params.has('error')) {
      history.replaceState(null, '', location.pathname);
      throw new Error('The realm did not sign you in: ' + params.get('error'));
    }
    if (!params.has('code')) {
      showOnly('signed-out');
      return;
    }
    session.token = await redeem(params);
    setText($('user'), claims(session.token).preferred_username);
    const opened = await (await call('POST', '/api/v1/audit/sessions')).json();
    setText($('user'), opened.user);
    showOnly('console');
    const now = new Date();
    $('to').value = zoned(new Date(now.getTime() + 60000));
    $('from').value = zoned(new Date(now.getTime() - 24 * 3600 * 1000));
    await Promise.all([status(false), search(false), charts()]);
  } catch (err) {
    if (err.code === 'E_ROLE_REQUIRED') {
      showOnly('denied');
      setText($('denied-message'), err.message);
    } else {
      showOnly('signed-out');
      message(err.message);
    }
  }
}

main();
