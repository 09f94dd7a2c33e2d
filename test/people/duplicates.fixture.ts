// People on record, and new people typed in as a worker might type them: the
// known duplicates (swapped names, nicknames, typos, missing or mistyped
// dates of birth, a move of house) and look-alikes that are NOT the same
// person (twins, common names, siblings). `same` names the record a query
// really is, or null when it is a new person.

export interface Known {
  key: string;
  given: string;
  family: string;
  dob: string | null;
  sex: 'male' | 'female';
  postcode: string | null;
  nhs?: string;
}

export interface Query {
  given: string;
  family: string;
  dob: string | null;
  sex: 'male' | 'female';
  postcode: string | null;
  nhs?: string;
  same: string | null;
  why: string;
}

export const KNOWN: Known[] = [
  { key: 'jayden', given: 'Jayden', family: 'Okoro', dob: '2009-04-12', sex: 'male', postcode: 'E17 4PP' },
  { key: 'robert', given: 'Robert', family: 'Nowak', dob: '2008-11-02', sex: 'male', postcode: 'E17 9AB' },
  { key: 'mohammed', given: 'Mohammed', family: 'Rahman', dob: '2010-01-30', sex: 'male', postcode: 'E10 6QR', nhs: '9434765919' },
  { key: 'katherine', given: 'Katherine', family: 'Walsh', dob: '2007-06-18', sex: 'female', postcode: 'E4 8LN' },
  { key: 'tyrese', given: 'Tyrese', family: 'Campbell', dob: '2009-09-09', sex: 'male', postcode: 'E17 5JS' },
  { key: 'amelia', given: 'Amelia', family: 'Kowalczyk', dob: '2011-03-05', sex: 'female', postcode: 'E11 1HL' },
  { key: 'daniel', given: 'Daniel', family: 'Mensah', dob: '2006-12-24', sex: 'male', postcode: 'E17 7DN' },
  { key: 'aisha', given: 'Aisha', family: 'Begum', dob: '2008-08-14', sex: 'female', postcode: 'E10 5AU' },
  { key: 'marcus', given: 'Marcus', family: 'Thompson', dob: null, sex: 'male', postcode: 'E17 3AF' },
  { key: 'liam', given: 'Liam', family: "O'Connor", dob: '2010-05-21', sex: 'male', postcode: 'E4 9QJ' },
  { key: 'chloe', given: 'Chloe', family: 'Adeyemi', dob: '2009-02-11', sex: 'female', postcode: 'E17 6EJ' },
  { key: 'kwame', given: 'Kwame', family: 'Asante', dob: '2007-10-03', sex: 'male', postcode: 'E11 3PY' },
  { key: 'jordan-twin', given: 'Jordan', family: 'Clarke', dob: '2010-07-07', sex: 'male', postcode: 'E17 8HU' },
  { key: 'alfie', given: 'Alfred', family: 'Hughes', dob: '2008-03-27', sex: 'male', postcode: 'E4 6AB' },
  { key: 'sam-smith', given: 'Samuel', family: 'Smith', dob: '2009-12-01', sex: 'male', postcode: 'E17 4QS' },
  { key: 'nia', given: 'Nia', family: 'Williams-Brown', dob: '2011-08-19', sex: 'female', postcode: 'E10 7NE' },
  { key: 'ibrahim', given: 'Ibrahim', family: 'Yusuf', dob: '2006-04-04', sex: 'male', postcode: 'E17 6NT' },
  { key: 'zara', given: 'Zara', family: 'Hussain', dob: '2010-10-10', sex: 'female', postcode: 'E11 4QE' },
  { key: 'elijah', given: 'Elijah', family: 'Francis', dob: '2008-01-15', sex: 'male', postcode: 'E17 5BD' },
  { key: 'jessica', given: 'Jessica', family: 'Nunes', dob: '2007-07-29', sex: 'female', postcode: 'E4 7EX' },
];

export const QUERIES: Query[] = [
  { given: 'Okoro', family: 'Jayden', dob: '2009-04-12', sex: 'male', postcode: 'E17 4PP', same: 'jayden', why: 'first and last names swapped' },
  { given: 'Bob', family: 'Nowak', dob: '2008-11-02', sex: 'male', postcode: null, same: 'robert', why: 'nickname' },
  { given: 'Muhammad', family: 'Rahman', dob: '2010-01-30', sex: 'male', postcode: null, same: 'mohammed', why: 'another spelling' },
  { given: 'Mo', family: 'Rahmen', dob: null, sex: 'male', postcode: null, nhs: '9434765919', same: 'mohammed', why: 'same NHS number, nickname and typo' },
  { given: 'Kate', family: 'Walsh', dob: '2007-06-18', sex: 'female', postcode: 'E4 8LN', same: 'katherine', why: 'nickname' },
  { given: 'Tyrese', family: 'Cambell', dob: '2009-09-09', sex: 'male', postcode: null, same: 'tyrese', why: 'typo in last name' },
  { given: 'Tyreese', family: 'Campbell', dob: null, sex: 'male', postcode: 'E17 5JS', same: 'tyrese', why: 'typo, no date of birth' },
  { given: 'Amelia', family: 'Kowalczyk', dob: '2011-05-03', sex: 'female', postcode: null, same: 'amelia', why: 'day and month swapped' },
  { given: 'Daniel', family: 'Mensah', dob: '2006-12-24', sex: 'male', postcode: 'E4 1AA', same: 'daniel', why: 'moved house' },
  { given: 'Danny', family: 'Mensah', dob: null, sex: 'male', postcode: 'E17 7DN', same: 'daniel', why: 'nickname, no date of birth' },
  { given: 'Aysha', family: 'Begum', dob: '2008-08-14', sex: 'female', postcode: null, same: 'aisha', why: 'another spelling' },
  { given: 'Marcus', family: 'Thompson', dob: '2008-02-02', sex: 'male', postcode: 'E17 3AF', same: 'marcus', why: 'record has no date of birth' },
  { given: 'Liam', family: 'OConnor', dob: '2010-05-21', sex: 'male', postcode: null, same: 'liam', why: 'apostrophe left out' },
  { given: 'Chloe', family: 'Adeyemi', dob: '2009-02-12', sex: 'female', postcode: 'E17 6EJ', same: 'chloe', why: 'one digit of the date wrong' },
  { given: 'Kwame', family: 'Assante', dob: '2007-10-03', sex: 'male', postcode: 'E11 3PY', same: 'kwame', why: 'doubled letter' },
  { given: 'Alfie', family: 'Hughes', dob: '2008-03-27', sex: 'male', postcode: null, same: 'alfie', why: 'nickname' },
  { given: 'Sam', family: 'Smith', dob: '2009-12-01', sex: 'male', postcode: 'E17 4QS', same: 'sam-smith', why: 'nickname' },
  { given: 'Nia', family: 'Williams Brown', dob: '2011-08-19', sex: 'female', postcode: null, same: 'nia', why: 'hyphen left out' },
  { given: 'Ibrahim', family: 'Yusef', dob: '2006-04-04', sex: 'male', postcode: 'E17 6NT', same: 'ibrahim', why: 'another spelling' },
  { given: 'Hussain', family: 'Zara', dob: null, sex: 'female', postcode: 'E11 4QE', same: 'zara', why: 'swapped, no date of birth' },
  { given: 'Elija', family: 'Francis', dob: '2008-01-15', sex: 'male', postcode: null, same: 'elijah', why: 'letter missing' },
  { given: 'Jesica', family: 'Nunes', dob: '2007-07-29', sex: 'female', postcode: 'E4 7EX', same: 'jessica', why: 'letter missing' },
  // Not the same person.
  { given: 'Jayden', family: 'Okoro', dob: '2013-02-01', sex: 'male', postcode: 'E10 1AA', same: null, why: 'same name, another child' },
  { given: 'Jamie', family: 'Clarke', dob: '2010-07-07', sex: 'male', postcode: 'E17 8HU', same: null, why: 'twin brother' },
  { given: 'Samuel', family: 'Smith', dob: '2004-06-30', sex: 'male', postcode: 'E4 9ZZ', same: null, why: 'common name, another child' },
  { given: 'Fatima', family: 'Begum', dob: '2012-01-01', sex: 'female', postcode: 'E10 5AU', same: null, why: 'sister at the same address' },
  { given: 'Robert', family: 'Nowak', dob: '1979-03-14', sex: 'male', postcode: 'E17 9AB', same: null, why: 'father with the same name' },
  { given: 'Kofi', family: 'Asante', dob: '2009-05-05', sex: 'male', postcode: null, same: null, why: 'same surname' },
  { given: 'Grace', family: 'Okafor', dob: '2010-09-01', sex: 'female', postcode: 'E17 4PP', same: null, why: 'neighbour' },
  { given: 'Leon', family: 'Price', dob: '2008-04-12', sex: 'male', postcode: null, same: null, why: 'nobody like them' },
  { given: 'Mohammed', family: 'Rahman', dob: '2001-02-20', sex: 'male', postcode: 'E1 6AN', nhs: '4010232137', same: null, why: 'same common name, different NHS number' },
];
