// What every page of the console shares (the audit console, index.html, and the records view,
// records.html): the sign-in at the realm (authorisation code with PKCE; the development issuer on a
// node without a realm), the access token kept in the page's memory only, calls of the node's API
// with it, the one time zone every time is shown and read in, and errors as the API codes them.
// The gateway, not the page, decides what a token allows. Messages come from messages.js (t).
'use strict';

const session = { token: null, config: null };
const $ = (id) => document.getElementById(id);
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
    throw new Error(t('error.time', { field }));
  }
  return date.toISOString();
}

function setText(el, value) {
  el.textContent = value === null || value === undefined ? '' : String(value);
}

/** The page's alert area (#message): an error or a notice, as text. */
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

/** The page the realm sends the browser back to: this page (the realm's client admits /console/*). */
function redirectUri() {
  return location.origin + location.pathname;
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

/** A coded answer of the API (or the realm) as an Error: its code, and its message in the page's language where the catalogue knows the code. */
async function codedError(answer) {
  let body = {};
  try {
    body = await answer.json();
  } catch (notJson) {
    // the status says enough
  }
  const error = new Error(describeError(body.code, body.message || t('error.http', { status: answer.status })));
  error.code = body.code;
  error.status = answer.status;
  error.serverMessage = body.message;
  return error;
}

function describeError(code, text) {
  if (!code) {
    return text;
  }
  const known = MESSAGES[I18N.language]['code.' + code];
  return known === undefined ? t('error.api', { code, message: text }) : t('error.apiKnown', { meaning: known, code, message: text });
}

async function redeem(params) {
  const saved = JSON.parse(sessionStorage.getItem('console.pkce') || 'null');
  sessionStorage.removeItem('console.pkce');
  history.replaceState(null, '', location.pathname);
  if (!saved || saved.state !== params.get('state')) {
    throw new Error(t('error.signInForeign'));
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
    const refused = await codedError(answer);
    throw new Error(t('error.realmRefused', { reason: refused.code ? refused.message : t('error.http', { status: answer.status }) }));
  }
  return (await answer.json()).access_token;
}

/** The token's claims, for the user's name only: the gateway, not the page, decides what the token allows. */
function claims(token) {
  try {
    const bytes = Uint8Array.from(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)); // UTF-8: a Chinese user name stays one
  } catch (notAJwt) {
    return {};
  }
}

/** Forgets the token; at a realm, signs out there too and comes back to this page. */
function signOut(signedOut) {
  session.token = null;
  if (session.config.issuer.endsWith('/dev-issuer')) {
    signedOut();
    return;
  }
  const url = new URL(session.config.issuer + '/protocol/openid-connect/logout');
  url.search = new URLSearchParams({ client_id: session.config.clientId, post_logout_redirect_uri: redirectUri() }).toString();
  location.assign(url.toString());
}

/** Calls the node's API with the user's token; a refusal becomes an Error with the API's code and message. */
async function call(method, path, params, accept) {
  const url = new URL(path, location.origin);
  if (params) {
    url.search = params.toString();
  }
  const headers = { Authorization: 'Bearer ' + session.token };
  if (accept) {
    headers.Accept = accept;
  }
  const answer = await fetch(url, { method, headers });
  if (!answer.ok) {
    throw await codedError(answer);
  }
  return answer;
}

/** Saves an answer's body as a file: the name the node gives it (Content-Disposition), or `fallback`. */
async function saveAnswer(answer, fallback) {
  const disposition = answer.headers.get('Content-Disposition') || '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="([^"]+)"/.exec(disposition);
  const name = encoded ? decodeURIComponent(encoded[1]) : plain ? plain[1] : fallback;
  const url = URL.createObjectURL(await answer.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

/** Runs an action of the page; its failure is shown in the alert area. */
function guarded(action) {
  return (event) => {
    if (event) {
      event.preventDefault();
    }
    action().catch((err) => message(err.message));
  };
}

/**
 * The page's start: reads where to sign in (config.json), names the node and the zone, and redeems
 * a sign-in the realm sent back. Resolves to the token, or null when no one is signed in yet; an
 * error of the realm rejects.
 */
async function startSession() {
  session.config = await (await fetch('config.json')).json();
  ZONE.name = session.config.zone || ZONE.name;
  ZONE.offset = session.config.zoneOffset || ZONE.offset;
  I18N.globals.zone = zoneLabel();
  applyMessages();
  setText($('node'), t('app.node', { node: session.config.node }));
  onLanguageChange(() => setText($('node'), t('app.node', { node: session.config.node })));
  const params = new URLSearchParams(location.search);
  if (params.has('error')) {
    history.replaceState(null, '', location.pathname);
    throw new Error(t('error.realmError', { error: params.get('error') }));
  }
  if (!params.has('code')) {
    return null;
  }
  session.token = await redeem(params);
  setText($('user'), claims(session.token).preferred_username);
  return session.token;
}

I18N.globals.zone = zoneLabel();
