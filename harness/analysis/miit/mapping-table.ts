// The scenario → rule → evidence table, generated from the mapping (one truth): printed by
// `overreach hooks --miit` and kept verbatim in docs/findings.md (test/miit-mapping.test.ts).
import {
  FAMILY_SCENARIOS,
  PERSON_EVIDENCE,
  RULE_SCENARIOS,
  rulesDeciding,
  rulesSupporting,
} from './rule-scenarios.ts';
import { MIIT_SCENARIOS } from './scenarios.ts';

const evidenceOf = (rule: string) =>
  (RULE_SCENARIOS as Record<string, { evidence: string } | undefined>)[rule]?.evidence ??
  FAMILY_SCENARIOS[rule]?.evidence ??
  '';

/** Markdown table: id | scenario | decided by | evidence (person: what the report gives). */
export function mappingMarkdown(): string {
  const rows = MIIT_SCENARIOS.map((s) => {
    const deciding = rulesDeciding(s.id);
    const supporting = rulesSupporting(s.id);
    const rules = s.person
      ? `person${supporting.length ? ` (evidence: ${supporting.map((r) => `\`${r}\``).join(', ')})` : ''}`
      : deciding.map((r) => `\`${r}\``).join(', ');
    const evidence = s.person
      ? (PERSON_EVIDENCE[s.id] ?? '')
      : deciding.map(evidenceOf).filter(Boolean).join('; ');
    return `| ${s.id} | ${s.en} (${s.zh}) | ${rules} | ${evidence} |`;
  });
  return ['| id | scenario | decided by | evidence |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** One object per scenario (for `hooks --miit --json`). */
export function mappingRows(): {
  id: string;
  zh: string;
  en: string;
  person: boolean;
  decidedBy: string[];
  evidenceFrom: string[];
}[] {
  return MIIT_SCENARIOS.map((s) => ({
    id: s.id,
    zh: s.zh,
    en: s.en,
    person: s.person,
    decidedBy: rulesDeciding(s.id),
    evidenceFrom: rulesSupporting(s.id),
  }));
}

/** Plain text for the terminal. */
export function mappingText(): string {
  return `${MIIT_SCENARIOS.map((s) => {
    const who = s.person ? `person: ${PERSON_EVIDENCE[s.id] ?? ''}` : rulesDeciding(s.id).join(', ');
    return `${s.id.padEnd(6)} ${who}\n       ${s.en}`;
  }).join(
    '\n',
  )}\n(${MIIT_SCENARIOS.length} scenarios, ${MIIT_SCENARIOS.filter((s) => s.person).length} need a person)\n`;
}
