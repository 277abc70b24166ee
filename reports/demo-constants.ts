// Constants of the demo run (reports/demo-run.ts), shared with its findings.

/** Strings that must never execute or create elements in an HTML report. */
export const HOSTILE = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload="window.__pwned=1">',
  '</style><script>window.__pwned=1</script>',
  'javascript:window.__pwned=1',
  "'><iframe src=javascript:window.__pwned=1>",
] as const;

export const DEMO_PACKAGE = 'com.example.shop';
export const DEMO_T0 = 1_767_225_600_000;
export const DEMO_RAW_IMEI = '356938035643809';

/** A hostile string (the i-th, with a leading space) when `on`, else the empty string. */
export const h = (i: number, on: boolean) => (on ? ` ${HOSTILE[i % HOSTILE.length]}` : '');
