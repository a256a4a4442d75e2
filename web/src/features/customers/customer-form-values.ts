import type { ConsentState } from '../../../../src/consent/consent.ts';
import type { UseFormReturnType } from '@mantine/form';
import { z } from 'zod';
import type { Address, Customer, ShippingAddress } from '../../../../src/customers/customer.schemas.ts';
import {
  customerInputSchema,
  genders,
  shippingAddressSchema,
} from '../../../../src/customers/customer.schemas.ts';
import type { CustomerSaveInput } from '../../api/customers.queries.ts';

/**
 * The customer form's values: everything as the inputs hold it (strings, booleans, group ids as
 * strings for the multi-select). Conversion to and from the API shape is pure and lives here.
 */
export type CustomerFormValues = {
  email: string;
  firstName: string;
  nameInsertion: string;
  lastName: string;
  gender: string;
  birthDate: string;
  /** Day-month-year as typed; empty: not known. */
  customerSince: string;
  phone: string;
  mobile: string;
  language: string;
  isCompany: boolean;
  companyName: string;
  cocNumber: string;
  vatNumber: string;
  billingAddress: Address;
  shippingSameAsBilling: boolean;
  shippingAddress: ShippingAddress;
  newsletter: boolean;
  /** SMS marketing on or off; with the stored state, so "off" withdraws only a subscription. */
  smsMarketing: boolean;
  smsConsent: ConsentState;
  notes: string;
  tags: string[];
  groupIds: string[];
};

export const addressFields = [
  'attention',
  'street',
  'number',
  'extension',
  'address2',
  'postcode',
  'city',
  'region',
  'country',
] as const;

const emptyAddress = (): Address => ({
  attention: '',
  street: '',
  number: '',
  extension: '',
  address2: '',
  postcode: '',
  city: '',
  region: '',
  country: '',
});

export function emptyCustomerFormValues(): CustomerFormValues {
  return {
    email: '',
    firstName: '',
    nameInsertion: '',
    lastName: '',
    gender: '',
    birthDate: '',
    customerSince: '',
    phone: '',
    mobile: '',
    language: '',
    isCompany: false,
    companyName: '',
    cocNumber: '',
    vatNumber: '',
    billingAddress: emptyAddress(),
    shippingSameAsBilling: true,
    shippingAddress: { ...emptyAddress(), company: '' },
    newsletter: false,
    smsMarketing: false,
    smsConsent: 'not_set',
    notes: '',
    tags: [],
    groupIds: [],
  };
}

export function customerFormValues(customer: Customer): CustomerFormValues {
  return {
    email: customer.email,
    firstName: customer.firstName,
    nameInsertion: customer.nameInsertion,
    lastName: customer.lastName,
    gender: customer.gender ?? '',
    birthDate: customer.birthDate ? europeanDate(customer.birthDate) : '',
    customerSince: customer.customerSince ? europeanDate(customer.customerSince) : '',
    phone: customer.phone,
    mobile: customer.mobile,
    language: customer.language,
    isCompany: customer.isCompany,
    companyName: customer.companyName,
    cocNumber: customer.cocNumber,
    vatNumber: customer.vatNumber,
    billingAddress: { ...customer.billingAddress },
    shippingSameAsBilling: customer.shippingSameAsBilling,
    shippingAddress: { ...customer.shippingAddress },
    newsletter: customer.newsletter,
    smsMarketing: customer.smsConsent === 'subscribed',
    smsConsent: customer.smsConsent,
    notes: customer.notes,
    tags: customer.tags,
    groupIds: customer.groups.map((group) => String(group.id)),
  };
}

/**
 * Birth dates are typed day-month-year ("12-03-1985"), as Dutch and most European shop staff write
 * them, whatever the browser's language; the server reads that form as well as YYYY-MM-DD.
 */
export function europeanDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match ? `${match[3]}-${match[2]}-${match[1]}` : isoDate;
}

const isGender = (value: string): value is (typeof genders)[number] =>
  (genders as readonly string[]).includes(value);

/** The request body for POST/PATCH /customers; the server validates and normalises it. */
export function customerSaveInput(formValues: CustomerFormValues): CustomerSaveInput {
  const { smsMarketing, smsConsent, ...values } = formValues;
  const isWithdrawn = !smsMarketing && (smsConsent === 'subscribed' || smsConsent === 'pending');
  return {
    ...values,
    smsConsent: smsMarketing ? 'subscribed' : isWithdrawn ? 'unsubscribed' : smsConsent,
    gender: isGender(values.gender) ? values.gender : null,
    birthDate: values.birthDate.trim() === '' ? null : values.birthDate.trim(),
    customerSince: values.customerSince.trim() === '' ? null : values.customerSince.trim(),
    language: values.language as CustomerSaveInput['language'],
    groupIds: values.groupIds.map(Number),
  };
}

/** Fields the form shows; a server error for any other path is listed above the form instead. */
export const formFieldPaths: ReadonlySet<string> = new Set([
  'email',
  'firstName',
  'nameInsertion',
  'lastName',
  'gender',
  'birthDate',
  'customerSince',
  'phone',
  'mobile',
  'language',
  'isCompany',
  'companyName',
  'cocNumber',
  'vatNumber',
  'shippingSameAsBilling',
  'newsletter',
  'smsConsent',
  'notes',
  'tags',
  'groupIds',
  ...addressFields.map((field) => `billingAddress.${field}`),
  ...addressFields.map((field) => `shippingAddress.${field}`),
  'shippingAddress.company',
]);

/**
 * The longest value the API accepts for a form field, read from the shared schema, so an input
 * can stop at that length instead of the server refusing the save.
 */
export function maxLengthOf(path: string): number | undefined {
  const [head, tail] = path.split('.') as [string, string | undefined];
  const shape: Record<string, z.ZodType | undefined> =
    tail === undefined
      ? customerInputSchema.shape
      : (shippingAddressSchema.shape as Record<string, z.ZodType>);
  const field = shape[tail ?? head];
  const inner = field instanceof z.ZodDefault ? field.unwrap() : field;
  return inner instanceof z.ZodString ? (inner.maxLength ?? undefined) : undefined;
}

/**
 * The one check made before sending: the e-mail address, with the same schema the server uses.
 * The server checks the other fields (phone, VAT, dates) after the e-mail, so without this a
 * mistyped address would hide those errors until a second save.
 */
export function emailProblem(email: string): 'required' | 'email_invalid' | undefined {
  if (email.trim() === '') return 'required';
  return customerInputSchema.shape.email.safeParse(email).success ? undefined : 'email_invalid';
}

/** Input props for a text field of the form: value, change handler, error, and its length limit. */
export function textFieldProps(form: UseFormReturnType<CustomerFormValues>, path: string) {
  return { ...form.getInputProps(path), maxLength: path === 'email' ? 254 : maxLengthOf(path) };
}
