/*
 * The live recent-request table: every few seconds, while the page is visible, it asks
 * the analytics API (with the session cookie) for the environment's newest requests and
 * redraws the table's rows, saying when it last did. Text goes in with textContent only.
 */
(() => {
  const table = document.querySelector('[data-live-requests]');
  if (!table) return;
  const rows = table.tBodies[0];
  const status = document.querySelector('[data-live-status]');
  const empty = document.querySelector('[data-live-empty]');
  const POLL_MS = 4000;

  function cell(text, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    return td;
  }

  function badge(outcome) {
    const td = document.createElement('td');
    const span = document.createElement('span');
    span.className = `outcome outcome-${outcome}`;
    span.textContent = outcome;
    td.append(span);
    return td;
  }

  function code(text) {
    const td = document.createElement('td');
    const element = document.createElement('code');
    element.textContent = text;
    td.append(element);
    return td;
  }

  function latency(ms) {
    return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms} ms`;
  }

  function row(event) {
    const tr = document.createElement('tr');
    tr.append(
      cell(new Date(event.time).toISOString().slice(11, 19)),
      cell(event.method),
      cell(event.route ?? '(no route)'),
      cell(String(event.status)),
      badge(event.outcome),
      cell(event.consumerName ?? ''),
      cell(latency(event.latencyMs), 'number'),
      code(event.requestId),
    );
    return tr;
  }

  async function refresh() {
    if (!document.hidden) {
      try {
        const response = await fetch(table.dataset.liveRequests, { headers: { accept: 'application/json' } });
        if (!response.ok) throw new Error(`the analytics API answered ${response.status}`);
        const { requests } = await response.json();
        rows.replaceChildren(...requests.map(row));
        if (empty) empty.hidden = requests.length > 0;
        status.textContent = `live, updated ${new Date().toLocaleTimeString()}`;
      } catch (error) {
        status.textContent = `not updating: ${error.message}`;
      }
    }
    setTimeout(refresh, POLL_MS);
  }

  setTimeout(refresh, POLL_MS);
})();
