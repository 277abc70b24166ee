// Policy packs: which data categories an app of a given category legitimately needs.
import { DATA_CATEGORIES, type DataCategory } from '../../../agent/protocol/messages.ts';

/**
 * Protocol categories that are behaviours, not personal data: they are judged by timing rules
 * (before consent, re-asking after refusal, pop-up frequency), never by necessity.
 */
export const BEHAVIOUR_CATEGORIES = [
  'permission-request',
  'permission-check',
  'dialog',
  'toast',
  'overlay',
  'notification',
  'background-activity',
  'install-prompt',
  'lifecycle',
  // Traffic is judged by what it carried (transmissions), not as data collected.
  'network-send',
  'name-lookup',
] as const satisfies readonly DataCategory[];

export const PERSONAL_DATA_CATEGORIES: readonly DataCategory[] = DATA_CATEGORIES.filter(
  (c) => !(BEHAVIOUR_CATEGORIES as readonly string[]).includes(c),
);

export interface CategoryRule {
  /** Data the law (or pack) treats as necessary for the basic function. */
  necessary: DataCategory[];
  /** Necessary only for some kinds of app in the category (e.g. location for bike sharing). */
  conditional?: DataCategory[];
  /**
   * Device capabilities the basic function itself uses (camera for a camera app) that the
   * rules do not count as collected personal information.
   */
  functional?: DataCategory[];
  /** Necessary information the user types in (identity, bank card …): not device-sourced. */
  userSupplied?: string[];
  /** Regulation item number, title, remarks. */
  item?: number;
  title?: string;
  note?: string;
}

export interface PolicyPack {
  id: string;
  name: string;
  source?: string;
  /** Rules per app category key; `default` applies to categories not listed (and `custom`). */
  categories: Record<string, CategoryRule>;
  /** Purpose → data it justifies when the app's privacy policy declares it for that purpose. */
  purposes?: Record<string, DataCategory[]>;
}
