// The demo partnership's services: the ones the seed strategy names, with
// its own words for what they do. The Toolkit ratings are the kind a
// partnership would fill in from the YEF Toolkit's nearest approach.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Provider = 'council' | 'police' | 'nhs' | 'probation' | 'yjs' | 'school' | 'vcs1' | 'vcs2';

const SERVICES: { name: string; provider: Provider; domain: string; description: string; ages: [number, number]; capacity: number; weeks: number | null; criteria: string; contact: string; impact: string; evidence: number }[] = [
  { name: 'A&E navigators', provider: 'nhs', domain: 'treat', description: 'Caseworkers in Whipps Cross Hospital who develop trusting relationships with children and young people with a violence-related injury and support them for up to six months.', ages: [10, 25], capacity: 40, weeks: 26, criteria: 'Attended Whipps Cross A&E with an injury from violence; consents to contact.', contact: 'navigators@bartshealth.example.nhs.uk', impact: 'moderate', evidence: 2 },
  { name: 'Custody mentors', provider: 'vcs1', domain: 'treat', description: 'Trained mentors in police custody who engage young people arrested for violence-related offences and link them into supportive services.', ages: [12, 25], capacity: 30, weeks: 12, criteria: 'In custody at Leyton or Stoke Newington for a violence-related offence.', contact: 'custody@spark2life.example.org', impact: 'moderate', evidence: 3 },
  { name: 'Stay Safe', provider: 'yjs', domain: 'curtail', description: 'Trauma-informed support for children involved in carrying weapons, for those in contact with the youth justice system.', ages: [10, 17], capacity: 20, weeks: 12, criteria: 'Known to the Youth Justice Service; weapon carrying or possession.', contact: 'staysafe@walthamforest.example.gov.uk', impact: 'high', evidence: 2 },
  { name: 'Ether', provider: 'yjs', domain: 'support', description: 'A programme building confidence and self-esteem among children from ethnic minority groups in contact with the youth justice system.', ages: [10, 17], capacity: 15, weeks: 10, criteria: 'Known to the Youth Justice Service.', contact: 'ether@walthamforest.example.gov.uk', impact: 'moderate', evidence: 3 },
  { name: 'LifeSkills', provider: 'school', domain: 'strengthen', description: 'Barnardo’s Life Skills programme in primary schools: the skills, knowledge and attitudes to make healthy choices and avoid risk-taking.', ages: [8, 11], capacity: 300, weeks: 12, criteria: 'Pupils in participating primary schools (whole class).', contact: 'lifeskills@walthamforest.example.gov.uk', impact: 'moderate', evidence: 3 },
  { name: 'Streetbase', provider: 'vcs2', domain: 'strengthen', description: 'Outreach, ambassador and peer-to-peer work reaching young people in parks, schools and youth spaces, and signposting them into services.', ages: [11, 25], capacity: 60, weeks: null, criteria: 'Any young person met in outreach; self-referral welcome.', contact: 'streetbase@leytonorienttrust.example.org', impact: 'low', evidence: 1 },
  { name: 'Therapeutic family support', provider: 'council', domain: 'treat', description: 'Intensive therapeutic support and training for families of children and young people affected by violence, to build confidence and family cohesion.', ages: [7, 18], capacity: 25, weeks: 20, criteria: 'Family of a child affected by violence; family agrees to take part.', contact: 'familysupport@walthamforest.example.gov.uk', impact: 'moderate', evidence: 3 },
  { name: 'Education, training and employment support', provider: 'council', domain: 'support', description: 'Flexible practical support into school, college, training or work, with help on attendance and after exclusion.', ages: [14, 25], capacity: 50, weeks: 26, criteria: 'Not in education, training or employment, or at risk of exclusion.', contact: 'ete@walthamforest.example.gov.uk', impact: 'low', evidence: 2 },
  { name: 'Integrated Offender Management', provider: 'probation', domain: 'curtail', description: 'Police, probation and partners working together so high-risk offenders receive interventions for their needs, including education, training, employment and housing.', ages: [18, 99], capacity: 80, weeks: 52, criteria: 'Adult offender assessed as high risk of reoffending with violence; IOM panel decision.', contact: 'iom@probation.example.gov.uk', impact: 'not_rated', evidence: 0 },
];

export async function seedServices(db: Kysely<DB>, agencyIds: Record<string, string>) {
  await db
    .insertInto('service')
    .values(
      SERVICES.map((s) => ({
        name: s.name,
        provider_agency_id: agencyIds[s.provider],
        domain: s.domain,
        description: s.description,
        min_age: s.ages[0],
        max_age: s.ages[1],
        capacity: s.capacity,
        planned_weeks: s.weeks,
        referral_criteria: s.criteria,
        contact: s.contact,
        yef_impact: s.impact,
        yef_evidence: s.evidence,
      })),
    )
    .execute();
}
