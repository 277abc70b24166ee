// Personal values an app may show in its UI texts. No imports: the harness's page-source parser
// (harness/run/ui-snapshot.ts) and the agent's popup summarisers share this one rule.

/**
 * Runs of 7+ digits (phone, ID-card, IMEI; spaces and dashes inside allowed) and e-mail
 * addresses become `[redacted]`.
 */
export function redactPersonal(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[redacted]')
    .replace(/(?:\+?\d[ -]?){6,}\d[\dXx]?/g, '[redacted]');
}
