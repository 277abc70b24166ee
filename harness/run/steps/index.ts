// The step executors, one table entry per step kind (docs/scenarios.md says what each does).
import type { Step } from '../../scenario/types.ts';
import { lifecycleExecutors } from './app-lifecycle.ts';
import { checkSetting } from './check-setting.ts';
import type { ExecutorTable, StepContext, StepExecutor } from './context.ts';
import { explore } from './explore.ts';
import { permissionExecutors } from './permission-steps.ts';
import { phaseExecutors } from './phase-steps.ts';
import { uiExecutors } from './ui-steps.ts';

export { type StepContext, StepFailure, stepLabel } from './context.ts';
export { type ExpectResult, evaluateExpectation, expectLabel } from './expect.ts';
export { mulberry32 } from './explore.ts';

export const EXECUTORS: ExecutorTable = {
  ...lifecycleExecutors,
  ...uiExecutors,
  ...permissionExecutors,
  ...phaseExecutors,
  explore,
  'check-setting': checkSetting,
};

/** Runs one step with its executor; throws on failure, resolves to an optional detail. */
export function executeStep(step: Step, ctx: StepContext): Promise<string | undefined> {
  const run = EXECUTORS[step.kind] as StepExecutor<typeof step.kind>;
  return run(step as never, ctx);
}
