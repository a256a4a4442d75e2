import type { TemplateKey } from './placeholders.ts';

export const templateLanguages = ['en', 'nl'] as const;
export type TemplateLanguage = (typeof templateLanguages)[number];
export type TemplateContent = { subject: string; bodyHtml: string };

/**
 * The shipped templates. Staff can change them per language in Settings > Notification e-mails;
 * a template that was never saved (or was reset) uses these.
 */
export const defaultTemplates: Record<TemplateKey, Record<TemplateLanguage, TemplateContent>> = {
  account_password: {
    en: {
      subject: 'Set your password for [[shop_name]]',
      bodyHtml: [
        '<p>Dear [[first_name]],</p>',
        '<p>[[shop_name]] has moved to a new system. Your account, your addresses and your details came along, but for your safety your password did not.</p>',
        '<p>Choose a new password with the link below and you can log in again straight away:</p>',
        '<p><a href="[[reset_link]]">Set my password</a></p>',
        '<p>The link works once and expires after a while. Did it expire? Use “Forgot your password?” on the login page of <a href="[[shop_url]]">[[shop_name]]</a> to get a new one.</p>',
        '<p>Did you not expect this e-mail? Then you can simply ignore it; nothing changes without the link.</p>',
        '<p>Kind regards,<br>[[shop_name]]</p>',
      ].join('\n'),
    },
    nl: {
      subject: 'Stel je wachtwoord in voor [[shop_name]]',
      bodyHtml: [
        '<p>Beste [[first_name]],</p>',
        '<p>[[shop_name]] is overgestapt op een nieuw systeem. Je account, adressen en gegevens zijn meeverhuisd, maar je wachtwoord voor je veiligheid niet.</p>',
        '<p>Kies met de link hieronder een nieuw wachtwoord en je kunt meteen weer inloggen:</p>',
        '<p><a href="[[reset_link]]">Mijn wachtwoord instellen</a></p>',
        '<p>De link werkt één keer en verloopt na een tijdje. Verlopen? Gebruik dan “Wachtwoord vergeten?” op de inlogpagina van <a href="[[shop_url]]">[[shop_name]]</a> voor een nieuwe link.</p>',
        '<p>Had je deze e-mail niet verwacht? Dan kun je hem gewoon negeren; zonder de link verandert er niets.</p>',
        '<p>Met vriendelijke groet,<br>[[shop_name]]</p>',
      ].join('\n'),
    },
  },
  password_reset: {
    en: {
      subject: 'Reset your password for [[shop_name]]',
      bodyHtml: [
        '<p>Dear [[first_name]],</p>',
        '<p>Someone, hopefully you, asked to choose a new password for your account [[email]] at [[shop_name]].</p>',
        '<p><a href="[[reset_link]]">Choose a new password</a></p>',
        '<p>The link works once and for one hour. Did you not ask for this? Then ignore this e-mail: your password stays as it is.</p>',
        '<p>Kind regards,<br>[[shop_name]]</p>',
      ].join('\n'),
    },
    nl: {
      subject: 'Nieuw wachtwoord kiezen voor [[shop_name]]',
      bodyHtml: [
        '<p>Beste [[first_name]],</p>',
        '<p>Iemand, hopelijk jij, heeft gevraagd om een nieuw wachtwoord voor je account [[email]] bij [[shop_name]].</p>',
        '<p><a href="[[reset_link]]">Kies een nieuw wachtwoord</a></p>',
        '<p>De link werkt één keer en één uur lang. Heb je hier niet om gevraagd? Negeer deze e-mail dan: je wachtwoord blijft zoals het is.</p>',
        '<p>Met vriendelijke groet,<br>[[shop_name]]</p>',
      ].join('\n'),
    },
  },
  account_created: {
    en: {
      subject: 'Welcome to [[shop_name]]',
      bodyHtml: [
        '<p>Dear [[first_name]],</p>',
        '<p>Welcome! Your account at [[shop_name]] is ready. You log in with [[email]] and the password you chose.</p>',
        '<p>In <a href="[[shop_url]]">your account</a> you keep your addresses and business details up to date.</p>',
        '<p>Kind regards,<br>[[shop_name]]</p>',
      ].join('\n'),
    },
    nl: {
      subject: 'Welkom bij [[shop_name]]',
      bodyHtml: [
        '<p>Beste [[first_name]],</p>',
        '<p>Welkom! Je account bij [[shop_name]] is klaar. Je logt in met [[email]] en het wachtwoord dat je hebt gekozen.</p>',
        '<p>In <a href="[[shop_url]]">je account</a> houd je je adressen en bedrijfsgegevens bij.</p>',
        '<p>Met vriendelijke groet,<br>[[shop_name]]</p>',
      ].join('\n'),
    },
  },
  registration_attempt: {
    en: {
      subject: 'Someone tried to create an account at [[shop_name]] with your address',
      bodyHtml: [
        '<p>Dear [[first_name]],</p>',
        '<p>Someone just tried to create a new account at [[shop_name]] with your e-mail address [[email]]. You already have an account with this address, so no new account was made and nothing about yours has changed.</p>',
        '<p>Was that you? Then log in at <a href="[[shop_url]]">[[shop_name]]</a> with your password. Forgot it, or did you never set one (for example because your account came from our old shop)? Use “Forgot your password?” on the login page.</p>',
        '<p>Was it not you? Then you can ignore this e-mail.</p>',
        '<p>Kind regards,<br>[[shop_name]]</p>',
      ].join('\n'),
    },
    nl: {
      subject: 'Iemand probeerde met je adres een account aan te maken bij [[shop_name]]',
      bodyHtml: [
        '<p>Beste [[first_name]],</p>',
        '<p>Iemand probeerde zojuist een nieuw account aan te maken bij [[shop_name]] met je e-mailadres [[email]]. Je hebt al een account met dit adres, dus er is geen nieuw account gemaakt en aan het jouwe is niets veranderd.</p>',
        '<p>Was jij dat? Log dan in bij <a href="[[shop_url]]">[[shop_name]]</a> met je wachtwoord. Ben je het vergeten, of heb je er nooit een ingesteld (bijvoorbeeld omdat je account uit onze oude winkel komt)? Gebruik dan “Wachtwoord vergeten?” op de inlogpagina.</p>',
        '<p>Was jij het niet? Dan kun je deze e-mail negeren.</p>',
        '<p>Met vriendelijke groet,<br>[[shop_name]]</p>',
      ].join('\n'),
    },
  },
  password_changed: {
    en: {
      subject: 'Your password for [[shop_name]] was changed',
      bodyHtml: [
        '<p>Dear [[first_name]],</p>',
        '<p>The password of your account [[email]] at [[shop_name]] was just changed.</p>',
        '<p>Was that you? Then there is nothing to do. Was it not? Use “Forgot your password?” on the login page of <a href="[[shop_url]]">[[shop_name]]</a> right away to choose a new one, and let us know.</p>',
        '<p>Kind regards,<br>[[shop_name]]</p>',
      ].join('\n'),
    },
    nl: {
      subject: 'Je wachtwoord voor [[shop_name]] is gewijzigd',
      bodyHtml: [
        '<p>Beste [[first_name]],</p>',
        '<p>Het wachtwoord van je account [[email]] bij [[shop_name]] is zojuist gewijzigd.</p>',
        '<p>Was jij dat? Dan hoef je niets te doen. Was jij het niet? Gebruik dan meteen “Wachtwoord vergeten?” op de inlogpagina van <a href="[[shop_url]]">[[shop_name]]</a> om een nieuw wachtwoord te kiezen, en laat het ons weten.</p>',
        '<p>Met vriendelijke groet,<br>[[shop_name]]</p>',
      ].join('\n'),
    },
  },
};
