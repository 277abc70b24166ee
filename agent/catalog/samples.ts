// Builders for sample values (plain data, see SampleValue in ./types.ts), so entries stay short.
import type { SampleValue } from './types.ts';

type Methods = Record<string, SampleValue>;

export function obj(cls: string, methods?: Methods, fields?: Record<string, SampleValue>): SampleValue {
  const out: { $class: string; $methods?: Methods; $fields?: Record<string, SampleValue> } = { $class: cls };
  if (methods) out.$methods = methods;
  if (fields) out.$fields = fields;
  return out;
}

export const arr = (...values: SampleValue[]): SampleValue => ({ $array: values });
export const list = (...values: SampleValue[]): SampleValue => ({ $list: values });

export const uri = (text: string): SampleValue => obj('android.net.Uri', { toString: text });

export const context = (): SampleValue => obj('android.content.Context');

export function intent(
  action: string | null,
  extra: { type?: string; data?: string; component?: string } = {},
) {
  const methods: Methods = {
    getAction: action,
    getType: extra.type ?? null,
    getDataString: extra.data ?? null,
  };
  methods['getComponent'] = extra.component
    ? obj('android.content.ComponentName', { getClassName: extra.component })
    : null;
  return obj('android.content.Intent', methods);
}

export const location = (lat: number, lon: number, provider = 'gps'): SampleValue =>
  obj('android.location.Location', { getLatitude: lat, getLongitude: lon, getProvider: provider });

/** A Java object whose getClass().getName() is `name` (for receivers summarised by class). */
export const instanceOf = (name: string): SampleValue =>
  obj(name, { getClass: obj('java.lang.Class', { getName: name }) });

export const cursor = (rows: number): SampleValue => obj('android.database.Cursor', { getCount: rows });
