// keeping.js — looking after the open version:
//   replay   POST /api/versions/{id}/replay  (a job: regenerate from the recipe, compare the bytes)
//   rm       DELETE /api/versions/{id}       (soft: hidden from making, kept, restorable)
//   restore  POST /api/versions/{id}/restore

import { api } from "./api.js";
import { busy } from "./acts.js";
import { t } from "./i18n.js";

const $ = (sel) => document.querySelector(sel);

export class Keeping {
  constructor(ctx) {
    this.ctx = ctx;
    this.replayed = null;  // {id, identical, error} of the last replay, redrawn on a language change
    $("#replay").addEventListener("click", (e) => this.replay(e.currentTarget));
    $("#remove").addEventListener("click", (e) => this.mark(e.currentTarget, true));
    $("#restore").addEventListener("click", (e) => this.mark(e.currentTarget, false));
  }

  open(v) {
    if (this.replayed && this.replayed.id !== v.id) this.replayed = null;
    this.state(v);
  }

  state(v) {
    $("#remove").hidden = v.deleted;
    $("#restore").hidden = !v.deleted;
    $("#deleted-note").hidden = !v.deleted;
    $("#replay").disabled = v.author_kind === "human";  // a person's own file has no recipe
    this.drawReplay();
  }

  relabel() { this.drawReplay(); }

  drawReplay() {
    const out = $("#replay-out"), r = this.replayed;
    out.hidden = !r;
    if (!r) return;
    out.className = r.identical ? "small ok" : "small bad";
    out.textContent = r.identical ? t("replay.same", { sha: r.sha }) : t("replay.differs", { message: r.error || "" });
  }

  async replay(button) {
    const v = this.ctx.current();
    if (!v) return;
    const job = await busy(button, () => this.ctx.follow(`/api/versions/${v.id}/replay`, {}));
    if (!job) return;
    const ok = job.status === "done" && job.result && job.result.identical;
    this.replayed = { id: v.id, identical: ok, sha: v.sha256.slice(0, 12), error: job.error && job.error.message };
    this.drawReplay();
  }

  async mark(button, deleted) {
    const v = this.ctx.current();
    if (!v) return;
    try {
      const out = await busy(button, () => deleted
        ? api(`/api/versions/${v.id}`, { method: "DELETE" })
        : api(`/api/versions/${v.id}/restore`, { method: "POST" }));
      this.ctx.changed(out);
      this.ctx.flash(t(deleted ? "keep.removed" : "keep.restored"), "info");
    } catch (err) { this.ctx.fail(err); }
  }
}
