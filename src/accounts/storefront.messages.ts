import {
  addressBookLabels,
  addressLabels,
  addressPartLabels,
  customerFieldLabels,
  type LabelLanguage,
} from '../customers/field-labels.ts';

/** Field names come from the one source of field labels, so My account says what the back office says. */
function fieldLabelTexts(language: LabelLanguage) {
  const field = customerFieldLabels;
  const part = addressPartLabels;
  return {
    email: field.email[language],
    firstName: field.firstName[language],
    nameInsertion: field.nameInsertion[language],
    lastName: field.lastName[language],
    phone: field.phone[language],
    isCompany: field.isCompany[language],
    companyName: field.companyName[language],
    cocNumber: field.cocNumber[language],
    vatNumber: field.vatNumber[language],
    billingTitle: addressLabels.billing[language],
    shippingTitle: addressLabels.shipping[language],
    shippingSame: field.shippingSameAsBilling[language],
    attention: part.attention[language],
    shippingCompany: part.company[language],
    street: part.street[language],
    number: part.number[language],
    extension: part.extension[language],
    address2: part.address2[language],
    postcode: part.postcode[language],
    city: part.city[language],
    region: part.region[language],
    country: part.country[language],
    addressLabel: addressBookLabels.label[language],
    addressPhone: addressBookLabels.phone[language],
    defaultBilling: addressBookLabels.defaultBilling[language],
    defaultShipping: addressBookLabels.defaultShipping[language],
  };
}

/**
 * Texts of the storefront account pages. Adding a language is adding an object here with the
 * same keys (the type makes a missing key a compile error).
 */
const en = {
  ...fieldLabelTexts('en'),
  htmlLang: 'en',
  isBusiness: 'I’m registering for a business',
  businessTitle: 'Your company',
  businessIntro: 'We check the numbers in the form the Chamber of Commerce and the tax office use.',
  cocCountry: 'Country of registration',
  cocHint: 'Netherlands: KvK number, 8 digits. Belgium: enterprise number, like 0123.456.749. Germany: HRB 12345.',
  vatHint: 'With the country code, like NL000099998B57.',
  companyIntro: 'Your company as we know it. Something wrong? Contact our customer service.',
  vatCheckValid: 'Confirmed valid by the EU’s VIES service on {date}.',
  vatCheckInvalid: 'Not recognised by the EU’s VIES service on {date}. Please check it with us.',
  vatCheckUnavailable: 'Could not be checked yet.',
  vatCheckNone: 'Not checked yet.',
  companyAddresses: 'Company addresses',
  noCompanyAddresses: 'No company addresses yet.',
  contactsTitle: 'Contacts',
  contactName: 'Name',
  contactRole: 'Role',
  you: 'you',
  primaryContact: 'primary contact',
  youArePrimary: 'You are the primary contact of this company.',
  yourRole: 'Your role: {role}.',
  myAddresses: 'My addresses',
  addressesIntro: 'The addresses we can send invoices and orders to. Your default billing and shipping addresses are used unless you choose another one.',
  noAddresses: 'You have no addresses yet.',
  addAddress: 'Add an address',
  editAddress: 'Change address',
  saveAddress: 'Save address',
  deleteAddress: 'Delete',
  deleteAddressTitle: 'Delete this address?',
  deleteAddressBody: '{address} is removed from your addresses.',
  deleteAddressDefault: 'It is your default address; choose another one afterwards.',
  deleteAddressConfirm: 'Yes, delete it',
  cancel: 'Cancel',
  makeDefaultBilling: 'Use for invoices',
  makeDefaultShipping: 'Use for deliveries',
  addressSaved: 'Address saved.',
  addressDeleted: 'Address deleted.',
  addressNotFound: 'This address was not found in your account.',
  addressExists: 'You already have this address.',
  addressNeedsSomething: 'Fill in at least a street, postcode, city or country.',
  labelHint: 'For example Home or Work.',
  backToAddresses: 'Back to my addresses',
  account: 'My account',
  login: 'Log in',
  logout: 'Log out',
  register: 'Create an account',
  password: 'Password',
  newPassword: 'New password',
  passwordConfirmation: 'Repeat the password',
  currentPassword: 'Current password',
  passwordHint:
    'At least 10 characters. A few unrelated words make a strong password that is easy to remember.',
  forgotPassword: 'Forgot your password?',
  forgotIntro: 'Enter your e-mail address and we will send you a link to choose a new password.',
  forgotSend: 'Send',
  forgotSentTitle: 'Check your e-mail',
  forgotSent:
    'If an account exists for this e-mail address, we have just sent a link to choose a new password. The link works for one hour. Nothing arrived? Check your spam folder, or try again in a few minutes.',
  backToLogin: 'Back to log in',
  noAccountYet: 'No account yet?',
  haveAccount: 'Already have an account?',
  oldShopHint:
    'Were you a customer of our old shop? Your account came along: use “Forgot your password?” to set a password.',
  resetTitle: 'Choose a new password',
  resetSave: 'Save password and log in',
  resetInvalidTitle: 'This link no longer works',
  resetInvalid:
    'Links to set a password work once and expire after a while. Request a new link and use the newest e-mail.',
  requestNewLink: 'Request a new link',
  welcome: 'Welcome',
  detailsTitle: 'Personal and business details',
  chooseCountry: 'Choose a country',
  save: 'Save',
  saved: 'Your details are saved.',
  detailsChangedMeanwhile:
    'Your details were changed in the meantime (for example by our customer service), so nothing was saved. Below are your details as they are now: make your change again and save.',
  passwordTitle: 'Change password',
  consentTitle: 'Newsletter and offers',
  consentEmail: 'Send me the newsletter by e-mail',
  consentSms: 'Send me offers by SMS',
  consentSince: 'Subscribed since {date}.',
  consentSave: 'Save my choices',
  consentSaved: 'Your choices are saved.',
  passwordChanged: 'Your password is changed. Other devices have been logged out.',
  passwordSetLoggedIn: 'Your password is saved and you are logged in.',
  registered: 'Your account is ready.',
  registerSent:
    'We have sent a message to {email}. Your account is ready: log in with this address and the password you chose. Was there already an account with this address? Then the e-mail says so and what to do; nothing about that account has changed.',
  formErrors: 'Please check the fields marked below.',
  sessionExpired: 'This page was open too long. Please try again.',
  tooMany: 'Too many attempts. Please wait a few minutes and try again.',
  language: 'Language',
  skipToContent: 'Skip to content',
  loginFailed:
    'The e-mail address or password is incorrect. Were you a customer of our old shop? Then set a password with “Forgot your password?”.',
  mustReset:
    'Please choose a new password first: use “Forgot your password?” and follow the link in the e-mail.',
} as const;

export type Messages = { [K in keyof typeof en]: string };

const nl: Messages = {
  ...fieldLabelTexts('nl'),
  htmlLang: 'nl',
  isBusiness: 'Ik registreer me voor een bedrijf',
  businessTitle: 'Je bedrijf',
  businessIntro: 'We controleren de nummers in de vorm die de Kamer van Koophandel en de Belastingdienst gebruiken.',
  cocCountry: 'Land van inschrijving',
  cocHint: 'Nederland: KvK-nummer, 8 cijfers. België: ondernemingsnummer, zoals 0123.456.749. Duitsland: HRB 12345.',
  vatHint: 'Met de landcode, zoals NL000099998B57.',
  companyIntro: 'Je bedrijf zoals wij het kennen. Klopt er iets niet? Neem contact op met onze klantenservice.',
  vatCheckValid: 'Op {date} door de VIES-dienst van de EU als geldig bevestigd.',
  vatCheckInvalid: 'Op {date} niet herkend door de VIES-dienst van de EU. Neem contact met ons op.',
  vatCheckUnavailable: 'Kon nog niet worden gecontroleerd.',
  vatCheckNone: 'Nog niet gecontroleerd.',
  companyAddresses: 'Bedrijfsadressen',
  noCompanyAddresses: 'Nog geen bedrijfsadressen.',
  contactsTitle: 'Contactpersonen',
  contactName: 'Naam',
  contactRole: 'Rol',
  you: 'jij',
  primaryContact: 'hoofdcontactpersoon',
  youArePrimary: 'Je bent de hoofdcontactpersoon van dit bedrijf.',
  yourRole: 'Je rol: {role}.',
  myAddresses: 'Mijn adressen',
  addressesIntro: 'De adressen waar we facturen en bestellingen naartoe kunnen sturen. Je standaard factuur- en afleveradres worden gebruikt tenzij je een ander kiest.',
  noAddresses: 'Je hebt nog geen adressen.',
  addAddress: 'Adres toevoegen',
  editAddress: 'Adres wijzigen',
  saveAddress: 'Adres opslaan',
  deleteAddress: 'Verwijderen',
  deleteAddressTitle: 'Dit adres verwijderen?',
  deleteAddressBody: '{address} wordt uit je adressen verwijderd.',
  deleteAddressDefault: 'Het is je standaardadres; kies daarna een ander.',
  deleteAddressConfirm: 'Ja, verwijderen',
  cancel: 'Annuleren',
  makeDefaultBilling: 'Gebruiken voor facturen',
  makeDefaultShipping: 'Gebruiken voor leveringen',
  addressSaved: 'Adres opgeslagen.',
  addressDeleted: 'Adres verwijderd.',
  addressNotFound: 'Dit adres staat niet in je account.',
  addressExists: 'Dit adres heb je al.',
  addressNeedsSomething: 'Vul minstens een straat, postcode, plaats of land in.',
  labelHint: 'Bijvoorbeeld Thuis of Werk.',
  backToAddresses: 'Terug naar mijn adressen',
  account: 'Mijn account',
  login: 'Inloggen',
  logout: 'Uitloggen',
  register: 'Account aanmaken',
  password: 'Wachtwoord',
  newPassword: 'Nieuw wachtwoord',
  passwordConfirmation: 'Herhaal het wachtwoord',
  currentPassword: 'Huidig wachtwoord',
  passwordHint:
    'Minstens 10 tekens. Een paar losse woorden geven een sterk wachtwoord dat je makkelijk onthoudt.',
  forgotPassword: 'Wachtwoord vergeten?',
  forgotIntro: 'Vul je e-mailadres in, dan sturen we je een link om een nieuw wachtwoord te kiezen.',
  forgotSend: 'Versturen',
  forgotSentTitle: 'Kijk in je e-mail',
  forgotSent:
    'Als er een account bestaat voor dit e-mailadres, hebben we zojuist een link gestuurd om een nieuw wachtwoord te kiezen. De link werkt één uur. Niets ontvangen? Kijk in je spammap of probeer het over een paar minuten opnieuw.',
  backToLogin: 'Terug naar inloggen',
  noAccountYet: 'Nog geen account?',
  haveAccount: 'Heb je al een account?',
  oldShopHint:
    'Was je klant in onze oude winkel? Je account is meeverhuisd: stel een wachtwoord in via “Wachtwoord vergeten?”.',
  resetTitle: 'Kies een nieuw wachtwoord',
  resetSave: 'Wachtwoord opslaan en inloggen',
  resetInvalidTitle: 'Deze link werkt niet meer',
  resetInvalid:
    'Links om een wachtwoord in te stellen werken één keer en verlopen na een tijdje. Vraag een nieuwe link aan en gebruik de nieuwste e-mail.',
  requestNewLink: 'Nieuwe link aanvragen',
  welcome: 'Welkom',
  detailsTitle: 'Persoons- en bedrijfsgegevens',
  chooseCountry: 'Kies een land',
  save: 'Opslaan',
  saved: 'Je gegevens zijn opgeslagen.',
  detailsChangedMeanwhile:
    'Je gegevens zijn intussen gewijzigd (bijvoorbeeld door onze klantenservice), dus er is niets opgeslagen. Hieronder staan je gegevens zoals ze nu zijn: pas ze opnieuw aan en sla op.',
  passwordTitle: 'Wachtwoord wijzigen',
  consentTitle: 'Nieuwsbrief en aanbiedingen',
  consentEmail: 'Stuur mij de nieuwsbrief per e-mail',
  consentSms: 'Stuur mij aanbiedingen per sms',
  consentSince: 'Aangemeld sinds {date}.',
  consentSave: 'Mijn keuzes opslaan',
  consentSaved: 'Je keuzes zijn opgeslagen.',
  passwordChanged: 'Je wachtwoord is gewijzigd. Andere apparaten zijn uitgelogd.',
  passwordSetLoggedIn: 'Je wachtwoord is opgeslagen en je bent ingelogd.',
  registered: 'Je account is klaar.',
  registerSent:
    'We hebben een bericht gestuurd naar {email}. Je account is klaar: log in met dit adres en het wachtwoord dat je hebt gekozen. Bestond er al een account met dit adres? Dan staat in de e-mail wat je kunt doen; aan dat account is niets veranderd.',
  formErrors: 'Controleer de velden hieronder.',
  sessionExpired: 'Deze pagina stond te lang open. Probeer het opnieuw.',
  tooMany: 'Te veel pogingen. Wacht een paar minuten en probeer het opnieuw.',
  language: 'Taal',
  skipToContent: 'Naar de inhoud',
  loginFailed:
    'Het e-mailadres of wachtwoord klopt niet. Was je klant in onze oude winkel? Stel dan een wachtwoord in via “Wachtwoord vergeten?”.',
  mustReset: 'Kies eerst een nieuw wachtwoord: gebruik “Wachtwoord vergeten?” en volg de link in de e-mail.',
};

export const storefrontLanguages = ['en', 'nl'] as const;
export type StorefrontLanguage = (typeof storefrontLanguages)[number];
export const messages: Record<StorefrontLanguage, Messages> = { en, nl };

/** Field error codes → text in the page's language (the API's English message is the fallback). */
export const fieldErrorTexts: Record<StorefrontLanguage, Record<string, string>> = {
  en: {
    company_name_required: 'Fill in the name of the company.',
    country_unknown: 'Choose a country from the list.',
    postcode_invalid: 'This postcode does not fit the country. Check it, or choose the right country.',
    postcode_not_issued: 'This postcode does not exist. Check the letters.',
    phone_invalid: 'This is not a valid phone number. Include the country code for numbers abroad, e.g. +32 2 123 45 67.',
    phone_unassigned: 'This phone number does not exist. Check the digits.',
  },
  nl: {
    password_too_short: 'Gebruik minstens 10 tekens.',
    password_too_long: 'Gebruik hoogstens 200 tekens.',
    password_too_common: 'Dit wachtwoord proberen aanvallers als eerste. Kies een ander.',
    password_like_email: 'Gebruik niet je e-mailadres of naam als wachtwoord.',
    password_mismatch: 'De twee wachtwoorden zijn niet gelijk.',
    password_incorrect: 'Dit is niet je huidige wachtwoord.',
    email_invalid: 'Dit is geen geldig e-mailadres.',
    email_taken: 'Er bestaat al een account met dit e-mailadres. Log in of gebruik “Wachtwoord vergeten?”.',
    phone_invalid: 'Dit is geen geldig telefoonnummer.',
    country_unknown: 'Kies een land uit de lijst.',
    postcode_invalid: 'Deze postcode past niet bij het land. Controleer hem, of kies het juiste land.',
    postcode_not_issued: 'Deze postcode bestaat niet. Controleer de letters.',
    phone_unassigned: 'Dit telefoonnummer bestaat niet. Controleer de cijfers.',
    vat_invalid: 'Dit is geen geldig btw-nummer; begin met de landcode, bijvoorbeeld NL123456789B01.',
    too_long: 'Deze tekst is te lang.',
    required: 'Vul dit veld in.',
    company_name_required: 'Vul de naam van het bedrijf in.',
  },
};

/** Picks the page language: ?lang=, then the remembered cookie, then the browser's Accept-Language. */
export function pickLanguage(
  query: string | undefined,
  cookie: string | undefined,
  acceptLanguage: string | undefined,
): StorefrontLanguage {
  const isSupported = (value: string | undefined): value is StorefrontLanguage =>
    (storefrontLanguages as readonly string[]).includes(value ?? '');
  if (isSupported(query)) return query;
  if (isSupported(cookie)) return cookie;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const quality = Number(
        params
          .find((param) => param.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? '1',
      );
      return { language: tag.slice(0, 2).toLowerCase(), quality: Number.isNaN(quality) ? 0 : quality };
    })
    .sort((a, b) => b.quality - a.quality);
  return (
    (ranked.find((entry) => isSupported(entry.language))?.language as StorefrontLanguage | undefined) ?? 'en'
  );
}
