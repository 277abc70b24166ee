// Short descriptions of the analysis rules, for report headings, JUnit test cases and SARIF
// rule metadata. Rules unknown here (added later by the analysis) still render with their id.
export const RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'access-before-consent': 'Personal data accessed before the user agreed to the privacy policy',
  'beyond-necessary': 'Data collected beyond what the app category needs for its basic function',
  'undeclared-collection': 'Data collected that the privacy policy or manifest does not declare',
  'background-access': 'Personal data accessed while the app was in the background',
  'excessive-rate': 'Personal data read repeatedly at a sustained high rate',
  'permission-bypass': 'Protected data obtained without holding the permission that guards it',
  'unused-dangerous-permission': 'Dangerous permission declared but never used during the run',
  'popup-harassment': 'Frequent pop-ups, dialogs, toasts or notifications',
  'permission-rerequest': 'Permission requested again soon after the user refused it',
  'install-inducement': 'The app prompted the user to install other apps',
  'coverage-gap': 'Accesses seen by the OS (AppOps) that no hook observed',
  'failed-expectation': 'An expect assertion of the scenario failed',
  'missing-privacy-switch': 'No switch to turn off personalisation was found where the scenario expects one',
  'transmission-before-consent':
    'Personal data sent off the device before the user agreed to the privacy policy',
  'undisclosed-recipient': 'Personal data sent to a third party the privacy policy does not name',
  'finding-transmitted': 'A read that is already a finding, whose value was also sent off the device',
  'consent-dialog': 'Consent dialog without a refuse button, worded "OK / I know", or pre-ticked',
  'refusal-exit': 'The app exits or loops after a permission refusal at first start',
  'rerequest-next-start': 'A refused permission requested again on the next start',
  'premature-permission': 'A permission asked for at first open and not used by any function',
  'associated-start': "Self-start or starting other apps' components",
  'deceptive-download': 'A download started by a tap on misleading or non-download wording',
  'periodic-collection': 'Personal data read at a fixed period',
  'reward-for-identity': 'Rewards offered for ID numbers or biometrics',
  'undisclosed-personalisation': 'Personalisation the privacy policy does not mention',
};

/** Rules whose findings are the scenario's failed expectations (JUnit: one test case per expectation). */
export const EXPECTATION_RULE_IDS: readonly string[] = ['failed-expectation', 'missing-privacy-switch'];

export const KNOWN_RULES: readonly string[] = Object.keys(RULE_DESCRIPTIONS);

export function ruleDescription(rule: string): string {
  return RULE_DESCRIPTIONS[rule] ?? rule;
}
