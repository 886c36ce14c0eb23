// roles.js — show only the controls the caller's role can use. The server still checks every
// request; hiding just spares a viewer buttons that would always answer 403.
//   data-needs="comment|create"  shown when the role is at least that strong
//   data-only="viewer"           shown only to that role (e.g. a read-only star count)

const RANK = { viewer: 1, commenter: 2, editor: 3, owner: 4 };
const NEED = { view: 1, comment: 2, create: 3, manage: 4 };

export function can(role, action) { return (RANK[role] || 0) >= NEED[action]; }

export function applyRole(role, root = document) {
  root.querySelectorAll("[data-needs]").forEach((el) => { el.hidden = !can(role, el.dataset.needs); });
  root.querySelectorAll("[data-only]").forEach((el) => { el.hidden = role !== el.dataset.only; });
}
