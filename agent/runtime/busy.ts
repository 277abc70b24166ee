// Threads running agent work (report.ts's guard). Per thread, not a flag: Frida releases the JS
// lock while Java or native code runs, so another app thread may enter a hook meanwhile and must
// still be reported, and the first thread may finish its agent work before the second does.
// A short list, not a Set: it holds one or two ids, and adding and deleting a Set entry on every
// reported call cost more than scanning it.
const busy: number[] = [];

/** True while thread `tid` runs agent work (calls it makes into hooked APIs are not reported). */
export function inAgent(tid: number): boolean {
  return busy.length > 0 && busy.includes(tid);
}

/** Marks thread `tid` busy; false when it already is (nested agent work: the caller skips it). */
export function enterAgent(tid: number): boolean {
  if (inAgent(tid)) return false;
  busy.push(tid);
  return true;
}

/** Ends the agent work of thread `tid` (others' stay marked, whatever order they finish in). */
export function leaveAgent(tid: number): void {
  const i = busy.lastIndexOf(tid);
  if (i === busy.length - 1) busy.pop();
  else if (i >= 0) busy.splice(i, 1);
}
