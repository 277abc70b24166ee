// The endpoint → organisation map (harness/knowledge/data/endpoints.json, versioned, sources
// noted per entry): which organisation, and which SDK when one owns the domain, receives what
// is sent to a host. A host matches an entry's suffix on a label boundary; the longest suffix
// wins ("bugly.qq.com" before "qq.com"). Unknown hosts stay unknown: never guessed.
import { readFileSync } from 'node:fs';

export interface Endpoint {
  suffix: string;
  organisation: string;
  sdk?: string;
  kind: string;
  source: string;
}

export interface EndpointMap {
  version: string;
  endpoints: readonly Endpoint[];
  lookup(host: string | null | undefined): Endpoint | null;
}

const FILE = new URL('./data/endpoints.json', import.meta.url);

export function buildEndpointMap(version: string, endpoints: readonly Endpoint[]): EndpointMap {
  const bySuffix = new Map(endpoints.map((e) => [e.suffix.toLowerCase(), e]));
  return {
    version,
    endpoints,
    lookup(host) {
      if (!host) return null;
      let h = host.toLowerCase().replace(/\.$/, '');
      for (;;) {
        const hit = bySuffix.get(h);
        if (hit) return hit;
        const dot = h.indexOf('.');
        if (dot < 0) return null;
        h = h.slice(dot + 1);
      }
    },
  };
}

let cached: EndpointMap | null = null;

/** The shipped map (read once). */
export function defaultEndpoints(): EndpointMap {
  if (!cached) {
    const raw = JSON.parse(readFileSync(FILE, 'utf8')) as { version: string; endpoints: Endpoint[] };
    cached = buildEndpointMap(raw.version, raw.endpoints);
  }
  return cached;
}
