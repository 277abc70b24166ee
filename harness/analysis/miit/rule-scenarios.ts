// Which checklist scenarios each rule decides (its legal basis), what evidence it gives, and
// what the report gives a person for the 13 scenarios no rule can decide. A finding may narrow
// its rule's list (FindingDraft.scenarios); `scenariosOf` falls back to the rule's list.
import type { RuleId } from '../types.ts';
import { MIIT_SCENARIOS, type MiitScenarioId } from './scenarios.ts';

export interface RuleMapping {
  /** Scenarios a finding of this rule is a violation of (empty: supporting evidence only). */
  decides: readonly MiitScenarioId[];
  /** Person-only scenarios this rule's findings give evidence for. */
  supports: readonly MiitScenarioId[];
  /** What the finding shows, for the mapping table. */
  evidence: string;
}

export const RULE_SCENARIOS: Readonly<Record<RuleId, RuleMapping>> = {
  'access-before-consent': {
    decides: ['1.1.1', '1.1.2', '1.1.4', '1.1.5'],
    supports: [],
    evidence: 'API, time, phase before the consent tap, SDK and stack of each read',
  },
  'beyond-necessary': {
    decides: [],
    supports: ['1.2.1', '1.2.3'],
    evidence: 'categories read that the 2021 rules do not list as necessary for the app category',
  },
  'undeclared-collection': {
    decides: ['1.1.3', '1.1.6'],
    supports: ['1.2.3'],
    evidence: 'data read after consent that the privacy policy does not name (for that SDK)',
  },
  'background-access': {
    decides: ['1.2.5', '1.2.6', '1.2.7', '1.2.8'],
    supports: [],
    evidence: 'reads while the app was in the background (lifecycle spans), API, SDK, stack',
  },
  'excessive-rate': {
    decides: ['1.2.2', '1.2.4'],
    supports: [],
    evidence: 'the first sliding window over the rate limit, with its events',
  },
  'permission-bypass': {
    decides: [],
    supports: ['1.2.1'],
    evidence: 'data obtained without holding the permission that guards it (side channels)',
  },
  'unused-dangerous-permission': {
    decides: [],
    supports: ['2.1.2', '2.1.8'],
    evidence: 'a declared dangerous permission no hooked API of the run exercised',
  },
  'popup-harassment': {
    decides: [],
    supports: [],
    evidence: 'pop-ups of one kind over the limit per window (harassment outside the 42 scenarios)',
  },
  'permission-rerequest': {
    decides: ['2.1.5'],
    supports: ['2.1.4'],
    evidence: 'the refusal, then each new request of the same permission',
  },
  'install-inducement': {
    decides: [],
    supports: ['3.1.5', '3.1.6', '3.1.7'],
    evidence: 'APK downloads and install prompts, with the URL and SDK',
  },
  'coverage-gap': {
    decides: [],
    supports: [],
    evidence: 'AppOps operations no hook saw (a blind spot of the trace, not of the app)',
  },
  'consent-dialog': {
    decides: ['1.1.7', '1.1.8'],
    supports: [],
    evidence: "the consent dialog's texts, buttons and checkbox states when the consent step tapped",
  },
  'refusal-exit': {
    decides: ['2.1.1'],
    supports: ['2.1.3', '2.1.4'],
    evidence: 'the refusal at first start, then the app ending or the request looping',
  },
  'rerequest-next-start': {
    decides: ['2.1.6'],
    supports: [],
    evidence: 'the refusal in one launch and the request of the same permission in a later launch',
  },
  'premature-permission': {
    decides: ['2.1.7'],
    supports: ['2.1.2', '2.1.8'],
    evidence: 'a permission granted at first open with no use of what it guards within the window',
  },
  'associated-start': {
    decides: ['2.2.1', '2.2.2', '2.2.3'],
    supports: [],
    evidence:
      "starts, binds and broadcasts to other packages' components, alarms and jobs, per phase and rate",
  },
  'deceptive-download': {
    decides: ['3.1.1', '3.1.2', '3.1.3', '3.1.4'],
    supports: ['3.1.5', '3.1.6', '3.1.7'],
    evidence: 'the tapped element and the texts on screen before an APK download or install prompt',
  },
  'periodic-collection': {
    decides: ['1.2.2', '1.2.4', '1.2.6', '1.2.8'],
    supports: [],
    evidence: 'a regular period between reads of one category by one SDK, and the reads',
  },
  'undisclosed-personalisation': {
    decides: ['1.4.1'],
    supports: ['1.4.4'],
    evidence: 'the personalisation switch check-setting found, against the purposes the policy declares',
  },
  'reward-for-identity': {
    decides: ['3.2.1'],
    supports: [],
    evidence: 'screen texts that offer a reward for an ID number, real-name or biometric data',
  },
  'transmission-before-consent': {
    decides: ['1.3.1'],
    supports: ['1.3.3'],
    evidence:
      'a personal value (hash-matched) in a send before consent: the read, the send, host, organisation, SDK',
  },
  'undisclosed-recipient': {
    decides: ['1.3.2'],
    supports: ['1.3.3'],
    evidence: 'a personal value sent to a known third-party host whose SDK the privacy policy does not name',
  },
  'finding-transmitted': {
    decides: [],
    supports: ['1.3.3'],
    evidence:
      'an earlier finding whose value also left the device (the read and the send), raised one severity',
  },
  'failed-expectation': {
    decides: [],
    supports: [],
    evidence:
      "the scenario's own expect assertion and the events that break it (the analyst's check, not the notice's)",
  },
  'missing-privacy-switch': {
    decides: [],
    supports: ['1.4.4'],
    evidence: 'check-setting found no switch to turn personalisation off where the scenario expects one',
  },
};

/** Rule families mapped by name (none at present: every rule has its own entry above). */
export const FAMILY_SCENARIOS: Readonly<Record<string, RuleMapping>> = {};

/** What the report gives a person for each person-only scenario. */
export const PERSON_EVIDENCE: Readonly<Partial<Record<MiitScenarioId, string>>> = {
  '1.2.1':
    'every category read, per SDK, against the necessary-information list (beyond-necessary, declared vs used)',
  '1.2.3': "each SDK's reads against what the policy declares for it (undeclared-collection, SDK table)",
  '1.3.3':
    "sends to the app's own hosts with the personal values they carried (What left the device, transmission findings)",
  '1.4.2': 'the SDKs active in the run and the data each read (SDK table)',
  '1.4.3': 'screenshots and screen texts of the run (steps, UI texts)',
  '1.4.4': 'whether check-setting found a personalisation switch (steps)',
  '2.1.2': 'permissions requested and what each guards, with the screen at the request (steps, timeline)',
  '2.1.3': 'refusals and the step outcomes after them (steps)',
  '2.1.4': 'refusals, re-requests and app exits (permission-rerequest, refusal-exit)',
  '2.1.8':
    'declared dangerous permissions never exercised (unused-dangerous-permission, premature-permission)',
  '3.1.5': 'APK downloads per launch (install-inducement)',
  '3.1.6': 'the texts and taps before each download (deceptive-download)',
  '3.1.7': 'the download URL and the advertised texts (install-inducement, deceptive-download)',
};

/** A finding's scenario ids: its own when the rule narrowed them, else the rule's list. */
export function scenariosOf(rule: string, own?: readonly string[] | null): string[] {
  if (own && own.length > 0) return [...own];
  const m = (RULE_SCENARIOS as Record<string, RuleMapping | undefined>)[rule];
  return m ? [...m.decides] : [];
}

/** Rules (and families) that decide a scenario. */
export function rulesDeciding(id: MiitScenarioId): string[] {
  const all: [string, RuleMapping][] = [
    ...Object.entries(RULE_SCENARIOS),
    ...Object.entries(FAMILY_SCENARIOS),
  ];
  return all.filter(([, m]) => m.decides.includes(id)).map(([r]) => r);
}

/** Rules (and families) that give evidence for a scenario without deciding it. */
export function rulesSupporting(id: MiitScenarioId): string[] {
  const all: [string, RuleMapping][] = [
    ...Object.entries(RULE_SCENARIOS),
    ...Object.entries(FAMILY_SCENARIOS),
  ];
  return all.filter(([, m]) => m.supports.includes(id)).map(([r]) => r);
}

/** Automatable scenarios (not person-only) that no rule decides: should stay empty. */
export function undecidedScenarios(): MiitScenarioId[] {
  return MIIT_SCENARIOS.filter((s) => !s.person && rulesDeciding(s.id).length === 0).map((s) => s.id);
}
