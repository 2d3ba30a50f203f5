import { action, api, h, needTask, q, resetCharts, taskPath, value } from './common.js';
import { num, pct } from '../dom.js';

/** Every marker of a task: standing, quality at a glance, and what the chief examiner can do. */
export async function markers({ task }) {
  resetCharts();
  const missing = needTask(task, 'its markers');
  if (missing) return missing;
  const [list, stats] = await Promise.all([api('GET', taskPath(task, 'markers')), api('GET', taskPath(task, 'stats'))]);
  const byId = Object.fromEntries(stats.markers.map(m => [m.markerId, m]));
  const post = (m, verb, body = {}) => api('POST', taskPath(task, `markers/${q(m.markerId)}/${verb}`), body);
  return h('section', { id: 'markers-view' },
    h('h2', {}, `Markers of ${task}`),
    h('table', { id: 'markers-table' },
      h('thead', {}, h('tr', {}, ['marker', 'standing', 'calibration', 'live marks', 'seeds exact', 'seeds in tolerance', 'mean signed dev.',
        'co-marker exact', 'QWK vs co-markers', 'marks/h', 'actions'].map(c => h('th', {}, c)))),
      h('tbody', {}, list.markers.map(m => {
        const s = byId[m.markerId] || {};
        const seeds = s.seeds || {};
        const co = s.coMarkers || {};
        const last = (m.attempts || []).slice(-1)[0];
        return h('tr', { dataset: { marker: m.username } },
          h('td', {}, m.displayName || m.username, m.senior ? h('span', { class: 'hint' }, ' · senior') : null),
          h('td', { class: 'state-' + m.state }, m.state, m.stateReason ? h('div', { class: 'hint' }, m.stateReason) : null),
          h('td', {}, last ? `${last.passed ? 'passed' : 'failed'} ${last.exactCount}/${last.items}` : 'not attempted'),
          h('td', { class: 'num' }, s.marks ? s.marks.live : 0),
          h('td', { class: 'num' }, seeds.count ? pct(value(seeds.exact)) : '–'),
          h('td', { class: 'num' }, seeds.count ? pct(value(seeds.withinTolerance)) : '–'),
          h('td', { class: 'num' }, seeds.count ? num(value(seeds.meanSignedDeviation)) : '–'),
          h('td', { class: 'num' }, co.count ? pct(value(co.exact)) : '–'),
          h('td', { class: 'num' }, num(value(co.qwk))),
          h('td', { class: 'num' }, num(value(s.marksPerHour), 1)),
          h('td', { class: 'actions' },
            m.state === 'held' ? action('Approve', async () => { await post(m, 'approve'); return `${m.username} approved`; }, 'primary approve') : null,
            m.state !== 'suspended' ? action('Suspend', async () => {
              // The route requires a reason: it is audited and shown to whoever reviews the suspension.
              const reason = prompt(`Suspend ${m.username}? Their live marks since their last good seed are withdrawn. Why?`);
              if (reason === null) return null;
              if (!reason.trim()) throw new Error('a suspension needs a reason');
              await post(m, 'suspend', { reason: reason.trim() });
              return `${m.username} suspended`;
            }, 'danger suspend') : null,
            m.state === 'suspended' ? action('Reinstate', async () => { await post(m, 'reinstate'); return `${m.username} reinstated`; }, 'reinstate') : null,
            m.state !== 'calibrating' ? action('Back to calibration', async () => { await post(m, 'send-back'); return `${m.username} sent back to calibration`; }, 'send-back') : null,
            action(m.senior ? 'Not senior' : 'Make senior', async () => { await post(m, 'senior', { senior: !m.senior }); return null; }, 'senior')));
      }))),
    h('p', { class: 'hint' }, 'Seeds: marks on pre-marked answers against their definitive marks. Mean signed deviation below 0 is severe, above 0 lenient (in marks).'));
}
