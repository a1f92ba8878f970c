// Every field name a zod schema accepts, for "did you mean" on a misspelt key: read from the
// schema itself, so a new catalog field is suggested without a second list to keep.
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
}

export function schemaKeys(schema: z.ZodType): string[] {
  const keys = new Set<string>();
  const seen = new Set<z.ZodType>();
  const walk = (s: z.ZodType | undefined) => {
    if (!s || seen.has(s)) {
      return;
    }
    seen.add(s);
    const def = (s as unknown as { _zod: { def: Def } })._zod.def;
    for (const [key, value] of Object.entries(def.shape ?? {})) {
      keys.add(key);
      walk(value);
    }
    [def.innerType, def.element, def.valueType, def.in, def.out, ...(def.options ?? [])].forEach(walk);
  };
  walk(schema);
  return [...keys];
}
