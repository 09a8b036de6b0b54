// The officer console (审计控制台): signs the officer in (session.js), opens an audit session, and reads
// the audit trail through /api/v1/audit. Every value from the trail is rendered as text (textContent,
// SVG text nodes), never as markup; every label comes from the message catalogue (messages.js), and
// what is built from data is kept so that it is drawn again when the language changes.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = ['#2457a6', '#d97706', '#1b7f3b', '#7c3aed', '#b3261e', '#0e7490', '#a16207', '#be185d'];
/** What the page shows, as the API answered it: drawn again in another language. */
const shown = { events: [], nextBefore: null, total: null, status: null, charts: null, detail: null };

function showOnly(id) {
  for (const s of ['signed-out', 'denied', 'console']) {
    $(s).hidden = s !== id;
  }
  $('who').hidden = id !== 'console' && id !== 'denied';
}

function criteria() {
  const params = new URLSearchParams();
  for (const [field, name] of [['from', 'search.fieldFrom'], ['to', 'search.fieldTo']]) {
    if ($(field).value.trim()) {
      params.set(field, instantOf(t(name), $(field).value));
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

function cell(row, value, cls, title) {
  const td = document.createElement('td');
  setText(td, value);
  if (cls) {
    td.className = cls;
  }
  if (title) {
    td.title = title;
  }
  row.appendChild(td);
}

async function search(older) {
  message('');
  const params = criteria();
  if (older && shown.nextBefore) {
    params.set('before', shown.nextBefore);
  }
  const page = await (await call('GET', '/api/v1/audit/events', params)).json();
  shown.events = older ? shown.events.concat(page.events) : page.events;
  shown.nextBefore = page.nextBefore || null;
  // the number of events the search matches, where the node tells it (older nodes do not)
  shown.total = typeof page.total === 'number' ? page.total : null;
  renderEvents();
}

/** The events found, one row each; the action, the actor's kind and the decision by their labels (the code in the cell's title). */
function renderEvents() {
  const body = $('results').tBodies[0];
  const selected = body.querySelector('tr.selected');
  const selectedSeq = selected ? selected.dataset.seq : null;
  body.replaceChildren();
  for (const e of shown.events) {
    const row = document.createElement('tr');
    row.dataset.seq = e.seq;
    row.dataset.action = e.action;
    cell(row, e.seq);
    cell(row, zoned(e.at), 'time');
    cell(row, labelOf('actor', e.actorKind) + ' ' + e.actor, 'actor', e.actorKind);
    cell(row, e.partner);
    cell(row, labelOf('action', e.action), 'action', e.action);
    cell(row, e.exchangeType, 'exchange-type');
    cell(row, e.subjectKey && e.subjectKey.startsWith('P:') ? t('events.person', { key: e.subjectKey.substring(2, 14) }) : e.subjectKey);
    cell(row, e.classification || classesOf(e.decisions));
    cell(row, labelOf('decision', e.decision), e.decision === 'DENY' ? 'deny' : e.decision === 'ALLOW' ? 'allow' : null, e.decision);
    cell(row, e.reason);
    cell(row, e.outcome);
    row.classList.toggle('selected', String(e.seq) === selectedSeq);
    row.addEventListener('click', () => detail(e.seq, row).catch((err) => message(err.message)));
    body.appendChild(row);
  }
  $('older').hidden = !shown.nextBefore;
  const n = body.rows.length;
  setText($('count'), shown.total !== null ? t('events.total', { total: shown.total, n }) : t(shown.nextBefore ? 'events.shownMore' : 'events.shown', { n }));
}

/** The current search as CSV (UTF-8 with BOM, as the node writes it: format=csv), saved as a download. */
async function exportCsv() {
  message('');
  const params = criteria();
  params.set('format', 'csv');
  const answer = await call('GET', '/api/v1/audit/events', params);
  await saveAnswer(answer, 'audit-' + session.config.node + '.csv');
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
  shown.detail = d;
  renderDetail();
  $('detail').hidden = false;
  document.body.classList.add('detail-open'); // the page makes room beside the panel: it covers no control
}

/** The classes a query's per-dataset decisions concern, e.g. "A, B" (an event of one dataset names its class itself). */
function classesOf(decisions) {
  return decisions && decisions.length ? [...new Set(decisions.map((d) => d.classification))].sort().join(', ') : null;
}

function renderDetail() {
  const d = shown.detail;
  if (!d) {
    return;
  }
  const e = d.event;
  const coded = (prefix, code) => (code ? (labelOf(prefix, code) === code ? code : labelOf(prefix, code) + ' (' + code + ')') : null);
  setText($('detail-seq'), e.seq);
  facts($('detail-fields'), [
    [t('detail.time'), zoned(e.at)], [t('detail.exchangeType'), e.action && e.action.startsWith('exchange.') ? e.detail : null],
    [t('detail.node'), e.node], [t('detail.actor'), coded('actor', e.actorKind) + ' ' + e.actor], [t('detail.partner'), e.partner],
    [t('detail.action'), coded('action', e.action)], [t('detail.subjectKey'), e.subjectKey], [t('detail.class'), e.classification],
    [t('detail.dataset'), e.dataset],
    [t('detail.decisions'), (e.decisions || []).map((d) => d.dataset + ' ' + d.classification + ' '
      + labelOf('decision', d.decision) + ' ' + d.reason).join('; ') || null],
    [t('detail.purpose'), e.purpose], [t('detail.authorisation'), e.authorisationId],
    [t('detail.decision'), coded('decision', e.decision)], [t('detail.reason'), e.reason],
    [t('detail.messageIds'), (e.messageIds || []).join(', ')], [t('detail.outcome'), e.outcome],
    [t('detail.latency'), e.latencyMs === null || e.latencyMs === undefined ? null : t('common.ms', { ms: e.latencyMs })],
    [t('detail.detail'), e.detail],
    [t('detail.hash', { algorithm: d.algorithm }), d.hash], [t('detail.prevHash'), d.prevHash],
    [t('detail.checkpoint'), d.checkpoint ? t('detail.checkpointValue', { seq: d.checkpoint.seq, time: zoned(d.checkpoint.at) })
      : t('detail.notCovered')],
    [t('detail.countersignedBy'), d.checkpoint ? (d.checkpoint.countersignedBy.join(', ') || t('fact.noPartnerYet')) : null],
  ]);
}

function renderStatus() {
  const s = shown.status;
  if (!s) {
    return;
  }
  const status = $('chain-status');
  status.dataset.intact = String(s.intact);
  // one verification, one snapshot: the events recomputed are events fromSeq–verifiedThroughSeq, and the head it read
  status.dataset.verifiedThrough = s.verifiedThroughSeq === undefined ? '' : String(s.verifiedThroughSeq);
  let text;
  if (s.intact) {
    text = s.verifiedEvents
      ? t('chain.intact', { from: s.fromSeq, to: s.verifiedThroughSeq, count: s.verifiedEvents, checkpoints: s.checkpointsVerified })
      : t('chain.intactEmpty', { checkpoints: s.checkpointsVerified });
  } else {
    text = s.firstBreak ? t('chain.brokenAt', { seq: s.firstBreak.seq, kind: s.firstBreak.kind, explanation: s.firstBreak.explanation })
      : t('chain.broken');
    if (s.checkpointProblems.length) {
      text = t('chain.checkpointProblems', { text, problems: s.checkpointProblems.join('; ') });
    }
  }
  setText(status, text);
  const k = s.lastVerifiedCheckpoint;
  facts($('chain-facts'), [
    [t('fact.head'), s.headSeq === undefined ? t('fact.noEvent') : t('fact.headValue', { seq: s.headSeq, algorithm: s.algorithm })],
    [t('fact.purged'), s.purged ? t('fact.purgedValue', { seq: s.purged.throughSeq, archive: s.purged.archive, sha: s.purged.archiveSha256 }) : null],
    [t('fact.pending'), s.pending], [t('fact.verifiedAt'), t('fact.verifiedAtValue', { time: zoned(s.verifiedAt), ms: s.tookMillis })],
    [t('fact.lastCheckpoint'), k ? t('fact.lastCheckpointValue', { seq: k.seq, time: zoned(k.at),
      by: k.countersignedBy.join(', ') || t('fact.noPartnerYet') }) : t('fact.noneYet')],
    [t('fact.countersignatures'), Object.entries(s.countersignedBy || {}).map(([partner, n]) => partner + ' (' + n + ')').join(', ')
      || t('fact.noneYet')],
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
    const last = p.lastSeq === undefined || p.lastSeq === null ? t('cs.never') : t('cs.last', { seq: p.lastSeq, time: zoned(p.lastAt) });
    const waiting = p.waiting ? t(p.waiting === 1 ? 'cs.waitingOne' : 'cs.waitingMany', { n: p.waiting, time: zoned(p.waitingSince) })
      : t('cs.nothingWaiting');
    const since = p.lastAt ? zoned(p.lastAt) : t('cs.ever');
    setText(item, p.behind ? t('cs.behind', { partner: p.partner, since, waiting }) : t('cs.ok', { partner: p.partner, last, waiting }));
    list.appendChild(item);
    if (p.behind) {
      behind.push(t('cs.alertItem', { partner: p.partner, since, n: p.waiting }));
    }
  }
  if (!partners.length) {
    setText(list, t('cs.none'));
  }
  $('countersign-alert').hidden = !behind.length;
  setText($('countersign-alert'), behind.length ? t('cs.alert', { list: behind.join('; ') }) : '');
}

async function status(now) {
  shown.status = await (await call(now ? 'POST' : 'GET', now ? '/api/v1/audit/verification' : '/api/v1/audit/status')).json();
  renderStatus();
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
  const text = svg('text', { x, y, 'text-anchor': anchor || 'start' }, parent);
  setText(text, value);
  return text;
}

/** Stacked bars: one per hour, one colour per partner, with a legend. */
function queriesChart(rows) {
  const box = $('chart-queries');
  box.replaceChildren();
  if (!rows.length) {
    setText(box, t('charts.noQueries'));
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
  const chart = svg('svg', { width, height: height + 24, role: 'img', 'aria-label': t('charts.queriesAria') }, box);
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
      // the hour as every time on the page: in the console's zone
      setText(svg('title', {}, bar), partner + ' ' + zoned(hour).substring(0, 16) + ': ' + row.queries);
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
    setText(box, t('charts.noDenials'));
    return;
  }
  const max = Math.max(...rows.map((r) => r.count));
  const chart = svg('svg', { width: 560, height: rows.length * 22 + 10, role: 'img', 'aria-label': t('charts.denialsAria') }, box);
  rows.forEach((r, i) => {
    const y = 5 + i * 22;
    label(chart, 0, y + 13, r.reason);
    const bar = svg('rect', { x: 220, y, width: Math.max(1, Math.round(r.count / max * 280)), height: 16, fill: '#b3261e',
      'data-reason': r.reason, 'data-count': r.count, class: 'bar' }, chart);
    setText(svg('title', {}, bar), r.reason + ': ' + r.count);
    label(chart, 226 + Math.max(1, Math.round(r.count / max * 280)), y + 13, r.count);
  });
}

function renderCharts() {
  if (shown.charts) {
    queriesChart(shown.charts.queriesPerPartnerPerHour);
    denialsChart(shown.charts.denialsByReason);
  }
}

async function charts() {
  shown.charts = await (await call('GET', '/api/v1/audit/charts', criteria())).json();
  renderCharts();
}

async function exportBundle() {
  message('');
  await saveAnswer(await call('GET', '/api/v1/audit/bundle', criteria()), 'evidence.zip');
}

async function main() {
  $('detail-close').addEventListener('click', () => {
    $('detail').hidden = true;
    shown.detail = null;
    document.body.classList.remove('detail-open');
  });
  $('sign-in').addEventListener('click', guarded(signIn));
  $('sign-out').addEventListener('click', () => signOut(() => showOnly('signed-out')));
  $('search-form').addEventListener('submit', guarded(() => Promise.all([search(false), charts()])));
  $('older').addEventListener('click', guarded(() => search(true)));
  $('export').addEventListener('click', guarded(exportBundle));
  $('export-csv').addEventListener('click', guarded(exportCsv));
  $('verify-now').addEventListener('click', guarded(() => status(true)));
  onLanguageChange(() => {
    renderEvents();
    renderDetail();
    renderStatus();
    renderCharts();
  });
  try {
    if (!await startSession()) {
      showOnly('signed-out');
      return;
    }
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
