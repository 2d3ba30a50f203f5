import { action, api, h, q, resetCharts } from './common.js';
import { when } from '../dom.js';

/** Face checks: the service's state, suspended markers with evidence, and the latest events. */
export async function presence() {
  resetCharts();
  const [service, suspended, events] = await Promise.all([
    api('GET', '/api/v1/face/service').catch(e => ({ faceChecks: 'unknown', reason: e.message })),
    api('GET', '/api/v1/face/presence/suspended'), api('GET', '/api/v1/face/presence/events?limit=100')]);
  const counts = {};
  for (const e of events.events) counts[e.kind] = (counts[e.kind] || 0) + 1;
  const decide = (m, decision, marks) => api('POST', `/api/v1/face/presence/${q(m.marker)}/decision`, { decision, marks, note: '' });
  return h('section', { id: 'presence-view' },
    h('h2', {}, 'Presence (face checks)'),
    h('p', { class: service.faceChecks === 'required' ? 'good' : 'bad' },
      `Face checks: ${service.faceChecks}` + (service.reason ? ` — ${service.reason}` : '')),
    h('div', { class: 'cards' }, Object.entries(counts).map(([k, n]) => h('div', { class: 'card' }, h('div', { class: 'value' }, n), h('div', { class: 'label' }, k)))),
    h('h3', {}, 'Suspended after failed checks'),
    suspended.markers.length === 0 ? h('p', { class: 'hint' }, 'nobody') : suspended.markers.map(m => {
      const evidence = h('div', { class: 'evidence' });
      return h('div', { class: 'queue-item', dataset: { marker: m.marker } },
        h('h4', {}, m.marker, ' ', h('span', { class: 'hint' }, `suspended ${when(m.suspendedAt)}; last passed check ${when(m.lastPassedAt)}`)),
        h('ul', {}, (m.checks || []).map(c => h('li', {}, `${when(c.at || c.decidedAt)}: ${c.reason || c.result || ''} `,
          c.checkId ? h('button', { type: 'button', onclick: async () => {
            const ev = await api('GET', `/api/v1/face/presence/${q(m.marker)}/checks/${q(c.checkId)}/evidence`);
            evidence.replaceChildren(...ev.frames.map(f => h('img', { class: 'frame', alt: 'evidence frame', src: 'data:image/jpeg;base64,' + (f.jpeg || f) })));
          } }, 'see the evidence frames') : null))),
        evidence,
        h('div', { class: 'actions' },
          action('Reinstate, count held marks', async () => { await decide(m, 'reinstate', 'accept'); return `${m.marker} reinstated`; }, 'primary'),
          action('Reinstate, withdraw held marks', async () => { await decide(m, 'reinstate', 'withdraw'); return `${m.marker} reinstated; marks withdrawn`; }),
          action('Keep suspended, withdraw marks', async () => { await decide(m, 'keep-suspended', 'withdraw'); return `${m.marker} stays suspended`; }, 'danger')));
    }),
    h('h3', {}, 'Latest events'),
    h('table', { id: 'presence-events' }, h('thead', {}, h('tr', {}, ['when', 'marker', 'event', 'reason'].map(c => h('th', {}, c)))),
      h('tbody', {}, events.events.map(e => h('tr', {}, h('td', {}, when(e.at)), h('td', {}, e.marker),
        h('td', { class: /fail|suspend|pause/.test(e.kind) ? 'bad' : '' }, e.kind), h('td', {}, e.reason || ''))))));
}
