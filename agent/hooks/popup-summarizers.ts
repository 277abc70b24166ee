// Summarisers for what the app shows: the texts of its notifications, toasts and dialogs
// (titles, messages, button labels) so that a pop-up finding or a download lured by a
// notification carries the words the user read. App strings, but an app can show a phone
// number or an e-mail address too: those are redacted here, on the device, as the UI snapshots
// do (harness/run/ui-snapshot.ts). Merged into the table in ./summarizers.ts.

import { call, call1, cap, field, str } from './java-values.ts';
import { redactPersonal } from './redact.ts';
import type { Summarizer } from './summarizers.ts';

/** One text's share of an event's summary. */
const MAX_TEXT = 60;

/** A shown text (CharSequence or String) as `name="…"`, redacted and bounded; null when absent. */
export function shownText(name: string, value: unknown): string | null {
  const s = str(value)?.replace(/\s+/g, ' ').trim();
  if (!s) return null;
  const clean = redactPersonal(s);
  const short = clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT - 1)}…` : clean;
  return `${name}=${JSON.stringify(short)}`;
}

function join(parts: (string | null)[]): string {
  return cap(parts.filter((p): p is string => p !== null).join(' '));
}

// Notification.Builder.build() copies setContentTitle/setContentText/BigTextStyle into the
// Notification's `extras` Bundle under these keys (Notification.EXTRA_TITLE, EXTRA_TEXT,
// EXTRA_BIG_TEXT); setTicker sets the public field `tickerText`. Reading them at notify() time
// sees every builder call, and the texts of notifications built without the Builder too.
const EXTRA_TITLE = 'android.title';
const EXTRA_TEXT = 'android.text';
const EXTRA_BIG_TEXT = 'android.bigText';

/**
 * A dialog's texts. AlertDialog (android.app and androidx.appcompat.app) keeps what
 * AlertDialog.Builder set in its AlertController `mAlert`: mTitle, mMessage and the three button
 * labels (AlertController.setButton). Other dialogs show their class name only.
 */
function dialogTexts(self: unknown): (string | null)[] {
  const alert = field(self, 'mAlert');
  if (alert === null || alert === undefined) return [];
  return [
    shownText('title', field(alert, 'mTitle')),
    shownText('message', field(alert, 'mMessage')),
    shownText('positive', field(alert, 'mButtonPositiveText')),
    shownText('negative', field(alert, 'mButtonNegativeText')),
    shownText('neutral', field(alert, 'mButtonNeutralText')),
  ];
}

export const POPUP_SUMMARIZERS = {
  notification: ({ args }) => {
    const notification = args.length >= 3 ? args[2] : args[1];
    const tag = args.length >= 3 ? args[0] : undefined;
    const id = args.length >= 3 ? args[1] : args[0];
    const parts: (string | null)[] = [`id=${String(id)}`];
    if (typeof tag === 'string') parts.push(`tag=${tag.slice(0, MAX_TEXT)}`);
    const channel = str(call(notification, 'getChannelId'));
    if (channel) parts.push(`channel=${channel.slice(0, MAX_TEXT)}`);
    const fullScreen = field(notification, 'fullScreenIntent');
    if (fullScreen !== null && fullScreen !== undefined) parts.push('full-screen-intent');
    const extras = field(notification, 'extras');
    const text =
      call1(extras, 'getCharSequence', EXTRA_TEXT) ?? call1(extras, 'getCharSequence', EXTRA_BIG_TEXT);
    parts.push(
      shownText('title', call1(extras, 'getCharSequence', EXTRA_TITLE)),
      shownText('text', text),
      shownText('ticker', field(notification, 'tickerText')),
    );
    return { args: join(parts) };
  },
  /**
   * Toast.show: the text given to makeText / setText. Since API 30 a text toast keeps it in
   * `mText`; older or custom-view toasts keep a View (`mNextView`) whose text is not read here.
   */
  'toast-text': ({ self }) => {
    const text = shownText('text', field(self, 'mText'));
    return text ? { args: text } : {};
  },
  /** Dialog.show: the dialog's class, then its title, message and button labels when it is an AlertDialog. */
  'dialog-text': ({ self }) => {
    const own = (self as { $className?: unknown } | null)?.$className;
    const name = typeof own === 'string' ? own : str(call(call(self, 'getClass'), 'getName'));
    const parts = [name ?? null, ...dialogTexts(self)];
    return parts.some((p) => p !== null) ? { args: join(parts) } : {};
  },
} satisfies Record<string, Summarizer>;
