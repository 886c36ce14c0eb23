// region.js — revise one part of a picture: draw a rectangle, an ellipse or a brush mask on a
// canvas laid over the large picture, say what to change there, and send it as a revise:
//   rect    → "rect": [x, y, w, h]      (fractions 0..1 of the width and height)
//   ellipse → "ellipse": [cx, cy, rx, ry]
//   brush   → "mask": {name, data}      (a PNG of the picture's size: white = change)
// The canvas has the picture's own pixel size, so the mask lines up with it exactly.

import { base64Of, busy, kindOf } from "./acts.js";
import { t } from "./i18n.js";

const $ = (sel) => document.querySelector(sel);
const MIN_SIDE = 0.01;  // a click without a drag marks nothing

export class Region {
  constructor(ctx) {
    this.ctx = ctx;
    this.canvas = null;
    this.shape = null;    // {x0, y0, x1, y1} in fractions, for rect and ellipse
    this.painted = false; // brush strokes on the canvas
    this.resize = new ResizeObserver(() => this.place());
    $("#region-box").addEventListener("toggle", () => this.attach());
    $("#region-form").addEventListener("submit", (e) => { e.preventDefault(); this.submit(e.submitter); });
    $("#region-clear").addEventListener("click", () => this.clear());
    document.querySelectorAll("#region-form input[name=tool]").forEach((r) => r.addEventListener("change", () => this.clear()));
  }

  tool() { return $("#region-form input[name=tool]:checked").value; }

  open() { this.attach(); }

  relabel() {}

  // The overlay goes on the large picture while the panel is open, and away when it closes.
  async attach() {
    this.detach();
    const v = this.ctx.current();
    const img = $("#detail-media img");
    if (!$("#region-box").open || !v || kindOf(v) !== "picture" || !img) return;
    if (!img.complete || !img.naturalWidth) await img.decode().catch(() => {});
    if (!img.isConnected || !img.naturalWidth) return;
    const c = document.createElement("canvas");
    c.className = "region-canvas";
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    c.setAttribute("aria-label", t("region.canvas"));
    c.addEventListener("pointerdown", (e) => this.down(e));
    c.addEventListener("pointermove", (e) => this.move(e));
    c.addEventListener("pointerup", (e) => this.up(e));
    c.addEventListener("pointercancel", (e) => this.up(e));
    img.parentElement.classList.add("drawing");
    img.after(c);
    this.canvas = c;
    this.img = img;
    this.place();
    this.resize.observe(img);
  }

  detach() {
    this.resize.disconnect();
    if (this.canvas) { this.canvas.parentElement?.classList.remove("drawing"); this.canvas.remove(); }
    this.canvas = null;
    this.shape = null;
    this.painted = false;
    this.stroke = null;
  }

  place() {
    const c = this.canvas, img = this.img;
    if (!c || !img.isConnected) return;
    Object.assign(c.style, { left: `${img.offsetLeft}px`, top: `${img.offsetTop}px`,
                             width: `${img.offsetWidth}px`, height: `${img.offsetHeight}px` });
  }

  clear() {
    this.shape = null;
    this.painted = false;
    if (this.canvas) this.canvas.getContext("2d").clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  at(e) {
    const r = this.canvas.getBoundingClientRect();
    const clamp = (x) => Math.min(1, Math.max(0, x));
    return { x: clamp((e.clientX - r.left) / r.width), y: clamp((e.clientY - r.top) / r.height) };
  }

  down(e) {
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    const p = this.at(e);
    if (this.tool() === "brush") { this.stroke = p; this.dab(p, p); return; }
    this.shape = { x0: p.x, y0: p.y, x1: p.x, y1: p.y };
    this.dragging = true;
    this.draw();
  }

  move(e) {
    const p = this.at(e);
    if (this.tool() === "brush") {
      if (this.stroke) { this.dab(this.stroke, p); this.stroke = p; }
    } else if (this.dragging) {
      Object.assign(this.shape, { x1: p.x, y1: p.y });
      this.draw();
    }
  }

  up() { this.stroke = null; this.dragging = false; }

  // One brush segment, opaque: the canvas is shown half transparent and exported as the mask.
  dab(a, b) {
    const c = this.canvas, g = c.getContext("2d");
    g.globalCompositeOperation = "source-over";
    g.strokeStyle = g.fillStyle = "#c2562b";
    g.lineCap = g.lineJoin = "round";
    g.lineWidth = Number($("#region-brush").value) * c.width;
    g.beginPath();
    g.moveTo(a.x * c.width, a.y * c.height);
    g.lineTo(b.x * c.width + 0.01, b.y * c.height);
    g.stroke();
    this.painted = true;
  }

  box() {
    const s = this.shape;
    if (!s) return null;
    const x = Math.min(s.x0, s.x1), y = Math.min(s.y0, s.y1);
    const w = Math.abs(s.x1 - s.x0), h = Math.abs(s.y1 - s.y0);
    return w < MIN_SIDE || h < MIN_SIDE ? null : { x, y, w, h };
  }

  draw() {
    const c = this.canvas, g = c.getContext("2d"), b = this.box();
    g.clearRect(0, 0, c.width, c.height);
    if (!b) return;
    g.fillStyle = "#c2562b";
    g.beginPath();
    if (this.tool() === "ellipse") {
      g.ellipse((b.x + b.w / 2) * c.width, (b.y + b.h / 2) * c.height, (b.w / 2) * c.width, (b.h / 2) * c.height, 0, 0, 2 * Math.PI);
    } else {
      g.rect(b.x * c.width, b.y * c.height, b.w * c.width, b.h * c.height);
    }
    g.fill();
  }

  // The brush strokes as a black-and-white PNG of the picture's size.
  async mask() {
    const src = this.canvas, out = document.createElement("canvas");
    out.width = src.width;
    out.height = src.height;
    const g = out.getContext("2d");
    g.drawImage(src, 0, 0);
    g.globalCompositeOperation = "source-in";  // every painted pixel becomes white
    g.fillStyle = "#fff";
    g.fillRect(0, 0, out.width, out.height);
    g.globalCompositeOperation = "destination-over";  // and the rest black
    g.fillStyle = "#000";
    g.fillRect(0, 0, out.width, out.height);
    const blob = await new Promise((resolve) => out.toBlob(resolve, "image/png"));
    return { name: "mask.png", data: await base64Of(blob) };
  }

  async region() {
    const round = (x) => Math.round(x * 10000) / 10000;
    if (this.tool() === "brush") return this.painted ? { mask: await this.mask() } : null;
    const b = this.box();
    if (!b) return null;
    if (this.tool() === "ellipse") return { ellipse: [b.x + b.w / 2, b.y + b.h / 2, b.w / 2, b.h / 2].map(round) };
    return { rect: [b.x, b.y, b.w, b.h].map(round) };
  }

  async submit(button) {
    const v = this.ctx.current();
    const feedback = $("#region-form textarea[name=feedback]").value.trim();
    if (!v || !feedback) return;
    const region = this.canvas && (await this.region());
    if (!region) { this.ctx.flash(t("region.drawFirst"), "info"); return; }
    await busy(button, () => this.ctx.run(`/api/versions/${v.id}/revise`, { feedback, ...region }, 1));
  }
}
