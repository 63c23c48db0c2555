/**
 * Country names (and common short forms), used to tell a country from a city or region when
 * weighing shared places: two reports sharing only "Syria" may be about different events.
 */
const COUNTRY_NAMES =
  'Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|Australia|' +
  'Austria|Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|' +
  'Bolivia|Bosnia and Herzegovina|Bosnia|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|' +
  'Cambodia|Cameroon|Canada|Cape Verde|Cabo Verde|Central African Republic|CAR|Chad|Chile|China|' +
  'Colombia|Comoros|Congo|Republic of the Congo|Democratic Republic of the Congo|DR Congo|DRC|' +
  "Costa Rica|Ivory Coast|Cote d'Ivoire|Croatia|Cuba|Cyprus|Czechia|Czech Republic|Denmark|" +
  'Djibouti|Dominica|Dominican Republic|East Timor|Timor-Leste|Ecuador|Egypt|El Salvador|' +
  'Equatorial Guinea|Eritrea|Estonia|Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|' +
  'Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|' +
  'Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|' +
  'Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|' +
  'Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Marshall Islands|' +
  'Mauritania|Mauritius|Mexico|Micronesia|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|' +
  'Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|' +
  'North Korea|North Macedonia|Norway|Oman|Pakistan|Palau|Palestine|Palestinian Territories|' +
  'Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|' +
  'Russian Federation|Rwanda|Saint Kitts and Nevis|Saint Lucia|' +
  'Saint Vincent and the Grenadines|Samoa|San Marino|Sao Tome and Principe|Saudi Arabia|Senegal|' +
  'Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Solomon Islands|Somalia|' +
  'South Africa|South Korea|Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|' +
  'Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Trinidad and Tobago|Tunisia|' +
  'Turkey|Turkiye|Türkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|UAE|' +
  'United Kingdom|UK|Britain|Great Britain|United States|USA|US|Uruguay|Uzbekistan|Vanuatu|' +
  'Vatican City|Venezuela|Vietnam|Western Sahara|Yemen|Zambia|Zimbabwe';

const fold = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .trim();

const COUNTRIES: ReadonlySet<string> = new Set(COUNTRY_NAMES.split('|').map(fold));

/** True when the place name is a country (case and diacritics ignored). */
export const isCountry = (place: string): boolean => COUNTRIES.has(fold(place));

/** Case- and diacritic-insensitive key for comparing place names. */
export const placeKey = fold;

/**
 * Demonyms of countries at war or near one, for headlines that name a people instead of a place
 * ("Israelis beg for help", "Ukrainian villagers bury their dead"). Only a hint: a demonym often
 * names who acted, not where ("Russian strikes"), so it is used where a report names no place,
 * to let it join an event of that country, never to keep it apart from one. Peoples often abroad
 * as victims or visitors (American, British, French ...) are left out.
 */
const DEMONYMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bisraelis?\b/, 'Israel'],
  [/\bpalestinians?\b/, 'Palestine'],
  [/\bgazans?\b/, 'Palestine'],
  [/\bukrainians?\b/, 'Ukraine'],
  [/\brussians?\b/, 'Russia'],
  [/\bsyrians?\b/, 'Syria'],
  [/\blebanese\b/, 'Lebanon'],
  [/\biranians?\b/, 'Iran'],
  [/\biraqis?\b/, 'Iraq'],
  [/\bafghans?\b/, 'Afghanistan'],
  [/\bpakistanis?\b/, 'Pakistan'],
  [/\begyptians?\b/, 'Egypt'],
  [/\bsudanese\b/, 'Sudan'],
  [/\bsomalis?\b/, 'Somalia'],
  [/\byemenis?\b/, 'Yemen'],
  [/\bnigerians?\b/, 'Nigeria'],
  [/\bmalians?\b/, 'Mali'],
  [/\bethiopians?\b/, 'Ethiopia'],
  [/\bcongolese\b/, 'Democratic Republic of the Congo'],
  [/\bburmese\b/, 'Myanmar'],
  [/\b(?:azerbaijanis?|azeris?)\b/, 'Azerbaijan'],
  [/\barmenians?\b/, 'Armenia'],
  [/\blibyans?\b/, 'Libya'],
  [/\bhaitians?\b/, 'Haiti'],
  [/\bcolombians?\b/, 'Colombia'],
  [/\bmexicans?\b/, 'Mexico'],
  [/\bsaudis?\b/, 'Saudi Arabia'],
  [/\bturkish\b/, 'Turkey'],
];

/** The countries whose people a text names (see DEMONYMS), in the order of the list. */
export const demonymCountries = (text: string): string[] => {
  const lower = fold(text);
  return DEMONYMS.filter(([pattern]) => pattern.test(lower)).map(([, country]) => country);
};
