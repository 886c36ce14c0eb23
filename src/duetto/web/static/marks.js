// marks.js — taking part without making versions: a version's stars and comments, and votes
// between two versions in the compare view. Pure API + rendering; studio.js wires the buttons.

import { api } from "./api.js";
import { t } from "./i18n.js";
import { node } from "./media.js";

const $ = (sel) => document.querySelector(sel);

// The large view's star button ("★ Star · 3") and the viewer's read-only count.
export function renderStar(count) {
  const star = $("#star");
  star.textContent = t(count.mine ? "star.remove" : "star.add", { n: count.count });
  star.setAttribute("aria-pressed", String(count.mine));
  star.dataset.mine = count.mine ? "1" : "";
  $("#star-count").textContent = t("star.count", { n: count.count });
}

export async function loadStar(versionId) {
  const count = await api(`/api/versions/${versionId}/star`);
  renderStar(count);
  return count;
}

export async function toggleStar(versionId, mine) {
  const count = await api(`/api/versions/${versionId}/star`, { method: mine ? "DELETE" : "PUT" });
  renderStar(count);
  return count;
}

// version id → star count, for the small badges on the cards.
export async function workStars(workId) {
  const rows = await api(`/api/works/${workId}/stars`);
  return new Map(rows.map((r) => [r.version_id, r.count]));
}

function renderComments(rows) {
  const list = $("#comment-list");
  if (!rows.length) { list.replaceChildren(node("li", { class: "muted", "data-i18n": "comments.empty" }, t("comments.empty"))); return; }
  list.replaceChildren(...rows.map((c) => node("li", { "data-comment": c.id },
    node("strong", {}, c.user), " ", node("time", { class: "muted small", datetime: c.created_at },
      new Date(c.created_at).toLocaleString(document.documentElement.lang)),
    node("p", {}, c.text))));
}

export async function loadComments(versionId) {
  renderComments(await api(`/api/versions/${versionId}/comments`));
}

export async function addComment(versionId, text) {
  await api(`/api/versions/${versionId}/comments`, { method: "POST", body: { text } });
  await loadComments(versionId);
}

// The two compared versions' standing after the work's votes.
export async function loadTally(workId, a, b) {
  const tally = await api(`/api/works/${workId}/votes`);
  const line = [a, b].map((v) => {
    const s = tally.ranking.find((r) => r.version_id === v.id) || { wins: 0, losses: 0 };
    return t("vote.standing", { n: v.seq, wins: s.wins, losses: s.losses });
  });
  $("#vote-tally").textContent = `${line.join(" · ")} · ${t("vote.total", { n: tally.votes })}`;
}

export async function vote(winner, loser) {
  await api("/api/votes", { method: "POST", body: { winner, loser } });
}
