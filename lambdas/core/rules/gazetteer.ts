/**
 * The gazetteer of the rule file (its `places` section) as lookups: the country of a place, and
 * the countries by name and alias (subscribers' watchlists are checked against them). Pure.
 */
import { placeKey } from '../common/places.ts';
import type { PlaceSpec } from './schema.ts';

/** place name (folded) -> its country's name; a country maps to itself. */
export const placeCountryMap = (places: readonly PlaceSpec[]): ReadonlyMap<string, string> =>
  new Map(places.map((p) => [placeKey(p.name), p.country ?? p.name]));

/** The countries of places, in their order, each once; places the gazetteer lacks are left out. */
export const countriesOfPlaces = (
  places: readonly string[],
  countryOf: ReadonlyMap<string, string>
): string[] => [...new Set(places.flatMap((p) => countryOf.get(placeKey(p)) ?? []))];

/** Every country's name and alias (folded) -> its name, e.g. `syrian arab republic` -> `Syria`. */
export const countryNames = (places: readonly PlaceSpec[]): ReadonlyMap<string, string> =>
  new Map(
    places
      .filter((p) => p.country === undefined)
      .flatMap((p) => [p.name, ...p.aliases].map((n): [string, string] => [placeKey(n), p.name]))
  );

/** What a subscribers file may name: the gazetteer's countries and the rules' categories. */
export const subscriberVocabulary = (spec: {
  readonly places: readonly PlaceSpec[];
  readonly categories: readonly { readonly id: string }[];
}): { countries: ReadonlyMap<string, string>; categories: string[] } => ({
  countries: countryNames(spec.places),
  categories: spec.categories.map((c) => c.id),
});
