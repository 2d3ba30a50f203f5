// The dashboard's only way to the server: the same JSON API as every client, with the bearer
// token of this tab's log-in (session storage: gone when the tab closes).
const TOKEN = 'openmarking.token';

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export async function login(username, password) {
  const r = await fetch('/api/v1/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(r.status, body.error || r.statusText, body.code);
  sessionStorage.setItem(TOKEN, body.token);
  return body.user;
}

export async function logout() {
  try { await api('POST', '/api/v1/auth/logout'); } catch (e) { /* the token may be gone already */ }
  sessionStorage.removeItem(TOKEN);
}

let onUnauthorized = () => {};
export function whenUnauthorized(f) { onUnauthorized = f; }

export async function api(method, path, body) {
  const headers = { authorization: 'Bearer ' + token() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401) {
    sessionStorage.removeItem(TOKEN);
    onUnauthorized();
  }
  if (r.status === 204) return null;
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) throw new ApiError(r.status, (data && data.error) || r.statusText, data && data.code);
  return data;
}

/** An answer image as an object URL (the image route needs the bearer token, so no plain img src). */
export async function imageUrl(path) {
  const r = await fetch(path, { headers: { authorization: 'Bearer ' + token() } });
  if (!r.ok) {
    const data = await r.json().catch(() => ({}));
    throw new ApiError(r.status, data.error || r.statusText, data.code);
  }
  return URL.createObjectURL(await r.blob());
}

/**
 * The exam's push stream. EventSource cannot send an Authorization header, so this reads the
 * server-sent events from a streaming fetch and reconnects with a growing pause.
 */
export function listen(exam, onEvent, onState) {
  let stopped = false;
  let controller = null;
  let pause = 500;
  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const r = await fetch('/api/v1/push/events?exam=' + encodeURIComponent(exam), {
          headers: { authorization: 'Bearer ' + token(), accept: 'text/event-stream' }, signal: controller.signal,
        });
        if (r.status === 401) { onUnauthorized(); return; }
        if (!r.ok) throw new Error('stream refused: ' + r.status);
        const reader = r.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let type = 'message';
            let data = '';
            for (const line of frame.split('\n')) {
              if (line.startsWith('event: ')) type = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (frame.startsWith(':')) continue; // keep-alive comment
            if (type === 'connected') { pause = 500; onState(true); }
            onEvent(type, data ? JSON.parse(data) : {});
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      onState(false);
      await new Promise(res => setTimeout(res, pause));
      pause = Math.min(pause * 2, 10000);
    }
  }
  run();
  return () => { stopped = true; if (controller) controller.abort(); };
}
