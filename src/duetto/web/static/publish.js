// publish.js — publishing the open version, and checking any file's provenance:
//   publish  POST /api/versions/{id}/publish {title, authors, licence, licence_text, training}  (a job)
//            GET  /api/versions/{id}/publication → {published, publication: {title, authors, licence, files}}
//            GET  /api/versions/{id}/published/{name}  (png, md, md.c2pa …: the signed files)
//   verify   POST /api/verify?project=…  multipart file (+ its .c2pa sidecar) → {status, summary, actions, …}
// The publish dialog is a <dialog>; the verify area takes a dropped file or one picked with the input.

import { api } from "./api.js";
import { busy } from "./acts.js";
import { t } from "./i18n.js";
import { node } from "./media.js";

const $ = (sel) => document.querySelector(sel);

export class PublishPanel {
  constructor(ctx) {
    this.ctx = ctx;
    this.shown = null;        // the version whose publication is drawn
    this.publication = null;  // its publication record, or null when it is not published
    this.verdict = null;      // the last verify answer, redrawn when the language changes
    const dialog = $("#publish-dialog"), form = $("#publish-form");
    $("#publish-open").addEventListener("click", () => this.ask());
    $("#publish-cancel").addEventListener("click", () => dialog.close());
    form.licence.addEventListener("change", () => this.custom());
    form.addEventListener("submit", (e) => { e.preventDefault(); this.submit(e.submitter); });
    const drop = $("#verify-drop"), input = $("#verify-file");
    input.addEventListener("change", () => this.check([...input.files]));
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault(); drop.classList.remove("over");
      this.check([...e.dataTransfer.files]);
    });
  }

  async open(v) {
    if (this.shown !== v.id) { this.publication = null; this.shown = v.id; this.draw(); }
    try {
      this.publication = (await api(`/api/versions/${v.id}/publication`)).publication;
    } catch (err) { this.ctx.fail(err); return; }
    if (this.shown === v.id) this.draw();
  }

  relabel() { this.draw(); this.drawVerdict(); }

  custom() {
    const form = $("#publish-form");
    $("#publish-custom").hidden = form.licence.value !== "custom";
    form.licence_text.required = form.licence.value === "custom";
  }

  ask() {
    const v = this.ctx.current();
    if (!v) return;
    const form = $("#publish-form");
    form.title.value = $("#work-title").textContent || "";
    this.custom();
    $("#publish-dialog").showModal();
  }

  async submit(button) {
    const v = this.ctx.current();
    const form = $("#publish-form");
    if (!v) return;
    const authors = form.authors.value.split(/[,，、]/).map((a) => a.trim()).filter(Boolean);
    const body = { title: form.title.value.trim() || null, authors, licence: form.licence.value,
                   training: form.training.value, allow_similar: form.allow_similar.checked,
                   watermark: form.watermark.checked,
                   licence_text: form.licence.value === "custom" ? form.licence_text.value : null };
    $("#publish-dialog").close();
    const job = await busy(button, () => this.ctx.follow(`/api/versions/${v.id}/publish`, body));
    if (!job) return;
    if (job.status !== "done") { this.ctx.fail(new Error(job.error ? job.error.message : job.status)); return; }
    const warnings = (job.result && job.result.likeness && job.result.likeness.warnings) || [];
    if (warnings.length) this.ctx.flash(t("publish.similar", { warnings: warnings.join("; ") }), "error");
    else this.ctx.flash(t("publish.done"), "info");
    await this.open(v);
  }

  draw() {
    const p = this.publication, v = this.ctx.current();
    $("#publish-open").hidden = Boolean(p);
    if (v) $("#dossier-link").href = `/api/versions/${v.id}/dossier.pdf`;  // the registration dossier, made on request
    const out = $("#publish-out");
    if (!p || !v) { out.replaceChildren(); return; }
    const links = [];
    for (const f of p.files) {
      links.push(node("a", { href: `/api/versions/${v.id}/published/${f.ext}`, download: `${v.id.slice(0, 10)}.${f.ext}` }, f.ext));
      if (f.sidecar_sha256) {
        links.push(node("a", { href: `/api/versions/${v.id}/published/${f.ext}.c2pa`, download: `${v.id.slice(0, 10)}.${f.ext}.c2pa` },
          `${f.ext}.c2pa`));
      }
    }
    out.replaceChildren(
      node("p", { class: "small ok" }, t("publish.published", { title: p.title, authors: p.authors.join(", "), licence: p.licence })),
      node("p", { class: "small muted" }, t("publish.training." + p.training)),
      node("p", { class: "actions small" }, ...links),
      node("p", { class: "small" }, node("a", { id: "public-link", href: `/p/${p.id}`, target: "_blank", rel: "noopener" }, t("publish.publicPage"))));
  }

  async check(files) {
    if (!files.length) return;
    const sidecar = files.find((f) => f.name.endsWith(".c2pa"));
    const file = files.find((f) => f !== sidecar) || null;
    if (!file) { this.ctx.fail(new Error(t("verify.needFile"))); return; }
    const form = new FormData();
    form.append("file", file, file.name);
    if (sidecar) form.append("sidecar", sidecar, sidecar.name);
    try {
      this.verdict = await busy($("#verify-file"),
        () => api(`/api/verify?project=${encodeURIComponent(this.ctx.project())}`, { method: "POST", form }));
      this.drawVerdict();
    } catch (err) { this.ctx.fail(err); }
    $("#verify-file").value = "";
  }

  drawVerdict() {
    const r = this.verdict, out = $("#verify-out");
    if (!r) { out.replaceChildren(); return; }
    const good = r.status === "trusted";
    const rows = r.actions.map((a) => node("li", {}, `${a.operation || a.action} · ${a.by}` + (a.source_type ? ` · ${a.source_type}` : "")));
    out.replaceChildren(
      node("p", { class: good ? "small ok" : "small bad", "data-status": r.status }, t("verify." + r.status), " — ", r.summary),
      ...(r.licence ? [node("p", { class: "small" }, t("verify.licence", { licence: r.licence.usageInfo || r.licence.license || "" }))] : []),
      node("ul", { class: "small" }, ...rows),
      ...r.failures.map((f) => node("p", { class: "small bad" }, `${f.code}: ${f.explanation}`)));
  }
}
