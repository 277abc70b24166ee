// Native entries: Interceptor.attach on an exported symbol. onEnter keeps the argument
// pointers, onLeave summarises (out-parameters such as __system_property_get's value are
// filled by then) and reports; native stacks are symbolised once per distinct stack.
import type { NativeHookEntry } from '../catalog/types.ts';
import { report } from '../runtime/report.ts';
import { internStack } from '../runtime/stacks.ts';
import type { InstallOutcome } from './installer.ts';

/** Arguments kept from onEnter; summarisers read at most the first four. */
const KEPT_ARGS = 4;

interface Kept {
  keptArgs?: NativePointer[];
}

function findExport(entry: NativeHookEntry): { address: NativePointer | null; missing?: InstallOutcome } {
  if (entry.module === null) {
    const address = Module.findGlobalExportByName(entry.symbol);
    return address
      ? { address }
      : { address: null, missing: { state: 'method-missing', detail: `no export ${entry.symbol}` } };
  }
  const module = Process.findModuleByName(entry.module);
  if (!module)
    return {
      address: null,
      missing: { state: 'class-missing', detail: `module ${entry.module} not loaded` },
    };
  const address = module.findExportByName(entry.symbol);
  return address
    ? { address }
    : {
        address: null,
        missing: { state: 'method-missing', detail: `${entry.module} has no export ${entry.symbol}` },
      };
}

function nativeStackId(context: CpuContext): number | undefined {
  const addresses = Thread.backtrace(context, Backtracer.ACCURATE);
  const key = `n:${addresses.map((a) => a.toString()).join(',')}`;
  return internStack(key, () => addresses.map((a) => DebugSymbol.fromAddress(a).toString()), true);
}

export function installNative(entry: NativeHookEntry): InstallOutcome {
  const { address, missing } = findExport(entry);
  if (!address) return missing ?? { state: 'method-missing' };
  const api = `${entry.module ?? '*'}!${entry.symbol}`;
  Interceptor.attach(address, {
    onEnter(args) {
      const kept: NativePointer[] = [];
      for (let i = 0; i < KEPT_ARGS; i++) kept.push(args[i] as NativePointer);
      (this as InvocationContext & Kept).keptArgs = kept;
    },
    onLeave(retval) {
      const ctx = this as InvocationContext & Kept;
      const context = ctx.context;
      report({
        entry,
        api,
        args: ctx.keptArgs ?? [],
        result: retval,
        self: null,
        threw: false,
        stack: () => nativeStackId(context),
      });
    },
  });
  return { state: 'installed', detail: `${api} @ ${address.toString()}`, overloads: 1 };
}
