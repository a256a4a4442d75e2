import type { Address, Customer, ShippingAddress } from '../../../../src/customers/customer.schemas.ts';
import { genders } from '../../../../src/customers/customer.schemas.ts';
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
  notes: string;
  groupIds: string[];
};

export const addressFields = ['attention', 'street', 'number', 'extension', 'address2', 'postcode', 'city', 'region', 'country'] as const;

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
    notes: '',
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
    birthDate: customer.birthDate ?? '',
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
    notes: customer.notes,
    groupIds: customer.groups.map((group) => String(group.id)),
  };
}

const isGender = (value: string): value is (typeof genders)[number] => (genders as readonly string[]).includes(value);

/** The request body for POST/PATCH /customers; the server validates and normalises it. */
export function customerSaveInput(values: CustomerFormValues): CustomerSaveInput {
  return {
    ...values,
    gender: isGender(values.gender) ? values.gender : null,
    birthDate: values.birthDate.trim() === '' ? null : values.birthDate.trim(),
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
  'phone',
  'mobile',
  'language',
  'isCompany',
  'companyName',
  'cocNumber',
  'vatNumber',
  'shippingSameAsBilling',
  'newsletter',
  'notes',
  'groupIds',
  ...addressFields.map((field) => `billingAddress.${field}`),
  ...addressFields.map((field) => `shippingAddress.${field}`),
  'shippingAddress.company',
]);
