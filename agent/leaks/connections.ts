// What the network hooks learn between calls: the TLS server name each SSL* was given
// (SSL_set_tlsext_host_name), read back by SSL_write. Bounded; the oldest entry goes first.
const MAX = 256;

const sni = new Map<string, string>();

function put<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}

export function rememberSni(ssl: string, host: string): void {
  put(sni, ssl, host);
}

export function sniOf(ssl: string): string | undefined {
  return sni.get(ssl);
}
