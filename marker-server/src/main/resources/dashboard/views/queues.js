import { action, answerImage, api, h, markSelect, needTask, q, resetCharts, taskPath } from './common.js';
import { when } from '../dom.js';

/** Answers markers sent up instead of marking them: settle with a mark or send back to the pool. */
export async function escalations({ task }) {
  resetCharts();
  const missing = needTask(task, 'its escalations');
  if (missing) return missing;
  const data = await api('GET', taskPath(task, 'escalations'));
  return h('section', { id: 'escalations-view' },
    h('h2', {}, `Escalations on ${task}`),
    data.escalations.length === 0 ? h('p', { class: 'hint' }, 'The queue is empty.') : data.escalations.map(e => {
      const mark = markSelect();
      const note = h('input', { class: 'note', placeholder: 'note (optional)' });
      return h('div', { class: 'queue-item', dataset: { escalation: e.escalationId, response: e.responseId } },
        h('p', {}, h('strong', {}, e.reason), ` from ${e.marker}, ${when(e.createdAt)}`, e.note ? ` — “${e.note}”` : ''),
        answerImage(e.imageUrl, 'escalated answer'),
        h('div', { class: 'actions' }, mark, note,
          action('Set the final mark', async () => {
            if (!mark.value) throw new Error('choose a mark first');
            await api('POST', `/api/v1/quality/escalations/${q(e.escalationId)}/resolve`, { action: 'mark', mark: mark.value, note: note.value });
            return `final mark ${mark.value} set`;
          }, 'primary resolve'),
          action('Back to the pool', async () => {
            await api('POST', `/api/v1/quality/escalations/${q(e.escalationId)}/resolve`, { action: 'return', note: note.value });
            return 'returned to the pool';
          })));
    }));
}

/** Responses whose marks did not settle: see the answer and every mark, decide the final mark. */
export async function adjudication({ task }) {
  resetCharts();
  const missing = needTask(task, 'its adjudication queue');
  if (missing) return missing;
  const data = await api('GET', taskPath(task, 'adjudications'));
  return h('section', { id: 'adjudication-view' },
    h('h2', {}, `Adjudication on ${task}`),
    data.responses.length === 0 ? h('p', { class: 'hint' }, 'Nothing waits for adjudication.') : data.responses.map(r => {
      const mark = markSelect();
      const note = h('input', { class: 'note', placeholder: 'why (optional)' });
      return h('div', { class: 'queue-item', dataset: { response: r.responseId } },
        h('p', {}, 'Marks: ', r.marks.map(m => h('span', { class: 'given' }, `${m.mark} by ${m.marker}${m.senior ? ' (senior)' : ''}; `))),
        answerImage(r.imageUrl, 'answer to adjudicate'),
        h('div', { class: 'actions' }, mark, note,
          action('Decide the final mark', async () => {
            if (!mark.value) throw new Error('choose a mark first');
            await api('POST', `/api/v1/quality/responses/${q(r.responseId)}/adjudicate`, { mark: mark.value, note: note.value });
            return `final mark ${mark.value}`;
          }, 'primary adjudicate')));
    }));
}
