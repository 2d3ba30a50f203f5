import { api, chart, h, needTask, q, resetCharts, taskPath, value } from './common.js';
import { when } from '../dom.js';

function card(label, v, cls = '') {
  return h('div', { class: 'card ' + cls }, h('div', { class: 'value', dataset: { field: label } }, v), h('div', { class: 'label' }, label));
}

function eta(p) {
  if (p.etaSeconds === 0) return 'done';
  if (p.etaSeconds === undefined) return 'no live marks in the last hour';
  const hrs = Math.floor(p.etaSeconds / 3600);
  const min = Math.round((p.etaSeconds % 3600) / 60);
  return `${hrs} h ${min} min`;
}

/** Where a task's responses stand, how fast marking goes and when it should end. */
export async function progress({ exam, task, tasks }) {
  resetCharts();
  if (!task) return overview(exam, tasks);
  const p = await api('GET', taskPath(task, 'progress'));
  const markers = p.markers || {};
  return h('section', { id: 'progress-view' },
    h('h2', {}, `Progress of ${task}`),
    h('div', { class: 'cards' },
      card('responses', p.responses), card('not started', p.notStarted), card('marked once', p.markedOnce),
      card('marked twice or more', p.markedTwiceOrMore), card('final', p.final, 'good'),
      card('escalated', p.escalated, p.escalated ? 'warn' : ''), card('in adjudication', p.adjudication, p.adjudication ? 'warn' : ''),
      card('with senior markers', p.senior), card('seeds served', p.seedsServed), card('live marks per hour', p.marksPerHour),
      card('marks outstanding', p.marksOutstanding), card('time to finish', eta(p)), card('leases running', p.leasesRunning),
      card('marks held', p.marksHeld, p.marksHeld ? 'warn' : ''), card('marks withdrawn', p.marksWithdrawn)),
    p.eta ? h('p', { class: 'hint' }, `At the last hour's rate of live marks (seeds not counted) marking ends around ${when(p.eta)}.`) : null,
    h('p', {}, 'Markers: ', Object.entries(markers).map(([s, n]) => h('span', { class: 'state-' + s }, `${n} ${s} `))),
    h('div', { class: 'charts' }, chart('progress-chart', 'Responses by stage', {
      type: 'bar',
      data: {
        labels: ['not started', 'marked once', 'twice or more', 'senior', 'adjudication', 'escalated', 'final'],
        datasets: [{ label: 'responses', data: [p.notStarted, p.markedOnce, p.markedTwiceOrMore, p.senior, p.adjudication, p.escalated, p.final],
          backgroundColor: ['#c7d2fe', '#93c5fd', '#60a5fa', '#fcd34d', '#f59e0b', '#f87171', '#34d399'] }],
      },
      options: { plugins: { legend: { display: false } } },
    })));
}

async function overview(exam, tasks) {
  const rows = await Promise.all(tasks.map(t => api('GET', taskPath(t.taskId, 'progress')).then(p => ({ t, p })).catch(() => null)));
  const ok = rows.filter(Boolean);
  return h('section', { id: 'progress-view' },
    h('h2', {}, `Progress of ${exam.name || exam.id}`),
    h('table', {}, h('thead', {}, h('tr', {}, ['task', 'responses', 'final', 'outstanding marks', 'escalated', 'adjudication', 'marks/h', 'time to finish']
      .map(c => h('th', {}, c)))),
    h('tbody', {}, ok.map(({ t, p }) => h('tr', {},
      h('td', {}, h('a', { href: '#progress', onclick: () => selectTask(t.taskId) }, t.taskId), ' ', h('span', { class: 'hint' }, t.title || '')),
      h('td', { class: 'num' }, p.responses), h('td', { class: 'num' }, p.final), h('td', { class: 'num' }, p.marksOutstanding),
      h('td', { class: 'num' }, p.escalated), h('td', { class: 'num' }, p.adjudication), h('td', { class: 'num' }, p.marksPerHour),
      h('td', {}, eta(p)))))),
    ok.length ? h('div', { class: 'charts' }, chart('overview-chart', 'Final and outstanding per task', {
      type: 'bar',
      data: { labels: ok.map(r => r.t.taskId.split('.').slice(1).join('.')),
        datasets: [{ label: 'final', data: ok.map(r => r.p.final), backgroundColor: '#34d399' },
          { label: 'not final', data: ok.map(r => r.p.responses - r.p.final), backgroundColor: '#93c5fd' }] },
      options: { scales: { x: { stacked: true }, y: { stacked: true } } },
    })) : null);
}

function selectTask(id) {
  const s = document.getElementById('task');
  s.value = id;
  s.dispatchEvent(new Event('change'));
}
