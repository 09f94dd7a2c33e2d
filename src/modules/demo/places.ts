// Real places in Waltham Forest for the borough demo (approximate points):
// seed 000 says violence clusters in town centres and "around and between
// schools", so incidents are drawn near these.
export interface DemoPlace {
  name: string;
  kind: 'town centre' | 'school' | 'station' | 'park';
  latitude: number;
  longitude: number;
}

export const WALTHAM_FOREST_PLACES: DemoPlace[] = [
  { name: 'Walthamstow town square', kind: 'town centre', latitude: 51.5832, longitude: -0.0205 },
  { name: 'Walthamstow Central station', kind: 'station', latitude: 51.583, longitude: -0.0199 },
  { name: 'High Road Leyton', kind: 'town centre', latitude: 51.5595, longitude: -0.0086 },
  { name: 'Leytonstone High Road', kind: 'town centre', latitude: 51.5686, longitude: 0.0079 },
  { name: 'Chingford Mount', kind: 'town centre', latitude: 51.6148, longitude: -0.0135 },
  { name: 'Blackhorse Road station', kind: 'station', latitude: 51.5866, longitude: -0.0412 },
  { name: 'Lloyd Park', kind: 'park', latitude: 51.5906, longitude: -0.0216 },
  { name: 'Walthamstow Academy', kind: 'school', latitude: 51.6035, longitude: -0.0352 },
  { name: 'Frederick Bremer School', kind: 'school', latitude: 51.5955, longitude: -0.006 },
  { name: 'Leytonstone School', kind: 'school', latitude: 51.5755, longitude: 0.011 },
  { name: 'Lammas School', kind: 'school', latitude: 51.5617, longitude: -0.0241 },
  { name: 'Kelmscott School', kind: 'school', latitude: 51.5771, longitude: -0.0291 },
  { name: 'Heathcote School', kind: 'school', latitude: 51.6262, longitude: 0.0032 },
];

export const GIVEN_NAMES = [
  'Aaliyah', 'Abdi', 'Adam', 'Adebayo', 'Aisha', 'Ali', 'Amara', 'Amir', 'Ayaan', 'Bilal', 'Callum', 'Chantelle', 'Charlie', 'Chidi', 'Daniel', 'Daniela',
  'Darnell', 'David', 'Deshawn', 'Ella', 'Emre', 'Ethan', 'Fatima', 'Femi', 'Grace', 'Hamza', 'Harry', 'Ibrahim', 'Imani', 'Isaac', 'Jack', 'Jamal',
  'Jayden', 'Jordan', 'Joshua', 'Kacper', 'Kai', 'Kayla', 'Keisha', 'Kemi', 'Kwame', 'Leah', 'Leon', 'Liam', 'Lily', 'Maryam', 'Mason', 'Mia',
  'Mohammed', 'Musa', 'Nathan', 'Nia', 'Noah', 'Olivia', 'Omar', 'Oscar', 'Precious', 'Priya', 'Rayan', 'Reece', 'Riya', 'Ruby', 'Ryan', 'Samuel',
  'Sara', 'Shanice', 'Sofia', 'Tariq', 'Temi', 'Theo', 'Tyler', 'Usman', 'Yusuf', 'Zain', 'Zara', 'Zoe', 'Mateusz', 'Andrei', 'Elena', 'Tomasz',
];

export const FAMILY_NAMES = [
  'Adeyemi', 'Ahmed', 'Akhtar', 'Ali', 'Allen', 'Asante', 'Baker', 'Begum', 'Bello', 'Boateng', 'Brown', 'Campbell', 'Chowdhury', 'Clarke', 'Cooper', 'Davies',
  'Edwards', 'Evans', 'Francis', 'Green', 'Hall', 'Hassan', 'Hussain', 'Ibrahim', 'Iqbal', 'Jackson', 'James', 'Johnson', 'Jones', 'Kaur', 'Khan', 'King',
  'Kowalski', 'Lewis', 'Malik', 'Martin', 'Mensah', 'Miah', 'Mohamed', 'Morris', 'Murphy', 'Nowak', 'Nwosu', 'Okafor', 'Okonkwo', 'Osei', 'Owusu', 'Patel',
  'Popescu', 'Rahman', 'Reid', 'Richards', 'Roberts', 'Robinson', 'Shah', 'Singh', 'Smith', 'Taylor', 'Thomas', 'Thompson', 'Turner', 'Walker', 'Ward', 'Williams',
  'Wilson', 'Wright', 'Yilmaz', 'Young', 'Demir', 'Kaya', 'Santos', 'Silva', 'Farah', 'Warsame', 'Okoro', 'Grant', 'Henry', 'Morgan', 'Bailey', 'Stewart',
];

/**
 * Ethnic groups of young Londoners, roughly as the 2021 Census counts 10–24
 * year olds in London (ONS table RM032); good enough for believable demo data.
 */
export const ETHNICITY_WEIGHTS: [string, number][] = [
  ['white_british', 28], ['white_irish', 1], ['white_gypsy_traveller', 0.3], ['white_roma', 0.7], ['white_other', 12],
  ['black_african', 12], ['black_caribbean', 4], ['black_other', 3],
  ['asian_indian', 7], ['asian_pakistani', 5], ['asian_bangladeshi', 5], ['asian_chinese', 1.5], ['asian_other', 5],
  ['mixed_white_black_caribbean', 3], ['mixed_white_black_african', 1.5], ['mixed_white_asian', 2], ['mixed_other', 3],
  ['other_arab', 1.5], ['other_any', 4], ['not_stated', 5],
];

export const INCIDENT_TYPE_WEIGHTS: [string, number][] = [
  ['knife_injury', 18], ['weapon_possession', 20], ['weapon_robbery', 15], ['wounding_gbh', 14], ['ae_violence_injury', 10],
  ['pwits_arrest', 8], ['missing_exploitation', 4], ['risk_disclosure', 4], ['gun_discharge', 1.5], ['homicide', 0.5], ['other', 5],
];

export const WEAPON_BY_TYPE: Record<string, [string, number][]> = {
  knife_injury: [['knife', 1]],
  weapon_possession: [['knife', 8], ['firearm', 1], ['corrosive', 1]],
  weapon_robbery: [['knife', 6], ['blunt', 2], ['firearm', 1], ['not_known', 1]],
  wounding_gbh: [['knife', 3], ['blunt', 3], ['bodily_force', 4]],
  ae_violence_injury: [['knife', 4], ['blunt', 2], ['bodily_force', 3], ['not_known', 2]],
  gun_discharge: [['firearm', 1]],
  homicide: [['knife', 4], ['firearm', 1], ['blunt', 1]],
};
