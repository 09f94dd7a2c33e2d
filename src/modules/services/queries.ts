// Services in SQL, with how full each is: open episodes against capacity, and
// referrals on its waiting list.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

export interface ServiceFilters {
  domain?: string;
  age?: number;
  agencyId?: string;
}

function withLoad(db: Db) {
  return db
    .selectFrom('service')
    .innerJoin('agency', 'agency.id', 'service.provider_agency_id')
    .selectAll('service')
    .select([
      'agency.name as provider_name',
      (eb) => eb.selectFrom('episode').select((e) => e.fn.countAll<number>().as('n')).whereRef('episode.service_id', '=', 'service.id').where('episode.closed_on', 'is', null).as('open_episodes'),
      (eb) => eb.selectFrom('referral').select((e) => e.fn.countAll<number>().as('n')).whereRef('referral.service_id', '=', 'service.id').where('referral.status', '=', 'waiting_list').as('waiting'),
    ]);
}

export async function listServices(db: Db, f: ServiceFilters) {
  let q = withLoad(db).where('service.active', '=', true);
  if (f.domain) q = q.where('service.domain', '=', f.domain);
  if (f.age !== undefined) q = q.where('service.min_age', '<=', f.age).where('service.max_age', '>=', f.age);
  if (f.agencyId) q = q.where('service.provider_agency_id', '=', f.agencyId);
  return q.orderBy('service.domain').orderBy('service.name').execute();
}

export function findService(db: Db, id: string) {
  return withLoad(db).where('service.id', '=', id).executeTakeFirst();
}
export type ServiceRow = NonNullable<Awaited<ReturnType<typeof findService>>>;

export async function activeServices(db: Db) {
  return db.selectFrom('service').innerJoin('agency', 'agency.id', 'service.provider_agency_id').select(['service.id', 'service.name', 'service.min_age', 'service.max_age', 'agency.name as provider_name']).where('service.active', '=', true).orderBy('service.name').execute();
}

/** Saves only over the version the editor saw. */
export async function updateService(trx: Transaction<DB>, id: string, version: number, values: Record<string, unknown>): Promise<boolean> {
  const r = await trx.updateTable('service').set({ ...values, updated_at: new Date(), version: sql`version + 1` }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
