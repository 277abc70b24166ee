// Self-start and associated start (MIIT 2.2.x): the app starting, binding or broadcasting to
// another package's components, and alarms that wake it. Category background-activity (the
// app starting things); the summariser drops calls aimed at the app's own package.
// Every Context.startService/bindService/sendBroadcast of an Activity, Service or Application
// goes through ContextWrapper to its base ContextImpl (AOSP frameworks/base
// core/java/android/content/ContextWrapper.java: `return mBase.startService(service)`), so
// ContextImpl is the one place that sees them all.
import { obj } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const CI = 'android.app.ContextImpl';
const AM = 'android.app.AlarmManager';
const PI = 'android.app.PendingIntent';
const bg = 'background-activity' as const;

/** An explicit intent for `pkg`/`cls` (or only setPackage when cls is null). */
const to = (pkg: string, cls: string | null, action: string | null = null) =>
  obj('android.content.Intent', {
    getAction: action,
    getPackage: cls ? null : pkg,
    getComponent: cls
      ? obj('android.content.ComponentName', { getPackageName: pkg, getClassName: cls })
      : null,
  });

const alarm = (method: string, params: string[], note?: string): JavaHookEntry => ({
  kind: 'java',
  id: `auto-start.alarm-${method.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
  category: bg,
  className: AM,
  method,
  overloads: [params],
  summary: 'alarm',
  ...(note ? { note } : {}),
  samples: [
    {
      overload: params,
      args: params.map((p, i) => (p === PI ? obj(PI) : i === 0 ? 0 : 60_000)),
      expect: { category: bg, argsIncludes: 'alarm RTC_WAKEUP' },
    },
  ],
});

export const AUTO_START_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'auto-start.start-service',
    category: bg,
    className: CI,
    method: 'startService',
    summary: 'foreign-intent',
    hidden: true,
    note: 'Reported only when the intent names another package (component or setPackage): associated start.',
    samples: [
      {
        args: [to('com.other.app', 'com.other.app.push.WakeService')],
        expect: { category: bg, argsIncludes: 'package=com.other.app' },
      },
      { args: [to('com.example.app', 'com.example.app.SyncService')], expect: null },
    ],
  },
  {
    kind: 'java',
    id: 'auto-start.bind-service',
    category: bg,
    className: CI,
    method: 'bindService',
    overloads: [['android.content.Intent', 'android.content.ServiceConnection', 'int']],
    summary: 'foreign-intent',
    hidden: true,
    samples: [
      {
        overload: ['android.content.Intent', 'android.content.ServiceConnection', 'int'],
        args: [to('com.other.app', null, 'com.other.app.ALIVE'), obj('android.content.ServiceConnection'), 1],
        expect: { category: bg, argsIncludes: 'package=com.other.app' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'auto-start.send-broadcast',
    category: bg,
    className: CI,
    method: 'sendBroadcast',
    overloads: [['android.content.Intent']],
    summary: 'foreign-intent',
    hidden: true,
    samples: [
      {
        overload: ['android.content.Intent'],
        args: [to('com.other.app', 'com.other.app.WakeReceiver')],
        expect: { category: bg, argsIncludes: 'package=com.other.app' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'auto-start.job-schedule',
    category: bg,
    className: 'android.app.JobSchedulerImpl',
    method: 'schedule',
    summary: 'job-info',
    hidden: true,
    note: 'JobScheduler is abstract; getSystemService(JOB_SCHEDULER_SERVICE) returns android.app.JobSchedulerImpl.',
    samples: [
      {
        args: [
          obj('android.app.job.JobInfo', { isPeriodic: true, getIntervalMillis: 900_000, isPersisted: true }),
        ],
        result: 1,
        expect: { category: bg, argsIncludes: 'job every 900 s persisted' },
      },
    ],
  },
  alarm('set', ['int', 'long', PI]),
  alarm('setRepeating', ['int', 'long', 'long', PI], 'A repeating alarm wakes the app at the interval.'),
  alarm('setInexactRepeating', ['int', 'long', 'long', PI]),
  alarm('setExact', ['int', 'long', PI]),
];
