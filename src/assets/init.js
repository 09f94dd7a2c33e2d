// Progressive enhancement: start the GOV.UK and MoJ components. Every page works without this.
import { initAll } from '/assets/govuk-frontend.min.js';
initAll();
