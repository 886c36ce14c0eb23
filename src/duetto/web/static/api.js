// api.js — every call to the HTTP API goes through here: JSON in and out, the CSRF header on
// unsafe methods (cookie sessions), and one error type carrying the API's stable {code, message}.

let csrf = null;

export function setCsrf(token) { csrf = token; }

export class ApiError extends Error {
  constructor(status, code, message, hint) {
    super(message);
    this.status = status; this.code = code; this.hint = hint;
  }
}

export async function api(path, { method = "GET", body, form } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
  const res = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  if (res.status === 204) return null;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(res.status, e.code || "http_" + res.status, e.message || res.statusText, e.hint);
  }
  return data;
}

// Follow one job: the websocket first, polling /api/jobs/{id} when the socket fails.
// onEvent receives {status, progress, message, versions?}; resolves with the last event.
export function followJob(jobId, onEvent) {
  const done = (s) => ["done", "failed", "cancelled", "interrupted"].includes(s);
  return new Promise((resolve) => {
    let finished = false, polling = false;
    const finish = (ev) => { if (!finished) { finished = true; resolve(ev); } };
    const poll = async () => {
      if (polling || finished) return;
      polling = true;
      while (!finished) {
        try {
          const job = await api(`/api/jobs/${jobId}`);
          const ev = { status: job.status, progress: job.progress, message: job.message,
                       versions: job.result && job.result.versions, error: job.error };
          onEvent(ev);
          if (done(ev.status)) finish(ev);
        } catch (err) { finish({ status: "failed", message: err.message }); }
        await new Promise((r) => setTimeout(r, 700));
      }
    };
    let ws;
    try {
      const proto = location.protocol === "https:" ? "wss:" : "ws:";
      ws = new WebSocket(`${proto}//${location.host}/api/jobs/${jobId}/events`);
    } catch { poll(); return; }
    ws.onmessage = (m) => {
      const ev = JSON.parse(m.data);
      if (ev.error && !ev.status) { poll(); return; }
      onEvent(ev);
      if (done(ev.status)) { finish(ev); ws.close(); }
    };
    ws.onerror = () => poll();
    ws.onclose = () => { if (!finished) poll(); };
  });
}
