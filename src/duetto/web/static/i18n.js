// i18n.js — the studio's words in Chinese and English; the choice is remembered in localStorage.
// Every visible string comes from here: markup names a key (data-i18n, data-i18n-placeholder,
// data-i18n-title), scripts call t("key", {name: value}) and "{name}" is filled in.

export const STRINGS = {
  zh: {
    "lang.switch": "EN", "logout": "退出", "project": "项目",
    "login.title": "登录 duetto", "login.name": "用户名", "login.password": "密码", "login.submit": "登录",
    "setup.title": "第一次使用：创建管理员", "setup.intro": "这个链接只能用一次。设置好之后，用这个名字和密码登录。",
    "setup.password2": "再输一次密码", "setup.project": "第一个项目（可选）", "setup.projectPlaceholder": "例如：工作室",
    "setup.submit": "创建并登录", "setup.mismatch": "两次输入的密码不一样", "setup.done": "设置完成，欢迎！",
    "brief.title": "创作简述", "brief.placeholder": "描述你想要的作品……", "brief.media": "媒介",
    "brief.variants": "变体数量", "brief.submit": "开始创作",
    "medium.painting": "绘画", "medium.poem": "诗", "medium.story": "故事", "medium.script": "剧本", "medium.music": "音乐",
    "spec.title": "细化设定（可选）", "spec.hint": "最多选 8 种颜色；滑块没动过就按简述来定", "spec.energy": "能量",
    "spec.density": "密度", "spec.unset": "—", "spec.reset": "不设定（按简述）",
    "spec.style": "风格", "spec.noStyle": "（无）", "spec.size": "尺寸（像素）", "spec.tooMany": "最多选 8 种颜色",
    "style.flow": "流动", "style.geometric": "几何", "style.colorfield": "色域", "style.ink": "水墨",
    "style.brush": "笔触", "style.wave": "波纹", "style.scene": "风景",
    "colour.red": "红色", "colour.orange": "橙色", "colour.gold": "金色", "colour.yellow": "黄色", "colour.green": "绿色",
    "colour.teal": "青绿", "colour.skyblue": "天蓝", "colour.blue": "蓝色", "colour.indigo": "靛蓝", "colour.purple": "紫色",
    "colour.pink": "粉色", "colour.brown": "棕色", "colour.ink": "墨色", "colour.white": "白色",
    "works.title": "作品", "works.search": "按简述搜索", "works.empty": "还没有作品", "works.none": "没有可进入的项目",
    "works.pickOne": "从左边的列表打开一件作品，或写一段简述开始创作。", "works.pickOneViewer": "从左边的列表打开一件作品。",
    "act.blend": "融合两个", "act.breed": "繁育多个", "act.compare": "对比两个", "act.picked": "已选 {n} 个",
    "act.pickHint": "勾选卡片上的 ✓ 来选中版本", "act.pick": "选中", "act.download": "下载", "act.downloadAs": "下载 {format}", "act.unpick": "取消选中",
    "act.revise": "按反馈修改", "act.feedbackPlaceholder": "你的反馈，例如：更温暖一些",
    "act.vary": "再来几个变体", "act.upload": "上传修改后的文件",
    "star.add": "★ 加星 · {n}", "star.remove": "★ 已加星 · {n}", "star.count": "★ {n}",
    "comments.title": "评论", "comments.empty": "还没有评论", "comments.placeholder": "写下你的看法（不会生成新版本）",
    "comments.submit": "发表评论",
    "vote.prefer": "更喜欢 #{n}", "vote.thanks": "已记下你的投票", "vote.standing": "#{n}：{wins} 胜 {losses} 负",
    "vote.total": "共 {n} 票",
    "job.queued": "排队中", "job.running": "生成中", "job.done": "完成", "job.failed": "失败",
    "job.cancelled": "已取消", "job.interrupted": "已中断", "job.started": "任务已开始",
    "op.new": "新作", "op.revise": "修改", "op.vary": "变体", "op.blend": "融合", "op.breed": "繁育",
    "op.import": "导入", "op.edit": "人工修改", "op.derive": "衍生", "op.restyle": "换风格", "op.recolour": "换色",
    "kind.human": "人", "kind.engine": "AI", "kind.ai": "AI",
    "role.owner": "所有者", "role.editor": "编辑", "role.commenter": "评论者", "role.viewer": "观看者",
    "compare.title": "并排对比", "compare.field": "设定项", "compare.same": "设定相同",
    "rel.ancestor": "{a} 是 {b} 的祖先", "rel.siblings": "兄弟版本", "rel.branches": "同一作品的不同分支",
    "rel.works": "不同的作品",
    "tree.title": "版本树", "credits.title": "署名", "credits.human": "人", "credits.ai": "AI",
    "credits.people": "参与者", "credits.engines": "引擎", "credits.version": "版本", "credits.op": "操作",
    "none": "—", "text.issues": "格律问题", "music.noAudio": "没有音频文件",
    "error.prefix": "出错了", "error.status": "出错了（{status}）：{message}", "close": "关闭",
    "uploaded": "已导入新版本",
  },
  en: {
    "lang.switch": "中文", "logout": "Log out", "project": "Project",
    "login.title": "Log in to duetto", "login.name": "Name", "login.password": "Password", "login.submit": "Log in",
    "setup.title": "First run: create the admin", "setup.intro": "This link works once. Afterwards, log in with this name and password.",
    "setup.password2": "Password again", "setup.project": "First project (optional)", "setup.projectPlaceholder": "e.g. studio",
    "setup.submit": "Create and log in", "setup.mismatch": "The two passwords differ", "setup.done": "All set, welcome!",
    "brief.title": "Brief", "brief.placeholder": "Describe the work you want…", "brief.media": "Media",
    "brief.variants": "Variants", "brief.submit": "Create",
    "medium.painting": "Painting", "medium.poem": "Poem", "medium.story": "Story", "medium.script": "Script", "medium.music": "Music",
    "spec.title": "Refine the spec (optional)", "spec.hint": "Pick up to 8 colours; a slider you leave alone is read from the brief",
    "spec.energy": "Energy", "spec.density": "Density", "spec.unset": "—", "spec.reset": "Not set (from the brief)",
    "spec.style": "Style", "spec.noStyle": "(none)", "spec.size": "Size (px)", "spec.tooMany": "At most 8 colours",
    "style.flow": "Flow", "style.geometric": "Geometric", "style.colorfield": "Colour field", "style.ink": "Ink",
    "style.brush": "Brush", "style.wave": "Wave", "style.scene": "Scene",
    "colour.red": "red", "colour.orange": "orange", "colour.gold": "gold", "colour.yellow": "yellow", "colour.green": "green",
    "colour.teal": "teal", "colour.skyblue": "sky blue", "colour.blue": "blue", "colour.indigo": "indigo", "colour.purple": "purple",
    "colour.pink": "pink", "colour.brown": "brown", "colour.ink": "ink black", "colour.white": "white",
    "works.title": "Works", "works.search": "Search briefs", "works.empty": "No works yet", "works.none": "No project to open",
    "works.pickOne": "Open a work from the list, or write a brief to start one.", "works.pickOneViewer": "Open a work from the list.",
    "act.blend": "Blend two", "act.breed": "Breed several", "act.compare": "Compare two", "act.picked": "Picked: {n}",
    "act.pickHint": "Tick ✓ on the cards to pick versions", "act.pick": "Pick", "act.download": "Download", "act.downloadAs": "Download {format}", "act.unpick": "Unpick",
    "act.revise": "Revise with feedback", "act.feedbackPlaceholder": "Your feedback, e.g. warmer",
    "act.vary": "More variants", "act.upload": "Upload an edited file",
    "star.add": "★ Star · {n}", "star.remove": "★ Starred · {n}", "star.count": "★ {n}",
    "comments.title": "Comments", "comments.empty": "No comments yet", "comments.placeholder": "Say what you think (makes no new version)",
    "comments.submit": "Comment",
    "vote.prefer": "Prefer #{n}", "vote.thanks": "Vote recorded", "vote.standing": "#{n}: {wins} won, {losses} lost",
    "vote.total": "{n} votes",
    "job.queued": "Queued", "job.running": "Generating", "job.done": "Done", "job.failed": "Failed",
    "job.cancelled": "Cancelled", "job.interrupted": "Interrupted", "job.started": "Job started",
    "op.new": "new", "op.revise": "revise", "op.vary": "vary", "op.blend": "blend", "op.breed": "breed",
    "op.import": "import", "op.edit": "edit", "op.derive": "derive", "op.restyle": "restyle", "op.recolour": "recolour",
    "kind.human": "human", "kind.engine": "AI", "kind.ai": "AI",
    "role.owner": "owner", "role.editor": "editor", "role.commenter": "commenter", "role.viewer": "viewer",
    "compare.title": "Side by side", "compare.field": "Spec field", "compare.same": "Same spec",
    "rel.ancestor": "{a} is an ancestor of {b}", "rel.siblings": "Siblings", "rel.branches": "Same work, different branches",
    "rel.works": "Different works",
    "tree.title": "Version tree", "credits.title": "Credits", "credits.human": "Human", "credits.ai": "AI",
    "credits.people": "People", "credits.engines": "Engines", "credits.version": "Version", "credits.op": "Step",
    "none": "—", "text.issues": "Form issues", "music.noAudio": "No audio file",
    "error.prefix": "Error", "error.status": "Error ({status}): {message}", "close": "Close",
    "uploaded": "Imported as a new version",
  },
};

const KEY = "duetto.lang";

export function lang() {
  const saved = localStorage.getItem(KEY);
  return saved === "en" || saved === "zh" ? saved : "zh";
}

const listeners = [];

// Called after every language switch, so text built by scripts is rebuilt too.
export function onLangChange(fn) { listeners.push(fn); }

export function setLang(code) { localStorage.setItem(KEY, code); apply(); }

// A key's text with "{name}" filled from vars; an unknown key shows itself (the test catches it).
export function t(key, vars = {}) {
  const text = STRINGS[lang()][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

// A key built from data ("op." + operation): the data itself when the key is not translated.
export function tOr(key, fallback) { return key in STRINGS[lang()] ? t(key) : fallback; }

// Fill every [data-i18n] text, [data-i18n-placeholder] placeholder and [data-i18n-title] title.
export function apply(root = document) {
  document.documentElement.lang = lang();
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  root.querySelectorAll("[data-i18n-title]").forEach((el) => {
    el.title = t(el.dataset.i18nTitle); el.setAttribute("aria-label", el.title);
  });
  listeners.forEach((fn) => fn());
}
