// The partners' status in the console: GET /api/v1/partners/status with the officer's token (console.js keeps it in
// `session`; its zoned() gives the page's one time zone), one row per partner, unreachable partners first and flagged, refreshed every 30 s while the console is
// shown. Every value is rendered as text.
'use strict';

(() => {
  const REFRESH_MS = 30000;
  const byId = (id) => document.getElementById(id);

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
    const body = byId('partners-table').tBodies[0];
    body.replaceChildren();
    const stopped = report.partners.filter((p) => p.enabled && p.reachable === 'UNREACHABLE');
    const summary = byId('partners-summary');
    summary.dataset.unreachable = String(stopped.length);
    text(summary, stopped.length
      ? stopped.length + ' of ' + report.partners.length + ' partners unreachable: ' + stopped.map((p) => p.partner).join(', ')
      : report.partners.length + ' partners, none unreachable');
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
      td(row, p.enabled ? 'yes' : 'disabled');
      td(row, p.reachable === 'UNREACHABLE' ? '⚠ UNREACHABLE' : p.reachable, 'reach');
      exchange(row, p.lastSent);
      td(row, time(p.lastAnswered));
      exchange(row, p.lastReceived);
      td(row, p.failures.lastHour, p.failures.lastHour ? 'failing' : null);
      twoLines(row, p.failures.lastError || '–', p.failures.lastError ? 'at ' + time(p.failures.lastErrorAt) : null);
      td(row, p.pending.outbox + (p.pending.outboxDead ? ' + ' + p.pending.outboxDead + ' DEAD' : ''));
      twoLines(row, p.pending.notices, p.pending.notices ? 'since ' + time(p.pending.noticesSince) : null);
      const witness = p.countersignatures;
      if (witness) {
        twoLines(row, witness.awaiting + (witness.awaiting ? ' since ' + time(witness.oldestSince) : ''), 'last ' + time(witness.lastAt));
      } else {
        td(row, '–'); // a disabled partner is asked for none
      }
      body.appendChild(row);
    }
    text(byId('partners-at'), 'as of ' + time(report.at) + ' (times ' + zoneLabel() + ')');
  }

  async function load() {
    if (!session.token) {
      return;
    }
    const problem = byId('partners-message');
    try {
      const answer = await fetch('/api/v1/partners/status', { headers: { Authorization: 'Bearer ' + session.token } });
      const body = await answer.json().catch(() => ({}));
      if (!answer.ok) {
        throw new Error((body.code ? body.code + ': ' : '') + (body.message || 'HTTP ' + answer.status));
      }
      problem.hidden = true;
      render(body);
    } catch (err) {
      problem.hidden = false;
      text(problem, 'The partners\' status cannot be read: ' + err.message);
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
  setInterval(loadIfShown, REFRESH_MS);
  loadIfShown();
})();
