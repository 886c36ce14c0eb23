// media.js — show one version as what it is: a picture, formatted text (poems line by line,
// form issues highlighted) or music (an <audio> player with its piano roll or score image).

import { t, tOr } from "./i18n.js";

function node(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") el.className = v; else el.setAttribute(k, v);
  }
  el.append(...kids);
  return el;
}

export { node };

// Lines an issue names ("line 2", "第2句", "第二行"…) so the poem can mark them.
const NUMERALS = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8 };
function flaggedLines(issues) {
  const lines = new Set();
  for (const msg of issues) {
    for (const m of String(msg).matchAll(/line\s*(\d+)|第\s*([0-9一二三四五六七八])\s*[句行联]/gi)) {
      const raw = m[1] || m[2];
      lines.add(Number(raw) || NUMERALS[raw]);
    }
  }
  return lines;
}

// The form a poem was written in (七言绝句, sonnet …): what the poet reported, else the spec's.
function formOf(version) {
  if (!version.spec || version.spec.medium !== "poem") return null;
  return (version.info && version.info.form) || version.spec.style || null;
}

// A form's name in the page's language: Chinese forms are named in Chinese either way.
export function formName(form) { return tOr("form." + form, form); }

async function showText(host, version, { large }) {
  const url = version.files[version.ext];
  const text = await (await fetch(url, { credentials: "same-origin" })).text();
  const issues = (version.info && version.info.issues) || [];
  const flagged = flaggedLines(issues);
  const isPoem = version.spec && version.spec.medium === "poem";
  const form = formOf(version);
  if (form) host.append(node("p", { class: "poem-form", "data-form": form }, formName(form)));
  const body = node("div", { class: isPoem ? "poem" : "prose" });
  const lines = text.split(/\r?\n/);
  const shown = large ? lines : lines.slice(0, 14);
  shown.forEach((line, i) => {
    const p = node(isPoem ? "div" : "p", { class: flagged.has(i + 1) ? "line flagged" : "line" }, line || "\u00a0");
    body.append(p);
  });
  if (!large && lines.length > shown.length) body.append(node("p", { class: "muted" }, "…"));
  host.append(body);
  if (issues.length) {
    const list = node("ul", { class: "issues" });
    issues.forEach((msg) => list.append(node("li", {}, String(msg))));
    host.append(node("div", { class: "issues-box" }, node("strong", {}, t("text.issues")), list));
  }
}

function showMusic(host, version, large) {
  const audioKey = ["ogg", "wav"].find((k) => version.files[k]);
  if (audioKey) {
    const audio = node("audio", { controls: "", preload: "none", src: version.files[audioKey] });
    host.append(audio);
  } else {
    host.append(node("p", { class: "muted" }, t("music.noAudio")));
  }
  // a card shows the piano roll (readable when small); the large view shows the engraved score
  const order = large ? ["score.png", "roll.png"] : ["roll.png", "score.png"];
  const image = order.map((k) => version.files[k]).find(Boolean);
  if (image) host.append(node("img", { src: image, alt: version.id, loading: "lazy" }));
}

export async function showVersion(host, version, { large = false } = {}) {
  host.replaceChildren();
  const mime = version.mime || "";
  if (mime.startsWith("image/")) {
    host.append(node("img", { src: version.files[version.ext], alt: version.id.slice(0, 10), loading: "lazy" }));
  } else if (mime.startsWith("text/")) {
    await showText(host, version, { large });
  } else if (mime.startsWith("audio/")) {
    showMusic(host, version, large);
  } else {
    host.append(node("a", { href: version.files[version.ext], download: "" }, `${version.id.slice(0, 10)}.${version.ext}`));
  }
}
