import { action, api, h, needTask, q, resetCharts, taskPath } from './common.js';
import { when } from '../dom.js';

/** Each marker's calibration attempts, item by item against the definitive marks, and who waits for a decision. */
export async function calibration({ task }) {
  resetCharts();
  const missing = needTask(task, 'calibration');
  if (missing) return missing;
  const list = await api('GET', taskPath(task, 'markers'));
  const waiting = list.markers.filter(m => m.awaitingApproval);
  const post = (m, verb) => api('POST', taskPath(task, `markers/${q(m.markerId)}/${verb}`), { note: '' });
  return h('section', { id: 'calibration-view' },
    h('h2', {}, `Calibration on ${task}`),
    h('p', {}, waiting.length ? `${waiting.length} marker(s) wait for your decision.` : 'Nobody waits for a decision.'),
    list.markers.map(m => h('div', { class: 'queue-item', dataset: { marker: m.username } },
      h('h3', {}, m.displayName || m.username, ' ', h('span', { class: 'state-' + m.state }, m.state),
        ' ', h('span', { class: 'hint' }, m.gateState || '')),
      (m.attempts || []).length === 0 ? h('p', { class: 'hint' }, 'no attempt yet') :
        h('table', {}, h('thead', {}, h('tr', {}, ['when', 'set', 'result', 'exact', 'furthest off', 'state after', 'items'].map(c => h('th', {}, c)))),
          h('tbody', {}, m.attempts.map(a => h('tr', {},
            h('td', {}, when(a.at)), h('td', {}, a.setId), h('td', { class: a.passed ? 'good' : 'bad' }, a.passed ? 'passed' : 'failed'),
            h('td', { class: 'num' }, `${a.exactCount} of ${a.items}`), h('td', { class: 'num' }, `${a.maxStepsOff} step(s)`),
            h('td', {}, a.stateAfter),
            h('td', {}, h('ol', { class: 'items' }, a.feedback.map(f => h('li', { class: f.exact ? 'good' : 'bad', dataset: { response: f.responseId } },
              `${f.givenMark} against ${f.definitiveMark}: `, f.exact ? 'exact' : `${f.stepsOff} step(s) off`)))))))),
      (m.decisions || []).map(d => h('p', { class: 'hint' }, `${when(d.at)}: ${d.decision}${d.note ? ' — ' + d.note : ''}`)),
      m.awaitingApproval ? h('div', { class: 'actions' },
        action('Approve for live marking', async () => { await post(m, 'approve'); return `${m.username} approved`; }, 'primary approve'),
        action('Send back to calibration', async () => { await post(m, 'send-back'); return `${m.username} sent back`; }, 'send-back')) : null)));
}
