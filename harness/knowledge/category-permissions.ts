// Which Android permissions guard each data category of the wire protocol. A category with an
// empty list has no permission in front of it (clipboard, screen capture behind a consent
// dialog, toasts …): reading it needs no grant, which is itself a finding worth showing.
import type { DataCategory } from '../../agent/protocol/messages.ts';

const P = 'android.permission.';

export const CATEGORY_PERMISSIONS: Readonly<Record<DataCategory, readonly string[]>> = {
  'device-id': [`${P}READ_PHONE_STATE`, `${P}READ_PRIVILEGED_PHONE_STATE`],
  // TelephonyManager.getLine1Number accepts any of these (API 30 docs).
  'phone-number': [
    `${P}READ_PHONE_STATE`,
    `${P}READ_PHONE_NUMBERS`,
    `${P}READ_SMS`,
    `${P}READ_PRIVILEGED_PHONE_STATE`,
  ],
  location: [
    `${P}ACCESS_FINE_LOCATION`,
    `${P}ACCESS_COARSE_LOCATION`,
    `${P}ACCESS_BACKGROUND_LOCATION`,
    `${P}ACCESS_MEDIA_LOCATION`,
  ],
  contacts: [`${P}READ_CONTACTS`, `${P}WRITE_CONTACTS`],
  'call-log': [`${P}READ_CALL_LOG`, `${P}WRITE_CALL_LOG`, `${P}PROCESS_OUTGOING_CALLS`],
  sms: [`${P}READ_SMS`, `${P}RECEIVE_SMS`, `${P}SEND_SMS`, `${P}RECEIVE_MMS`, `${P}RECEIVE_WAP_PUSH`],
  calendar: [`${P}READ_CALENDAR`, `${P}WRITE_CALENDAR`],
  accounts: [`${P}GET_ACCOUNTS`, `${P}GET_ACCOUNTS_PRIVILEGED`],
  'installed-apps': [`${P}QUERY_ALL_PACKAGES`],
  'running-apps': [`${P}GET_TASKS`, `${P}REAL_GET_TASKS`, `${P}PACKAGE_USAGE_STATS`],
  clipboard: [],
  camera: [`${P}CAMERA`],
  microphone: [`${P}RECORD_AUDIO`],
  'screen-capture': [],
  sensors: [
    `${P}BODY_SENSORS`,
    `${P}BODY_SENSORS_BACKGROUND`,
    `${P}HIGH_SAMPLING_RATE_SENSORS`,
    `${P}ACTIVITY_RECOGNITION`,
  ],
  'network-id': [
    `${P}ACCESS_WIFI_STATE`,
    `${P}ACCESS_NETWORK_STATE`,
    `${P}BLUETOOTH`,
    `${P}BLUETOOTH_ADMIN`,
    `${P}BLUETOOTH_CONNECT`,
    `${P}BLUETOOTH_SCAN`,
    `${P}NEARBY_WIFI_DEVICES`,
    `${P}LOCAL_MAC_ADDRESS`,
  ],
  media: [
    `${P}READ_EXTERNAL_STORAGE`,
    `${P}WRITE_EXTERNAL_STORAGE`,
    `${P}READ_MEDIA_IMAGES`,
    `${P}READ_MEDIA_VIDEO`,
    `${P}READ_MEDIA_AUDIO`,
    `${P}READ_MEDIA_VISUAL_USER_SELECTED`,
    `${P}MANAGE_EXTERNAL_STORAGE`,
  ],
  // Still declared by the platform, though the Browser history provider left the SDK in API 23.
  'browser-history': ['com.android.browser.permission.READ_HISTORY_BOOKMARKS'],
  'permission-request': [],
  'permission-check': [],
  notification: [`${P}POST_NOTIFICATIONS`],
  dialog: [],
  toast: [],
  overlay: [`${P}SYSTEM_ALERT_WINDOW`],
  'background-activity': [
    `${P}FOREGROUND_SERVICE`,
    `${P}RECEIVE_BOOT_COMPLETED`,
    `${P}WAKE_LOCK`,
    `${P}REQUEST_IGNORE_BATTERY_OPTIMIZATIONS`,
  ],
  'install-prompt': [`${P}REQUEST_INSTALL_PACKAGES`],
  lifecycle: [],
  // INTERNET is a normal permission; traffic is judged by what it carried, not by permission.
  'network-send': [],
  'name-lookup': [],
};
