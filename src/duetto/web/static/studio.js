// studio.js — the page logic: first-run setup, log in, pick a project, write a brief, watch
// variants arrive, open one to revise / vary / import an edit / star / comment, pick several to
// blend / breed / compare, and read the version tree and credits. State lives in one object.
// The acts that fit the open version's medium live in their own panels (restyle.js, region.js,
// colour.js, poster.js, animate.js, critique.js, formcheck.js, cowrite.js, music-edit.js,
// derive.js, keeping.js); this file hands them one context (ctx) and tells them what is open.

import { showFor } from "./acts.js";
import { Animate } from "./animate.js";
import { api, ApiError, followJob, setCsrf } from "./api.js";
import { BriefMedium } from "./brief-medium.js";
import { Colour } from "./colour.js";
import { Compare } from "./compare.js";
import { CoWrite } from "./cowrite.js";
import { Critique } from "./critique.js";
import { SharesPanel } from "./shares.js";
import { Derive } from "./derive.js";
import { PublishPanel } from "./publish.js";
import { ProjectEvents } from "./events.js";
import { FormCheck } from "./formcheck.js";
import { apply, lang, onLangChange, setLang, t, tOr } from "./i18n.js";
import { Keeping } from "./keeping.js";
import * as marks from "./marks.js";
import { formName, node, showVersion } from "./media.js";
import { MusicEdit } from "./music-edit.js";
import { Poster } from "./poster.js";
import { Region } from "./region.js";
import { Restyle } from "./restyle.js";
import { applyRole, can } from "./roles.js";
import { SpecForm } from "./spec-form.js";
import { drawTree } from "./tree.js";

const $ = (sel) => document.querySelector(sel);
const state = {
  me: null, projects: [], project: null, role: null, work: null, versions: new Map(), stars: new Map(),
  open: null, picked: [], spec: new SpecForm(), following: new Set(), events: null,
  compare: new Compare((err) => fail(err), (text) => flash(text, "info")),
  medium: new BriefMedium(), panels: [],
};

// What every act panel may use: the open version, the role, and the ways to run an act.
const ctx = {
  current: () => (state.open && state.versions.get(state.open)) || null,
  versions: () => [...state.versions.values()],
  role: () => state.role,
  project: () => state.project,
  run: (path, body, expected) => runJob(path, body, expected, { open: true }),
  follow: (path, body) => follow(path, body),
  changed: (v) => changed(v),
  fail: (err) => fail(err),
  flash: (text, kind) => flash(text, kind),
};

// ---- messages -----------------------------------------------------------------------------------

// Show a message; returns its number, so whoever showed it can take it down (unflash) once
// it no longer holds ("job started" when the job ends) without hiding a newer message.
function flash(message, kind = "error") {
  const box = $("#flash");
  $("#flash-text").textContent = message;
  box.className = kind;
  box.hidden = false;
  clearTimeout(flash.timer);
  flash.timer = setTimeout(() => { box.hidden = true; }, kind === "error" ? 9000 : 3500);
  flash.shown = (flash.shown || 0) + 1;
  return flash.shown;
}

function unflash(shown) { if (flash.shown === shown) $("#flash").hidden = true; }

function errorText(err) {
  if (!(err instanceof ApiError)) return `${t("error.prefix")}: ${err.message || err}`;
  return t("error.status", { status: err.status, message: err.message }) + (err.hint ? ` — ${err.hint}` : "");
}

function fail(err) { flash(errorText(err), "error"); }

function go(path) { if (location.pathname !== path) history.pushState({}, "", path); }

function show(view) {
  for (const id of ["login-view", "setup-view", "studio-view"]) $(`#${id}`).hidden = id !== view;
}

// ---- first run, log in / out ----------------------------------------------------------------------

function setupToken() {
  const m = location.hash.match(/^#setup=([^&]+)/);
  return m ? decodeURIComponent(m[1]) : null;
}

async function start() {
  apply();
  const token = setupToken();
  if (token) { show("setup-view"); $("#setup-form").dataset.token = token; return; }
  try {
    await enter(await api("/api/me"));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) showLogin(); else fail(err);
  }
}

async function finishSetup(e) {
  e.preventDefault();
  const f = e.target, box = $("#setup-error");
  box.hidden = true;
  if (f.password.value !== f.password2.value) { box.textContent = t("setup.mismatch"); box.hidden = false; return; }
  const body = { token: f.dataset.token, name: f.name.value.trim(), password: f.password.value };
  if (f.project.value.trim()) body.project = f.project.value.trim();
  try {
    const out = await api("/api/setup", { method: "POST", body });
    history.replaceState(null, "", "/");  // the secret leaves the address bar and the history
    f.reset();
    setCsrf(out.csrf_token);
    flash(t("setup.done"), "info");
    await enter(await api("/api/me"));
  } catch (err) {
    box.textContent = errorText(err);
    box.hidden = false;
  }
}

function showLogin() {
  state.me = null;
  show("login-view");
  $("#project").hidden = true;
  $("#logout").hidden = true;
  $("#who").textContent = "";
  go("/login");
}

function renderProjects() {
  const select = $("#project");
  select.replaceChildren(...state.projects.map((p) =>
    node("option", { value: p.name }, `${p.name} · ${t("role." + p.role)}`)));
  if (state.project) select.value = state.project;
  select.hidden = state.projects.length === 0;
}

async function enter(me) {
  state.me = me;
  setCsrf(me.csrf_token);
  $("#who").textContent = me.user.display_name || me.user.name;
  $("#logout").hidden = false;
  show("studio-view");
  state.projects = await api("/api/projects");
  const saved = localStorage.getItem("duetto.project");
  const chosen = state.projects.find((p) => p.name === saved) || state.projects[0];
  renderProjects();
  if (chosen) pickProject(chosen); else { applyRole(null); showHint(t("works.none")); }
  const m = location.pathname.match(/^\/works\/([^/]+)$/);
  if (m) await openWork(m[1]); else go("/");
}

function pickProject(p) {
  state.project = p.name;
  state.role = p.role;
  $("#project").value = p.name;
  localStorage.setItem("duetto.project", p.name);
  applyRole(p.role);
  state.events.watch(p.name);
  if (!state.work) showHint();
  loadWorks();
}

function closeWork() {
  Object.assign(state, { work: null, open: null, picked: [] });
  state.compare.close();
  for (const id of ["work-card", "detail", "work-panels"]) $(`#${id}`).hidden = true;
  for (const id of ["grid", "tree", "credits"]) $(`#${id}`).replaceChildren();
}

function showHint(text) {
  const hint = $("#hint");
  hint.textContent = text || t(can(state.role, "create") ? "works.pickOne" : "works.pickOneViewer");
  hint.hidden = false;
}

// ---- works list -------------------------------------------------------------------------------

async function loadWorks() {
  if (!state.project) return;
  const q = $("#works-q").value.trim();
  try {
    const works = await api(`/api/works?project=${encodeURIComponent(state.project)}&q=${encodeURIComponent(q)}`);
    const list = $("#works");
    if (!works.length) { list.replaceChildren(node("li", { class: "muted", "data-i18n": "works.empty" }, t("works.empty"))); return; }
    list.replaceChildren(...works.map((w) => {
      const a = node("a", { href: `/works/${w.id}`, "data-work": w.id }, w.title || w.brief);
      a.addEventListener("click", (e) => { e.preventDefault(); openWork(w.id); });
      return node("li", { class: state.work && state.work.id === w.id ? "current" : "" }, a,
                  node("small", { class: "muted", "data-medium": w.medium }, ` ${tOr("medium." + w.medium, w.medium)}`));
    }));
  } catch (err) { fail(err); }
}

// ---- one work: grid, tree, credits ------------------------------------------------------------

async function openWork(workId) {
  try {
    const detail = await api(`/api/works/${workId}`);
    const project = state.projects.find((p) => p.name === detail.work.project);
    if (project && project.name !== state.project) pickProject(project);
    state.work = detail.work;
    state.open = null;
    state.versions = new Map(detail.versions.map((v) => [v.id, v]));
    state.picked = JSON.parse(localStorage.getItem(`duetto.picked.${workId}`) || "[]")
      .filter((id) => state.versions.has(id));
    go(`/works/${workId}`);
    $("#hint").hidden = true;
    $("#detail").hidden = true;
    state.compare.close();
    $("#work-card").hidden = false;
    $("#work-panels").hidden = false;
    $("#work-title").textContent = detail.work.title || detail.work.brief;
    $("#work-brief").textContent = detail.work.title && detail.work.title !== detail.work.brief ? detail.work.brief : "";
    state.stars = await marks.workStars(workId);
    const cards = await Promise.all(detail.versions.slice().reverse().map(card));
    $("#grid").replaceChildren(...cards);
    updatePicked();
    await Promise.all([loadTree(), loadCredits()]);
    loadWorks();
  } catch (err) { fail(err); }
}

// New versions of the open work made elsewhere (another tab, another person): add their cards.
async function refreshWork() {
  if (!state.work) return;
  const workId = state.work.id;
  const detail = await api(`/api/works/${workId}`);
  if (!state.work || state.work.id !== workId) return;
  state.stars = await marks.workStars(workId);
  for (const v of detail.versions) {
    if (state.versions.has(v.id)) continue;
    state.versions.set(v.id, v);
    place(await card(v));
  }
  await Promise.all([loadTree(), loadCredits()]);
}

// Put a finished card in the grid once: in a pending slot when one is given, else at the top.
function place(made, slot) {
  const id = made.dataset.version;
  if ($(`#grid .variant[data-version="${id}"]`)) { if (slot) slot.remove(); return; }
  if (slot && slot.isConnected) slot.replaceWith(made); else $("#grid").prepend(made);
}

async function card(v) {
  const picked = state.picked.includes(v.id);
  const box = node("article", { class: `variant${picked ? " picked" : ""}${v.deleted ? " deleted" : ""}`,
                                "data-version": v.id, tabindex: 0 });
  const view = node("div", { class: "media-view" });
  const pick = node("input", { type: "checkbox", class: "pick", "data-i18n-title": "act.pick" });
  pick.title = t("act.pick");
  pick.setAttribute("aria-label", pick.title);
  pick.checked = picked;
  pick.addEventListener("click", (e) => { e.stopPropagation(); togglePick(v.id); });
  const stars = state.stars.get(v.id) || 0;
  box.append(view, node("footer", {}, pick,
                        node("span", {}, `#${v.seq} `, node("span", { "data-op": v.operation }, opName(v.operation))),
                        node("span", { class: "stars" }, `★${stars}`),
                        node("span", { class: `who ${v.author_kind}`, title: v.author }, who(v.author))));
  if (!stars) box.querySelector(".stars").hidden = true;
  box.addEventListener("click", () => openVersion(v.id));
  await showVersion(view, v);
  return box;
}

function opName(op) { return tOr("op." + op, op); }

// "engine:painter@1.0.0" → "painter", "user:ana" → "ana": the full name stays in the tooltip.
function who(author) { return author.replace(/^(engine|user):/, "").replace(/@.*$/, ""); }

function pending(count) {
  return Array.from({ length: count }, () => {
    const bar = node("div", { class: "bar-fill" });
    return node("article", { class: "variant pending" },
      node("div", { class: "media-view" }, node("div", { class: "progress" }, bar)),
      node("footer", {}, node("span", { class: "status" }, t("job.queued"))));
  });
}

function togglePick(id) {
  const i = state.picked.indexOf(id);
  if (i >= 0) state.picked.splice(i, 1); else state.picked.push(id);
  localStorage.setItem(`duetto.picked.${state.work.id}`, JSON.stringify(state.picked));
  document.querySelectorAll(`[data-version="${id}"].variant`).forEach((el) => {
    el.classList.toggle("picked", state.picked.includes(id));
    const box = el.querySelector("input[type=checkbox]");
    if (box) box.checked = state.picked.includes(id);
  });
  updatePicked();
}

function updatePicked() {
  const n = state.picked.length;
  $("#blend").disabled = n !== 2;
  $("#compare").disabled = n !== 2;
  $("#breed").disabled = n < 2;
  $("#picked").textContent = n ? t("act.picked", { n }) : t("act.pickHint");
  $("#pick").textContent = state.open && state.picked.includes(state.open) ? t("act.unpick") : t("act.pick");
}

async function loadTree() {
  const tree = await api(`/api/works/${state.work.id}/tree`);
  drawTree($("#tree"), tree.versions, { selected: state.open, onOpen: openVersion });
}

async function loadCredits() {
  const c = await api(`/api/works/${state.work.id}/credits`);
  const none = t("none");
  const rows = c.versions.map((v) => node("tr", {},
    node("td", {}, v.version.slice(0, 8)), node("td", {}, opName(v.operation)),
    node("td", { class: "human" }, v.human.join("；") || none), node("td", { class: "ai" }, v.ai.join("；") || none)));
  const head = node("tr", {}, node("th", {}, t("credits.version")), node("th", {}, t("credits.op")),
                    node("th", {}, t("credits.human")), node("th", {}, t("credits.ai")));
  $("#credits").replaceChildren(
    node("p", {}, `${t("credits.people")}: ${c.people.map(who).join(", ") || none} · ` +
                  `${t("credits.engines")}: ${c.engines.join(", ") || none}`),
    node("div", { class: "scroll" }, node("table", { class: "credits" }, head, ...rows)));
}

// Text also comes as a PDF and music as a WAV, rendered by the server's export on request.
const RENDERED = { "text/": "pdf", "audio/midi": "wav" };

function downloadLinks(v) {
  const base = `/api/versions/${v.id}/export?format=`;
  $("#download").href = base + encodeURIComponent(v.ext);
  const extra = Object.entries(RENDERED).find(([prefix]) => v.mime.startsWith(prefix));
  const link = $("#download-rendered");
  link.hidden = !extra;
  if (extra) {
    link.href = base + extra[1];
    link.textContent = t("act.downloadAs", { format: extra[1].toUpperCase() });
  }
}

function detailMeta(v) {
  $("#detail-meta").textContent = `${opName(v.operation)} · ${who(v.author)} (${tOr("kind." + v.author_kind, v.author_kind)})` +
    (v.parents.length ? ` ← ${v.parents.map((p) => p.slice(0, 10)).join(", ")}` : "") +
    (v.deleted ? ` · ${t("keep.deletedBadge")}` : "");
}

// A version changed in place (deleted or restored): its record, card and detail follow.
function changed(v) {
  state.versions.set(v.id, v);
  document.querySelectorAll(`#grid .variant[data-version="${v.id}"]`).forEach((el) => el.classList.toggle("deleted", v.deleted));
  if (state.open === v.id) { detailMeta(v); state.panels.forEach((p) => p.open(v)); }
}

async function openVersion(id) {
  try {
    const shown = await api(`/api/versions/${id}`);
    const v = shown.version;
    state.versions.set(v.id, v);
    state.open = v.id;
    $("#detail").hidden = false;
    $("#detail-title").textContent = `#${v.seq} · ${v.id.slice(0, 10)}`;
    detailMeta(v);
    downloadLinks(v);
    await Promise.all([showVersion($("#detail-media"), v, { large: true }), marks.loadStar(v.id),
                       marks.loadComments(v.id)]);
    showFor(v);
    state.panels.forEach((p) => p.open(v));
    updatePicked();
    $("#detail").scrollIntoView({ block: "nearest" });
    await loadTree();
  } catch (err) { fail(err); }
}

// ---- jobs -------------------------------------------------------------------------------------

const workShown = () => (state.work ? state.work.id : null);

// Run a job act with a pending card per expected version; resolves with the finished job (null
// when refused). With open, the first new version is opened once the work is redrawn; without
// it the version open before stays open. Cards go only into the grid the job started on (a new
// work's own, empty grid for createWork): a person who opened another work meanwhile keeps it.
// accepted runs once the server took the job (createWork clears the grid then, not on a refusal).
async function runJob(path, body, expected, { open = false, accepted: onAccepted = null } = {}) {
  let accepted;
  try { accepted = await api(path, { method: "POST", body }); } catch (err) { fail(err); return null; }
  if (onAccepted) onAccepted();
  state.following.add(accepted.job);  // its end refreshes here, not through the project events
  const toast = flash(t("job.started"), "info");
  $("#hint").hidden = true;
  const grid = workShown(), wasOpen = state.open;
  const cards = pending(expected);
  $("#grid").prepend(...cards);
  const filled = new Set();
  const fillIn = async (ids) => {
    for (const id of ids || []) {
      if (filled.has(id)) continue;
      filled.add(id);
      const slot = cards[filled.size - 1];
      try {
        const v = (await api(`/api/versions/${id}`)).version;
        if (workShown() !== grid) continue;  // another work is open now: its grid is not this job's
        state.versions.set(v.id, v);
        place(await card(v), slot);
      } catch (err) { fail(err); }
    }
  };
  const last = await followJob(accepted.job, (ev) => {
    cards.forEach((c, i) => {
      if (!c.isConnected) return;
      const share = ev.status === "done" ? 1 : Math.min(1, Math.max(0, ev.progress * expected - i));
      c.querySelector(".status").textContent = `${tOr("job." + ev.status, ev.status)} ${Math.round(share * 100)}%`;
      c.querySelector(".bar-fill").style.width = `${Math.round(share * 100)}%`;
    });
    fillIn(ev.versions);
  });
  await fillIn(last.versions);
  state.following.delete(accepted.job);
  unflash(toast);  // "job started" no longer holds
  cards.forEach((c) => { if (c.isConnected && (filled.size >= expected || last.status !== "done")) c.remove(); });
  if (last.status !== "done") {
    fail(new Error(last.error ? last.error.message : tOr("job." + last.status, last.status)));
    return null;
  }
  const result = await api(`/api/jobs/${accepted.job}`);
  if (workShown() !== grid) { loadWorks(); return result; }  // they moved on to another work: leave them there
  const workId = (result.result && result.result.work) || grid;
  if (workId) await openWork(workId);
  const made = (result.result && result.result.versions) || [];
  if (open && made.length) await openVersion(made[0]);
  else if (wasOpen && state.versions.has(wasOpen)) await openVersion(wasOpen);
  return result;
}

// A job act that makes nothing to show in the grid (a replay): just its end, as the job record.
async function follow(path, body) {
  let accepted;
  try { accepted = await api(path, { method: "POST", body }); } catch (err) { fail(err); return null; }
  state.following.add(accepted.job);
  await followJob(accepted.job, () => {});
  state.following.delete(accepted.job);
  return api(`/api/jobs/${accepted.job}`);
}

async function createWork(e) {
  e.preventDefault();
  const form = e.target;
  const brief = form.brief.value.trim();
  if (!brief) {  // only spaces get past the textarea's "required": say what is missing, send nothing
    flash(t("brief.empty"), "error");
    form.brief.focus();
    return;
  }
  const media = state.medium.chosen();  // null: auto, the server reads the medium from the brief
  const variants = Number(form.variants.value) || 1;
  const body = { project: state.project, brief, variants };
  if (media) body.media = media;
  if (form.style.value) body.style = form.style.value;
  const size = Number(form.size.value);
  if (size) body.params = { width: size, height: size };
  const chosen = state.spec.choices();
  if (chosen) body.choices = chosen;
  state.medium.show([]);
  // A new work gets its own grid while it is made, not the grid of the work that was open.
  const ownGrid = () => {
    closeWork();
    go("/");
    $("#work-card").hidden = false;
    $("#work-title").textContent = brief;
    $("#work-brief").textContent = "";
    updatePicked();
  };
  const done = await runJob("/api/works", body, variants * (media ? media.length : 1), { accepted: ownGrid });
  if (done) state.medium.show(done.result && done.result.notes);
}

// ---- compare and vote (compare.js) ------------------------------------------------------------

async function compare() {
  const [a, b] = state.picked;
  try { await state.compare.open(state.work.id, a, b, state.versions); } catch (err) { fail(err); }
}

// ---- wiring -----------------------------------------------------------------------------------

// Text that scripts built from data is rebuilt when the language changes.
function relabel() {
  $("#flash").hidden = true;  // a message stays in the language it was written in: drop it
  renderProjects();
  updatePicked();
  state.compare.relabel();
  state.medium.draw();
  state.panels.forEach((p) => p.relabel());
  document.querySelectorAll("[data-op]").forEach((el) => { el.textContent = opName(el.dataset.op); });
  document.querySelectorAll("[data-medium]").forEach((el) => { el.textContent = ` ${tOr("medium." + el.dataset.medium, el.dataset.medium)}`; });
  document.querySelectorAll("[data-form]").forEach((el) => { el.textContent = formName(el.dataset.form); });
  if (!$("#hint").hidden && state.project) showHint();
  const v = state.open && state.versions.get(state.open);
  if (v) { detailMeta(v); downloadLinks(v); marks.loadStar(v.id).catch(fail); }
  if (state.work) loadCredits().catch(fail);
}

async function refreshFromEvents(ev) {
  if (ev && state.following.has(ev.job)) return;
  clearTimeout(refreshFromEvents.timer);
  refreshFromEvents.timer = setTimeout(async () => {
    try { await Promise.all([loadWorks(), refreshWork()]); } catch (err) { fail(err); }
  }, 300);
}

function wire() {
  state.events = new ProjectEvents(refreshFromEvents);
  state.panels = [Restyle, Region, Colour, Poster, Animate, FormCheck, CoWrite, MusicEdit, Critique, Derive, SharesPanel, PublishPanel, Keeping]
    .map((Panel) => new Panel(ctx));
  onLangChange(relabel);
  $("#lang").addEventListener("click", () => setLang(lang() === "zh" ? "en" : "zh"));
  $("#flash-close").addEventListener("click", () => { $("#flash").hidden = true; });
  $("#setup-form").addEventListener("submit", finishSetup);
  $("#login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target;
    try {
      await api("/api/login", { method: "POST", body: { name: f.name.value, password: f.password.value } });
      f.password.value = "";
      go("/");
      await enter(await api("/api/me"));
    } catch (err) { fail(err); }
  });
  $("#logout").addEventListener("click", async () => {
    try { await api("/api/logout", { method: "POST" }); } catch (err) { fail(err); }
    setCsrf(null);
    state.events.stop();
    closeWork();
    showLogin();
  });
  $("#project").addEventListener("change", (e) => {
    const p = state.projects.find((x) => x.name === e.target.value);
    if (!p) return;
    closeWork();
    go("/");
    pickProject(p);
  });
  $("#works-q").addEventListener("input", () => { clearTimeout(wire.q); wire.q = setTimeout(loadWorks, 250); });
  $("#brief-form").addEventListener("submit", createWork);
  $("#revise-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const feedback = e.target.feedback.value.trim();
    if (!feedback || !state.open) return;
    await runJob(`/api/versions/${state.open}/revise`, { feedback }, 1, { open: true });
  });
  $("#comment-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = e.target.text.value.trim();
    if (!text || !state.open) return;
    try { await marks.addComment(state.open, text); e.target.text.value = ""; } catch (err) { fail(err); }
  });
  $("#vary").addEventListener("click", () => state.open && runJob(`/api/versions/${state.open}/vary`, { variants: 3 }, 3));
  $("#pick").addEventListener("click", () => state.open && togglePick(state.open));
  $("#star").addEventListener("click", async () => {
    if (!state.open) return;
    try {
      const count = await marks.toggleStar(state.open, Boolean($("#star").dataset.mine));
      state.stars.set(count.version_id, count.count);
      const badge = $(`#grid .variant[data-version="${count.version_id}"] .stars`);
      if (badge) { badge.textContent = `★${count.count}`; badge.hidden = !count.count; }
    } catch (err) { fail(err); }
  });
  $("#blend").addEventListener("click", () => runJob("/api/blend", { a: state.picked[0], b: state.picked[1], t: 0.5 }, 1));
  $("#breed").addEventListener("click", () => runJob("/api/breed", { parents: state.picked, variants: 4 }, 4));
  $("#compare").addEventListener("click", compare);
  $("#prefer-a").addEventListener("click", () => state.compare.prefer(true));
  $("#prefer-b").addEventListener("click", () => state.compare.prefer(false));
  $("#upload").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file || !state.open) return;
    const form = new FormData();
    form.append("file", file);
    try {
      const out = await api(`/api/versions/${state.open}/import`, { method: "POST", form });
      flash(t("uploaded"), "info");
      await openWork(out.work.id);
      await openVersion(out.version.id);
    } catch (err) { fail(err); }
    e.target.value = "";
  });
  state.spec.wire(() => flash(t("spec.tooMany"), "info"));
  window.addEventListener("popstate", () => {
    const m = location.pathname.match(/^\/works\/([^/]+)$/);
    if (m && state.me) openWork(m[1]);
  });
}

wire();
start();
