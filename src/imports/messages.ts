import type { StaffLanguage } from '../staff/staff.schemas.ts';
import { customerFieldByKey } from './customer-fields.ts';
import { cocNumberWarningDutch } from '../companies/company-numbers.ts';

/**
 * The import's messages in the staff user's language. Every problem carries a stable `code`,
 * `params` and an English `message`; for Dutch the template below is filled with the params
 * (`{value}`), and the field's Dutch heading replaces the English one. A code without a Dutch
 * template, or a template whose params are missing, keeps the English message: never a blank.
 */

type Params = Readonly<Record<string, string | number>>;
type Localizable = { code: string; message: string; params?: Params; field?: string };

const dutch: Record<string, string> = {
  // Cells and rows
  company_matched_by_name: 'Gekoppeld aan {company}, alleen op de naam gevonden (geen KvK- of btw-nummer kwam overeen). Kijk na of het hetzelfde bedrijf is.',
  company_contact_elsewhere: 'Deze klant is contactpersoon van {company}; de klant wordt niet verplaatst naar {other}. Een klant hoort bij hoogstens één bedrijf: ontkoppel de klant daar eerst, of verbeter de bedrijfskolommen.',
  company_ambiguous: 'Meerdere bedrijven passen bij de bedrijfskolommen van deze rij ({companies}); de klant is niet gekoppeld. Geef het KvK-nummer om te zeggen welk.',
  'company_matched_by_name.file': 'Gevonden op de naam alleen: {company} (geen bedrijfs-ID, KvK- of btw-nummer kwam overeen); dit bedrijf is bijgewerkt. Kijk na of het hetzelfde bedrijf is.',
  company_file_id_invalid: '“{value}” is geen bedrijfs-ID: een bedrijfs-ID is een geheel getal, zoals de export Bedrijven het schrijft. Laat de cel leeg om het bedrijf aan zijn nummers of naam te herkennen.',
  company_file_id_unknown: 'Geen bedrijf heeft bedrijfs-ID {value}. Laat de cel leeg om het bedrijf aan te maken of aan zijn nummers of naam te herkennen.',
  company_file_country_invalid: '“{value}” is geen landcode: schrijf de twee letters van het land van inschrijving, zoals NL. Het bedrijf komt binnen zonder land.',
  company_file_tags_left_out: 'De tags van deze rij zijn niet te lezen (“{value}”); de tags van het bedrijf blijven zoals ze zijn.',
  company_file_row_empty: 'Deze rij heeft geen bedrijfsnaam, geen KvK- of btw-nummer en geen bedrijfs-ID: een bedrijf kan niet bestaan zonder naam. Geef ten minste de bedrijfsnaam.',
  company_file_name_missing: 'Geen bedrijf heeft dit nummer (“{value}”), en de rij heeft geen bedrijfsnaam om het mee aan te maken. Geef de bedrijfsnaam.',
  company_file_number_taken: 'Het KvK-nummer “{value}” hoort al bij {company}; het bedrijf van deze rij komt binnen zonder dit nummer.',
  company_file_ambiguous: 'Meerdere bedrijven passen bij deze rij ({companies}); er is niets veranderd. Geef het bedrijfs-ID of het KvK-nummer om te zeggen welk.',
  company_name_missing: 'Geen bedrijf heeft dit nummer (“{value}”), en de rij heeft geen bedrijfsnaam om het mee aan te maken; de klant is niet gekoppeld.',
  required: '{field} is verplicht voor een nieuwe klant.',
  required_match: '{field} is nodig om de klant te herkennen; deze rij heeft die niet.',
  required_match_either: 'Extern ID of e-mailadres is nodig om de klant te herkennen; deze rij heeft geen van beide.',
  too_long: 'Deze waarde is {length} tekens lang; er passen er maximaal {max}.',
  cell_too_long: 'Een cel in kolom {column} bevat {length} tekens; er kunnen er maximaal {max} worden geïmporteerd.',
  'cell_too_long.kept': 'Een cel in kolom {column} bevat {length} tekens; er kunnen er maximaal {max} worden geïmporteerd. De eerste {kept} tekens zijn bewaard.',
  boolean_invalid: '“{value}” is geen ja of nee. Gebruik ja/nee, yes/no, waar/onwaar, 1/0 of x voor ja.',
  consent_invalid: '“{value}” is geen toestemming die we kunnen lezen. Gebruik aangemeld, afgemeld, in afwachting of niet ingesteld (of ja/nee, subscribed/unsubscribed); een lege cel verandert niets.',
  erased_customer: 'De persoonsgegevens van deze klant zijn op {date} op eigen verzoek gewist; de rij is weggelaten zodat de gegevens niet terugkomen. Wil de persoon weer een account, dan kan die zich registreren of met de hand worden toegevoegd.',
  'probable_duplicate.email': 'Het e-mailadres van een opgeslagen klant komt in dezelfde mailbox uit: {other}. Deze rij maakt een nieuwe klant aan; is het dezelfde persoon, verbeter dan het e-mailadres in het bestand of voeg de twee daarna samen (Mogelijke dubbele klanten).',
  probable_duplicate: 'Een opgeslagen klant heeft dit telefoonnummer: {other}. Deze rij maakt een nieuwe klant aan; is het dezelfde persoon, herken rijen dan aan het telefoonnummer in stap Controle, of verbeter het e-mailadres.',
  consent_kept_unsubscribed: '{field}: deze klant heeft zich afgemeld, en het bestand zegt “{value}”. De klant blijft afgemeld, tenzij u in stap Controle aangeeft dat dit bestand nieuwe toestemming bevat.',
  invalid_choice: '“{value}” is geen geslacht dat we kennen. Gebruik man/vrouw/anders (of m/v/x).',
  language_unknown: '“{value}” is geen taal die we ondersteunen ({supported}).',
  excel_scientific_notation: '“{value}” is door Excel in wetenschappelijke notatie gezet, waarbij cijfers verloren gaan. Maak de kolom in Excel op als Tekst en typ de waarden opnieuw, of exporteer het bestand opnieuw als CSV uit het oorspronkelijke systeem.',
  date_invalid: '“{value}” is geen datum die we kunnen lezen. Gebruik dag-maand-jaar (31-12-1980) of jaar-maand-dag (1980-12-31).',
  date_year_only: '“{value}” is alleen een jaartal; er is een volledige datum nodig.',
  date_two_digit_year: '“{value}” heeft een jaartal van twee cijfers; schrijf het jaar voluit (bijv. 1980), zodat er niet gegokt wordt.',
  date_ambiguous: '“{value}” kan dag/maand/jaar of maand/dag/jaar zijn. Schrijf het als jjjj-mm-dd, of kies de datumvolgorde van dit bestand.',
  date_in_future: 'De geboortedatum ligt in de toekomst.',
  'date_in_future.customerSince': 'De datum bij ‘Klant sinds’ ligt in de toekomst.',
  date_too_old: 'De geboortedatum ligt vóór 1900.',
  email_invalid: '“{value}” is geen geldig e-mailadres.',
  'email_invalid.suggestion': 'In “{value}” staat een teken dat niet in een e-mailadres hoort (een punt of komma aan het eind, een spatie); bedoelde je {suggestion}?',
  phone_invalid: '“{value}” is geen geldig telefoonnummer.',
  'phone_invalid.shop_country': '“{value}” is geen geldig telefoonnummer in {country}, het land van de rij; als nummer in {shopCountry} zonder landnummer is het {suggestion}.',
  leading_zero_lost: '“{value}” mist waarschijnlijk de voorloopnul die Excel heeft weggehaald; bedoelde je {suggestion}?',
  postcode_invalid: '“{value}” is geen geldige postcode voor {country}, bijvoorbeeld {example}.',
  country_unknown: 'Onbekend land “{value}”. Gebruik een code zoals NL of een naam zoals Nederland.',
  vat_invalid: '“{value}” is geen geldig btw-nummer; begin met de landcode, bijv. NL123456789B01.',
  integer_invalid: '“{value}” is geen geheel getal.',
  password_hash_unknown: 'Deze wachtwoord-hash heeft een vorm die Clientele niet kan controleren (bcrypt, argon2, phpass, WordPress of Magento); de klant kan in plaats daarvan een nieuw wachtwoord instellen.',
  extra_address_row: 'Deze rij bevat alleen een adres, zoals de extra adresrijen van een Magento-export. Kies bij Controleren voor dezelfde klant op meer rijen “Voegt een adres toe” om het toe te voegen aan het adresboek van de klant in de rij erboven.',
  address_row_without_customer: 'Deze rij bevat alleen een adres, maar er staat geen klantrij boven om het aan toe te voegen. Zet de rij direct onder de rij van haar klant, of vul het {field} van de klant in.',
  phone_unassigned: '“{value}” heeft de vorm van een telefoonnummer, maar de nummerreeks is volgens het nummerplan niet in gebruik.',
  postcode_not_issued: '“{value}” heeft de vorm van een Nederlandse postcode, maar de letters SA, SD en SS worden nooit uitgegeven.',
  'leading_zero_lost.cocNumber': '“{value}” heeft te weinig cijfers; een KvK-nummer heeft er 8, dus een spreadsheet heeft waarschijnlijk de voorloopnullen van {suggestion} weggehaald.',
  letters_replaced: '“{value}” heeft een ? waar een letter hoort: het bestand is waarschijnlijk opgeslagen in een tekenset zonder die letter (ANSI). Sla het op als CSV UTF-8 en importeer het opnieuw.',
  'letters_replaced.stored': '“{value}” heeft een ? waar een letter hoort: het bestand is waarschijnlijk opgeslagen in een tekenset zonder die letter (ANSI). De opgeslagen waarde “{stored}” blijft staan.',
  extra_cells: 'Deze rij heeft {count} cel(len) meer dan de kopregel kolommen heeft ({cells}); die zijn niet geïmporteerd. Meestal staat er een scheidingsteken in een waarde zonder aanhalingstekens.',
  external_id_zeros_lost: '“{value}” is het opgeslagen externe ID {stored} zonder de voorloopnullen, die een spreadsheet weghaalt; het opgeslagen {stored} blijft staan.',
  duplicate_in_file: 'Hetzelfde {what} als rij {firstRow}; alleen de eerste rij van een klant wordt geïmporteerd.',
  'duplicate_in_file.address_only': 'Hetzelfde {what} als rij {firstRow}, met een ander adres: kies “voegt een adres toe” bij dezelfde klant op meer rijen om het aan het adresboek van de klant toe te voegen; nu wordt alleen de eerste rij van een klant geïmporteerd.',
  'duplicate_in_file.conflict': 'Dezelfde klant als rij {firstRow}, maar deze rij zegt iets anders over de klant ({columns}); uit latere rijen van een klant worden alleen adressen toegevoegd.',
  'duplicate_in_file.rejected_first': 'Deze rij is een ander adres van de klant van rij {firstRow}, die is afgekeurd; verbeter die rij en importeer beide opnieuw.',
  // Against the stored customers
  id_not_found: 'Geen klant heeft Clientele-ID {id}. Laat de cel leeg om een nieuwe klant aan te maken.',
  'identity_conflict.id_other': 'Clientele-ID {id} hoort bij een andere klant dan het e-mailadres of externe ID van deze rij (klant #{other}, {otherEmail}).',
  'identity_conflict.id_email': 'Clientele-ID {id} is klant #{other} ({otherEmail}), met een ander e-mailadres dan in deze rij. Wil je het e-mailadres van een klant wijzigen, herken klanten dan aan hun Clientele-ID.',
  'identity_conflict.email_taken': 'Het e-mailadres {email} hoort al bij klant #{other} ({otherEmail}).',
  'identity_conflict.email_claimed': 'Het e-mailadres {email} wordt in rij {firstRow} ook aan een andere klant gegeven.',
  'identity_conflict.external_taken': 'Extern ID {externalId} hoort al bij klant #{other} ({otherEmail}).',
  'identity_conflict.external_ambiguous': 'Extern ID {externalId} kan zonder voorloopnullen elk van deze klanten zijn: {stored}; zet het volledige externe ID in het bestand.',
  'identity_conflict.email_taken.matched': 'Het e-mailadres {email} hoort bij klant #{other} ({otherEmail}), maar het {key} van deze rij is klant #{matched} ({matchedEmail}): de rij wordt op geen van beide toegepast.',
  'identity_conflict.external_taken.matched': 'Extern ID {externalId} hoort bij klant #{other} ({otherEmail}), maar het {key} van deze rij is klant #{matched} ({matchedEmail}): de rij wordt op geen van beide toegepast.',
  'identity_conflict.phone_ambiguous': 'Telefoonnummer {phone} hoort bij {count} klanten ({stored}); herken deze rijen aan e-mailadres of extern ID.',
  'identity_conflict.external_claimed': 'Extern ID {externalId} wordt in rij {firstRow} ook aan een andere klant gegeven.',
  exists_create_only: 'Klant #{other} bestaat al; deze import maakt alleen nieuwe klanten aan.',
  unknown_customer: 'Geen klant heeft deze {column} (“{value}”): een adressenbestand voegt adressen toe aan klanten die er al zijn. Importeer eerst de klant, of verbeter de waarde.',
  address_empty: 'Deze rij bevat geen adres: vul minstens een straat, postcode, plaats of land in.',
  address_command_invalid: '“{value}” is geen adresopdracht. Laat de cel leeg of schrijf merge (of toevoegen) om het adres toe te voegen of bij te werken, replace (of vervangen) om de adressen uit het bestand het hele adresboek van de klant te maken, delete (of verwijderen) om het te verwijderen.',
  not_found_update_only: 'Geen klant heeft deze waarde ({value}); deze import werkt alleen bestaande klanten bij of kan geen klanten met een Clientele-ID aanmaken.',
  group_unknown: 'Er is geen klantgroep {groups}; maak de groep eerst aan, of laat de import onbekende groepen aanmaken.',
  // The file
  empty: 'Het bestand is leeg.',
  legacy_xls: 'Dit is een oude Excel 97–2003-werkmap (.xls), die Clientele niet leest. Open het in Excel (of LibreOffice) en kies Bestand › Opslaan als › “Excel-werkmap (.xlsx)” of “CSV UTF-8”, en upload dat bestand.',
  pdf: 'Dit is een PDF-document, geen spreadsheet. Exporteer de klanten uit het oorspronkelijke programma als CSV of Excel (.xlsx).',
  image: 'Dit is een afbeelding, geen spreadsheet. Upload een CSV- of Excel-bestand (.xlsx).',
  archive: 'Dit is een gecomprimeerd archief. Pak het uit en upload het CSV- of Excel-bestand (.xlsx) dat erin zit.',
  office_document: 'Dit is een tekstdocument, presentatie of OpenDocument-bestand, geen Excel-werkmap. Sla het op als .xlsx of CSV UTF-8 en upload dat bestand.',
  html: 'Dit is een webpagina of XML-bestand met de naam van een spreadsheet. Sla het op als .xlsx of CSV UTF-8 en upload dat bestand.',
  binary: 'Dit bestand is geen tekst (CSV) en geen Excel-werkmap. Upload een CSV-, TSV- of XLSX-bestand.',
  too_large: 'Het bestand is groter dan {maxMb} MB, het maximum voor een import. Splits het in kleinere bestanden.',
  unterminated_quote: 'Een aanhalingsteken (") in de rij die op regel {line} begint, wordt nooit gesloten, dus de rest van het bestand kan niet worden gelezen. Sluit het aanhalingsteken of haal het weg en upload het bestand opnieuw.',
  record_too_large: 'De rij die op regel {line} begint is langer dan {max} tekens; waarschijnlijk wordt een aanhalingsteken (") nooit gesloten. Herstel het bestand en upload het opnieuw.',
  too_many_columns: 'Rij {rowNumber} heeft {columns} kolommen; er kunnen er maximaal {max} worden geïmporteerd.',
  too_many_rows: 'Het bestand heeft meer dan {max} rijen.',
  decompressed_too_large: 'De werkmap is uitgepakt groter dan toegestaan; hij kan niet worden geïmporteerd.',
  compression_too_high: 'Het onderdeel {part} van de werkmap zou uitpakken van {compressedKb} KB tot {sizeMb} MB, {ratio} keer zo groot. Zo comprimeert geen enkele werkmap (het lijkt op een zipbom), dus hij is geweigerd zonder hem uit te pakken. Komt het bestand uit Excel? Open het daar, sla het opnieuw op als .xlsx en upload dat bestand.',
  too_many_zip_entries: 'De werkmap bestaat uit {count} onderdelen; een werkmap heeft er een paar dozijn, en er worden er maximaal {max} geaccepteerd. Dit is geen werkmap die Excel heeft geschreven (mogelijk een zipbom), dus hij is geweigerd zonder hem uit te pakken.',
  sheet_not_found: 'De werkmap heeft geen tabblad “{sheet}”.',
  damaged_file: 'Het Excel-bestand kan niet worden gelezen. Open het in Excel, sla het opnieuw op als .xlsx en upload dat bestand.',
  // Warnings and mapping notes
  nul_bytes: 'Het bestand bevat NUL-tekens; die worden bij het lezen weggelaten.',
  no_data_rows: 'Het bestand heeft kolomkoppen maar geen rijen met gegevens.',
  field_already_mapped: 'Niet geïmporteerd: kolom “{otherColumn}” is al aan dit veld gekoppeld.',
  ignored_by_preset: 'Niet geïmporteerd: {preset} schrijft deze kolom alleen ter informatie.',
  'ignored_by_preset.export_only': 'Niet geïmporteerd: alleen de export schrijft “{heading}”; een import verandert het niet.',
  'ignored_by_preset.staff_only': 'Niet geïmporteerd: alleen de export schrijft “{heading}”; een import verandert het niet: btw verlegd zet alleen een medewerker.',
  no_heading: 'Kolom {column} heeft geen kop.',
  moved_to_other_column: 'Dit veld komt nu uit een andere kolom.',
  'values_do_not_fit.flags': 'Niet gekoppeld aan “{labelNl}”: de kolom bevat alleen ja/nee-waarden (zoals 0/1).',
  'values_do_not_fit.numbers': 'Niet gekoppeld aan “{labelNl}”: de kolom bevat alleen getallen.',
  'values_do_not_fit.ids': 'Niet gekoppeld aan “{labelNl}”: de kolom bevat record-ID’s.',
  'values_do_not_fit.not_insertions': 'Niet gekoppeld aan “{labelNl}”: de waarden zijn geen tussenvoegsels zoals “van” of “de” (titels en voorletters zijn dat niet).',
};

const dutchLabel = (field: string | undefined, fallback: string | number | undefined) =>
  (field && customerFieldByKey.get(field)?.headings.nl) ?? (field === 'id' ? 'Clientele-ID' : fallback);

/** Fills `{name}` from the params; undefined when a placeholder has no value. */
function fill(template: string, params: Params): string | undefined {
  let isComplete = true;
  const text = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) isComplete = false;
    return String(value ?? '');
  });
  return isComplete ? text : undefined;
}

/** The keys a row is recognised by, as `keyName` (plan.ts) words them, in Dutch. */
const dutchKeyNames: Record<string, string> = { 'e-mail address': 'e-mailadres', 'Clientele ID': 'Clientele-ID', 'external ID': 'externe ID', 'phone number': 'telefoonnummer' };

export function localizeMessage(problem: Localizable, language: StaffLanguage): string {
  if (language === 'en') return problem.message;
  const params: Record<string, string | number> = { ...problem.params };
  let key = problem.code;
  if (problem.code === 'required' || problem.code === 'consent_kept_unsubscribed') {
    params.field = dutchLabel(problem.field, params.field) ?? '';
    if (params.reason === 'match') key = 'required_match';
    if (params.reason === 'match_either') key = 'required_match_either';
  }
  if (problem.code === 'duplicate_in_file' && typeof params.reason === 'string') key = `duplicate_in_file.${params.reason}`;
  if (problem.code === 'duplicate_in_file') params.what = problem.field === 'email' ? 'e-mailadres' : (dutchLabel(problem.field, problem.field) ?? '');
  if (problem.code === 'cell_too_long' && typeof params.columnIndex === 'number') params.column = params.columnIndex + 1;
  if (problem.code === 'cell_too_long' && params.kept !== undefined) key = 'cell_too_long.kept';
  if (problem.code === 'identity_conflict') key = `identity_conflict.${String(params.kind)}${params.matched !== undefined ? '.matched' : ''}`;
  if (typeof params.key === 'string') params.key = dutchKeyNames[params.key] ?? params.key;
  if (problem.code === 'leading_zero_lost' && problem.field === 'cocNumber') key = 'leading_zero_lost.cocNumber';
  if (problem.code === 'email_invalid' && params.suggestion !== undefined) key = 'email_invalid.suggestion';
  if (problem.code === 'phone_invalid' && params.shopCountry !== undefined) key = 'phone_invalid.shop_country';
  if (problem.code === 'letters_replaced' && params.stored !== undefined) key = 'letters_replaced.stored';
  if (problem.code === 'extra_cells' && typeof params.cells === 'string') params.cells = params.cells.replace(/\bcolumn (\d+)/g, 'kolom $1');
  if (problem.code === 'date_in_future' && problem.field === 'customerSince') key = 'date_in_future.customerSince';
  if (problem.code === 'probable_duplicate' && params.reason === 'email') key = 'probable_duplicate.email';
  if (problem.code === 'company_matched_by_name' && params.source === 'file') key = 'company_matched_by_name.file';
  if (problem.code === 'values_do_not_fit') key = `values_do_not_fit.${String(params.reason)}`;
  if (problem.code === 'ignored_by_preset' && (params.reason === 'export_only' || params.reason === 'staff_only')) key = `ignored_by_preset.${params.reason}`;
  // The register number's forms are told in the one table of company-numbers.ts.
  if (problem.code === 'coc_invalid') return cocNumberWarningDutch(params) ?? problem.message;
  if (problem.code === 'company_file_number_left_out') {
    const number = cocNumberWarningDutch(params);
    return number ? `${number} Het bedrijf komt binnen zonder dit nummer: een bedrijf kan geen onjuist nummer hebben. Verbeter het in het bestand en importeer opnieuw, of vul het in bij het bedrijf.` : problem.message;
  }
  if (problem.code === 'company_number_invalid') {
    const number = cocNumberWarningDutch(params);
    return number ? `${number} Het bedrijf wordt gevonden of aangemaakt zonder dit nummer; de klant houdt het zoals getypt.` : problem.message;
  }
  const template = dutch[key];
  return (template && fill(template, params)) ?? problem.message;
}

/** A copy with the message in `language`. */
export function localized<T extends Localizable>(problem: T, language: StaffLanguage): T {
  return { ...problem, message: localizeMessage(problem, language) };
}
