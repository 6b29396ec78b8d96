/**
 * Generic English word lists for recognising names, dates, numbers and what a question asks for. Nothing here is about
 * a particular article: a user's own articles get the same treatment as the seed.
 */

const set = (words: string): ReadonlySet<string> => new Set(words.trim().split(/\s+/));

/** Function words and frequent sentence starters: a capitalised one is not a name. */
export const NAME_STOPWORDS = set(`
a an the this that these those it its he she his her hers him himself herself they them their themselves we us our you your i me my
and or but nor so yet if then than as of in on at to from by for with without into onto over under
about after before between during since until while although though because despite towards toward
against among through throughout within upon via per is are was were be been being am do does did
has have had can could may might must shall should will would not no never also only even just
however nevertheless nonetheless thus therefore hence instead meanwhile moreover furthermore finally
eventually especially additionally indeed later soon once again still all some most many much more
few several any each every both either neither other another such same what which who whom whose
when where why how there here out off up down very well one two three four five six seven eight nine
ten first second third last next according due main see chapter vol pp ed compiled
`);

/** Titles and roles written before a personal name: "President X", "Marshal X", "MP X". */
export const PERSON_TITLES = set(`
mr mrs ms miss dr sir lord lady king queen prince princess tsar czar emperor empress pope saint st
president vice-president premier chancellor minister secretary general marshal admiral colonel
major captain lieutenant sergeant commander ambassador senator governor mayor judge justice
professor prof reverend rev father brother sister comrade chairman mp mep commissar commissioner director chief
`);

/** Last words that make a capitalised span an organisation. */
export const ORG_HEADS = set(`
party parties commission committee council society department office ministry bureau agency
institute institution university college school academy press books publishers times post herald
tribune journal gazette army navy force forces corps police guard parliament senate assembly
court presidium politburo group league union association federation organisation
organization company corporation inc ltd co bank church centre center foundation movement
directorate commissariat cheka
`);

/** Last words that make a capitalised span a place. */
export const PLACE_HEADS = set(`
city town village county province oblast region republic kingdom empire state states island islands
coast bay gulf desert forest
river sea ocean lake mountains mountain valley peninsula district territory
`);

/** First words that make a capitalised span a place ("Mount Everest", "Lake Baikal"). */
export const PLACE_PREFIXES = set('mount mt lake cape fort port gulf bay isle river');

/** Words that make a capitalised span an event or period, not an entity of the three types. */
export const EVENT_HEADS = set(`
war wars revolution revolutions trial trials purge purges terror battle treaty pact crisis famine
operation campaign campaigns speech thaw era age period congress conference uprising rebellion massacre
`);

/** Capitalised words that start titles and names of things, never a person's name ("New Perspectives", "Soviet Communism"). */
export const NOT_GIVEN_NAMES = set(`
new old great greater political soviet red white black general central national social socialist communist
democratic united supreme holy royal free modern ancient early late north south east west northern southern
eastern western upper lower high low grand big little first second third last final public private open
secret official foreign international imperial federal civil military human total
`);

/** Demonym-like adjectives are not entities on their own ("Western observers", "Soviet state"). */
export const DEMONYM_SUFFIX = /(?:an|ian|ish|ese|ic|ern|ist)$/i;

/** Countries, continents and large regions (world knowledge, not article knowledge). */
export const PLACE_NAMES = set(`
afghanistan albania algeria america andorra angola argentina armenia australia austria azerbaijan
bahamas bahrain bangladesh belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei
bulgaria burma cambodia cameroon canada chad chile china colombia congo croatia cuba cyprus
czechoslovakia czechia denmark ecuador egypt england eritrea estonia ethiopia finland france georgia
germany ghana greece guatemala guinea haiti honduras hungary iceland india indonesia iran iraq ireland
israel italy jamaica japan jordan kazakhstan kenya korea kosovo kuwait kyrgyzstan laos latvia lebanon
liberia libya lithuania luxembourg macedonia madagascar malaysia mali malta mexico moldova monaco
mongolia montenegro morocco mozambique namibia nepal netherlands holland nicaragua niger nigeria norway
oman pakistan palestine panama paraguay persia peru philippines poland portugal prussia qatar romania
russia rwanda scotland senegal serbia siberia singapore slovakia slovenia somalia spain sudan sweden
switzerland syria taiwan tajikistan tanzania thailand tibet tunisia turkey turkmenistan uganda ukraine
uruguay uzbekistan venezuela vietnam wales yemen yugoslavia zambia zimbabwe europe asia africa
antarctica oceania scandinavia caucasus crimea manchuria balkans ussr usa uk us rsfsr
moscow leningrad petrograd stalingrad kiev kyiv minsk warsaw berlin paris london rome madrid lisbon
vienna prague budapest bucharest sofia belgrade athens oslo stockholm helsinki copenhagen amsterdam
brussels geneva zurich washington chicago boston beijing shanghai tokyo delhi cairo istanbul
constantinople jerusalem tehran baghdad oxford cambridge manchester york
`);

/** Multi-word place names that the head-word rules would get wrong ("Soviet Union" is not an organisation). */
export const MULTIWORD_PLACES = new Set([
  'soviet union', 'united states', 'united kingdom', 'new york', 'new zealand', 'south africa',
  'north korea', 'south korea', 'saudi arabia', 'sri lanka', 'czech republic', 'east germany',
  'west germany', 'soviet russia', 'latin america', 'north america', 'south america', 'middle east',
  'far east', 'eastern europe', 'western europe', 'great britain', 'hong kong',
]);

/** Nouns that denote people: "which correspondent", "what diplomat" ask for a person. */
export const PERSON_NOUNS = set(`
person people man men woman women leader leaders author authors writer writers editor editors
correspondent journalist reporter diplomat ambassador president chairman chair head chief director
defendant defendants victim victims member members officer officers general generals marshal
politician historian historians scholar scholars philosopher lawyer judge prosecutor wife husband son
daughter father mother child children kid family king queen minister secretary successor predecessor
founder commander commanders admiral admirals soldier scientist spy agent compiler compilers
translator poet novelist artist witness witnesses accused
`);

/** Nouns that denote organisations: "which bodies", "what newspaper". */
export const ORG_NOUNS = set(`
organisation organisations organization organizations body bodies institution institutions agency
agencies newspaper newspapers paper company companies party parties committee committees
`);

/** Nouns that denote titles of works: "what book", "the title of". */
export const TITLE_NOUNS = set(`
title titles subtitle book books novel film movie album song poem play report volume edition
source sources publication work
`);

export const MONTHS = set(`
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
`);

export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7],
  ['eight', 8], ['nine', 9], ['ten', 10], ['eleven', 11], ['twelve', 12], ['thirteen', 13],
  ['fourteen', 14], ['fifteen', 15], ['sixteen', 16], ['seventeen', 17], ['eighteen', 18],
  ['nineteen', 19], ['twenty', 20], ['thirty', 30], ['forty', 40], ['fifty', 50], ['sixty', 60],
  ['seventy', 70], ['eighty', 80], ['ninety', 90], ['hundred', 100], ['thousand', 1000],
  ['million', 1e6], ['billion', 1e9], ['dozen', 12],
]);
