// `expect` assertions are judged by the analysis (harness/analysis/expectations.ts), so a run's
// own summary and a later `analyze` give the same verdicts; the run re-exports them.
export {
  type ExpectResult,
  evaluateExpectation,
  expectLabel,
  maxPerMinute,
} from '../../analysis/expectations.ts';
