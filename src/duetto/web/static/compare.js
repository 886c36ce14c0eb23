// compare.js — two picked versions side by side: how they are related in the tree, the spec
// fields that differ, and a vote for the better one. It owns the compare card; the studio
// hands it the two picks and rebuilds its labels when the language changes.

import { api } from "./api.js";
import { t } from "./i18n.js";
import * as marks from "./marks.js";
import { node, showVersion } from "./media.js";

const $ = (sel) => document.querySelector(sel);

// The server states the relation in English ("a1b2c3 is an ancestor of d4e5f6"): shown in the page's language.
function relation(d) {
  const m = d.relation.match(/^(\S+) is an ancestor of (\S+)$/);
  if (m) return t("rel.ancestor", { a: m[1], b: m[2] });
  const keys = { siblings: "rel.siblings", "same work, different branches": "rel.branches", "different works": "rel.works" };
  return keys[d.relation] ? t(keys[d.relation]) : d.relation;
}

function cell(x) {
  if (typeof x === "number") return String(Math.round(x * 1000) / 1000);
  return typeof x === "object" ? JSON.stringify(x) : String(x);
}

export class Compare {
  constructor(onError, onInfo) {
    this.diff = null;  // the server's diff of the two versions on show, or null
    this.workId = null;
    this.onError = onError;
    this.onInfo = onInfo;
  }

  async open(workId, a, b, known) {
    const d = await api(`/api/versions/${a}/diff/${b}`);
    Object.assign(this, { diff: d, workId });
    $("#compare-card").hidden = false;
    this.labels();
    const record = async (id) => known.get(id) || (await api(`/api/versions/${id}`)).version;
    await showVersion($("#compare-a"), await record(a), { large: true });
    await showVersion($("#compare-b"), await record(b), { large: true });
    this.table();
    await marks.loadTally(workId, d.a, d.b);
    $("#compare-card").scrollIntoView({ block: "nearest" });
  }

  close() {
    this.diff = null;
    $("#compare-card").hidden = true;
  }

  labels() {
    const d = this.diff;
    if (!d) return;
    $("#compare-relation").textContent = relation(d);
    $("#prefer-a").textContent = t("vote.prefer", { n: d.a.seq });
    $("#prefer-b").textContent = t("vote.prefer", { n: d.b.seq });
  }

  table() {
    const d = this.diff;
    const rows = Object.entries(d.spec).map(([k, [x, y]]) =>
      node("tr", {}, node("th", {}, k), node("td", {}, cell(x)), node("td", {}, cell(y))));
    $("#compare-diff").replaceChildren(
      node("tr", {}, node("th", {}, t("compare.field")), node("th", {}, `#${d.a.seq}`), node("th", {}, `#${d.b.seq}`)),
      ...(rows.length ? rows : [node("tr", {}, node("td", { colspan: 3 }, t("compare.same")))]));
  }

  relabel() {
    if (!this.diff) return;
    this.labels();
    this.table();
    marks.loadTally(this.workId, this.diff.a, this.diff.b).catch(this.onError);
  }

  // first: true when the left-hand version won.
  async prefer(first) {
    const d = this.diff;
    if (!d) return;
    const [winner, loser] = first ? [d.a, d.b] : [d.b, d.a];
    try {
      await marks.vote(winner.id, loser.id);
      this.onInfo(t("vote.thanks"));
      await marks.loadTally(this.workId, d.a, d.b);
    } catch (err) { this.onError(err); }
  }
}
