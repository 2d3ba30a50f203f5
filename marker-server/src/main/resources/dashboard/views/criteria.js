import { api } from '../api.js';
import { h, toast } from '../dom.js';

const MARKS = ['0', '1/3', '1/2', '2/3', '1'];

/** The criteria in force for the chosen task, and a form to publish the next version. */
export async function criteria({ exam, task }) {
  if (!task) return h('p', { class: 'hint' }, 'Choose a task to see and revise its criteria.');
  const current = await api('GET', `/api/v1/exams/tasks/${encodeURIComponent(task)}/criteria`);
  const rows = h('tbody', {});
  const addClause = (c = { number: rows.children.length + 1, text: '', mark: '0' }) => {
    rows.append(h('tr', {},
      h('td', {}, h('input', { type: 'number', min: 1, value: c.number, class: 'clause-number', 'aria-label': 'clause number' })),
      h('td', {}, h('textarea', { class: 'clause-text', rows: 2, 'aria-label': 'clause text' }, c.text)),
      h('td', {}, h('select', { class: 'clause-mark', 'aria-label': 'mark' },
        MARKS.map(m => h('option', { value: m, selected: m === c.mark }, m)))),
      h('td', {}, h('button', { type: 'button', onclick: e => e.target.closest('tr').remove() }, 'remove'))));
  };
  current.clauses.forEach(addClause);
  const note = h('input', { id: 'criteria-note', placeholder: 'what changed and why', size: 60, required: true });
  const recal = h('input', { id: 'criteria-recalibrate', type: 'checkbox' });
  const form = h('form', {
    id: 'criteria-form',
    onsubmit: async e => {
      e.preventDefault();
      const clauses = [...rows.children].map(tr => ({
        number: Number(tr.querySelector('.clause-number').value),
        text: tr.querySelector('.clause-text').value,
        mark: tr.querySelector('.clause-mark').value,
      }));
      try {
        const r = await api('POST', `/api/v1/exams/tasks/${encodeURIComponent(task)}/criteria`,
          { note: note.value, requiresRecalibration: recal.checked, clauses });
        toast(`Published version ${r.version} of ${task}` + (recal.checked ? '; markers must recalibrate' : ''));
        form.dispatchEvent(new CustomEvent('changed', { bubbles: true }));
      } catch (err) {
        toast(err.message, 'alert');
      }
    },
  },
  h('table', { class: 'clauses' }, h('thead', {}, h('tr', {}, h('th', {}, 'No.'), h('th', {}, 'Clause'), h('th', {}, 'Mark'), h('th', {}))), rows),
  h('p', {}, h('button', { type: 'button', onclick: () => addClause() }, 'Add a clause')),
  h('p', {}, h('label', {}, 'Note ', note)),
  h('p', {}, h('label', {}, recal, ' markers must recalibrate before they mark again')),
  h('button', { type: 'submit', id: 'criteria-publish' }, 'Publish the next version'));
  return h('section', {},
    h('h2', {}, `Criteria for ${task}: version ${current.version} in force`),
    h('p', { class: 'hint' }, `Published ${new Date(current.publishedAt).toLocaleString()}` + (current.note ? ` — ${current.note}` : '')),
    form);
}
criteria.keepWhileLive = true;
