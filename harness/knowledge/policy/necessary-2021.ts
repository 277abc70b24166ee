// China 2021 "Provisions on the Scope of Necessary Personal Information for Common Types of
// Mobile Internet Applications" (CAC/MIIT/MPS/SAMR, in force 2021-05-01), Article 5 items 1–39,
// as a policy pack over the protocol's data categories (see ../../../../shared/reference/
// necessary-info-2021.md). Only device-sourced data maps to categories: `phone-number` is the
// registered user's number, `contacts-list` in the rules is the in-app friend list (NOT device
// contacts) and identity/payment/bank/address are typed in by the user (userSupplied).
// Device ids, device contacts, SMS, call log, installed apps, clipboard, sensors are necessary
// for no category; precise location only for items 1, 2 and 22.
import type { CategoryRule, PolicyPack } from './types.ts';

export const APP_CATEGORIES_2021 = [
  'map_navigation',
  'ride_hailing',
  'instant_messaging',
  'online_community',
  'online_payment',
  'online_shopping',
  'food_delivery',
  'postal_delivery',
  'traffic_ticketing',
  'dating',
  'job_recruitment',
  'online_lending',
  'real_estate',
  'used_cars',
  'medical_consultation',
  'travel',
  'hotel',
  'online_gaming',
  'education',
  'local_life',
  'womens_health',
  'vehicle_service',
  'investment',
  'mobile_banking',
  'email_cloud',
  'remote_meeting',
  'live_streaming',
  'audio_video',
  'short_video',
  'news',
  'fitness',
  'browser',
  'input_method',
  'security_management',
  'ebooks',
  'photo_beautify',
  'app_store',
  'utility_tools',
  'show_ticketing',
] as const;
export type AppCategory2021 = (typeof APP_CATEGORIES_2021)[number];

const PHONE = ['phone-number'] as const;
const phoneOnly = (
  item: number,
  title: string,
  userSupplied: string[] = [],
  extra: Partial<CategoryRule> = {},
) => ({
  item,
  title,
  necessary: [...PHONE],
  userSupplied,
  ...extra,
});
const none = (item: number, title: string, extra: Partial<CategoryRule> = {}): CategoryRule => ({
  item,
  title,
  necessary: [],
  ...extra,
});

const RULES: Record<AppCategory2021, CategoryRule> = {
  map_navigation: {
    item: 1,
    title: '地图导航 map navigation',
    necessary: ['location'],
    userSupplied: ['origin', 'destination'],
  },
  ride_hailing: {
    item: 2,
    title: '网络约车 ride hailing',
    necessary: ['phone-number', 'location'],
    userSupplied: ['origin', 'destination', 'trip track', 'payment'],
  },
  instant_messaging: phoneOnly(
    3,
    '即时通信 instant messaging',
    ['account', 'in-app contact list (not device contacts)'],
    {
      functional: ['camera', 'microphone', 'media'],
      note: 'The in-app contact list is necessary; the device address book is not.',
    },
  ),
  online_community: phoneOnly(4, '网络社区 online community', [], { functional: ['media'] }),
  online_payment: phoneOnly(5, '网络支付 online payment', ['identity', 'ID validity', 'bank card']),
  online_shopping: phoneOnly(6, '网上购物 online shopping', ['recipient name, address, phone', 'payment']),
  food_delivery: phoneOnly(7, '餐饮外卖 food delivery', ['recipient name, address, phone', 'payment'], {
    note: 'Same as online shopping: the delivery address is typed in, location is not necessary.',
  }),
  postal_delivery: phoneOnly(
    8,
    '邮件快件寄递 postal/express delivery (logistics)',
    ['sender identity, address', 'recipient name, address, phone', 'item name, nature, quantity'],
    { note: "The sender's contact phone is necessary." },
  ),
  traffic_ticketing: phoneOnly(9, '交通票务 traffic ticketing', [
    'passenger identity and type',
    'trip, seat, plate (ETC)',
    'payment',
  ]),
  dating: phoneOnly(10, '婚恋相亲 dating', ['sex, age, marital status']),
  job_recruitment: phoneOnly(11, '求职招聘 job recruitment', ['CV']),
  online_lending: phoneOnly(12, '网络借贷 online lending', ['identity', 'ID validity', 'bank card']),
  real_estate: phoneOnly(13, '房屋租售 real estate', ['property address, size, price']),
  used_cars: phoneOnly(14, '二手车交易 used cars', ['buyer and seller identity', 'vehicle licence and VIN']),
  medical_consultation: phoneOnly(15, '问诊挂号 medical consultation', [
    'patient identity',
    'hospital, department',
    'symptoms',
  ]),
  travel: phoneOnly(16, '旅游服务 travel', ['destination, dates', 'traveller identity and contact']),
  hotel: phoneOnly(17, '酒店服务 hotel', ['guest name and contact', 'dates', 'hotel']),
  online_gaming: phoneOnly(18, '网络游戏 online gaming', [], { note: 'Phone number ONLY.' }),
  education: phoneOnly(19, '学习教育 education'),
  local_life: phoneOnly(20, '本地生活 local life'),
  womens_health: none(21, '女性健康 women’s health'),
  vehicle_service: phoneOnly(
    22,
    '用车服务 vehicle service',
    ['identity and driving licence (car sharing/rental)', 'payment'],
    {
      conditional: ['location'],
      note: 'Location is necessary for bike sharing and time-share cars only.',
    },
  ),
  investment: phoneOnly(23, '投资理财 investment', [
    'identity',
    'ID validity',
    'ID copy',
    'fund account, bank card',
  ]),
  mobile_banking: phoneOnly(24, '手机银行 mobile banking', [
    'identity',
    'ID copy',
    'bank card',
    'payee details',
  ]),
  email_cloud: phoneOnly(25, '邮箱云盘 email and cloud drive', [], { functional: ['media'] }),
  remote_meeting: phoneOnly(26, '远程会议 remote meeting', [], { functional: ['camera', 'microphone'] }),
  live_streaming: none(27, '网络直播 live streaming (watching)'),
  audio_video: none(28, '在线影音 online audio and video', { functional: ['media'] }),
  short_video: none(29, '短视频 short video (watching)'),
  news: none(30, '新闻资讯 news'),
  fitness: none(31, '运动健身 fitness', { functional: ['sensors'] }),
  browser: none(32, '浏览器 browser'),
  input_method: none(33, '输入法 input method'),
  security_management: none(34, '安全管理 security management / phone optimizers', {
    functional: ['media'],
    note: 'System optimizers fall here or under utility tools: no personal information at all.',
  }),
  ebooks: none(35, '电子图书 e-books', { functional: ['media'] }),
  photo_beautify: none(36, '拍摄美化 photo and beautify', { functional: ['camera', 'media'] }),
  app_store: none(37, '应用商店 app store'),
  utility_tools: none(38, '实用工具 utility tools', {
    conditional: ['camera', 'microphone', 'media', 'calendar', 'screen-capture', 'sensors'],
    note: 'Only the tool that needs it: flashlight camera, recorder microphone, file manager media, calendar app calendar, compass sensors.',
  }),
  show_ticketing: phoneOnly(39, '演出票务 show ticketing', ['session and seat', 'payment']),
};

export const NECESSARY_2021: PolicyPack = {
  id: 'cn-necessary-2021',
  name: 'China 2021 necessary personal information (Article 5, items 1–39)',
  source: 'CAC/MIIT/MPS/SAMR, in force 2021-05-01',
  categories: { ...RULES, default: { necessary: [], note: 'Category not covered by the 2021 rules.' } },
};
