import { InvalidArgumentError } from 'commander';

/** commander argument parser for counts and seeds. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return number;
}
