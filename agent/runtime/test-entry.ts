// Entry of dist/agent-sim-test.js: the same agent with a catalog the host passes in (tests of
// failure isolation and batching need catalogs of their own). `throwingSummaries` lists
// summariser ids replaced by one that throws, to exercise the hook-body guard.
import type { CatalogEntry, SummarizerId } from '../catalog/types.ts';
import { SUMMARIZERS } from '../hooks/summarizers.ts';
import { limits } from './batcher.ts';
import { buildRpc, startAgent } from './boot.ts';

interface TestSetup {
  catalog: CatalogEntry[];
  throwingSummaries?: SummarizerId[];
  limits?: Partial<typeof limits>;
}

const setup = (globalThis as unknown as { __overreachTestSetup?: TestSetup }).__overreachTestSetup;
if (!setup) throw new Error('agent-sim-test: __overreachTestSetup missing');
Object.assign(limits, setup.limits ?? {});
const table = { ...SUMMARIZERS };
for (const id of setup.throwingSummaries ?? []) {
  table[id] = () => {
    throw new Error(`summariser ${id} exploded`);
  };
}
rpc.exports = buildRpc() as unknown as RpcExports;
startAgent(setup.catalog, table);
