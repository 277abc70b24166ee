// The regulator's checklist: the 42 scenarios of MIIT notice 信管函〔2020〕164号 as split by
// compliance-testing services (reference: ../shared/reference/miit-164-scenarios.md, our
// paraphrase). `person: true` marks the 13 scenarios the services leave to a person; the other
// 29 are decided from a run. Titles are short paraphrases in Chinese and English.

export const MIIT_SCENARIO_IDS = [
  '1.1.1',
  '1.1.2',
  '1.1.3',
  '1.1.4',
  '1.1.5',
  '1.1.6',
  '1.1.7',
  '1.1.8',
  '1.2.1',
  '1.2.2',
  '1.2.3',
  '1.2.4',
  '1.2.5',
  '1.2.6',
  '1.2.7',
  '1.2.8',
  '1.3.1',
  '1.3.2',
  '1.3.3',
  '1.4.1',
  '1.4.2',
  '1.4.3',
  '1.4.4',
  '2.1.1',
  '2.1.2',
  '2.1.3',
  '2.1.4',
  '2.1.5',
  '2.1.6',
  '2.1.7',
  '2.1.8',
  '2.2.1',
  '2.2.2',
  '2.2.3',
  '3.1.1',
  '3.1.2',
  '3.1.3',
  '3.1.4',
  '3.1.5',
  '3.1.6',
  '3.1.7',
  '3.2.1',
] as const;
export type MiitScenarioId = (typeof MIIT_SCENARIO_IDS)[number];

export interface MiitScenario {
  id: MiitScenarioId;
  /** Group heading id ("1.1"). */
  group: string;
  zh: string;
  en: string;
  /** Left to a person by the testing services (judgement on purpose, need or content). */
  person: boolean;
}

export const MIIT_GROUPS: Readonly<Record<string, { zh: string; en: string }>> = {
  '1.1': { zh: '违规收集个人信息', en: 'Collection without notice and consent' },
  '1.2': { zh: '超范围收集个人信息', en: 'Collection beyond necessity' },
  '1.3': { zh: '违规使用个人信息', en: 'Use and sharing' },
  '1.4': { zh: '强制用户使用定向推送功能', en: 'Targeted push' },
  '2.1': { zh: '强制、频繁、过度索取权限', en: 'Forced, frequent, excessive permission requests' },
  '2.2': { zh: '频繁自启动和关联启动', en: 'Self-start and associated start' },
  '3.1': { zh: '欺骗误导用户下载APP', en: 'Deceptive downloads' },
  '3.2': { zh: '欺骗误导用户提供个人信息', en: 'Deceiving users into giving personal information' },
};

const S = (id: MiitScenarioId, zh: string, en: string, person = false): MiitScenario => ({
  id,
  group: id.slice(0, 3),
  zh,
  en,
  person,
});

export const MIIT_SCENARIOS: readonly MiitScenario[] = [
  S(
    '1.1.1',
    '未公开收集使用规则，未经同意读取IMEI、MAC、软件列表、通讯录或短信',
    'No notice of the rules; IMEI, MAC, app list, contacts or SMS read without consent',
  ),
  S(
    '1.1.2',
    '有隐私政策弹窗，但用户同意前即读取MAC、IMEI',
    'Privacy pop-up shown, but MAC/IMEI read before the user agrees',
  ),
  S(
    '1.1.3',
    '隐私政策未明示软件列表、MAC，同意后读取',
    'Policy does not name the app list / MAC; read after agreement',
  ),
  S('1.1.4', 'SDK未告知收集规则即收集个人信息', 'An SDK collects without notice of its rules'),
  S(
    '1.1.5',
    '已告知SDK规则，但用户同意前SDK即收集',
    "The SDK's rules are shown, but the SDK collects before the user agrees",
  ),
  S(
    '1.1.6',
    'SDK规则未明示所收集的信息，同意后收集',
    "The SDK's rules do not name the data; collected after agreement",
  ),
  S(
    '1.1.7',
    '同意弹窗无明确同意与拒绝按钮，或使用"好的""我知道了"等',
    'Consent dialog lacks clear agree and refuse buttons, or says "OK" / "I know"',
  ),
  S('1.1.8', '默认勾选同意隐私政策', 'Consent pre-ticked by default'),
  S(
    '1.2.1',
    '收集与业务功能无关的个人信息',
    'Personal information collected with no need for the service',
    true,
  ),
  S(
    '1.2.2',
    '按固定频率收集个人信息，超出业务功能所需',
    'Data read at a fixed frequency beyond what the function needs',
  ),
  S('1.2.3', 'SDK超出其声明目的收集个人信息', 'An SDK collects beyond the purpose it declared', true),
  S('1.2.4', '频繁读取IMEI或位置（如每2秒）', 'IMEI or location read very frequently (e.g. every 2 s)'),
  S('1.2.5', '后台收集IMSI、设备序列号等', 'IMSI, serial etc. collected in the background'),
  S(
    '1.2.6',
    '静默或后台状态下按频率收集位置、IMEI、通讯录、短信、图片',
    'Location, IMEI, contacts, SMS, photos collected at a frequency while silent/background',
  ),
  S(
    '1.2.7',
    'SDK在静默或后台状态下收集通讯录、短信、通话记录、相机',
    'An SDK collects contacts, SMS, call log, camera while silent/background',
  ),
  S(
    '1.2.8',
    'SDK在静默或后台状态下按频率收集位置、IMEI等',
    'An SDK collects location, IMEI etc. at a frequency while silent/background',
  ),
  S(
    '1.3.1',
    '未告知目的即向第三方SDK或服务发送个人信息',
    'Personal data sent to a third party without notice of the purpose',
  ),
  S(
    '1.3.2',
    '同意后向未明示名称、目的、类型的第三方发送数据',
    'After agreement, data sent to a third party whose name, purpose and data were not shown',
  ),
  S(
    '1.3.3',
    '数据传至自有服务器后再提供给第三方',
    "Data sent to the app's own server, then passed to third parties",
    true,
  ),
  S('1.4.1', '提供个性化推送，但隐私政策未说明', 'Personalisation / targeted push not stated in the policy'),
  S('1.4.2', '个性化推送使用未告知的第三方数据', 'Personalisation uses undisclosed third-party data', true),
  S('1.4.3', '个性化内容未显著标明"个性化展示""定推"', 'Personalised content not labelled as such', true),
  S('1.4.4', '未提供关闭个性化推送的选项', 'No option to turn personalisation off', true),
  S(
    '2.1.1',
    '首次启动即申请权限，拒绝后退出或反复弹窗',
    'Asks for permissions at first start; exits or loops after refusal',
  ),
  S(
    '2.1.2',
    '申请与当前功能无关的权限，拒绝后功能不可用',
    'Asks for a permission the function does not use; the function stops when refused',
    true,
  ),
  S('2.1.3', '拒绝权限后无法注册或登录', 'Registration/login fails when a permission is refused', true),
  S('2.1.4', '申请无关权限，拒绝后退出或反复弹窗', 'As 2.1.2, and the app exits or loops', true),
  S('2.1.5', '拒绝后频繁弹窗申请权限', 'Keeps asking for permissions after a refusal'),
  S('2.1.6', '拒绝后下次启动再次申请', 'Asks again on the next start after a refusal'),
  S(
    '2.1.7',
    '首次打开即申请权限，相关功能尚未使用',
    'Asks on first open before any function uses the permission',
  ),
  S('2.1.8', '申请任何功能都不需要的权限', 'Asks for permissions no function needs', true),
  S(
    '2.2.1',
    '未经同意频繁自启动或关联启动其他应用',
    'Frequent self-start or starting other apps without consent',
  ),
  S('2.2.2', '用户同意前自启动或关联启动', 'Self-start or associated start before the user agrees'),
  S('2.2.3', '非服务所必需地频繁关联启动第三方应用', 'Frequently starts third-party apps with no need'),
  S(
    '3.1.1',
    '广告、开屏或首页点击即下载，无明确下载提示',
    'An ad/splash/home tap downloads an app without a clear download prompt',
  ),
  S('3.1.2', '"是否立即开始游戏"等提示实际启动下载', '"Start the game now?" style prompts start a download'),
  S('3.1.3', '"领取红包"等提示实际启动下载', '"Claim a red packet" style prompts start a download'),
  S('3.1.4', '点击下载按钮以外区域即开始下载', 'A tap outside the download button starts a download'),
  S('3.1.5', '暂停的下载在重启后自动恢复', 'A paused unwanted download resumes after restart', true),
  S('3.1.6', '设置关闭障碍强制下载', 'Closing obstacles force the download', true),
  S('3.1.7', '下载的应用与宣传不符', 'The downloaded app differs from what was advertised', true),
  S(
    '3.2.1',
    '以积分、奖励、优惠诱导提供身份证号或生物特征',
    'Rewards lure users into giving ID numbers or biometrics',
  ),
];

export const MIIT_BY_ID: ReadonlyMap<string, MiitScenario> = new Map(MIIT_SCENARIOS.map((s) => [s.id, s]));

export const REPORT_LANGS = ['en', 'zh'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

export function scenarioTitle(id: string, lang: ReportLang = 'en'): string {
  const s = MIIT_BY_ID.get(id);
  return s ? s[lang] : id;
}
