// Personal content: content-provider queries (contacts, call log, SMS, calendar, media, browser),
// SMS sending, accounts, clipboard.
import { arr, context, cursor, list, obj, uri } from './samples.ts';
import type { HookSample, JavaHookEntry } from './types.ts';

const QUERY5 = [
  'android.net.Uri',
  '[Ljava.lang.String;',
  'java.lang.String',
  '[Ljava.lang.String;',
  'java.lang.String',
];
const QUERY_BUNDLE = [
  'android.net.Uri',
  '[Ljava.lang.String;',
  'android.os.Bundle',
  'android.os.CancellationSignal',
];
/** Permission per category the content-uri summariser can report (media: READ_MEDIA_* from 33). */
const CONTENT_PERMISSIONS = {
  contacts: 'android.permission.READ_CONTACTS',
  'call-log': 'android.permission.READ_CALL_LOG',
  sms: 'android.permission.READ_SMS',
  calendar: 'android.permission.READ_CALENDAR',
  media: 'android.permission.READ_EXTERNAL_STORAGE',
  'browser-history': 'com.android.browser.permission.READ_HISTORY_BOOKMARKS',
} as const;
const CONTENT_NOTE =
  'Category and permission follow the URI authority (summariser content-uri): com.android.contacts/contacts/icc → contacts (READ_CONTACTS), call_log → call-log (READ_CALL_LOG), sms/mms/mms-sms → sms (READ_SMS; covers Telephony$Sms queries), com.android.calendar → calendar (READ_CALENDAR), media → media (READ_EXTERNAL_STORAGE / READ_MEDIA_*), browser → browser-history; other authorities are not reported.';

function query(u: string, expect: HookSample['expect']): HookSample {
  return { overload: QUERY5, args: [uri(u), arr('_id'), null, null, null], result: cursor(3), expect };
}

function querySamples(): HookSample[] {
  return [
    query('content://com.android.contacts/contacts', {
      category: 'contacts',
      argsIncludes: 'com.android.contacts',
      resultIncludes: 'rows=3',
    }),
    query('content://call_log/calls', { category: 'call-log' }),
    query('content://sms/inbox', { category: 'sms' }),
    query('content://mms-sms/conversations', { category: 'sms' }),
    query('content://com.android.calendar/events', { category: 'calendar' }),
    query('content://media/external/images/media', { category: 'media' }),
    query('content://browser/bookmarks', { category: 'browser-history' }),
    query('content://settings/secure', null),
    query('content://com.example.app.provider/items', null),
    {
      overload: QUERY_BUNDLE,
      args: [uri('content://com.android.contacts/data/phones'), null, obj('android.os.Bundle'), null],
      result: cursor(1),
      expect: { category: 'contacts' },
    },
  ];
}

export const PERSONAL_CONTENT_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'content.resolver-query',
    category: 'contacts',
    className: 'android.content.ContentResolver',
    method: 'query',
    summary: 'content-uri',
    permissionByCategory: CONTENT_PERMISSIONS,
    note: CONTENT_NOTE,
    samples: querySamples(),
  },
  {
    kind: 'java',
    id: 'content.provider-client-query',
    category: 'contacts',
    className: 'android.content.ContentProviderClient',
    method: 'query',
    summary: 'content-uri',
    permissionByCategory: CONTENT_PERMISSIONS,
    note: CONTENT_NOTE,
    samples: [
      {
        overload: QUERY5,
        args: [uri('content://sms/sent'), null, null, null, null],
        result: cursor(2),
        expect: { category: 'sms' },
      },
      {
        overload: QUERY5,
        args: [uri('content://downloads/all'), null, null, null, null],
        result: cursor(2),
        expect: null,
      },
    ],
  },
  {
    kind: 'java',
    id: 'content.cursor-loader',
    category: 'contacts',
    className: 'android.content.CursorLoader',
    method: '$init',
    overloads: [['android.content.Context', ...QUERY5]],
    summary: 'content-uri',
    permissionByCategory: CONTENT_PERMISSIONS,
    note: `Constructor with the URI; the query itself runs later through ContentResolver.query. ${CONTENT_NOTE}`,
    samples: [
      {
        overload: ['android.content.Context', ...QUERY5],
        args: [context(), uri('content://call_log/calls'), null, null, null, null],
        expect: { category: 'call-log' },
      },
      {
        overload: ['android.content.Context', ...QUERY5],
        args: [context(), uri('content://com.example/things'), null, null, null, null],
        expect: null,
      },
    ],
  },
  {
    kind: 'java',
    id: 'content.androidx-cursor-loader',
    category: 'contacts',
    className: 'androidx.loader.content.CursorLoader',
    method: '$init',
    overloads: [['android.content.Context', ...QUERY5]],
    summary: 'content-uri',
    permissionByCategory: CONTENT_PERMISSIONS,
    lazy: true,
    note: 'androidx copy of CursorLoader, bundled by the app.',
    samples: [
      {
        overload: ['android.content.Context', ...QUERY5],
        args: [context(), uri('content://com.android.contacts/contacts'), null, null, null, null],
        expect: { category: 'contacts' },
      },
    ],
  },
  ...(
    [
      'sendTextMessage',
      'sendMultipartTextMessage',
      'sendDataMessage',
      'sendTextMessageWithoutPersisting',
    ] as const
  ).map(
    (method): JavaHookEntry => ({
      kind: 'java',
      id: `sms.${method.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      category: 'sms',
      className: 'android.telephony.SmsManager',
      method,
      permission: 'android.permission.SEND_SMS',
      summary: 'sms-send',
      personal: true,
      ...(method === 'sendTextMessageWithoutPersisting' ? { minApi: 28 } : {}),
      note: 'The recipient number is the personal value.',
      samples: [
        {
          args:
            method === 'sendMultipartTextMessage'
              ? ['10086', null, list('part1'), list(), list()]
              : method === 'sendDataMessage'
                ? ['10086', null, 0, arr(1, 2), null, null]
                : ['10086', null, 'hello', null, null],
          expect: { category: 'sms', hashed: true },
        },
      ],
    }),
  ),
  {
    kind: 'java',
    id: 'sms.send-multimedia-message',
    category: 'sms',
    className: 'android.telephony.SmsManager',
    method: 'sendMultimediaMessage',
    permission: 'android.permission.SEND_SMS',
    summary: 'none',
    samples: [
      { args: [context(), uri('content://com.example/pdu'), null, null, null], expect: { category: 'sms' } },
    ],
  },
  {
    kind: 'java',
    id: 'accounts.get-accounts',
    category: 'accounts',
    className: 'android.accounts.AccountManager',
    method: 'getAccounts',
    permission: 'android.permission.GET_ACCOUNTS',
    summary: 'list-size',
    samples: [
      {
        result: arr(obj('android.accounts.Account')),
        expect: { category: 'accounts', resultIncludes: 'size=1' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'accounts.get-accounts-by-type',
    category: 'accounts',
    className: 'android.accounts.AccountManager',
    method: 'getAccountsByType',
    permission: 'android.permission.GET_ACCOUNTS',
    summary: 'list-size',
    samples: [
      {
        args: ['com.google'],
        result: arr(),
        expect: { category: 'accounts', argsIncludes: 'com.google', resultIncludes: 'size=0' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'accounts.get-accounts-by-type-and-features',
    category: 'accounts',
    className: 'android.accounts.AccountManager',
    method: 'getAccountsByTypeAndFeatures',
    permission: 'android.permission.GET_ACCOUNTS',
    summary: 'list-size',
    samples: [
      {
        args: ['com.google', arr(), null, null],
        result: obj('android.accounts.AccountManagerFuture'),
        expect: { category: 'accounts', argsIncludes: 'com.google' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'clipboard.get-primary-clip',
    category: 'clipboard',
    className: 'android.content.ClipboardManager',
    method: 'getPrimaryClip',
    summary: 'clip-data',
    personal: true,
    samples: [
      {
        result: obj('android.content.ClipData', {
          getItemCount: 1,
          getItemAt: obj('android.content.ClipData$Item', { getText: 'my password' }),
        }),
        expect: { category: 'clipboard', hashed: true, resultIncludes: 'text(11)' },
      },
      { result: null, expect: { category: 'clipboard', resultIncludes: 'empty' } },
    ],
  },
  {
    kind: 'java',
    id: 'clipboard.get-primary-clip-description',
    category: 'clipboard',
    className: 'android.content.ClipboardManager',
    method: 'getPrimaryClipDescription',
    summary: 'none',
    samples: [{ result: obj('android.content.ClipDescription'), expect: { category: 'clipboard' } }],
  },
  {
    kind: 'java',
    id: 'clipboard.has-primary-clip',
    category: 'clipboard',
    className: 'android.content.ClipboardManager',
    method: 'hasPrimaryClip',
    summary: 'text',
    samples: [{ result: true, expect: { category: 'clipboard', resultIncludes: 'true' } }],
  },
  {
    kind: 'java',
    id: 'clipboard.get-text',
    category: 'clipboard',
    className: 'android.content.ClipboardManager',
    method: 'getText',
    summary: 'clip-data',
    personal: true,
    samples: [{ result: 'copied text', expect: { category: 'clipboard', hashed: true } }],
  },
  {
    kind: 'java',
    id: 'clipboard.set-primary-clip',
    category: 'clipboard',
    className: 'android.content.ClipboardManager',
    method: 'setPrimaryClip',
    summary: 'none',
    samples: [{ args: [obj('android.content.ClipData')], expect: { category: 'clipboard' } }],
  },
];
