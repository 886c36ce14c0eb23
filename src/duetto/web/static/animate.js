// animate.js — a film of the open painting being painted: POST /api/versions/{id}/animate
// {format: gif | webp, seconds, fps}. The film is a new version; it opens at once and plays in
// an <img>, as both formats do in every browser (no video element, no codec).

import { busy } from "./acts.js";

const $ = (sel) => document.querySelector(sel);

export class Animate {
  constructor(ctx) {
    this.ctx = ctx;
    $("#animate-form").addEventListener("submit", (e) => { e.preventDefault(); this.submit(e.submitter); });
  }

  // Only the painter's pictures (and films of them) have strokes to film: others say why.
  open(v) {
    const ok = /^engine:(painter|timelapse)@/.test(v.author);
    $("#animate-go").disabled = !ok;
    $("#animate-why").hidden = ok;
  }

  relabel() {}

  async submit(button) {
    const v = this.ctx.current();
    if (!v) return;
    const f = $("#animate-form");
    const body = { format: f.format.value, seconds: Number(f.seconds.value) || 4, fps: Number(f.fps.value) || 12 };
    await busy(button, () => this.ctx.run(`/api/versions/${v.id}/animate`, body, 1));
  }
}
