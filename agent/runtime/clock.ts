// Agent time: ms since the Unix epoch (the harness estimates the offset from `hello`).
export function now(): number {
  return Date.now();
}
