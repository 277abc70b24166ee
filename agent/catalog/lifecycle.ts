// Lifecycle signals the analysis needs as context (app start, foreground/background, activity).
import { context, instanceOf } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const lifecycle = (name: string) => ({ category: 'lifecycle', argsIncludes: name }) as const;

export const LIFECYCLE_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'lifecycle.application-attach',
    category: 'lifecycle',
    className: 'android.app.Application',
    method: 'attach',
    summary: 'self-class',
    hidden: true,
    note: 'The hidden Application.attach(Context) calls attachBaseContext; hooking attachBaseContext itself (declared by ContextWrapper) would fire for every Activity and Service.',
    samples: [
      {
        self: instanceOf('com.example.app.App'),
        args: [context()],
        expect: lifecycle('com.example.app.App'),
      },
    ],
  },
  {
    kind: 'java',
    id: 'lifecycle.application-on-create',
    category: 'lifecycle',
    className: 'android.app.Application',
    method: 'onCreate',
    summary: 'self-class',
    note: 'Apps override onCreate but must call super, which is this hook.',
    samples: [{ self: instanceOf('com.example.app.App'), expect: lifecycle('com.example.app.App') }],
  },
  {
    kind: 'java',
    id: 'lifecycle.activity-on-resume',
    category: 'lifecycle',
    className: 'android.app.Activity',
    method: 'onResume',
    summary: 'self-class',
    note: 'Foreground signal: the framework enforces the super call.',
    samples: [{ self: instanceOf('com.example.app.MainActivity'), expect: lifecycle('MainActivity') }],
  },
  {
    kind: 'java',
    id: 'lifecycle.activity-on-pause',
    category: 'lifecycle',
    className: 'android.app.Activity',
    method: 'onPause',
    summary: 'self-class',
    note: 'Background signal: the framework enforces the super call.',
    samples: [{ self: instanceOf('com.example.app.MainActivity'), expect: lifecycle('MainActivity') }],
  },
];
