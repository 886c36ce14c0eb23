// public.js — a published work for anyone, no login: GET /api/public/{publication} → the work,
// its licence, who did what (from the signed C2PA manifest) and its signed files.

import { apply, lang, setLang, t } from "./i18n.js";
import { node } from "./media.js";

const $ = (sel) => document.querySelector(sel);
let work = null;

function draw() {
  if (!work) return;
  const w = work;
  $("#public-title").textContent = w.title;
  $("#public-byline").textContent = t("public.byline", { authors: w.authors.join(", "), date: w.published_at.slice(0, 10) });
  const media = $("#public-media");
  if (w.main.mime.startsWith("image/")) media.replaceChildren(node("img", { src: w.main.url, alt: w.title }));
  else if (w.text !== null) media.replaceChildren(node("pre", { class: "public-text" }, w.text));
  else media.replaceChildren(node("a", { href: w.main.url, download: "" }, w.main.name));
  const licence = w.licence_url ? node("a", { href: w.licence_url, rel: "license" }, w.licence) : node("span", {}, w.licence);
  $("#public-licence").replaceChildren(licence, ...(w.licence_text ? [node("span", { class: "muted" }, " — " + w.licence_text)] : []));
  $("#public-training").textContent = t("public.training." + w.training);
  $("#public-people").replaceChildren(...w.people.map((p) => node("li", {}, t("public.person", {
    name: p.name, acts: Object.entries(p.acts).map(([k, n]) => `${k} ×${n}`).join(", ") }))));
  $("#public-engines").replaceChildren(...w.engines.map((e) => node("li", {}, t(e.learned ? "public.learned" : "public.procedural", {
    name: `${e.name} ${e.version}` }))));
  $("#public-actions").replaceChildren(...w.actions.map((a) => node("li", { "data-action": a.action },
    node("strong", {}, a.operation || a.action), " — ", a.by, a.source_type ? ` (${a.source_type})` : "",
    a.description ? node("span", { class: "muted" }, ` “${a.description}”`) : "", a.when ? node("span", { class: "muted small" }, ` ${a.when.slice(0, 16)}`) : "")));
  $("#public-files").replaceChildren(t("public.files"), " ", ...w.files.flatMap((f) => [node("a", { href: f.url, download: "" }, f.name), " "]));
  $("#public-work").hidden = false;
}

async function load() {
  const id = location.pathname.split("/").filter(Boolean).pop();
  const r = await fetch(`/api/public/${encodeURIComponent(id)}`);
  if (!r.ok) {
    $("#public-error").textContent = t("public.missing");
    $("#public-error").hidden = false;
    return;
  }
  work = await r.json();
  document.title = `${work.title} · duetto`;
  draw();
}

apply();
$("#lang").addEventListener("click", () => { setLang(lang() === "zh" ? "en" : "zh"); draw(); });
load();
