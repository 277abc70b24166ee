// Runtime permission requests, their results (to spot re-requests after a refusal) and checks.
import { arr, context, instanceOf, intent, obj } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const CAMERA = 'android.permission.CAMERA';
const CONTACTS = 'android.permission.READ_CONTACTS';
const request = { category: 'permission-request' } as const;
const check = { category: 'permission-check' } as const;
const NESTED_NOTE =
  'On API 23+ it ends in Activity.requestPermissions, which reports the same request again.';

export const PERMISSION_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'permissions.activity-request',
    category: 'permission-request',
    className: 'android.app.Activity',
    method: 'requestPermissions',
    summary: 'permissions',
    minApi: 23,
    samples: [
      {
        overload: ['[Ljava.lang.String;', 'int'],
        args: [arr(CAMERA, CONTACTS), 7],
        expect: { ...request, argsIncludes: CONTACTS },
      },
    ],
  },
  {
    kind: 'java',
    id: 'permissions.activity-compat-request',
    category: 'permission-request',
    className: 'androidx.core.app.ActivityCompat',
    method: 'requestPermissions',
    summary: 'permissions',
    lazy: true,
    note: NESTED_NOTE,
    samples: [
      {
        args: [instanceOf('com.example.app.MainActivity'), arr(CAMERA), 1],
        expect: { ...request, argsIncludes: CAMERA },
      },
    ],
  },
  {
    kind: 'java',
    id: 'permissions.result-launcher-launch',
    category: 'permission-request',
    className: 'androidx.activity.result.ActivityResultLauncher',
    method: 'launch',
    overloads: [['java.lang.Object']],
    summary: 'permissions',
    lazy: true,
    note: `Reported only when the input is a permission name or array (RequestPermission contracts); launch(I, options) is abstract. ${NESTED_NOTE}`,
    samples: [
      {
        overload: ['java.lang.Object'],
        args: ['android.permission.ACCESS_FINE_LOCATION'],
        expect: { ...request, argsIncludes: 'ACCESS_FINE_LOCATION' },
      },
      {
        overload: ['java.lang.Object'],
        args: [arr(CAMERA, 'android.permission.RECORD_AUDIO')],
        expect: { ...request, argsIncludes: 'RECORD_AUDIO' },
      },
      { overload: ['java.lang.Object'], args: [intent('android.media.action.IMAGE_CAPTURE')], expect: null },
    ],
  },
  {
    kind: 'java',
    id: 'permissions.activity-result',
    category: 'permission-request',
    className: 'android.app.Activity',
    method: 'onRequestPermissionsResult',
    summary: 'permission-result',
    minApi: 23,
    note: "Fires only when the app's override calls super; permissions.dispatch-result is the reliable one.",
    samples: [
      {
        overload: ['int', '[Ljava.lang.String;', '[I'],
        args: [7, arr(CAMERA, CONTACTS), arr(0, -1)],
        expect: { ...request, argsIncludes: `${CONTACTS}=denied` },
      },
    ],
  },
  {
    kind: 'java',
    id: 'permissions.dispatch-result',
    category: 'permission-request',
    className: 'android.app.Activity',
    method: 'dispatchRequestPermissionsResult',
    summary: 'permission-result-intent',
    hidden: true,
    minApi: 23,
    note: 'Private framework method that delivers every result to the activity; knowing what was refused tells a later request is a re-request.',
    samples: [
      {
        args: [
          7,
          obj('android.content.Intent', {
            getStringArrayExtra: arr(CAMERA),
            getIntArrayExtra: arr(-1),
          }),
        ],
        expect: { ...request, argsIncludes: `${CAMERA}=denied` },
      },
    ],
  },
  {
    kind: 'java',
    id: 'permissions.check-self',
    category: 'permission-check',
    className: 'android.app.ContextImpl',
    method: 'checkSelfPermission',
    summary: 'permissions',
    hidden: true,
    minApi: 23,
    note: 'Context.checkSelfPermission is abstract and ContextWrapper delegates here, so every context is covered once.',
    samples: [
      { args: [CAMERA], result: 0, expect: { ...check, argsIncludes: CAMERA, resultIncludes: 'granted' } },
      { args: [CONTACTS], result: -1, expect: { ...check, resultIncludes: 'denied' } },
    ],
  },
  {
    kind: 'java',
    id: 'permissions.context-compat-check',
    category: 'permission-check',
    className: 'androidx.core.content.ContextCompat',
    method: 'checkSelfPermission',
    summary: 'permissions',
    lazy: true,
    note: 'Calls Context.checkPermission, not checkSelfPermission, so it is not double-reported.',
    samples: [{ args: [context(), CAMERA], result: -1, expect: { ...check, resultIncludes: 'denied' } }],
  },
];
