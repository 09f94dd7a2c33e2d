// Demo strategy data: seed 004's principles, seed 000's strategy with its
// four domains, a knife crime action plan laid out like seed 004's (with
// strategic principle 6 left without an action, the gap seed 004 found),
// indicator targets, a survey series and census-like population figures.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { addDays } from '../../platform/workingDays.ts';
import { londonToday } from '../../platform/time.ts';
import { ETHNICITY_WEIGHTS } from './places.ts';

const STRATEGIC = [
  'We recognise that violence is due to a complex set of interacting causes based on multiple disadvantages including historical, political and social aspects.',
  'We are committed as a whole partnership to better understanding the causes of violence and ensuring they are addressed through a whole systems approach.',
  'We are committed to intervening early, addressing root causes and where possible preventing violence and the resultant harm from occurring.',
  'Where violence has occurred we are committed to its curtailment and adopting restorative approaches in order to reduce and mitigate harm.',
  'We recognise and value the many assets and strengths that exist within families and communities and are committed to supporting and working with them to empower and build resistance and resilience to violence.',
  'We are committed to becoming an anti-racist partnership, and recognise that challenging racist practices and policy making which creates and reinforces structural inequalities is key to eradicating violence.',
];
const ENABLING: [number, string][] = [
  [1, 'We are committed to collaborative working with all stakeholders (both statutory and in the community), building strong lasting relationships and fostering genuine co-production.'],
  [2, 'We will respectfully hold each other to account and be responsible for understanding our role within, and how we influence and shape, the wider system to reduce violence and its impact.'],
  [3, 'We will take an evidence informed approach to practice, utilising data, intelligence, community insight, and evaluation of current approaches and interventions.'],
  [4, 'We will be open to innovation and prepared to trial approaches, particularly community based approaches where there is a compelling rationale.'],
  [5, 'We recognise that building, repairing and maintaining trust between communities and agencies of the state is key to developing communities that are more resistant and resilient to violence.'],
  [7, 'We will have a clear, consistent and unified approach to communicating and proactively raising awareness of what we are doing and how we are working to reduce violence and its impact.'],
  [8, 'We will work to develop a narrative which breaks down outdated stereotypes and makes clear that violence is both preventable and unacceptable.'],
  [9, 'We will work in a way that is trauma-informed, ACE-aware and resilience-focused.'],
];

const DOMAINS: { name: string; summary: string; commitment: string; measure: string; indicators: string[]; actions: [string, string, string, string, string | null, string[]][] }[] = [
  {
    name: 'Strengthen',
    summary: 'Build the resilience of our communities and young people to prevent them from being drawn into violence or exploitation.',
    commitment: 'Building stronger communities, where children and young people feel valued, included and connected to their neighbourhoods.',
    measure: 'Fewer children and young people are involved in serious violence because they have received the support they need early.',
    indicators: ['Knife-injury victims under 18', 'Residents who fear crime in their area'],
    actions: [
      ['1.1.1', 'Fund free, inclusive youth activities within easy reach of home in the youth, family and welcome hubs', 'Council Youth Service', 'in_progress', 'green', ['strategic:5', 'enabling:1']],
      ['1.1.2', 'Deliver the LifeSkills resilience programme in every primary school', 'Schools / Barnardo’s', 'in_progress', 'amber', ['strategic:3']],
    ],
  },
  {
    name: 'Support',
    summary: 'Provide early, targeted support to those most vulnerable to violence and exploitation to reduce the risks they face.',
    commitment: 'Intervening earlier with flexible, practical and emotional support for families, schools and partners.',
    measure: 'Young people at risk are reached quickly and stay in education, training or employment.',
    indicators: ['Urgent responses with contact within 48 hours'],
    actions: [['2.1.1', 'Reach every young person involved in a serious incident within 48 hours (the urgent response protocol)', 'Youth Justice Service / MASH', 'in_progress', 'amber', ['strategic:3', 'enabling:3']]],
  },
  {
    name: 'Treat',
    summary: 'Ensure those exposed to violence receive high quality, timely support to aid recovery and divert them from violence.',
    commitment: 'Youth workers in A&E and the major trauma centres for every young person attending with a violence injury.',
    measure: 'Fewer young people are hurt again within a year.',
    indicators: ['Repeat victimisation within 12 months', 'Knife-injury victims under 25'],
    actions: [['3.1.1', 'A&E youth navigators at Whipps Cross for every young person with a violence injury', 'NHS / Redthread', 'in_progress', 'red', ['strategic:4', 'enabling:9']]],
  },
  {
    name: 'Curtail',
    summary: 'Predict, prevent, deter and disrupt acts of violence, responding swiftly when violence occurs to reduce its harmful consequences.',
    commitment: 'Targeting resources on the places and times where the risk of violence is greatest.',
    measure: 'Knife crime injuries among children and young people fall.',
    indicators: ['Knife-injury victims under 25', 'Share of knife-injury victims who are male'],
    actions: [['4.1.1', 'Weekly partnership tasking of patrols and Safer Routes youth workers to hot spots after school', 'Police / Community Safety', 'not_started', null, ['strategic:4', 'enabling:3']]],
  },
];

const KNIFE_PLAN: [string, string, string, string[]][] = [
  ['5.1.1', 'Through weekly and monthly partnership tasking, enforcement officers provide interventions and high-visibility patrol in known knife crime hot spots', 'Community Safety', ['strategic:4', 'enabling:3', 'enabling:1']],
  ['5.1.2', 'Analysis of hot spot areas, including times and types of offences, so knife crime problems are identified correctly', 'Community Safety / Police', ['enabling:3']],
  ['5.1.4', 'Support landlords and tenants’ associations to handle weapons found on their estates', 'Community Safety / Housing', ['strategic:3', 'enabling:1']],
  ['5.1.5', 'Community weapons sweeps', 'Community Safety / Housing', ['strategic:5']],
  ['5.1.8', 'Safer schools officers in every school, trained on adverse childhood experiences and trauma-informed practice', 'Police', ['strategic:3', 'enabling:1']],
];

/** Rough shares of Waltham Forest's residents by age band (2021 Census scale). */
const BANDS: [number, number, number][] = [
  [0, 9, 36_000],
  [10, 14, 17_000],
  [15, 17, 10_000],
  [18, 24, 24_000],
];

export async function seedStrategy(db: Kysely<DB>, now: Date): Promise<void> {
  const today = londonToday(now);
  await db.transaction().execute(async (trx) => {
    const principles = await trx
      .insertInto('principle')
      .values([...STRATEGIC.map((statement, i) => ({ kind: 'strategic' as const, number: i + 1, statement })), ...ENABLING.map(([number, statement]) => ({ kind: 'enabling' as const, number, statement }))])
      .returning(['id', 'kind', 'number'])
      .execute();
    const principleId = (ref: string) => principles.find((p) => `${p.kind}:${p.number}` === ref)!.id;
    const indicators = await trx.selectFrom('indicator').select(['id', 'name']).execute();
    const indicatorId = (name: string) => indicators.find((i) => i.name === name)!.id;

    const addActions = async (strategyId: string, commitmentId: string, actions: { number: string; statement: string; lead: string; status: string; rag: string | null; principles: string[] }[]) => {
      for (const [i, a] of actions.entries()) {
        const { id } = await trx
          .insertInto('strategy_action')
          .values({ strategy_id: strategyId, commitment_id: commitmentId, number: a.number, statement: a.statement, lead_partners: a.lead.split(' / '), starts_on: addDays(today, -300), due_on: addDays(today, i % 2 ? 120 : -20), status: a.status, rag: a.rag, rag_reason: a.rag ? `Demo rating: ${a.rag}` : null })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (a.principles.length) await trx.insertInto('action_principle').values(a.principles.map((p) => ({ action_id: id, principle_id: principleId(p) }))).execute();
        if (a.rag) await trx.insertInto('action_update').values({ action_id: id, status: a.status, rag: a.rag, rag_reason: `Demo rating: ${a.rag}`, note: 'Quarterly update to the board.', recorded_at: addDays(today, -30) }).execute();
      }
    };

    const strategy = await trx
      .insertInto('strategy')
      .values({ name: 'Serious Violence Strategy 2024–2029', kind: 'strategy', starts_on: '2024-04-01', ends_on: '2029-03-31', vision: 'To reduce serious violence and exploitation, protect our communities from harm, and create safe and secure homes and neighbourhoods where all our residents can thrive.' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [sort, d] of DOMAINS.entries()) {
      const domain = await trx.insertInto('strategy_domain').values({ strategy_id: strategy.id, name: d.name, summary: d.summary, sort }).returning('id').executeTakeFirstOrThrow();
      const commitment = await trx.insertInto('commitment').values({ strategy_id: strategy.id, domain_id: domain.id, statement: d.commitment, sort }).returning('id').executeTakeFirstOrThrow();
      await addActions(strategy.id, commitment.id, d.actions.map(([number, statement, lead, status, rag, ps]) => ({ number, statement, lead, status, rag, principles: ps })));
      const measure = await trx.insertInto('success_measure').values({ strategy_id: strategy.id, domain_id: domain.id, statement: d.measure, sort }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('success_measure_indicator').values(d.indicators.map((n) => ({ success_measure_id: measure.id, indicator_id: indicatorId(n) }))).execute();
    }

    const plan = await trx.insertInto('strategy').values({ name: 'Knife Crime Action Plan', kind: 'action_plan' }).returning('id').executeTakeFirstOrThrow();
    const heading = await trx.insertInto('commitment').values({ strategy_id: plan.id, statement: 'Enforcement and criminal justice response to knife crime' }).returning('id').executeTakeFirstOrThrow();
    await addActions(plan.id, heading.id, KNIFE_PLAN.map(([number, statement, lead, ps], i) => ({ number, statement, lead, status: i === 0 ? 'complete' : 'in_progress', rag: i === 0 ? null : i === 3 ? 'red' : 'green', principles: ps })));

    for (const [name, target] of [['Knife-injury victims under 25', 40], ['Knife-injury victims under 18', 20], ['Urgent responses with contact within 48 hours', 90], ['Repeat victimisation within 12 months', 10], ['Residents who fear crime in their area', 35]] as const) {
      await trx.updateTable('indicator').set({ target }).where('name', '=', name).execute();
    }
    const year = Number(today.slice(0, 4));
    await trx
      .insertInto('indicator_value')
      .values([[year - 2, 41], [year - 1, 38]].map(([y, value]) => ({ indicator_id: indicatorId('Residents who fear crime in their area'), month: `${y}-09`, value, source: `Residents’ survey, autumn ${y}` })))
      .execute();

    const totalWeight = ETHNICITY_WEIGHTS.filter(([code]) => code !== 'not_stated').reduce((n, [, w]) => n + w, 0);
    await trx
      .insertInto('population')
      .values(
        ETHNICITY_WEIGHTS.filter(([code]) => code !== 'not_stated').flatMap(([ethnicity, weight]) =>
          BANDS.flatMap(([from, to, total]) => (['female', 'male'] as const).map((sex) => ({ ethnicity, sex, age_from: from, age_to: to, people: Math.round((total * weight) / totalWeight / 2), source: 'Demo figures shaped like ONS Census 2021 table RM032' }))),
        ),
      )
      .execute();
  });
}
