// Builds DOM nodes from data without ever parsing data as HTML: every string becomes a text
// node, so a marker's name or a rationale cannot inject markup into the page.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function table(columns, rows, attrs = {}) {
  return h('table', attrs,
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col' }, c.label)))),
    h('tbody', {}, rows.length === 0
      ? h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, 'nothing yet'))
      : rows.map(r => h('tr', { dataset: r.rowData || {} }, columns.map(c => h('td', { class: c.cls || '' }, c.cell(r)))))));
}

export function pct(x) {
  return x === null || x === undefined || Number.isNaN(x) ? '–' : (100 * x).toFixed(1) + ' %';
}

export function num(x, digits = 2) {
  return x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(digits);
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

export function toast(text, kind = 'info') {
  const t = h('div', { class: 'toast ' + kind, role: 'status' }, text);
  document.getElementById('toasts').append(t);
  setTimeout(() => t.remove(), 8000);
}
