// Stands in for node:crypto inside QuickJS: frida-globals.ts builds Checksum on createHash, and
// on a device Checksum is native code, so the digest is computed by the host, not in the engine.
// Bytes cross the boundary as hex (a C string: a NUL byte would end it), text as text.
declare const __host: { checksum(type: string, data: string, encoding: 'utf8' | 'hex'): string };

export function createHash(type: string) {
  let data = '';
  let encoding: 'utf8' | 'hex' = 'utf8';
  const hash = {
    update(chunk: string | Uint8Array, _encoding?: 'utf8') {
      if (typeof chunk === 'string') data += chunk;
      else {
        encoding = 'hex';
        for (let i = 0; i < chunk.length; i++) data += (chunk[i] ?? 0).toString(16).padStart(2, '0');
      }
      return hash;
    },
    digest: (_encoding: 'hex') => __host.checksum(type, data, encoding),
  };
  return hash;
}
