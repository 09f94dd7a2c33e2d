// Every domain module, registered in one place.
import type { FastifyInstance } from 'fastify';
import { registerHome } from './home/routes.ts';
import { registerSignIn } from './access/signIn.ts';
import { registerOidc } from './access/oidc.ts';
import { registerUserAdmin } from './access/users.ts';
import { registerAgencyAdmin } from './access/agencies.ts';
import { registerApiClientAdmin } from './access/apiClients.ts';
import { registerAudit } from './audit/routes.ts';
import { registerIncidentPages } from './incidents/routes.ts';
import { registerIncidentApi } from './incidents/api.ts';
import { registerOpenApi } from './incidents/openapi.ts';
import { registerNotifications, registerUrgentResponses } from './urgent-response/routes.ts';
import { registerConsent } from './urgent-response/consentRoutes.ts';
import { registerPlan } from './urgent-response/planRoutes.ts';
import { registerActions } from './actions/routes.ts';
import { registerMeetings } from './meetings/routes.ts';
import { registerFigures } from './figures/routes.ts';
import { registerReferralApi } from './urgent-response/api.ts';
import { registerOpenByHand } from './urgent-response/openRoutes.ts';

export function registerModules(app: FastifyInstance): void {
  registerHome(app);
  registerSignIn(app);
  registerOidc(app);
  registerUserAdmin(app);
  registerAgencyAdmin(app);
  registerApiClientAdmin(app);
  registerAudit(app);
  registerIncidentPages(app);
  registerIncidentApi(app);
  registerOpenApi(app);
  registerUrgentResponses(app);
  registerNotifications(app);
  registerConsent(app);
  registerPlan(app);
  registerActions(app);
  registerMeetings(app);
  registerFigures(app);
  registerReferralApi(app);
  registerOpenByHand(app);
}
