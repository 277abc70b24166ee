// A Frida method dispatcher over a simulated class's overloads (`cls.method`): call by argument
// count, .overload(types), .overloads, and `implementation` only when there is one overload, with
// frida-java-bridge's error texts.
import { typeMatches } from '../../android-api/api-index.ts';
import { fridaType } from './java-types.ts';
import type { SimMethod } from './java-world.ts';

type Fn = (this: unknown, ...args: unknown[]) => unknown;

export function dispatcher(name: string, methods: SimMethod[], holder: object): Fn {
  const first = methods[0] as SimMethod;
  const d = function (this: unknown, ...args: unknown[]) {
    const m = methods.find((x) => x.api.params.length === args.length);
    if (!m)
      throw new Error(`${name}(): argument count of ${args.length} does not match any of the overloads`);
    return m.js.apply(this, args);
  };
  const list = () =>
    methods
      .map(
        (m) =>
          `\t.overload(${m.api.params.map((p) => `'${fridaType(p).className ?? fridaType(p).name}'`).join(', ')})`,
      )
      .join('\n');
  Object.defineProperties(d, {
    overloads: { value: methods.map((m) => m.js) },
    overload: {
      value: (...types: string[]) => {
        const m = methods.find(
          (x) =>
            x.api.params.length === types.length &&
            types.every((t, i) => typeMatches(t, x.api.params[i] ?? '')),
        );
        if (!m) throw new Error(`${name}(): specified argument types do not match any of:\n${list()}`);
        return m.js;
      },
    },
    methodName: { value: name },
    holder: { value: holder },
    argumentTypes: { value: first.api.params.map(fridaType) },
    returnType: { value: fridaType(first.api.returns) },
    implementation: {
      get: () => first.replacement,
      set: (fn: Fn | null) => {
        if (methods.length > 1) {
          throw new Error(
            `${name}(): has more than one overload, use .overload(<signature>) to choose from:\n${list()}`,
          );
        }
        first.replacement = fn;
      },
    },
  });
  for (const m of methods) Object.defineProperty(m.js, 'holder', { value: holder, configurable: true });
  return d;
}
