import { action, answerImage, api, h, markSelect, needTask, resetCharts, taskPath } from './common.js';
import { toast } from '../dom.js';

/**
 * Building calibration sets and the seed bank: look at answers, give each a definitive mark and a
 * rationale, then make a set of the chosen ones or promote one to the seed bank.
 */
export async function build({ task }) {
  resetCharts();
  const missing = needTask(task, 'its answers');
  if (missing) return missing;
  const [responses, sets, bank, settings] = await Promise.all([api('GET', taskPath(task, 'responses') + '?limit=200'),
    api('GET', taskPath(task, 'calibration-sets')), api('GET', taskPath(task, 'seeds')), api('GET', taskPath(task, 'settings'))]);
  const chosen = new Map();
  const count = h('span', { id: 'chosen-count' }, '0');
  const rule = settings.settings.calibration || settings.settings.calibrationRule || {};
  const candidates = responses.responses.filter(r => !r.seed && !r.calibrationItem && r.status !== 'reference');
  const rows = candidates.map(r => {
    const mark = markSelect();
    const rationale = h('input', { class: 'rationale', placeholder: 'rationale (why this mark)', size: 40 });
    const pick = h('input', { type: 'checkbox', class: 'pick', 'aria-label': 'choose for a calibration set', onchange: e => {
      if (e.target.checked) chosen.set(r.responseId, { mark, rationale }); else chosen.delete(r.responseId);
      count.textContent = String(chosen.size);
    } });
    const view = h('div', { class: 'preview' });
    return h('tr', { dataset: { response: r.responseId } },
      h('td', {}, pick), h('td', {}, r.responseId, r.likelyBlank ? h('span', { class: 'hint' }, ' (likely blank)') : null),
      h('td', {}, r.status, r.finalMark ? ` · final ${r.finalMark}` : ''),
      h('td', {}, h('button', { type: 'button', onclick: () => view.replaceChildren(answerImage(r.imageUrl)) }, 'view'), view),
      h('td', {}, mark), h('td', {}, rationale),
      h('td', {}, action('Promote to seed', async () => {
        if (!mark.value) throw new Error('give the seed its definitive mark first');
        await api('POST', taskPath(task, 'seeds'), { responseId: r.responseId, mark: mark.value, rationale: rationale.value });
        return `${r.responseId} is now a seed (${mark.value})`;
      }, 'promote')));
  });
  return h('section', { id: 'build-view' },
    h('h2', {}, `Calibration sets and seeds for ${task}`),
    h('p', { class: 'hint' }, `${sets.sets.length} calibration set(s), ${bank.seeds.length} seed(s). `
      + (rule.itemsPerSet ? `A set has ${rule.itemsPerSet} items.` : '')),
    h('div', { class: 'actions' }, 'Chosen: ', count, ' ',
      action('Make a calibration set of the chosen answers', async () => {
        const items = [...chosen.entries()].map(([responseId, f]) => ({ responseId, mark: f.mark.value, rationale: f.rationale.value }));
        if (items.some(i => !i.mark || !i.rationale)) throw new Error('every chosen answer needs a definitive mark and a rationale');
        const r = await api('POST', taskPath(task, 'calibration-sets'), { items });
        return `calibration set ${r.ordinal || r.setId || ''} created with ${items.length} items`;
      }, 'primary make-set')),
    h('table', { id: 'build-table' }, h('thead', {}, h('tr', {}, ['', 'answer', 'status', 'image', 'definitive mark', 'rationale', ''].map(c => h('th', {}, c)))),
      h('tbody', {}, rows)),
    h('h3', {}, 'Seed bank'),
    h('table', {}, h('thead', {}, h('tr', {}, ['answer', 'definitive', 'rationale', 'served', 'marked exactly'].map(c => h('th', {}, c)))),
      h('tbody', {}, bank.seeds.map(s => h('tr', {}, h('td', {}, s.responseId), h('td', {}, s.definitiveMark), h('td', {}, s.rationale),
        h('td', { class: 'num' }, s.served), h('td', { class: 'num' }, `${s.markedExactly} of ${s.marked}`))))),
    h('h3', {}, 'Calibration sets'),
    sets.sets.map(s => h('details', {}, h('summary', {}, `Set ${s.ordinal} (${s.items.length} items)`),
      h('ul', {}, s.items.map(i => h('li', {}, `${i.responseId}: ${i.definitiveMark} — ${i.rationale}`))))));
}
build.keepWhileLive = true;
