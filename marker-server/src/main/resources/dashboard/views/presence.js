import { action, api, h, q, resetCharts } from './common.js';
import { when } from '../dom.js';

const KINDS = ['passed', 'failed', 'paused', 'suspended'];

function reasons(r) {
  const entries = Object.entries(r || {});
  return entries.length === 0 ? '–' : entries.map(([k, n]) => `${k} × ${n}`).join(', ');
}

/**
 * Face checks: the service's state, the exam's totals (every event, counted by the server) and
 * each marker's, suspended markers with evidence, and the latest events.
 */
export async function presence({ exam }) {
  resetCharts();
  const [service, totals, suspended, events] = await Promise.all([
    api('GET', '/api/v1/face/service').catch(e => ({ faceChecks: 'unknown', reason: e.message })),
    api('GET', '/api/v1/face/presence/totals?exam=' + q(exam.id)),
    api('GET', '/api/v1/face/presence/suspended'), api('GET', '/api/v1/face/presence/events?limit=100')]);
  const t = totals.totals;
  const decide = (m, decision, marks) => api('POST', `/api/v1/face/presence/${q(m.marker)}/decision`, { decision, marks, note: '' });
  return h('section', { id: 'presence-view' },
    h('h2', {}, 'Presence (face checks)'),
    h('p', { class: service.faceChecks === 'required' ? 'good' : 'bad' },
      `Face checks: ${service.faceChecks}` + (service.reason ? ` — ${service.reason}` : '')),
    h('div', { class: 'cards', id: 'presence-totals' }, KINDS.map(k => h('div', { class: 'card' + (k !== 'passed' && t[k] ? ' warn' : '') },
      h('div', { class: 'value', dataset: { field: k } }, t[k]), h('div', { class: 'label' }, k === 'passed' || k === 'failed' ? `checks ${k}` : k)))),
    h('p', { id: 'presence-reasons' }, 'Failures by reason: ', reasons(t.failureReasons)),
    h('table', { id: 'presence-markers' }, h('thead', {}, h('tr', {}, ['marker', 'state', ...KINDS, 'failures by reason'].map(c => h('th', {}, c)))),
      h('tbody', {}, totals.markers.map(m => h('tr', { dataset: { marker: m.marker } }, h('td', {}, m.marker),
        h('td', { class: m.state === 'SUSPENDED' || m.state === 'PAUSED' ? 'bad' : '' }, m.state || 'never checked'),
        KINDS.map(k => h('td', { class: 'num', dataset: { field: k } }, m[k])), h('td', {}, reasons(m.failureReasons)))))),
    h('h3', {}, 'Suspended after failed checks'),
    suspended.markers.length === 0 ? h('p', { class: 'hint' }, 'nobody') : suspended.markers.map(m => {
      const evidence = h('div', { class: 'evidence' });
      return h('div', { class: 'queue-item', dataset: { marker: m.marker } },
        h('h4', {}, m.marker, ' ', h('span', { class: 'hint' }, `suspended ${when(m.suspendedAt)}; last passed check ${when(m.lastPassedAt)}`)),
        h('ul', {}, (m.checks || []).map(c => h('li', {}, `${when(c.answeredAt)}: ${c.reason || ''}${c.detail ? ' (' + (typeof c.detail === 'string' ? c.detail : JSON.stringify(c.detail)) + ')' : ''} `,
          c.evidence ? h('button', { type: 'button', onclick: async () => {
            const ev = await api('GET', `/api/v1/face/presence/${q(m.marker)}/checks/${q(c.checkId)}/evidence`);
            evidence.replaceChildren(...ev.frames.map(f => h('img', { class: 'frame', alt: 'evidence frame', src: 'data:image/jpeg;base64,' + f })));
          } }, 'see the evidence frames') : null))),
        evidence,
        h('div', { class: 'actions' },
          action('Reinstate, count held marks', async () => { await decide(m, 'reinstate', 'accept'); return `${m.marker} reinstated`; }, 'primary'),
          action('Reinstate, withdraw held marks', async () => { await decide(m, 'reinstate', 'withdraw'); return `${m.marker} reinstated; marks withdrawn`; }),
          action('Keep suspended, withdraw marks', async () => { await decide(m, 'keep-suspended', 'withdraw'); return `${m.marker} stays suspended`; }, 'danger')));
    }),
    h('h3', {}, 'Latest events (up to 100, all exams in your scope)'),
    h('table', { id: 'presence-events' }, h('thead', {}, h('tr', {}, ['when', 'marker', 'event', 'reason'].map(c => h('th', {}, c)))),
      h('tbody', {}, events.events.map(e => h('tr', {}, h('td', {}, when(e.at)), h('td', {}, e.marker),
        h('td', { class: /fail|suspend|pause/.test(e.kind) ? 'bad' : '' }, e.kind), h('td', {}, e.reason || ''))))));
}
