// Native entries: Interceptor.attach on an exported symbol, at their real cost: libc's ioctl runs
// for every Binder transaction and open/fopen for every file the process opens, so the listener
// decides in onEnter.
// - Entries whose summary needs only the arguments (a path, an ioctl request, a prop_info) report
//   from onEnter and have no onLeave at all (Gum then does not trap the return either).
// - The others (a property value is an out-parameter, getifaddrs' result) keep their arguments in
//   onEnter only when the call can matter (ENTRY_FILTER) and report in onLeave.
// A library's calls to its own hooked exports return into that library (bionic's fopen opens its
// file with open): they are skipped, so one fopen is one event. An event takes the calling
// thread's Java stack when it is a Java thread (an SDK calling through JNI), else the native one.
// Inside a hooked Java call of the same category on the thread (outermost.ts) it is not reported.
import { ID_PROPERTY_RE, SIOCGIFHWADDR } from '../catalog/filters.ts';
import type { NativeHookEntry, SummarizerId } from '../catalog/types.ts';
import { attachedJavaStackId } from '../runtime/java-stack.ts';
import { isClaimed } from '../runtime/outermost.ts';
import { hookBytes, report } from '../runtime/report.ts';
import { internStack } from '../runtime/stacks.ts';
import { identity } from '../runtime/state.ts';
import type { InstallOutcome } from './installer.ts';
import { cInt, cString } from './java-values.ts';

/** Arguments kept from onEnter; summarisers read at most the first four. */
const KEPT_ARGS = 4;

/** Summaries computed from the arguments alone: reported on entry, no onLeave. */
const ON_ENTER: ReadonlySet<SummarizerId> = new Set([
  'native-path',
  'native-path-at',
  'native-ioctl',
  'native-property-info',
]);

/** Cheap checks on entry: false = this call cannot produce an event (absent = it may). */
const ENTRY_FILTER: Partial<Record<SummarizerId, (args: InvocationArguments) => boolean>> = {
  'native-ioctl': (args) => cInt(args[1]) === SIOCGIFHWADDR,
  'native-property': (args) => {
    const key = cString(args[0]);
    return key !== undefined && ID_PROPERTY_RE.test(key);
  },
};

interface Kept {
  keptArgs?: NativePointer[];
}

interface Range {
  base: NativePointer;
  end: NativePointer;
}

function findExport(entry: NativeHookEntry): {
  address: NativePointer | null;
  range?: Range;
  missing?: InstallOutcome;
} {
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
    ? { address, range: { base: module.base, end: module.base.add(module.size) } }
    : {
        address: null,
        missing: { state: 'method-missing', detail: `${entry.module} has no export ${entry.symbol}` },
      };
}

function nativeStackId(context: CpuContext): number | undefined {
  const addresses = Thread.backtrace(context, Backtracer.ACCURATE);
  const key = addresses.map((a) => a.toString()).join(',');
  return internStack('n', key, () => addresses.map((a) => DebugSymbol.fromAddress(a).toString()), true);
}

/** A call from inside the hooked function's own library (fopen → open): not the app's call. */
function fromWithin(range: Range | undefined, returnAddress: NativePointer): boolean {
  return (
    range !== undefined && returnAddress.compare(range.base) >= 0 && returnAddress.compare(range.end) < 0
  );
}

export function installNative(entry: NativeHookEntry): InstallOutcome {
  const { address, range, missing } = findExport(entry);
  if (!address) return missing ?? { state: 'method-missing' };
  const api = `${entry.module ?? '*'}!${entry.symbol}`;
  const filter = ENTRY_FILTER[entry.summary];
  const bytes = hookBytes(entry, api);
  const stackOf = (context: CpuContext) => () => attachedJavaStackId() ?? nativeStackId(context);
  const send = (args: NativePointer[], result: unknown, context: CpuContext) => {
    // Inside a hooked Java call of the same category on this thread (SystemProperties.get's JNI
    // code reading the property): the framework working for that call, already one event.
    const tid = Process.getCurrentThreadId();
    if (isClaimed(tid, entry.category)) return;
    report(
      {
        entry,
        api,
        args,
        result,
        self: null,
        ownPackage: identity.packageName,
        threw: false,
        stack: stackOf(context),
        bytes,
      },
      tid,
    );
  };
  if (ON_ENTER.has(entry.summary)) {
    Interceptor.attach(address, {
      onEnter(args) {
        if (fromWithin(range, this.returnAddress) || (filter && !filter(args))) return;
        const kept: NativePointer[] = [];
        for (let i = 0; i < KEPT_ARGS; i++) kept.push(args[i] as NativePointer);
        send(kept, undefined, this.context);
      },
    });
  } else {
    Interceptor.attach(address, {
      onEnter(args) {
        if (fromWithin(range, this.returnAddress) || (filter && !filter(args))) return;
        const kept: NativePointer[] = [];
        for (let i = 0; i < KEPT_ARGS; i++) kept.push(args[i] as NativePointer);
        (this as InvocationContext & Kept).keptArgs = kept;
      },
      onLeave(retval) {
        const kept = (this as InvocationContext & Kept).keptArgs;
        if (kept) send(kept, retval, this.context);
      },
    });
  }
  return { state: 'installed', detail: `${api} @ ${address.toString()}`, overloads: 1 };
}
