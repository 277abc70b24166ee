// Hand-written facts the Android 10 (API 29) framework-res.apk cannot give us:
// 1. permissions added after API 29 (level as in the AOSP core/res/AndroidManifest.xml of the
//    API level named in `since`, as documented in the Manifest.permission reference);
// 2. the runtime permission groups users see. Android 10 declares every runtime permission with
//    permissionGroup UNDEFINED and lets PermissionController group them
//    (PermissionController Utils.PLATFORM_PERMISSIONS); this table mirrors that grouping.

export interface SupplementPermission {
  name: string;
  protectionLevel: string;
  /** API level that introduced the permission. */
  since: number;
}

const P = 'android.permission.';

export const SUPPLEMENT_PERMISSIONS: readonly SupplementPermission[] = [
  { name: `${P}QUERY_ALL_PACKAGES`, protectionLevel: 'normal', since: 30 },
  { name: `${P}MANAGE_EXTERNAL_STORAGE`, protectionLevel: 'signature|appop|preinstalled', since: 30 },
  { name: `${P}BLUETOOTH_SCAN`, protectionLevel: 'dangerous', since: 31 },
  { name: `${P}BLUETOOTH_CONNECT`, protectionLevel: 'dangerous', since: 31 },
  { name: `${P}BLUETOOTH_ADVERTISE`, protectionLevel: 'dangerous', since: 31 },
  { name: `${P}UWB_RANGING`, protectionLevel: 'dangerous', since: 31 },
  { name: `${P}HIGH_SAMPLING_RATE_SENSORS`, protectionLevel: 'normal', since: 31 },
  { name: `${P}SCHEDULE_EXACT_ALARM`, protectionLevel: 'normal|appop', since: 31 },
  { name: `${P}NEARBY_WIFI_DEVICES`, protectionLevel: 'dangerous', since: 33 },
  { name: `${P}POST_NOTIFICATIONS`, protectionLevel: 'dangerous', since: 33 },
  { name: `${P}READ_MEDIA_IMAGES`, protectionLevel: 'dangerous', since: 33 },
  { name: `${P}READ_MEDIA_VIDEO`, protectionLevel: 'dangerous', since: 33 },
  { name: `${P}READ_MEDIA_AUDIO`, protectionLevel: 'dangerous', since: 33 },
  { name: `${P}BODY_SENSORS_BACKGROUND`, protectionLevel: 'dangerous', since: 33 },
  { name: `${P}USE_EXACT_ALARM`, protectionLevel: 'normal', since: 33 },
  { name: `${P}READ_BASIC_PHONE_STATE`, protectionLevel: 'normal', since: 33 },
  { name: `${P}READ_MEDIA_VISUAL_USER_SELECTED`, protectionLevel: 'dangerous', since: 34 },
  { name: `${P}FOREGROUND_SERVICE_LOCATION`, protectionLevel: 'normal', since: 34 },
  { name: `${P}FOREGROUND_SERVICE_CAMERA`, protectionLevel: 'normal', since: 34 },
  { name: `${P}FOREGROUND_SERVICE_MICROPHONE`, protectionLevel: 'normal', since: 34 },
  { name: `${P}FOREGROUND_SERVICE_MEDIA_PROJECTION`, protectionLevel: 'normal', since: 34 },
  { name: `${P}FOREGROUND_SERVICE_DATA_SYNC`, protectionLevel: 'normal', since: 34 },
  { name: `${P}FOREGROUND_SERVICE_HEALTH`, protectionLevel: 'normal', since: 34 },
  { name: `${P}FOREGROUND_SERVICE_SPECIAL_USE`, protectionLevel: 'normal', since: 34 },
];

/** API level at which permissions present in the API 29 source were introduced (for reports). */
export const INTRODUCED_AT: Readonly<Record<string, number>> = {
  [`${P}READ_PHONE_NUMBERS`]: 26,
  [`${P}ANSWER_PHONE_CALLS`]: 26,
  [`${P}REQUEST_INSTALL_PACKAGES`]: 23,
  [`${P}SYSTEM_ALERT_WINDOW`]: 1,
  [`${P}ACCESS_BACKGROUND_LOCATION`]: 29,
  [`${P}ACTIVITY_RECOGNITION`]: 29,
  [`${P}ACCESS_MEDIA_LOCATION`]: 29,
  [`${P}ACCEPT_HANDOVER`]: 28,
  [`${P}FOREGROUND_SERVICE`]: 28,
  [`${P}USE_FULL_SCREEN_INTENT`]: 29,
  [`${P}READ_PRIVILEGED_PHONE_STATE`]: 29,
};

const GROUP = 'android.permission-group.';

/** Runtime (dangerous) permission → the group shown in the permission dialog. */
export const RUNTIME_GROUPS: Readonly<Record<string, string>> = {
  [`${P}READ_CONTACTS`]: `${GROUP}CONTACTS`,
  [`${P}WRITE_CONTACTS`]: `${GROUP}CONTACTS`,
  [`${P}GET_ACCOUNTS`]: `${GROUP}CONTACTS`,
  [`${P}READ_CALENDAR`]: `${GROUP}CALENDAR`,
  [`${P}WRITE_CALENDAR`]: `${GROUP}CALENDAR`,
  [`${P}SEND_SMS`]: `${GROUP}SMS`,
  [`${P}RECEIVE_SMS`]: `${GROUP}SMS`,
  [`${P}READ_SMS`]: `${GROUP}SMS`,
  [`${P}RECEIVE_WAP_PUSH`]: `${GROUP}SMS`,
  [`${P}RECEIVE_MMS`]: `${GROUP}SMS`,
  [`${P}READ_CELL_BROADCASTS`]: `${GROUP}SMS`,
  [`${P}READ_EXTERNAL_STORAGE`]: `${GROUP}STORAGE`,
  [`${P}WRITE_EXTERNAL_STORAGE`]: `${GROUP}STORAGE`,
  [`${P}ACCESS_MEDIA_LOCATION`]: `${GROUP}STORAGE`,
  [`${P}ACCESS_FINE_LOCATION`]: `${GROUP}LOCATION`,
  [`${P}ACCESS_COARSE_LOCATION`]: `${GROUP}LOCATION`,
  [`${P}ACCESS_BACKGROUND_LOCATION`]: `${GROUP}LOCATION`,
  [`${P}READ_CALL_LOG`]: `${GROUP}CALL_LOG`,
  [`${P}WRITE_CALL_LOG`]: `${GROUP}CALL_LOG`,
  [`${P}PROCESS_OUTGOING_CALLS`]: `${GROUP}CALL_LOG`,
  [`${P}READ_PHONE_STATE`]: `${GROUP}PHONE`,
  [`${P}READ_PHONE_NUMBERS`]: `${GROUP}PHONE`,
  [`${P}CALL_PHONE`]: `${GROUP}PHONE`,
  ['com.android.voicemail.permission.ADD_VOICEMAIL']: `${GROUP}PHONE`,
  [`${P}USE_SIP`]: `${GROUP}PHONE`,
  [`${P}ANSWER_PHONE_CALLS`]: `${GROUP}PHONE`,
  [`${P}ACCEPT_HANDOVER`]: `${GROUP}PHONE`,
  [`${P}RECORD_AUDIO`]: `${GROUP}MICROPHONE`,
  [`${P}CAMERA`]: `${GROUP}CAMERA`,
  [`${P}BODY_SENSORS`]: `${GROUP}SENSORS`,
  [`${P}BODY_SENSORS_BACKGROUND`]: `${GROUP}SENSORS`,
  [`${P}ACTIVITY_RECOGNITION`]: `${GROUP}ACTIVITY_RECOGNITION`,
  [`${P}BLUETOOTH_SCAN`]: `${GROUP}NEARBY_DEVICES`,
  [`${P}BLUETOOTH_CONNECT`]: `${GROUP}NEARBY_DEVICES`,
  [`${P}BLUETOOTH_ADVERTISE`]: `${GROUP}NEARBY_DEVICES`,
  [`${P}UWB_RANGING`]: `${GROUP}NEARBY_DEVICES`,
  [`${P}NEARBY_WIFI_DEVICES`]: `${GROUP}NEARBY_DEVICES`,
  [`${P}POST_NOTIFICATIONS`]: `${GROUP}NOTIFICATIONS`,
  [`${P}READ_MEDIA_IMAGES`]: `${GROUP}READ_MEDIA_VISUAL`,
  [`${P}READ_MEDIA_VIDEO`]: `${GROUP}READ_MEDIA_VISUAL`,
  [`${P}READ_MEDIA_VISUAL_USER_SELECTED`]: `${GROUP}READ_MEDIA_VISUAL`,
  [`${P}READ_MEDIA_AUDIO`]: `${GROUP}READ_MEDIA_AURAL`,
};
