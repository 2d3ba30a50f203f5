import { api, imageUrl } from '../api.js';
import { h, toast } from '../dom.js';

export const MARKS = ['0', '1/3', '1/2', '2/3', '1'];
const q = encodeURIComponent;

// Chart.js instances hold on to their canvas; destroy the previous render's before drawing anew.
let charts = [];
export function resetCharts() {
  charts.forEach(c => c.destroy());
  charts = [];
}

/** A chart in a fixed-height box; `config` is a Chart.js configuration. */
export function chart(id, title, config) {
  const canvas = h('canvas', { id, 'aria-label': title, role: 'img' });
  const box = h('figure', { class: 'chart' }, h('figcaption', {}, title), h('div', { class: 'canvas' }, canvas));
  // Drawn once the canvas is in the page (Chart.js measures its parent).
  requestAnimationFrame(() => {
    if (!canvas.isConnected || typeof Chart === 'undefined') return;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts.push(new Chart(canvas, config));
  });
  return box;
}

export function needTask(task, what) {
  return task ? null : h('p', { class: 'hint' }, `Choose a task to see ${what}.`);
}

export function taskPath(task, rest) {
  return `/api/v1/quality/tasks/${q(task)}/${rest}`;
}

export function value(f) {
  return f === null || f === undefined ? null : (typeof f === 'object' ? f.value : f);
}

/** A button that runs an action, reports its outcome and asks the view to re-read. */
export function action(label, run, cls = '', confirmText = null) {
  return h('button', {
    type: 'button', class: cls, onclick: async e => {
      if (confirmText && !confirm(confirmText)) return;
      const b = e.currentTarget;
      b.disabled = true;
      try {
        const message = await run();
        if (message) toast(message);
        b.dispatchEvent(new CustomEvent('changed', { bubbles: true }));
      } catch (err) {
        toast(err.message, 'alert');
        b.disabled = false;
      }
    },
  }, label);
}

export function markSelect(cls = 'mark-choice') {
  return h('select', { class: cls, 'aria-label': 'mark' }, h('option', { value: '' }, 'mark…'), MARKS.map(m => h('option', { value: m }, m)));
}

/** An answer image, fetched with the token (never a URL the browser could cache or share). */
export function answerImage(path, alt = 'answer image') {
  const img = h('img', { class: 'answer', alt });
  imageUrl(path).then(url => { img.src = url; img.onload = () => URL.revokeObjectURL(url); })
    .catch(err => img.replaceWith(h('p', { class: 'error' }, 'image refused: ' + err.message)));
  return img;
}

export { api, h, q };
