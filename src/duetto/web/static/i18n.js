// i18n.js — the studio's words in Chinese and English; the choice is remembered in localStorage.

export const STRINGS = {
  zh: {
    "logout": "退出", "login.title": "登录 duetto", "login.name": "用户名", "login.password": "密码",
    "login.submit": "登录", "login.failed": "登录失败",
    "brief.title": "创作简述", "brief.placeholder": "描述你想要的作品……", "brief.media": "媒介",
    "brief.variants": "变体数量", "brief.submit": "开始创作",
    "medium.painting": "绘画", "medium.poem": "诗", "medium.story": "故事", "medium.script": "剧本", "medium.music": "音乐",
    "spec.title": "细化设定（可选）", "spec.hint": "点选颜色、移动滑块：对应的词会加到简述里", "spec.energy": "能量", "spec.density": "密度",
    "spec.style": "风格", "spec.noStyle": "（无）", "spec.size": "尺寸（像素）",
    "works.title": "作品", "works.search": "按简述搜索", "works.empty": "还没有作品",
    "act.blend": "融合两个", "act.breed": "繁育多个", "act.compare": "对比两个", "act.picked": "已选",
    "act.revise": "按反馈修改", "act.feedbackPlaceholder": "你的反馈，例如：更温暖一些",
    "act.vary": "再来几个变体", "act.star": "选中 ★", "act.unstar": "取消选中", "act.upload": "上传修改后的文件",
    "job.queued": "排队中", "job.running": "生成中", "job.done": "完成", "job.failed": "失败",
    "job.cancelled": "已取消", "job.interrupted": "已中断", "job.started": "任务已开始",
    "compare.title": "并排对比", "compare.field": "设定项", "compare.same": "设定相同",
    "tree.title": "版本树", "credits.title": "署名", "credits.human": "人", "credits.ai": "AI",
    "credits.people": "参与者", "credits.engines": "引擎",
    "text.issues": "格律问题", "music.noAudio": "没有音频文件",
    "error.prefix": "出错了", "uploaded": "已导入新版本", "role": "角色",
  },
  en: {
    "logout": "Log out", "login.title": "Log in to duetto", "login.name": "Name", "login.password": "Password",
    "login.submit": "Log in", "login.failed": "Log-in failed",
    "brief.title": "Brief", "brief.placeholder": "Describe the work you want…", "brief.media": "Media",
    "brief.variants": "Variants", "brief.submit": "Create",
    "medium.painting": "Painting", "medium.poem": "Poem", "medium.story": "Story", "medium.script": "Script", "medium.music": "Music",
    "spec.title": "Refine the spec (optional)", "spec.hint": "Pick colours, move the sliders: matching words are added to the brief", "spec.energy": "Energy", "spec.density": "Density",
    "spec.style": "Style", "spec.noStyle": "(none)", "spec.size": "Size (px)",
    "works.title": "Works", "works.search": "Search briefs", "works.empty": "No works yet",
    "act.blend": "Blend two", "act.breed": "Breed several", "act.compare": "Compare two", "act.picked": "Picked",
    "act.revise": "Revise with feedback", "act.feedbackPlaceholder": "Your feedback, e.g. warmer",
    "act.vary": "More variants", "act.star": "Pick ★", "act.unstar": "Unpick", "act.upload": "Upload an edited file",
    "job.queued": "Queued", "job.running": "Generating", "job.done": "Done", "job.failed": "Failed",
    "job.cancelled": "Cancelled", "job.interrupted": "Interrupted", "job.started": "Job started",
    "compare.title": "Side by side", "compare.field": "Spec field", "compare.same": "Same spec",
    "tree.title": "Version tree", "credits.title": "Credits", "credits.human": "Human", "credits.ai": "AI",
    "credits.people": "People", "credits.engines": "Engines",
    "text.issues": "Form issues", "music.noAudio": "No audio file",
    "error.prefix": "Error", "uploaded": "Imported as a new version", "role": "Role",
  },
};

const KEY = "duetto.lang";

export function lang() {
  const saved = localStorage.getItem(KEY);
  return saved === "en" || saved === "zh" ? saved : "zh";
}

export function setLang(code) { localStorage.setItem(KEY, code); apply(); }

export function t(key) { return STRINGS[lang()][key] ?? key; }

// Fill every [data-i18n] element's text and [data-i18n-placeholder] placeholder.
export function apply(root = document) {
  document.documentElement.lang = lang();
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
}
