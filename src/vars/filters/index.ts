import type { FilterFn } from '../registry.js';
import { coreFilters } from './core.js';
import { cryptFilters } from './crypt.js';
import { dataFilters } from './data.js';
import { extraFilters } from './extra.js';
import { jmespathFilters } from './jmespath.js';
import { listFilters } from './lists.js';
import { netFilters } from './net.js';
import { stringFilters } from './strings.js';

/** Every filter by name (FQCN prefixes are stripped by the caller). */
export const FILTERS: Record<string, FilterFn> = {
  ...coreFilters,
  ...stringFilters,
  ...listFilters,
  ...dataFilters,
  ...extraFilters,
  ...netFilters,
  ...jmespathFilters,
  ...cryptFilters,
};
FILTERS.d = coreFilters.default as FilterFn;
