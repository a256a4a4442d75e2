import type { Command } from 'commander';
import { z } from 'zod';
import { createApp } from '../app.ts';
import type { Config } from '../config/config.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { staffInviteSchema } from '../staff/staff.schemas.ts';

const emailOnlySchema = z.object({
  email: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email({ error: 'This is not a valid e-mail address.' })),
});

/**
 * `clientele staff create` and `clientele staff reset-password`: for the administrator at the
 * server. Both print a one-time link (valid RESET_TOKEN_TTL_HOURS_STAFF_SENT hours for a new
 * user, one hour for a reset) instead of asking for a password, so no password passes a terminal.
 */
export function registerStaffCommands(program: Command, config: () => Config): void {
  const staff = program.command('staff').description('Manage back-office staff users');

  staff
    .command('create')
    .description('Create a staff user with a role and print a one-time link where they choose their password')
    .requiredOption('--email <email>', 'e-mail address to log in with')
    .requiredOption('--name <name>', 'full name')
    .option('--role <role>', 'staff or admin (administrator)', 'staff')
    .option('--language <language>', 'back-office language: en or nl', 'en')
    .action(async (options: { email: string; name: string; role: string; language: string }) => {
      const input = parseOrThrow(staffInviteSchema, options, 'The staff user is not valid.');
      const app = await createApp(config());
      try {
        const user = await app.staff.createUser({
          email: input.email,
          name: input.name,
          role: input.role,
          language: input.language,
        });
        const link = await app.staffPasswords.createLink(user.email, 'invite');
        console.log(
          `Staff user ${user.email} created with the role ${user.role === 'admin' ? 'administrator' : 'staff'}.`,
        );
        console.log(`Send them this one-time link to choose their password:\n  ${link}`);
      } finally {
        await app.close();
      }
    });

  staff
    .command('reset-password')
    .description('Print a one-time link (valid one hour) where a staff user chooses a new password')
    .requiredOption('--email <email>', 'the staff user’s e-mail address')
    .action(async (options: { email: string }) => {
      const { email } = parseOrThrow(emailOnlySchema, options, 'The e-mail address is not valid.');
      const app = await createApp(config());
      try {
        const link = await app.staffPasswords.createLink(email, 'reset');
        console.log(
          `One-time link for ${email} (valid one hour; the current password keeps working until it is used):\n  ${link}`,
        );
      } finally {
        await app.close();
      }
    });
}
