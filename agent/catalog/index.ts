// The hook catalog: every API the agent watches, as data. One installer (agent/hooks/installer.ts)
// reads it; `overreach hooks` lists it; test/catalog-api.test.ts validates it against the
// Android API declarations. docs/hooks.md explains the format and how to add an entry.
import { AUTO_START_ENTRIES } from './auto-start.ts';
import { DEVICE_ID_ENTRIES } from './device-id.ts';
import { INSTALLED_APPS_ENTRIES } from './installed-apps.ts';
import { LAZY_SDK_ENTRIES } from './lazy-sdks.ts';
import { LIFECYCLE_ENTRIES } from './lifecycle.ts';
import { LOCATION_ENTRIES } from './location.ts';
import { NATIVE_ENTRIES } from './native.ts';
import { PERMISSION_ENTRIES } from './permissions.ts';
import { PERSONAL_CONTENT_ENTRIES } from './personal-content.ts';
import { POPUP_ENTRIES } from './popups.ts';
import { SENSORS_MEDIA_ENTRIES } from './sensors-media.ts';
import type { CatalogEntry } from './types.ts';

export const CATALOG: readonly CatalogEntry[] = [
  ...LIFECYCLE_ENTRIES,
  ...DEVICE_ID_ENTRIES,
  ...LOCATION_ENTRIES,
  ...PERSONAL_CONTENT_ENTRIES,
  ...INSTALLED_APPS_ENTRIES,
  ...SENSORS_MEDIA_ENTRIES,
  ...PERMISSION_ENTRIES,
  ...POPUP_ENTRIES,
  ...AUTO_START_ENTRIES,
  ...LAZY_SDK_ENTRIES,
  ...NATIVE_ENTRIES,
];

/** Entries by id (ids are unique; the catalog test enforces it). */
export const CATALOG_BY_ID: ReadonlyMap<string, CatalogEntry> = new Map(CATALOG.map((e) => [e.id, e]));
