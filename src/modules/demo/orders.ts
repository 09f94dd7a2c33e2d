// The demo partnership's orders (issue 19): a council enforcement officer, a
// Knife Crime Prevention Order with an exclusion zone around Walthamstow
// Central and a non-association with a rival, a gang injunction with a curfew,
// a Criminal Behaviour Order with its yearly reviews, a dispersal direction
// over the town square; then every incident of their subjects in the last
// month is checked, as if they had been recorded after the orders, so the
// lists show possible breaches to decide. Recorded through the same domain
// operations as the pages. Invented, like the rest of the demo.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { londonToday } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { addCondition, recordOrder } from '../orders/queries.ts';
import { checkIncident } from '../orders/checks.ts';
import { point, type ConditionInput } from '../orders/conditions.ts';
import { DEMO_EMAIL_DOMAIN } from './accounts.ts';

const grid = (latitude: number, longitude: number) => {
  const { easting, northing } = point(latitude, longitude);
  return { easting, northing };
};

export async function seedOrders(db: Kysely<DB>, now: Date, passwordHash: string, totpSecret: string): Promise<void> {
  const today = londonToday(now);
  const police = await db.selectFrom('agency').select('id').where('kind', '=', 'police').orderBy('name').executeTakeFirst();
  const council = await db.selectFrom('agency').select('id').where('kind', '=', 'council').orderBy('name').executeTakeFirst();
  const officer = police && (await db.selectFrom('app_user').select('id').where('agency_id', '=', police.id).where(sql<boolean>`'police' = ANY(roles)`).orderBy('email').executeTakeFirst());
  const station = await db.selectFrom('place').select(['id', 'name', 'latitude', 'longitude']).where('name', '=', 'Walthamstow Central station').executeTakeFirst();
  const square = await db.selectFrom('place').select(['id', 'name', 'latitude', 'longitude']).where('name', '=', 'Walthamstow town square').executeTakeFirst();
  const leyton = await db.selectFrom('network_group').select('id').where('name', '=', 'Leyton Blocks').executeTakeFirst();
  if (!police || !council || !officer || !station || !square || !leyton) return;
  await db.insertInto('app_user').values({ agency_id: council.id, email: `enforcement@${DEMO_EMAIL_DOMAIN}`, display_name: 'Kemi Adebayo', roles: ['enforcement'], password_hash: passwordHash, totp_secret: totpSecret }).execute();

  // The young people most often suspects, 14 or over when the oldest demo order was made (a gang injunction's minimum age) and under 18 today.
  const ours = await db
    .selectFrom('involvement')
    .innerJoin('person', 'person.id', 'involvement.person_id')
    .select(['person.id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('involvement.role', '=', 'suspect')
    .where('person.date_of_birth', '<=', addDays(today, -(14 * 366 + 300)))
    .where('person.date_of_birth', '>', addDays(today, -18 * 365))
    .groupBy('person.id')
    .orderBy('n', 'desc')
    .orderBy('person.id')
    .limit(3)
    .execute();
  if (ours.length < 3) return;

  const by = { userId: officer.id, agencyId: police.id };
  const base = { court: 'Stratford Magistrates’ Court', caseReference: null, interim: false, applyingAgencyId: police.id, leadOfficerName: 'DC Sam Reid', leadOfficerContact: '020 7946 0011 (Gangs Unit)', courtReviewOn: null, area: null };
  const since = addDays(today, -60);
  await db.transaction().execute(async (trx) => {
    const record = async (input: Parameters<typeof recordOrder>[2], conditions: ConditionInput[]) => {
      const result = await recordOrder(trx, by, input, null);
      if (!('id' in result)) throw new Error(`demo order refused: ${JSON.stringify(result.errors.toJSON())}`);
      for (const c of conditions) {
        const added = await addCondition(trx, by, { id: result.id, kind_code: input.kindCode }, c);
        if (!('id' in added)) throw new Error(`demo condition refused: ${JSON.stringify(added.errors.toJSON())}`);
      }
      return result.id;
    };
    const centre = grid(station.latitude!, station.longitude!);
    await record({ ...base, kindCode: 'knife_crime_prevention_order', personId: ours[0].id, madeOn: since, inForceFrom: since, until: addDays(since, 729) }, [
      {
        kind: 'exclusion_zone',
        wording: 'Not to enter the area within 400 metres of Walthamstow Central station, at any time.',
        detail: { kind: 'exclusion_zone', label: 'Walthamstow Central', zone: { shape: 'circle', centre, radiusMetres: 400, placeId: station.id, placeName: station.name, point: [station.latitude!, station.longitude!] }, hours: null },
        bbox: { minE: centre.easting - 400, minN: centre.northing - 400, maxE: centre.easting + 400, maxN: centre.northing + 400 },
      },
      { kind: 'non_association', wording: 'Not to associate with members of Leyton Blocks.', detail: { kind: 'non_association', personIds: [], groupIds: [leyton.id] }, bbox: null },
      { kind: 'no_bladed_article', wording: 'Not to carry a bladed article in a public place.', detail: { kind: 'no_bladed_article' }, bbox: null },
    ]);
    const home = { latitude: 51.5878, longitude: -0.0301 };
    await record({ ...base, kindCode: 'gang_injunction', personId: ours[1].id, court: 'Clerkenwell and Shoreditch County Court', madeOn: addDays(today, -100), inForceFrom: addDays(today, -100), until: addDays(today, 20) }, [
      {
        kind: 'curfew',
        wording: 'To remain at his home address between 22:00 and 06:00 every day.',
        detail: { kind: 'curfew', address: 'Home address (on the police record)', at: point(home.latitude, home.longitude), hours: { days: [1, 2, 3, 4, 5, 6, 7], from: 22 * 60, to: 6 * 60 }, electronicMonitoring: true },
        bbox: null,
      },
      { kind: 'social_media', wording: 'Not to post, share or comment on music videos that refer to Leyton Blocks.', detail: { kind: 'social_media' }, bbox: null },
    ]);
    await record({ ...base, kindCode: 'criminal_behaviour_order', personId: ours[2].id, court: 'Thames Magistrates’ Court', madeOn: addDays(today, -300), inForceFrom: addDays(today, -300), until: addDays(today, 430) }, [
      { kind: 'reporting', wording: 'To report to Chingford police station every Monday between 16:00 and 18:00.', detail: { kind: 'reporting', where: 'Chingford police station', when: 'Mondays, 16:00 to 18:00' }, bbox: null },
    ]);
    const sq = grid(square.latitude!, square.longitude!);
    await recordOrder(trx, by, { ...base, kindCode: 'dispersal_direction', personId: null, court: 'Inspector, North East BCU', madeOn: today, inForceFrom: today, until: addDays(today, 1), area: { label: 'Walthamstow town square', zone: { shape: 'circle', centre: sq, radiusMetres: 300, placeId: square.id, placeName: square.name, point: [square.latitude!, square.longitude!] } } }, null);
    // As if each recent incident of theirs had been recorded now: the breach checks every entrance runs.
    const recent = await trx
      .selectFrom('involvement')
      .innerJoin('incident', 'incident.id', 'involvement.incident_id')
      .select('incident.id')
      .distinct()
      .where('involvement.person_id', 'in', ours.map((p) => p.id))
      .where('incident.occurred_at', '>=', new Date(now.getTime() - 45 * 86_400_000))
      .execute();
    for (const i of recent) await checkIncident(trx, by, i.id);
  });
}
