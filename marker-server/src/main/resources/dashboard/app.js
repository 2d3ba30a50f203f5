import { api, login, logout, listen, token, whenUnauthorized } from './api.js';
import { h, toast } from './dom.js';
import { views } from './views.js';

// What the page is looking at; views read it and re-render when live events arrive.
export const state = { user: null, exams: [], exam: null, task: null, tasks: [], stop: null };

const $ = id => document.getElementById(id);

whenUnauthorized(() => showLogin('your session ended; log in again'));

$('login').addEventListener('submit', async e => {
  e.preventDefault();
  $('login-error').textContent = '';
  try {
    state.user = await login($('username').value, $('password').value);
    $('password').value = '';
    await start();
  } catch (err) {
    $('login-error').textContent = err.message;
  }
});

$('logout').addEventListener('click', async () => {
  await logout();
  showLogin('logged out');
});

$('exam').addEventListener('change', () => chooseExam($('exam').value));
$('task').addEventListener('change', () => { state.task = $('task').value; render(); });
window.addEventListener('hashchange', () => render());
// A view that changed something (published, decided, approved) asks to be read again.
$('view').addEventListener('changed', () => render());

function showLogin(message) {
  if (state.stop) state.stop();
  state.stop = null;
  $('app').hidden = true;
  $('pickers').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
  $('login-view').hidden = false;
  $('login-error').textContent = message || '';
}

async function start() {
  if (!state.user) state.user = await api('GET', '/api/v1/auth/me');
  const roles = (state.user.roles || []).map(g => g.role);
  if (!roles.includes('chief_examiner') && !roles.includes('admin')) {
    await logout();
    showLogin('the dashboard is for chief examiners and administrators');
    return;
  }
  $('login-view').hidden = true;
  $('app').hidden = false;
  $('pickers').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = state.user.displayName || state.user.username;
  const data = await api('GET', '/api/v1/exams');
  state.exams = data.exams || [];
  const examSelect = $('exam');
  examSelect.replaceChildren(...state.exams.map(x => h('option', { value: x.id }, x.name || x.id)));
  if (state.exams.length === 0) {
    $('view').replaceChildren(h('p', {}, 'No exam is within your scope.'));
    return;
  }
  await chooseExam(state.exams[0].id);
  showFaceSetting();
}

async function chooseExam(id) {
  state.exam = state.exams.find(x => x.id === id);
  // Only the tasks within the chief examiner's scope (the server filters them).
  const inScope = await api('GET', '/api/v1/quality/tasks');
  state.tasks = inScope.tasks.filter(t => t.examId === id);
  $('task').replaceChildren(h('option', { value: '' }, 'all tasks'),
    ...state.tasks.map(t => h('option', { value: t.taskId }, t.taskId + (t.title ? ' · ' + t.title : ''))));
  state.task = '';
  if (state.stop) state.stop();
  state.stop = listen(id, onEvent, up => {
    $('live').textContent = up ? 'live' : 'reconnecting…';
    $('live').className = 'live ' + (up ? 'on' : 'off');
  });
  render();
}

async function showFaceSetting() {
  try {
    const s = await api('GET', '/api/v1/face/service');
    if (s && s.faceChecks !== 'required') {
      $('face-warning').textContent = s.faceChecks === 'off' ? 'FACE CHECKS ARE SWITCHED OFF' : 'FACE CHECKS UNAVAILABLE: ' + (s.reason || '');
      $('face-warning').hidden = false;
    }
  } catch (e) { /* an older server without presence: nothing to show */ }
}

const NOTICES = {
  'marker-suspended': d => `Marker ${d.marker || d.markerId} suspended on ${d.taskId}: ${d.reason || ''}`,
  'presence-suspended': d => `Marker ${d.marker} suspended after two failed face checks: ${d.reason || ''}`,
  'presence-paused': d => `Marker ${d.marker} paused after a failed face check: ${d.reason || ''}`,
  'escalation': d => `New escalation on ${d.taskId}: ${d.reason || ''}`,
  'adjudication-needed': d => `A response on ${d.taskId} needs adjudication`,
  'marker-held': d => `Marker ${d.marker || d.markerId} is waiting for approval on ${d.taskId}`,
};

// Events name markers by id; the notice names them as the chief examiner knows them.
async function named(data) {
  if (data.marker || !data.markerId || !data.taskId) return data;
  try {
    const list = await api('GET', `/api/v1/quality/tasks/${encodeURIComponent(data.taskId)}/markers`);
    const m = list.markers.find(x => x.markerId === data.markerId);
    return m ? { ...data, marker: m.displayName || m.username } : data;
  } catch (e) {
    return data;
  }
}

let pending = null;
function onEvent(type, data) {
  if (NOTICES[type]) named(data).then(d => toast(NOTICES[type](d), type.includes('suspended') ? 'alert' : 'info'));
  if (type === 'connected') return;
  // Many events arrive together while markers work: re-read the view at most twice a second.
  clearTimeout(pending);
  pending = setTimeout(() => render(true), 500);
}

let rendering = 0;
let edited = false;
$('view').addEventListener('input', () => { edited = true; });
export async function render(live = false) {
  if (!state.exam) return;
  const name = (location.hash || '#progress').slice(1);
  const view = views[name] || views.progress;
  for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.getAttribute('href') === '#' + name);
  // A live event never wipes what the chief examiner is in the middle of typing or choosing.
  if (live && (view.keepWhileLive || edited)) return;
  const mine = ++rendering;
  try {
    const node = await view({ exam: state.exam, task: state.task, tasks: state.tasks, live });
    if (mine === rendering && node) {
      $('view').replaceChildren(node);
      edited = false;
    }
  } catch (err) {
    if (mine === rendering) $('view').replaceChildren(h('p', { class: 'error' }, err.message));
  }
}

if (token()) {
  start().catch(() => showLogin());
}
