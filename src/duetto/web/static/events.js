// events.js — one websocket for the open project (WS /api/events?project=…), so the page can
// refresh when any job of the project ends, whoever started it. When the socket cannot open or
// drops, the page polls instead and tries the socket again later. watch() always closes the
// previous project's socket first: switching projects never leaves two open.

const ENDED = ["done", "failed", "cancelled", "interrupted"];

export class ProjectEvents {
  // onChange(event) for every ended job; onChange(null) on each poll while the socket is down.
  constructor(onChange, { pollMs = 5000, retryMs = 15000 } = {}) {
    this.onChange = onChange;
    this.pollMs = pollMs;
    this.retryMs = retryMs;
    this.project = null;
    this.ws = null;
    this.poller = null;
    this.retry = null;
  }

  watch(project) {
    this.stop();
    this.project = project;
    if (project) this.connect();
  }

  stop() {
    this.project = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) { ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null; ws.close(); }
    clearInterval(this.poller);
    clearTimeout(this.retry);
    this.poller = this.retry = null;
  }

  connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    let ws;
    try {
      ws = new WebSocket(`${proto}//${location.host}/api/events?project=${encodeURIComponent(this.project)}`);
    } catch { this.fallBack(); return; }
    this.ws = ws;
    ws.onopen = () => { clearInterval(this.poller); this.poller = null; };
    ws.onmessage = (m) => {
      let ev;
      try { ev = JSON.parse(m.data); } catch { return; }
      if (ev && ENDED.includes(ev.status)) this.onChange(ev);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (e.code >= 4000) return;  // refused (4401, 4403…): polling would be refused as well
      this.fallBack();
    };
  }

  fallBack() {
    if (!this.poller) this.poller = setInterval(() => this.onChange(null), this.pollMs);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => { if (this.project && !this.ws) this.connect(); }, this.retryMs);
  }
}
