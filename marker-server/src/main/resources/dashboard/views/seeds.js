import { api, chart, h, needTask, resetCharts, taskPath, value } from './common.js';
import { num, pct, when } from '../dom.js';

/** A marker never warned nor suspended on the task. */
const NO_STANDING = { warnings: 0, suspensions: 0 };
const COLOURS = ['#2357c6', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#be185d', '#4b5563'];

/** Seed accuracy per marker, their warnings and suspensions, and the trend of each marker's recent seed deviations. */
export async function seeds({ task }) {
  resetCharts();
  const missing = needTask(task, 'seed accuracy');
  if (missing) return missing;
  const [stats, dev, bank, standing] = await Promise.all([api('GET', taskPath(task, 'stats')), api('GET', taskPath(task, 'seed-deviations')),
    api('GET', taskPath(task, 'seeds')), api('GET', taskPath(task, 'standing-events'))]);
  const history = Object.fromEntries(standing.markers.map(m => [m.markerId, m]));
  const longest = Math.max(0, ...dev.markers.map(m => m.seeds.length));
  return h('section', { id: 'seeds-view' },
    h('h2', {}, `Seeds on ${task}`),
    h('p', { class: 'hint' }, `${bank.seeds.length} seed(s) in the bank; tolerance ${stats.seedToleranceSteps} scale step(s).`),
    h('table', { id: 'seeds-table' },
      h('thead', {}, h('tr', {}, ['marker', 'standing', 'warnings', 'suspensions', 'seeds marked', 'exact', 'within tolerance', 'mean signed dev.',
        'mean abs. dev.', 'QWK vs definitive']
        .map(c => h('th', {}, c)))),
      h('tbody', {}, stats.markers.map(m => h('tr', { dataset: { marker: m.username } },
        h('td', {}, m.username), h('td', { class: 'state-' + m.state }, m.state, m.stateReason ? h('div', { class: 'hint' }, m.stateReason) : null),
        h('td', { class: 'num' }, (history[m.markerId] || NO_STANDING).warnings),
        h('td', { class: 'num' }, (history[m.markerId] || NO_STANDING).suspensions),
        h('td', { class: 'num' }, m.seeds.count), h('td', { class: 'num' }, m.seeds.count ? pct(value(m.seeds.exact)) : '–'),
        h('td', { class: 'num' }, m.seeds.count ? pct(value(m.seeds.withinTolerance)) : '–'),
        h('td', { class: 'num ' + (value(m.seeds.meanSignedDeviation) < 0 ? 'severe' : 'lenient') }, m.seeds.count ? num(value(m.seeds.meanSignedDeviation)) : '–'),
        h('td', { class: 'num' }, m.seeds.count ? num(value(m.seeds.meanAbsoluteDeviation)) : '–'),
        h('td', { class: 'num' }, num(value(m.seeds.qwk))))))),
    h('h3', {}, 'Warnings and suspensions'),
    standing.markers.length === 0 ? h('p', { class: 'hint' }, 'No marker has been warned or suspended on this task.') :
      h('table', { id: 'standing-table' },
        h('thead', {}, h('tr', {}, ['marker', 'when', 'what', 'reason', 'by'].map(c => h('th', {}, c)))),
        h('tbody', {}, standing.markers.flatMap(m => m.events.map(e => h('tr', { dataset: { marker: m.username, kind: e.kind } },
          h('td', {}, m.username), h('td', {}, when(e.at)), h('td', { class: e.kind === 'reinstated' ? 'good' : 'bad' }, e.kind),
          h('td', {}, e.reason), h('td', {}, e.actor || 'seed policy')))))),
    h('div', { class: 'charts' },
      chart('seed-trend', 'Recent seed deviations (marks; above 0 lenient, below 0 severe)', {
        type: 'line',
        data: {
          labels: Array.from({ length: longest }, (_, i) => i + 1),
          datasets: dev.markers.map((m, i) => ({ label: m.username, data: m.seeds.map(s => s.deviationSixths / 6),
            borderColor: COLOURS[i % COLOURS.length], backgroundColor: COLOURS[i % COLOURS.length], tension: 0.2 })),
        },
        options: { scales: { y: { suggestedMin: -1, suggestedMax: 1, title: { display: true, text: 'given − definitive' } },
          x: { title: { display: true, text: 'seed (oldest first)' } } } },
      }),
      chart('seed-accuracy', 'Seeds exact and within tolerance', {
        type: 'bar',
        data: { labels: stats.markers.map(m => m.username),
          datasets: [{ label: 'exact', data: stats.markers.map(m => value(m.seeds.exact)), backgroundColor: '#34d399' },
            { label: 'within tolerance', data: stats.markers.map(m => value(m.seeds.withinTolerance)), backgroundColor: '#93c5fd' }] },
        options: { scales: { y: { min: 0, max: 1 } } },
      })));
}
