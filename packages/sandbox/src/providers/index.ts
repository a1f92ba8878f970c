import type { ProviderDefinition, ProviderName } from '../provider';
import { acmePay } from './acme-pay';
import { adstream } from './adstream';
import { geoloc } from './geoloc';
import { postbird } from './postbird';
import { textly } from './textly';

export const PROVIDERS: Record<ProviderName, ProviderDefinition> = {
  'acme-pay': acmePay,
  geoloc,
  adstream,
  textly,
  postbird,
};
