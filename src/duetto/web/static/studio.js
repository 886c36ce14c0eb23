// studio.js — the page logic: log in, pick a project, write a brief, watch variants arrive,
// open one to revise / vary / import an edit, pick several to blend / breed / compare, and read
// the version tree and credits. State lives in one object created at start-up.

import { api, ApiError, followJob, setCsrf } from "./api.js";
import { apply, lang, setLang, t } from "./i18n.js";
import { node, showVersion } from "./media.js";
import { drawTree } from "./tree.js";

const $ = (sel) => document.querySelector(sel);

// Named colours the brief parser understands: a swatch adds its word to the brief.
const SWATCHES = [
  ["红色", "red", "#d62828"], ["橙色", "orange", "#f07f13"], ["金色", "gold", "#d4a017"],
  ["黄色", "yellow", "#f2d024"], ["绿色", "green", "#2a9d4b"], ["青绿", "teal", "#00807f"],
  ["天蓝", "sky blue", "#4fa8e0"], ["蓝色", "blue", "#2563c9"], ["靛蓝", "indigo", "#3f3aa0"],
  ["紫色", "purple", "#7b3fa0"], ["粉色", "pink", "#f2a0bd"], ["棕色", "brown", "#7b4a2a"],
  ["墨色", "ink black", "#1c1c1c"], ["白色", "white", "#f5f5f0"],
];

const state = {
  me: null, project: null, role: null, work: null, versions: new Map(),
  open: null, picked: [], palette: new Set(),
};

function flash(message, kind = "error") {
  const box = $("#flash");
  box.textContent = message;
  box.className = kind;
  box.hidden = false;
  clearTimeout(flash.timer);
  flash.timer = setTimeout(() => { box.hidden = true; }, kind === "error" ? 9000 : 4000);
}

function fail(err) {
  const msg = err instanceof ApiError ? `${t("error.prefix")}（${err.status}）：${err.message}${err.hint ? " — " + err.hint : ""}`
                                      : `${t("error.prefix")}: ${err.message || err}`;
  flash(msg, "error");
}

function go(path) { if (location.pathname !== path) history.pushState({}, "", path); }

// ---- log in / out -------------------------------------------------------------------------

async function start() {
  apply();
  $("#lang").textContent = lang() === "zh" ? "EN" : "中文";
  try {
    const me = await api("/api/me");
    await enter(me);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) showLogin(); else fail(err);
  }
}

function showLogin() {
  state.me = null;
  $("#login-view").hidden = false;
  $("#studio-view").hidden = true;
  $("#project").hidden = true;
  $("#logout").hidden = true;
  $("#who").textContent = "";
  go("/login");
}

async function enter(me) {
  state.me = me;
  setCsrf(me.csrf_token);
  $("#who").textContent = me.user.display_name || me.user.name;
  $("#logout").hidden = false;
  $("#login-view").hidden = true;
  $("#studio-view").hidden = false;
  const projects = await api("/api/projects");
  const select = $("#project");
  select.replaceChildren(...projects.map((p) => node("option", { value: p.name }, `${p.name} · ${p.role}`)));
  select.hidden = projects.length === 0;
  const saved = localStorage.getItem("duetto.project");
  const chosen = projects.find((p) => p.name === saved) || projects[0];
  if (chosen) { select.value = chosen.name; pickProject(chosen); }
  state.projects = projects;
  const m = location.pathname.match(/^\/works\/([^/]+)$/);
  if (m) await openWork(m[1]); else go("/");
}

function pickProject(p) {
  state.project = p.name;
  state.role = p.role;
  localStorage.setItem("duetto.project", p.name);
  loadWorks();
}

// ---- works list -----------------------------------------------------------------------------

async function loadWorks() {
  if (!state.project) return;
  const q = $("#works-q").value.trim();
  try {
    const works = await api(`/api/works?project=${encodeURIComponent(state.project)}&q=${encodeURIComponent(q)}`);
    const list = $("#works");
    if (!works.length) { list.replaceChildren(node("li", { class: "muted" }, t("works.empty"))); return; }
    list.replaceChildren(...works.map((w) => {
      const a = node("a", { href: `/works/${w.id}`, "data-work": w.id }, w.title || w.brief);
      a.addEventListener("click", (e) => { e.preventDefault(); openWork(w.id); });
      return node("li", { class: state.work && state.work.id === w.id ? "current" : "" }, a,
                  node("small", { class: "muted" }, ` ${w.medium}`));
    }));
  } catch (err) { fail(err); }
}

// ---- one work: grid, tree, credits ------------------------------------------------------------

async function openWork(workId) {
  try {
    const detail = await api(`/api/works/${workId}`);
    state.work = detail.work;
    state.versions = new Map(detail.versions.map((v) => [v.id, v]));
    state.picked = JSON.parse(localStorage.getItem(`duetto.picked.${workId}`) || "[]")
      .filter((id) => state.versions.has(id));
    go(`/works/${workId}`);
    $("#work-card").hidden = false;
    $("#work-title").textContent = detail.work.title || detail.work.brief;
    $("#work-brief").textContent = detail.work.title && detail.work.title !== detail.work.brief ? detail.work.brief : "";
    $("#grid").replaceChildren();
    for (const v of detail.versions.slice().reverse()) $("#grid").append(await card(v));
    updatePicked();
    await Promise.all([loadTree(), loadCredits()]);
    loadWorks();
  } catch (err) { fail(err); }
}

async function card(v) {
  const picked = state.picked.includes(v.id);
  const box = node("article", { class: `variant${picked ? " picked" : ""}`, "data-version": v.id, tabindex: 0 });
  const view = node("div", { class: "media-view" });
  const pick = node("input", { type: "checkbox", "aria-label": t("act.star") });
  pick.checked = picked;
  pick.addEventListener("click", (e) => { e.stopPropagation(); togglePick(v.id); });
  box.append(view, node("footer", {}, node("label", { class: "pick" }, pick, " ★"),
                        node("span", {}, `#${v.seq} ${v.operation}`),
                        node("span", { class: `who ${v.author_kind}`, title: v.author }, who(v.author))));
  box.addEventListener("click", () => openVersion(v.id));
  await showVersion(view, v);
  return box;
}

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
  $("#picked").textContent = n ? `${t("act.picked")}: ${n}` : "";
  $("#star").textContent = state.open && state.picked.includes(state.open) ? t("act.unstar") : t("act.star");
}

async function loadTree() {
  const tree = await api(`/api/works/${state.work.id}/tree`);
  drawTree($("#tree"), tree.versions, { selected: state.open, onOpen: openVersion });
}

async function loadCredits() {
  const c = await api(`/api/works/${state.work.id}/credits`);
  const rows = c.versions.map((v) => node("tr", {},
    node("td", {}, v.version.slice(0, 8)), node("td", {}, v.operation),
    node("td", { class: "human" }, v.human.join("；") || "—"), node("td", { class: "ai" }, v.ai.join("；") || "—")));
  const head = node("tr", {}, node("th", {}, "#"), node("th", {}, ""),
                    node("th", {}, t("credits.human")), node("th", {}, t("credits.ai")));
  $("#credits").replaceChildren(
    node("p", {}, `${t("credits.people")}: ${c.people.map(who).join(", ") || "—"} · ${t("credits.engines")}: ${c.engines.join(", ") || "—"}`),
    node("div", { class: "scroll" }, node("table", { class: "credits" }, head, ...rows)));
}

async function openVersion(id) {
  try {
    const shown = await api(`/api/versions/${id}`);
    const v = shown.version;
    state.versions.set(v.id, v);
    state.open = v.id;
    $("#detail").hidden = false;
    $("#detail-title").textContent = `#${v.seq} · ${v.id.slice(0, 10)}`;
    $("#detail-meta").textContent = `${v.operation} · ${v.author} (${v.author_kind})` +
      (v.parents.length ? ` ← ${v.parents.map((p) => p.slice(0, 10)).join(", ")}` : "");
    await showVersion($("#detail-media"), v, { large: true });
    updatePicked();
    $("#detail").scrollIntoView({ block: "nearest" });
    await loadTree();
  } catch (err) { fail(err); }
}

// ---- jobs -------------------------------------------------------------------------------------

async function runJob(path, body, expected) {
  let accepted;
  try { accepted = await api(path, { method: "POST", body }); } catch (err) { fail(err); return; }
  flash(t("job.started"), "info");
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
        state.versions.set(v.id, v);
        const made = await card(v);
        if (slot) slot.replaceWith(made); else $("#grid").prepend(made);
      } catch (err) { fail(err); }
    }
  };
  const last = await followJob(accepted.job, (ev) => {
    cards.forEach((c, i) => {
      if (!c.isConnected) return;
      c.querySelector(".status").textContent = `${t("job." + ev.status) || ev.status} ${ev.message || ""}`;
      const share = Math.min(1, Math.max(0, ev.progress * expected - i));
      c.querySelector(".bar-fill").style.width = `${Math.round((ev.status === "done" ? 1 : share) * 100)}%`;
    });
    fillIn(ev.versions);
  });
  await fillIn(last.versions);
  cards.forEach((c) => { if (c.isConnected && filled.size >= expected) c.remove(); });
  if (last.status !== "done") {
    cards.forEach((c) => c.remove());
    fail(new Error(last.error ? last.error.message : `${t("job." + last.status)} ${last.message || ""}`));
    return;
  }
  const result = await api(`/api/jobs/${accepted.job}`);
  const workId = (result.result && result.result.work) || (state.work && state.work.id);
  if (workId) await openWork(workId);
}

// Words for the spec panel: swatches, and sliders moved away from the middle.
function specWords(zh) {
  const words = [...state.palette].map((hex) => {
    const s = SWATCHES.find((x) => x[2] === hex);
    return zh ? s[0] : s[1];
  });
  const form = $("#brief-form");
  const energy = Number(form.energy.value), density = Number(form.density.value);
  if (energy >= 0.7) words.push(zh ? "充满活力" : "energetic");
  if (energy <= 0.3) words.push(zh ? "平静" : "calm");
  if (density >= 0.7) words.push(zh ? "密集" : "dense");
  if (density <= 0.3) words.push(zh ? "稀疏" : "sparse");
  return words;
}

async function createWork(e) {
  e.preventDefault();
  const form = e.target;
  let brief = form.brief.value.trim();
  const zh = /[\u4e00-\u9fff]/.test(brief);
  const extra = specWords(zh);
  if (extra.length) brief += zh ? `，${extra.join("，")}` : `, ${extra.join(", ")}`;
  const media = [...form.querySelectorAll("input[name=media]:checked")].map((x) => x.value);
  const variants = Number(form.variants.value) || 1;
  const body = { project: state.project, brief, media: media.length ? media : ["painting"], variants };
  if (form.style.value) body.style = form.style.value;
  const size = Number(form.size.value);
  if (size) body.params = { width: size, height: size };
  await runJob("/api/works", body, variants * body.media.length);
}

// ---- compare ----------------------------------------------------------------------------------

async function compare() {
  const [a, b] = state.picked;
  try {
    const d = await api(`/api/versions/${a}/diff/${b}`);
    $("#compare-card").hidden = false;
    $("#compare-relation").textContent = d.relation;
    await showVersion($("#compare-a"), state.versions.get(a) || (await api(`/api/versions/${a}`)).version, { large: true });
    await showVersion($("#compare-b"), state.versions.get(b) || (await api(`/api/versions/${b}`)).version, { large: true });
    const fmt = (x) => (typeof x === "number" ? String(Math.round(x * 1000) / 1000)
                        : typeof x === "object" ? JSON.stringify(x) : String(x));
    const rows = Object.entries(d.spec).map(([k, [x, y]]) =>
      node("tr", {}, node("th", {}, k), node("td", {}, fmt(x)), node("td", {}, fmt(y))));
    $("#compare-diff").replaceChildren(
      node("tr", {}, node("th", {}, t("compare.field")), node("th", {}, `#${d.a.seq}`), node("th", {}, `#${d.b.seq}`)),
      ...(rows.length ? rows : [node("tr", {}, node("td", { colspan: 3 }, t("compare.same")))]));
    $("#compare-card").scrollIntoView({ block: "nearest" });
  } catch (err) { fail(err); }
}

// ---- wiring -----------------------------------------------------------------------------------

function wire() {
  $("#lang").addEventListener("click", () => {
    setLang(lang() === "zh" ? "en" : "zh");
    $("#lang").textContent = lang() === "zh" ? "EN" : "中文";
    updatePicked();
  });
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
    Object.assign(state, { work: null, open: null, picked: [] });
    $("#work-card").hidden = true; $("#detail").hidden = true; $("#compare-card").hidden = true;
    $("#grid").replaceChildren(); $("#tree").replaceChildren(); $("#credits").replaceChildren();
    showLogin();
  });
  $("#project").addEventListener("change", (e) => {
    const p = state.projects.find((x) => x.name === e.target.value);
    if (p) pickProject(p);
  });
  $("#works-q").addEventListener("input", () => { clearTimeout(wire.q); wire.q = setTimeout(loadWorks, 250); });
  $("#brief-form").addEventListener("submit", createWork);
  $("#revise-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const feedback = e.target.feedback.value.trim();
    if (!feedback || !state.open) return;
    await runJob(`/api/versions/${state.open}/revise`, { feedback }, 1);
  });
  $("#vary").addEventListener("click", () => state.open && runJob(`/api/versions/${state.open}/vary`, { variants: 3 }, 3));
  $("#star").addEventListener("click", () => state.open && togglePick(state.open));
  $("#blend").addEventListener("click", () => runJob("/api/blend", { a: state.picked[0], b: state.picked[1], t: 0.5 }, 1));
  $("#breed").addEventListener("click", () => runJob("/api/breed", { parents: state.picked, variants: 4 }, 4));
  $("#compare").addEventListener("click", compare);
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
  $("#swatches").replaceChildren(...SWATCHES.map(([zh, en, hex]) => {
    const b = node("button", { type: "button", class: "swatch", title: `${zh} / ${en}`, "aria-pressed": "false" });
    b.style.background = hex;
    b.addEventListener("click", () => {
      if (state.palette.has(hex)) state.palette.delete(hex); else state.palette.add(hex);
      b.setAttribute("aria-pressed", String(state.palette.has(hex)));
    });
    return b;
  }));
  window.addEventListener("popstate", () => {
    const m = location.pathname.match(/^\/works\/([^/]+)$/);
    if (m && state.me) openWork(m[1]);
  });
}

wire();
start();
