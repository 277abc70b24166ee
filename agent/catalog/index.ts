// The hook catalog: every API the agent watches, as data. One installer (agent/hooks/installer.ts)
// reads it; `overreach hooks` lists it; test/catalog-api.test.ts validates it against the
// Android API declarations. docs/hooks.md explains the format and how to add an entry.
import { AD_ID_ENTRIES } from './ad-ids.ts';
import { AUTO_START_ENTRIES } from './auto-start.ts';
import { CONTENT_EXTRA_ENTRIES } from './content-extra.ts';
import { DEVICE_ID_ENTRIES } from './device-id.ts';
import { INSTALLED_APPS_ENTRIES } from './installed-apps.ts';
import { LAZY_SDK_ENTRIES } from './lazy-sdks.ts';
import { LIFECYCLE_ENTRIES } from './lifecycle.ts';
import { LOCATION_ENTRIES } from './location.ts';
import { LOCATION_OBJECT_ENTRIES } from './location-objects.ts';
import { NATIVE_ENTRIES } from './native.ts';
import { NETWORK_ENTRIES } from './network.ts';
import { PACKAGES_EXTRA_ENTRIES } from './packages-extra.ts';
import { PERMISSION_ENTRIES } from './permissions.ts';
import { PERSONAL_CONTENT_ENTRIES } from './personal-content.ts';
import { POPUP_ENTRIES } from './popups.ts';
import { SENSORS_MEDIA_ENTRIES } from './sensors-media.ts';
import { SIM_CELL_ENTRIES } from './sim-cell.ts';
import type { CatalogEntry } from './types.ts';
import { USAGE_PROCESS_ENTRIES } from './usage-processes.ts';
import { WEBVIEW_RADIO_ENTRIES } from './webview-radios.ts';

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
  // The wider families (issue 13).
  ...SIM_CELL_ENTRIES,
  ...LOCATION_OBJECT_ENTRIES,
  ...USAGE_PROCESS_ENTRIES,
  ...AD_ID_ENTRIES,
  ...PACKAGES_EXTRA_ENTRIES,
  ...WEBVIEW_RADIO_ENTRIES,
  ...CONTENT_EXTRA_ENTRIES,
  ...NETWORK_ENTRIES,
];

/** Entries by id (ids are unique; the catalog test enforces it). */
export const CATALOG_BY_ID: ReadonlyMap<string, CatalogEntry> = new Map(CATALOG.map((e) => [e.id, e]));
