// Stands in for node:crypto inside QuickJS: frida-globals.ts builds Checksum on createHash, and
// on a device Checksum is native code, so the digest is computed by the host, not in the engine.
declare const __host: { checksum(type: string, data: string): string };

export function createHash(type: string) {
  let data = '';
  const hash = {
    update(chunk: string) {
      data += chunk;
      return hash;
    },
    digest: (_encoding: 'hex') => __host.checksum(type, data),
  };
  return hash;
}
