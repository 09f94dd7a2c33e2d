// The search box in every page's header (issue 22): a reference goes
// straight to its record; anything else is a name, looked up through the
// identity matcher as the people search does. A POST, so names stay out of
// URLs and logs; every search is audited.
import { glassRecordOf } from '../governance/breakGlass.ts';
import type { FastifyInstance } from 'fastify';
import { actorOf, declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, text, type Body } from '../../platform/forms.ts';
import { can } from '../../platform/permissions.ts';
import { auditedSearch } from '../people/candidates.ts';
import { IDENTIFIER_SCHEMES } from '../people/identifiers.ts';
import { findByReference, isReference } from './references.ts';

export function registerSearch(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'POST',
    url: '/search',
    access: 'signed-in',
    audit: 'search.reference',
    handler: async (req, reply) => {
      const actor = req.actor!;
      const errors = new FormErrors();
      const words = text(req.body as Body, 'q', errors, { label: 'Search', required: true, max: 100, missing: 'Enter a name, or a reference like UR-000123' });
      const canFindPeople = can(actor.roles, 'person.read');
      if (!words) return reply.code(400).page('search/views/search.njk', { errors, canFindPeople });
      if (isReference(words)) {
        const href = await transact(req, async (trx, audit) => {
          const href = await findByReference(trx, actor, words);
          // The reference is not personal data; whether it led anywhere is what the IG officer needs.
          await audit({ recordType: 'search', detail: { reference: words.trim().toUpperCase(), found: Boolean(href) } });
          return href;
        });
        if (href) return reply.redirect(href, 303);
        return reply.code(404).page('search/views/search.njk', { reference: words.trim().toUpperCase(), canFindPeople, canBreakGlass: can(actor.roles, 'break_glass.use') && glassRecordOf(words.trim().toUpperCase()) !== null });
      }
      if (!canFindPeople) return reply.page('search/views/search.njk', { notReference: words, canFindPeople });
      const results = await transact(req, (trx) => auditedSearch(trx, actorOf(req), { name: words, dateOfBirth: null, postcode: null, identifier: null }));
      return reply.page('people/views/search.njk', { values: { name: words }, results, searched: true, schemes: IDENTIFIER_SCHEMES });
    },
  });
}
