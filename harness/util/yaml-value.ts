// YAML documents → plain values with a bound on alias expansion. `a: &a [x, x]`, `b: [*a, *a]` …
// doubles at each level: nine lines can expand to billions of nodes (the "billion laughs").
// The yaml package counts expansions against maxAliasCount and throws a ReferenceError that
// names no file; this turns it into the one-line InputError every user file gets (exit 2).
import type { Document } from 'yaml';
import { InputError } from '../errors.ts';

/** Alias expansions allowed per document (docs/scenarios.md); real files use a handful. */
export const YAML_MAX_ALIAS_COUNT = 1000;

export function yamlToJs(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message))
      throw new InputError(
        `${file}: YAML: too many alias expansions (more than ${YAML_MAX_ALIAS_COUNT}; an alias bomb?)`,
        { cause: err },
      );
    throw err;
  }
}
