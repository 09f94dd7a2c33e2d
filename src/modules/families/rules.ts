// How a family's members are related to it.
import { FormErrors, choice, type Body } from '../../platform/forms.ts';

export const RELATIONSHIPS = {
  young_person: 'The young person the work is about',
  parent_carer: 'Parent or carer',
  step_parent: 'Step-parent or parent’s partner',
  sibling: 'Brother or sister',
  half_sibling: 'Half or step brother or sister',
  grandparent: 'Grandparent',
  aunt_uncle: 'Aunt or uncle',
  cousin: 'Cousin',
  child: 'Their child',
  other_household: 'Other member of the household',
} as const;
const RELATIONSHIP_CODES = Object.keys(RELATIONSHIPS) as (keyof typeof RELATIONSHIPS)[];

export function readRelationship(body: Body, errors: FormErrors) {
  return choice(body, 'relationship', errors, RELATIONSHIP_CODES, 'Select how they are related to the family');
}

