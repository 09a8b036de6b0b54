// The partners' status in the console: GET /api/v1/partners/status with the officer's token (session.js keeps it in
// `session`; its zoned() gives the page's one time zone), one row per partner, unreachable partners first and flagged,
// refreshed every 30 s while the console is shown and drawn again in another language. Every value is rendered as text,
// every label comes from the message catalogue (messages.js).
'use strict';

(() => {
  const REFRESH_MS = 30000;
  const byId = (id) => document.getElementById(id);
  let last = null;

  function text(el, value) {
    el.textContent = value === null || value === undefined ? '' : String(value);
    return el;
  }

  /** A time in the console's one zone (console.js's zoned), as every other time on the page. */
  function time(at) {
    return at ? zoned(at) : '–';
  }

  /** A cell of two lines (none if the second is absent), in the alarm colour if failing. */
  function twoLines(row, first, second, failing) {
    const cell = document.createElement('td');
    cell.append(text(document.createElement('span'), first));
    if (second) {
      cell.append(text(document.createElement('span'), second));
    }
    cell.className = 'lines' + (failing ? ' failing' : '');
    row.appendChild(cell);
  }

  /** An exchange: its time, then its type and outcome. */
  function exchange(row, e) {
    if (e) {
      twoLines(row, time(e.at), (e.type ? e.type + ' ' : '') + e.outcome, e.outcome !== 'ANSWERED'); // a refused envelope may have no type
    } else {
      td(row, '–');
    }
  }

  function td(row, value, cls) {
    const cell = text(document.createElement('td'), value);
    if (cls) {
      cell.className = cls;
    }
    row.appendChild(cell);
  }

  function render(report) {
    if (!report) {
      return;
    }
    const body = byId('partners-table').tBodies[0];
    body.replaceChildren();
    const stopped = report.partners.filter((p) => p.enabled && p.reachable === 'UNREACHABLE');
    const summary = byId('partners-summary');
    summary.dataset.unreachable = String(stopped.length);
    text(summary, stopped.length
      ? t('partners.summaryUnreachable', { n: stopped.length, total: report.partners.length, names: stopped.map((p) => p.partner).join(', ') })
      : t('partners.summaryNone', { total: report.partners.length }));
    for (const p of report.partners) {
      const row = document.createElement('tr');
      row.dataset.partner = p.partner;
      row.dataset.reachable = p.reachable;
      if (!p.enabled) {
        row.className = 'disabled';
      } else if (p.reachable === 'UNREACHABLE') {
        row.className = 'unreachable';
      }
      td(row, p.partner, 'partner');
      row.cells[0].title = p.name || '';
      td(row, t(p.enabled ? 'partners.enabled' : 'partners.disabled'));
      td(row, labelOf('reach', p.reachable), 'reach');
      exchange(row, p.lastSent);
      td(row, time(p.lastAnswered));
      exchange(row, p.lastReceived);
      td(row, p.failures.lastHour, p.failures.lastHour ? 'failing' : null);
      twoLines(row, p.failures.lastError || '–', p.failures.lastError ? t('partners.errorAt', { time: time(p.failures.lastErrorAt) }) : null);
      td(row, p.pending.outboxDead ? t('partners.dead', { pending: p.pending.outbox, dead: p.pending.outboxDead }) : p.pending.outbox);
      twoLines(row, p.pending.notices, p.pending.notices ? t('partners.since', { time: time(p.pending.noticesSince) }) : null);
      const witness = p.countersignatures;
      if (witness) {
        twoLines(row, witness.awaiting ? t('partners.awaitingSince', { n: witness.awaiting, time: time(witness.oldestSince) }) : witness.awaiting,
          t('partners.last', { time: time(witness.lastAt) }));
      } else {
        td(row, '–'); // a disabled partner is asked for none
      }
      body.appendChild(row);
    }
    text(byId('partners-at'), t('partners.at', { time: time(report.at) }));
  }

  async function load() {
    if (!session.token) {
      return;
    }
    const problem = byId('partners-message');
    try {
      last = await (await call('GET', '/api/v1/partners/status')).json();
      problem.hidden = true;
      render(last);
    } catch (err) {
      problem.hidden = false;
      text(problem, t('partners.unreadable', { error: err.message }));
    }
  }

  const shown = byId('console');
  const loadIfShown = () => {
    if (!shown.hidden) {
      load();
    }
  };
  new MutationObserver(loadIfShown).observe(shown, { attributes: true, attributeFilter: ['hidden'] });
  byId('partners-refresh').addEventListener('click', load);
  onLanguageChange(() => render(last));
  setInterval(loadIfShown, REFRESH_MS);
  loadIfShown();
})();
