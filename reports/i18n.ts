// Report languages: English (default) and Chinese. Section names, the checklist's words and
// rule titles. App strings are never translated (they are evidence as the app showed them).
export const LANGS = ['en', 'zh'] as const;
export type Lang = (typeof LANGS)[number];

/** Section and table headings: English → Chinese. */
const ZH: Readonly<Record<string, string>> = {
  Timeline: '时间线',
  Findings: '发现的问题',
  'Declared vs. used': '声明与实际使用',
  'SDK breakdown': 'SDK 分布',
  Steps: '测试步骤',
  'Accesses per phase': '各阶段访问',
  'Busiest APIs': '调用最多的 API',
  'Hook coverage': 'Hook 覆盖情况',
  'AppOps before / after': 'AppOps 前后对比',
  'Agent errors, device logs, dropped events': 'Agent 错误、设备日志、丢弃事件',
  'Agent errors and device logs': 'Agent 错误与设备日志',
  Run: '运行',
  'MIIT 164 checklist': '工信部 164 号文检测项',
  findings: '问题',
  accesses: '访问次数',
  categories: '数据类别',
  'third parties': '第三方',
  steps: '步骤',
  duration: '时长',
  scenario: '检测项',
  status: '结论',
  evidence: '证据',
  violated: '违规',
  'not observed': '未发现',
  'not tested': '未测试',
  'needs a person': '需人工判断',
  'legal basis': '依据',
  'screen at that moment': '当时界面',
};

export function t(lang: Lang, en: string): string {
  return lang === 'zh' ? (ZH[en] ?? en) : en;
}

export function parseLang(text: string): Lang {
  if ((LANGS as readonly string[]).includes(text)) return text as Lang;
  throw new Error(`--lang: expected one of ${LANGS.join(', ')}, got "${text}"`);
}

/** Rule titles in Chinese (English ones: reports/rules.ts). */
export const RULE_TITLES_ZH: Readonly<Record<string, string>> = {
  'access-before-consent': '用户同意隐私政策前收集个人信息',
  'beyond-necessary': '超出业务功能所必需收集个人信息',
  'undeclared-collection': '收集隐私政策未声明的个人信息',
  'background-access': '后台收集个人信息',
  'excessive-rate': '高频读取个人信息',
  'permission-bypass': '绕过权限获取受保护数据',
  'unused-dangerous-permission': '声明但未使用的危险权限',
  'popup-harassment': '频繁弹窗、通知骚扰',
  'permission-rerequest': '用户拒绝后再次申请权限',
  'install-inducement': '诱导下载安装其他应用',
  'coverage-gap': 'AppOps 记录到但未被 Hook 捕获的访问',
  'consent-dialog': '隐私政策同意弹窗不规范（无拒绝按钮、"我知道了"、默认勾选）',
  'refusal-exit': '首次启动拒绝权限后退出或反复弹窗',
  'rerequest-next-start': '拒绝权限后下次启动再次申请',
  'premature-permission': '首次打开即申请权限，相关功能未使用',
  'associated-start': '自启动或关联启动其他应用',
  'deceptive-download': '欺骗误导用户下载应用',
  'periodic-collection': '按固定频率收集个人信息',
  'reward-for-identity': '以奖励诱导提供身份证号或生物特征',
  'undisclosed-personalisation': '提供个性化推荐但隐私政策未说明',
};
