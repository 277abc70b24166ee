// Agent entry point (bundled to dist/agent.js and, with the simulated Java bridge, to
// dist/agent-sim.js): the rpc exports are assembled here, then hooks install from the catalog.
import { CATALOG } from './catalog/index.ts';
import { SUMMARIZERS } from './hooks/summarizers.ts';
import { buildRpc, startAgent } from './runtime/boot.ts';

rpc.exports = buildRpc() as unknown as RpcExports;
startAgent(CATALOG, SUMMARIZERS);
