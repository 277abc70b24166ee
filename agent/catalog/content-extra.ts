// Personal content beyond queries: observers on personal content URIs (watching the call log,
// SMS or photos change), opening media streams, clipboard change listeners, screen capture,
// accessibility-service reads of other apps' windows, and CameraX still captures.
import { obj, uri } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const CR = 'android.content.ContentResolver';
const P = 'android.permission.';
const BY_CATEGORY = {
  contacts: `${P}READ_CONTACTS`,
  'call-log': `${P}READ_CALL_LOG`,
  sms: `${P}READ_SMS`,
  calendar: `${P}READ_CALENDAR`,
  media: `${P}READ_MEDIA_IMAGES`,
} as const;
const A11Y = 'android.accessibilityservice.AccessibilityService';

export const CONTENT_EXTRA_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'content.register-content-observer',
    category: 'contacts',
    className: CR,
    method: 'registerContentObserver',
    overloads: [['android.net.Uri', 'boolean', 'android.database.ContentObserver']],
    permissionByCategory: BY_CATEGORY,
    summary: 'content-uri',
    note: 'Only personal authorities are reported; the category follows the URI.',
    samples: [
      {
        overload: ['android.net.Uri', 'boolean', 'android.database.ContentObserver'],
        args: [uri('content://call_log/calls'), true, obj('android.database.ContentObserver')],
        expect: { category: 'call-log', argsIncludes: 'call_log' },
      },
      {
        overload: ['android.net.Uri', 'boolean', 'android.database.ContentObserver'],
        args: [uri('content://media/external/images/media'), true, obj('android.database.ContentObserver')],
        expect: { category: 'media' },
      },
      {
        overload: ['android.net.Uri', 'boolean', 'android.database.ContentObserver'],
        args: [uri('content://settings/system'), false, obj('android.database.ContentObserver')],
        expect: null,
      },
    ],
  },
  {
    kind: 'java',
    id: 'content.open-input-stream',
    category: 'media',
    className: CR,
    method: 'openInputStream',
    permissionByCategory: BY_CATEGORY,
    summary: 'content-uri',
    samples: [
      {
        args: [uri('content://media/external/images/media/42')],
        result: obj('java.io.InputStream'),
        expect: { category: 'media', argsIncludes: 'media/42' },
      },
      {
        args: [uri('content://com.example.app.files/doc.pdf')],
        result: obj('java.io.InputStream'),
        expect: null,
      },
    ],
  },
  {
    kind: 'java',
    id: 'clipboard.add-primary-clip-changed-listener',
    category: 'clipboard',
    className: 'android.content.ClipboardManager',
    method: 'addPrimaryClipChangedListener',
    summary: 'none',
    note: 'Watching the clipboard: each change can then be read (clipboard.get-primary-clip).',
    samples: [
      {
        args: [obj('android.content.ClipboardManager$OnPrimaryClipChangedListener')],
        expect: { category: 'clipboard' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'media-projection.create-virtual-display',
    category: 'screen-capture',
    className: 'android.media.projection.MediaProjection',
    method: 'createVirtualDisplay',
    summary: 'text',
    note: 'The screen is being mirrored into a surface the app owns (recording or screenshots).',
    samples: [
      {
        args: ['capture', 1080, 2400, 440, 16, obj('android.view.Surface'), null, null],
        result: obj('android.hardware.display.VirtualDisplay'),
        expect: { category: 'screen-capture', argsIncludes: 'capture' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'media-projection.create-screen-capture-intent',
    category: 'screen-capture',
    className: 'android.media.projection.MediaProjectionManager',
    method: 'createScreenCaptureIntent',
    summary: 'none',
    note: 'No permission: the intent opens the system consent dialog for screen capture.',
    samples: [
      { overload: [], result: obj('android.content.Intent'), expect: { category: 'screen-capture' } },
    ],
  },
  {
    kind: 'java',
    id: 'accessibility.get-root-in-active-window',
    category: 'screen-capture',
    className: A11Y,
    method: 'getRootInActiveWindow',
    permission: `${P}BIND_ACCESSIBILITY_SERVICE`,
    summary: 'self-class',
    note: "The app's accessibility service reads the window content of whatever app is in front.",
    samples: [
      {
        overload: [],
        self: obj('com.example.app.A11yService', {
          getClass: obj('java.lang.Class', { getName: 'com.example.app.A11yService' }),
        }),
        result: obj('android.view.accessibility.AccessibilityNodeInfo'),
        expect: { category: 'screen-capture', argsIncludes: 'A11yService' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'accessibility.get-windows',
    category: 'screen-capture',
    className: A11Y,
    method: 'getWindows',
    permission: `${P}BIND_ACCESSIBILITY_SERVICE`,
    summary: 'list-size',
    samples: [{ result: { $list: [] }, expect: { category: 'screen-capture', resultIncludes: 'size=0' } }],
  },
  {
    kind: 'java',
    id: 'accessibility.get-enabled-service-list',
    category: 'installed-apps',
    className: 'android.view.accessibility.AccessibilityManager',
    method: 'getEnabledAccessibilityServiceList',
    summary: 'list-size',
    note: 'Which accessibility services are on: reveals installed assistive and automation apps.',
    samples: [
      { args: [-1], result: { $list: [] }, expect: { category: 'installed-apps', resultIncludes: 'size=0' } },
    ],
  },
  {
    kind: 'java',
    id: 'camerax.take-picture',
    category: 'camera',
    className: 'androidx.camera.core.ImageCapture',
    method: 'takePicture',
    permission: `${P}CAMERA`,
    summary: 'none',
    lazy: true,
    hidden: true,
    note: 'CameraX (bundled by the app): a still capture; camera2.open-camera reports the device being opened.',
    samples: [
      {
        overload: [
          'java.util.concurrent.Executor',
          'androidx.camera.core.ImageCapture$OnImageCapturedCallback',
        ],
        args: [
          obj('java.util.concurrent.Executor'),
          obj('androidx.camera.core.ImageCapture$OnImageCapturedCallback'),
        ],
        expect: { category: 'camera' },
      },
    ],
  },
];
