// The records view (信用记录查询): for people who read credit records (a reader role). It signs them in as
// the audit console does (session.js) and calls the records API with their token, whose own doors decide
// what they see: GET /api/v1/records (this node's records and those partners handed it), on request the
// alliance cities' answers (GET /api/v1/alliance/subjects/{uscc}/records), the CSV export of the query and
// the credit report (GET /api/v1/reports/{uscc}, PDF). Fields are labelled from the message catalogue, with
// the labels of routes/model/FieldLabels; every value is rendered as text.
'use strict';

const PAGE_SIZE = 20;
/** The table's columns: record fields by their JSON names (labels field.*), after the record's source. */
const COLUMNS = ['category', 'classification', 'partyName', 'uscc', 'documentNumber', 'decisionDate', 'validFrom', 'validUntil',
  'status', 'authority', 'content', 'sourceDepartment', 'version'];
/** Every field of a record, in reading order (FieldLabels.recordFields), for the detail. */
const FIELDS = ['id', 'category', 'classification', 'subjectKind', 'partyName', 'uscc', 'maskedPersonId', 'documentNumber',
  'decisionDate', 'validFrom', 'validUntil', 'publicationEnd', 'status', 'authority', 'authorityCode', 'content',
  'sourceDepartment', 'version', 'legacyIdentifier', 'ingestedAt'];
/** What the page shows, as the API answered it: drawn again in another language. */
const found = { criteria: null, page: 0, answer: null, alliance: null, detail: null };

function showOnly(id) {
  for (const s of ['signed-out', 'records']) {
    $(s).hidden = s !== id;
  }
  $('who').hidden = id !== 'records';
}

/** The form's query: USCC (required), purpose and authorisation when given. */
function criteria() {
  const uscc = $('uscc').value.trim().toUpperCase();
  if (!uscc) {
    throw new Error(t('records.usccRequired'));
  }
  const params = new URLSearchParams({ uscc });
  for (const field of ['purpose', 'authorisation']) {
    const value = $(field).value.trim();
    if (value) {
      params.set(field, value);
    }
  }
  return params;
}

/** A record field's value as a reader is told it: codes by their labels, instants in the console's zone. */
function valueOf(field, record) {
  const value = record[field];
  if (value === null || value === undefined) {
    return '';
  }
  switch (field) {
    case 'category': return labelOf('category', value);
    case 'classification': return labelOf('class', value);
    case 'subjectKind': return labelOf('subjectKind', value);
    case 'status': return labelOf('status', value);
    case 'legacyIdentifier': return t(value ? 'common.yes' : 'common.no');
    case 'ingestedAt': return t('records.zoned', { time: zoned(value) });
    default: return String(value);
  }
}

/** An attribute column's label (XK_XKLB, CF_NR_FK, ...): as FieldLabels.label, the code itself where the catalogue has none. */
function attributeLabel(code) {
  const upper = code.toUpperCase();
  const table = MESSAGES[I18N.language];
  if (table['attr.' + upper] !== undefined) {
    return t('attr.' + upper);
  }
  if (upper.length > 3 && upper.charAt(2) === '_' && table['attr.' + upper.substring(3)] !== undefined) {
    return t('attr.' + upper.substring(3));
  }
  return code;
}

/** A page of the query: a new query from the form (its first page, and the alliance cities' answers if asked for), or another page of the last. */
async function query(page, fresh) {
  message('');
  const params = fresh ? criteria() : found.criteria;
  found.criteria = params;
  found.page = page;
  const asked = new URLSearchParams(params);
  asked.set('page', String(page));
  asked.set('size', String(PAGE_SIZE));
  const alliance = fresh && $('alliance').checked ? allianceAnswer(params) : null;
  found.answer = await (await call('GET', '/api/v1/records', asked)).json();
  if (fresh) {
    found.alliance = alliance ? await alliance : null;
  }
  render();
}

/** The alliance cities' answers (a mutual query); a refusal is shown and leaves the local records shown. */
async function allianceAnswer(params) {
  const asked = new URLSearchParams(params);
  asked.delete('uscc');
  try {
    return await (await call('GET', '/api/v1/alliance/subjects/' + encodeURIComponent(params.get('uscc')) + '/records', asked)).json();
  } catch (err) {
    message(err.message);
    return null;
  }
}

/** The rows of the page: this node's records, those partners handed it, then (first page) the alliance cities' answers. */
function rows() {
  const a = found.answer;
  const list = [];
  for (const record of a.records || []) {
    list.push({ record, source: t('records.sourceLocal') });
  }
  for (const r of a.received || []) {
    list.push({ record: r, source: t('records.sourceReceived', { partner: r.source.partner }), received: r.source });
  }
  if (found.page === 0 && found.alliance) {
    for (const r of found.alliance.records || []) {
      list.push({ record: r.record, source: t('records.sourceAlliance', { partner: r.node }), alliance: r });
    }
  }
  return list;
}

function render() {
  const head = $('records-table').tHead.rows[0];
  head.replaceChildren();
  for (const key of ['records.source'].concat(COLUMNS.map((c) => 'field.' + c))) {
    const th = document.createElement('th');
    th.dataset.field = key;
    setText(th, t(key));
    head.appendChild(th);
  }
  const a = found.answer;
  if (!a) {
    return;
  }
  const body = $('records-table').tBodies[0];
  body.replaceChildren();
  const list = rows();
  list.forEach((entry, i) => {
    const row = document.createElement('tr');
    row.dataset.index = String(i);
    const td = (value, cls) => {
      const cell = document.createElement('td');
      setText(cell, value);
      if (cls) {
        cell.className = cls;
      }
      row.appendChild(cell);
    };
    td(entry.source, 'source');
    for (const field of COLUMNS) {
      td(field === 'uscc' && !entry.record.uscc ? entry.record.maskedPersonId : valueOf(field, entry.record), field);
    }
    row.addEventListener('click', () => detail(entry));
    body.appendChild(row);
  });
  $('records-none').hidden = list.length > 0;
  renderWithheld(a.withheld || []);
  renderPartners();
  const total = typeof a.total === 'number' ? a.total : null;
  setText($('records-count'), total === null ? '' : t('records.total', { total }));
  const more = total === null ? a.hasMore : (found.page + 1) * PAGE_SIZE < total;
  setText($('records-page'), t(more && total === null ? 'records.pageMore' : 'records.pageOf', { page: found.page + 1 }));
  $('previous').disabled = found.page === 0;
  $('next').disabled = !more;
  renderDetail();
}

function renderWithheld(withheld) {
  const list = $('records-withheld');
  list.replaceChildren();
  for (const w of withheld) {
    const item = document.createElement('li');
    item.dataset.code = w.code;
    setText(item, t('records.withheld', { n: w.records, reason: MESSAGES[I18N.language]['code.' + w.code] || w.reason, code: w.code }));
    list.appendChild(item);
  }
  list.hidden = !withheld.length;
}

/** Each alliance city's outcome: answered with how many records, or why not. */
function renderPartners() {
  const list = $('records-partners');
  list.replaceChildren();
  const partners = found.alliance ? found.alliance.partners || [] : [];
  for (const p of partners) {
    const item = document.createElement('li');
    item.dataset.partner = p.node;
    item.dataset.outcome = p.outcome;
    if (p.outcome !== 'ANSWERED') {
      item.className = 'refused';
    }
    setText(item, t('records.partnerLine', { node: p.node, outcome: labelOf('outcome', p.outcome), records: p.records,
      extra: p.code ? ' — ' + describeError(p.code, p.message || '') : '' }));
    list.appendChild(item);
  }
  list.hidden = !partners.length;
  $('records-partners-title').hidden = !partners.length;
}

function detail(entry) {
  found.detail = entry;
  renderDetail();
  $('detail').hidden = false;
  document.body.classList.add('detail-open');
}

function renderDetail() {
  const entry = found.detail;
  if (!entry) {
    return;
  }
  const list = $('detail-fields');
  list.replaceChildren();
  const add = (name, value) => {
    if (value === null || value === undefined || value === '') {
      return;
    }
    const dt = document.createElement('dt');
    setText(dt, name);
    const dd = document.createElement('dd');
    setText(dd, value);
    list.append(dt, dd);
  };
  add(t('records.source'), entry.source);
  if (entry.received) {
    add(t('records.detailMessage'), entry.received.messageId);
    add(t('records.detailReceivedAt'), zoned(entry.received.receivedAt));
  }
  if (entry.alliance) {
    add(t('records.detailMessage'), entry.alliance.answerMessageId);
    add(t('records.detailReceivedAt'), zoned(entry.alliance.answeredAt));
  }
  for (const field of FIELDS) {
    add(t('field.' + field), valueOf(field, entry.record));
  }
  for (const [code, value] of Object.entries(entry.record.attributes || {})) {
    add(attributeLabel(code), value);
  }
}

/** The query's records as CSV (GET /api/v1/records?uscc=…&format=csv), saved as a download. */
async function exportCsv() {
  message('');
  const params = criteria();
  params.set('format', 'csv');
  const name = await saveAnswer(await call('GET', '/api/v1/records', params), 'records-' + params.get('uscc') + '.csv');
  message(t('records.downloaded', { name }));
}

/** The subject's credit report as a PDF (GET /api/v1/reports/{uscc}?purpose=…&alliance=…), saved as a download. */
async function report() {
  message('');
  const params = criteria();
  const purpose = params.get('purpose');
  if (!purpose) {
    throw new Error(t('records.purposeRequired'));
  }
  const asked = new URLSearchParams({ purpose, alliance: String($('alliance').checked) });
  if (params.get('authorisation')) {
    asked.set('authorisation', params.get('authorisation'));
  }
  const answer = await call('GET', '/api/v1/reports/' + encodeURIComponent(params.get('uscc')), asked, 'application/pdf');
  const name = await saveAnswer(answer, '信用报告-' + params.get('uscc') + '.pdf');
  message(t('records.downloaded', { name }));
}

async function main() {
  $('sign-in').addEventListener('click', guarded(signIn));
  $('sign-out').addEventListener('click', () => signOut(() => showOnly('signed-out')));
  $('records-form').addEventListener('submit', guarded(() => query(0, true)));
  $('previous').addEventListener('click', guarded(() => query(Math.max(0, found.page - 1), false)));
  $('next').addEventListener('click', guarded(() => query(found.page + 1, false)));
  $('records-csv').addEventListener('click', guarded(exportCsv));
  $('report').addEventListener('click', guarded(report));
  $('detail-close').addEventListener('click', () => {
    $('detail').hidden = true;
    found.detail = null;
    document.body.classList.remove('detail-open');
  });
  onLanguageChange(render);
  render();
  try {
    if (!await startSession()) {
      showOnly('signed-out');
      return;
    }
    showOnly('records');
  } catch (err) {
    showOnly('signed-out');
    message(err.message);
  }
}

main();
