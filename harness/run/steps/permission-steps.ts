// Permission steps: grant / revoke (pm grant / pm revoke), answering the system permission
// dialog, and the mock location.
import { centreOf, parsePageSource } from '../../device/page-source.ts';
import type { UiElement } from '../../device/types.ts';
import type { ExecutorTable, StepContext } from './context.ts';
import { StepFailure } from './context.ts';

/**
 * Resource-id suffixes of the dialog's buttons, preferred first (permissioncontroller /
 * packageinstaller). Android 14 photo/video requests offer permission_allow_all_button ("Allow
 * all") and permission_allow_selected_button ("Select photos and videos", partial access: the
 * requested permission stays denied, so neither allow nor deny picks it).
 */
const ALLOW_IDS = [
  'permission_allow_foreground_only_button',
  'permission_allow_button',
  'permission_allow_all_button',
  'permission_allow_one_time_button',
];
const DENY_IDS = ['permission_deny_button', 'permission_deny_and_dont_ask_again_button'];
const DIALOG_PACKAGES = [
  'com.android.permissioncontroller',
  'com.google.android.permissioncontroller',
  'com.android.packageinstaller',
];

/** Words of the platform's dialog message per permission (what "Allow X to …?" says). */
const MESSAGE_WORDS: Readonly<Record<string, RegExp>> = {
  LOCATION: /location|位置/i,
  READ_PHONE_STATE: /phone|电话/i,
  CALL_PHONE: /phone|电话/i,
  READ_PHONE_NUMBERS: /phone|电话/i,
  CONTACTS: /contacts|通讯录|联系人/i,
  CAMERA: /pictures|camera|相机|拍摄/i,
  RECORD_AUDIO: /audio|录音|麦克风/i,
  CALL_LOG: /call log|通话记录/i,
  SMS: /SMS|短信/i,
  CALENDAR: /calendar|日历/i,
  NOTIFICATIONS: /notifications|通知/i,
  STORAGE: /photos|media|files|照片|存储/i,
  MEDIA: /photos|media|照片|媒体/i,
};

export function messageMatches(permission: string, message: string): boolean {
  const short = permission.replace(/^android\.permission\./, '');
  for (const [key, re] of Object.entries(MESSAGE_WORDS)) if (short.includes(key)) return re.test(message);
  return message.includes(short);
}

/** The dialog's button (first of `ids`) and message, from one page source. */
async function readDialog(
  ctx: StepContext,
  ids: string[],
): Promise<{ button: UiElement | null; message: string }> {
  const nodes = parsePageSource(await (await ctx.ui()).pageSource()).map((n) => n.element);
  const byId = (suffix: string) =>
    DIALOG_PACKAGES.map((pkg) => nodes.find((e) => e.resourceId === `${pkg}:id/${suffix}`)).find(Boolean);
  let button: UiElement | null = null;
  for (const suffix of ids) {
    button = byId(suffix) ?? null;
    if (button) break;
  }
  return { button, message: byId('permission_message')?.text ?? '' };
}

export const permissionExecutors: Pick<
  ExecutorTable,
  'grant' | 'revoke' | 'permission-dialog' | 'set-location'
> = {
  grant: async (step, ctx) => {
    await ctx.device.grant(ctx.pkg, step.permission);
    return undefined;
  },
  revoke: async (step, ctx) => {
    // Android kills the app when a granted runtime permission is revoked: not a crash.
    await ctx.expectExit(() => ctx.device.revoke(ctx.pkg, step.permission));
    return undefined;
  },
  'permission-dialog': async (step, ctx) => {
    const ids = step.action === 'allow' ? ALLOW_IDS : DENY_IDS;
    const end = ctx.clock.now() + step.timeoutMs;
    let other = '';
    for (;;) {
      const { button, message } = await readDialog(ctx, ids);
      if (button) {
        if (step.permission === undefined || messageMatches(step.permission, message)) {
          await (await ctx.ui()).tap(centreOf(button));
          return `${button.text || button.resourceId}${message ? ` (${message})` : ''}`;
        }
        other = message;
      }
      if (ctx.clock.now() >= end || ctx.signal?.aborted) break;
      await ctx.sleep(250);
    }
    const want = step.permission ? ` for ${step.permission}` : '';
    throw new StepFailure(
      other
        ? `no permission dialog${want} within ${step.timeoutMs / 1000}s (saw: ${other})`
        : `no permission dialog${want} within ${step.timeoutMs / 1000}s`,
    );
  },
  'set-location': async (step, ctx) => {
    await ctx.device.setLocation(step.lat, step.lon);
    return undefined;
  },
};
