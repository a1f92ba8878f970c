// A table column of the engine's results.
import type { EngineColumn } from './types';

export const column = (
  name: string,
  type: EngineColumn['type'],
  values: unknown[],
  extra: Partial<EngineColumn> = {}
): EngineColumn => ({
  name,
  type,
  values,
  ...extra,
});
