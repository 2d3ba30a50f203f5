import { MARKS, api, chart, h, needTask, resetCharts, taskPath, value } from './common.js';
import { num, pct } from '../dom.js';

/** Agreement with co-markers, each marker's distribution of marks against the task's, third marking. */
export async function agreement({ task }) {
  resetCharts();
  const missing = needTask(task, 'marker agreement');
  if (missing) return missing;
  const stats = await api('GET', taskPath(task, 'stats'));
  const task_ = stats.taskDistribution;
  return h('section', { id: 'agreement-view' },
    h('h2', {}, `Agreement on ${task}`),
    h('table', { id: 'agreement-table' },
      h('thead', {}, h('tr', {}, ['marker', 'double-marked', 'exact', 'adjacent', 'QWK', 'mean mark', 'distance to task', 'sent to third marking']
        .map(c => h('th', {}, c)))),
      h('tbody', {}, stats.markers.map(m => h('tr', { dataset: { marker: m.username } },
        h('td', {}, m.username), h('td', { class: 'num' }, m.coMarkers.count), h('td', { class: 'num' }, m.coMarkers.count ? pct(value(m.coMarkers.exact)) : '–'),
        h('td', { class: 'num' }, m.coMarkers.count ? pct(value(m.coMarkers.withinTolerance)) : '–'), h('td', { class: 'num' }, num(value(m.coMarkers.qwk))),
        h('td', { class: 'num' }, num(value(m.distribution.mean))), h('td', { class: 'num' }, num(value(m.distanceToTask))),
        h('td', { class: 'num' }, `${pct(value(m.thirdMarking.rate))} (${m.thirdMarking.sentToSenior} of ${m.thirdMarking.resolved})`))))),
    h('div', { class: 'charts' },
      chart('distribution', 'Share of each mark: every marker against the whole task', {
        type: 'bar',
        data: { labels: MARKS,
          datasets: [{ label: 'whole task', data: MARKS.map(k => task_.shares[k]), backgroundColor: '#111827' }]
            .concat(stats.markers.map((m, i) => ({ label: m.username, data: MARKS.map(k => m.distribution.shares[k]),
              backgroundColor: `hsl(${(i * 67) % 360} 60% 60%)` }))) },
        options: { scales: { y: { min: 0, max: 1 } } },
      }),
      chart('kappa', 'Quadratic weighted kappa against co-markers', {
        type: 'bar',
        data: { labels: stats.markers.map(m => m.username),
          datasets: [{ label: 'QWK', data: stats.markers.map(m => value(m.coMarkers.qwk)), backgroundColor: '#60a5fa' }] },
        options: { scales: { y: { min: -1, max: 1 } }, plugins: { legend: { display: false } } },
      })));
}
